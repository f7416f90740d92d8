/** Small documents, one layout each: what varies between real plans. */
import { describe, expect, it } from "vitest";
import { type ParsedTask, parsePlanDocument, parseTaskTable, tableToText } from "../../src/index.ts";

const tasksOf = (text: string, year = 2024): ParsedTask[] =>
  parsePlanDocument(text, { year }).plans[0]?.tasks ?? [];
const head = "XX县2024年政务公开工作要点\n一、重点工作\n";

describe("unit lines", () => {
  it.each([
    [
      "（一）做好解读。内容。（牵头单位：县政府办；配合单位：县司法局、县融媒体中心）",
      ["县政府办"],
      ["县司法局", "县融媒体中心"],
      [],
    ],
    [
      "（一）做好解读。内容。〔牵头单位:县政府办;配合单位:县司法局,县融媒体中心〕",
      ["县政府办"],
      ["县司法局", "县融媒体中心"],
      [],
    ],
    [
      "（一）做好解读。内容。【牵头单位：县政府办】【配合单位：县司法局；县融媒体中心】",
      ["县政府办"],
      ["县司法局", "县融媒体中心"],
      [],
    ],
    [
      "（一）做好解读。内容。牵头单位:县政府办责任单位:各乡镇人民政府,县直各部门",
      ["县政府办"],
      [],
      ["各乡镇人民政府", "县直各部门"],
    ],
    ["（一）做好解读。内容。\n责任单位：县政府办，县司法局", [], [], ["县政府办", "县司法局"]],
    [
      "（一）做好解读。内容。（县政府办牵头，县司法局、县融媒体中心配合）",
      ["县政府办"],
      ["县司法局", "县融媒体中心"],
      [],
    ],
    [
      "（一）做好解读。内容。（牵头：县政府办；配合：县司法局 县融媒体中心）",
      ["县政府办"],
      ["县司法局", "县融媒体中心"],
      [],
    ],
  ])("%s", (body, lead, cooperating, responsible) => {
    const [t] = tasksOf(head + body);
    expect(t).toMatchObject({
      code: "（一）",
      title: "做好解读",
      content: "做好解读。内容。",
      lead,
      cooperating,
      responsible,
    });
  });

  it("keeps units whose names hold brackets or a level prefix whole", () => {
    const [t] = tasksOf(
      `${head}（一）推进。内容。（牵头单位：各县（市、区）人民政府、各市(地)政府(行署)；配合单位：各市、县委宣传部）`,
    );
    expect(t?.lead).toEqual(["各县（市、区）人民政府", "各市(地)政府(行署)"]);
    expect(t?.cooperating).toEqual(["各市、县委宣传部"]);
  });

  it("cuts an open-ended 等…部门 and says so; flags 有关单位; flags a task without units", () => {
    const tasks = tasksOf(
      `${head}（一）甲。内容。（牵头单位：县教育局、县卫健局等行业主管部门）\n（二）乙。内容。（责任单位：有关单位）\n（三）丙。内容。`,
    );
    expect(tasks[0]?.lead).toEqual(["县教育局", "县卫健局"]);
    expect(tasks[0]?.flags.find((f) => f.code === "openUnitList")?.message).toContain(
      "县卫健局等行业主管部门",
    );
    expect(tasks[1]?.responsible).toEqual(["有关单位"]);
    expect(tasks[1]?.flags.map((f) => f.code)).toContain("vagueUnit");
    expect(tasks[2]?.flags.map((f) => f.code)).toEqual(["noUnit"]);
  });

  it("a 完成时限 inside the unit line is the task's deadline, listed first", () => {
    const [t] = tasksOf(`${head}（一）公开目录。每季度更新。（牵头单位：县政府办；完成时限：2024年6月底前）`);
    expect(t?.deadlines.map((d) => [d.phrase, d.rule.kind, d.due])).toEqual([
      ["2024年6月底前", "by", "2024-06-30"],
      ["每季度", "recurring", null],
    ]);
    expect(t?.content).toBe("公开目录。每季度更新。");
  });
});

describe("structure", () => {
  it("numbering nests by first appearance, whatever the styles", () => {
    const tasks = tasksOf(
      "2024年工作要点\n1. 决策公开\n（1）公开目录。内容。\n（2）公开草案。内容。\n2. 平台建设\n（1）建网站。内容。",
    );
    expect(tasks.map((t) => [t.section, t.code, t.title])).toEqual([
      ["决策公开", "（1）", "公开目录"],
      ["决策公开", "（2）", "公开草案"],
      ["平台建设", "（1）", "建网站"],
    ]);
  });

  it("a closing paragraph and the signature are not part of the last task", () => {
    const [t] = tasksOf(
      `${head}（一）做好解读。内容。\n各乡镇、各部门要根据本要点，细化任务。\nXX县人民政府办公室\n2024年3月1日`,
    );
    expect(t?.content).toBe("做好解读。内容。");
  });

  it("a plan without any item numbers has no tasks and says so", () => {
    const r = parsePlanDocument("XX县2024年政务公开工作要点\n今年要做好政务公开工作。");
    expect(r.plans[0]?.tasks).toEqual([]);
    expect(r.warnings.some((w) => w.includes("没有识别到任务"))).toBe(true);
  });

  it("empty text gives no plan and a warning", () => {
    expect(parsePlanDocument("  \n\n ")).toEqual({ plans: [], warnings: ["文本为空,没有可识别的内容。"] });
  });

  it("full-width digits and a title with the year", () => {
    const r = parsePlanDocument("某镇２０２５年政务公开工作要点\n一、公开\n１、做好公开。３月底前完成。");
    expect(r.plans[0]?.year).toBe(2025);
    expect(r.plans[0]?.tasks[0]).toMatchObject({ code: "１", title: "做好公开" });
    expect(r.plans[0]?.tasks[0]?.deadlines[0]?.due).toBe("2025-03-31");
  });
});

describe("task-division spreadsheets", () => {
  const rows = [
    ["", "", "", "", "", ""],
    [
      "XX区2024年政务公开工作任务分工",
      "XX区2024年政务公开工作任务分工",
      "XX区2024年政务公开工作任务分工",
      "XX区2024年政务公开工作任务分工",
      "XX区2024年政务公开工作任务分工",
      "XX区2024年政务公开工作任务分工",
    ],
    ["完成时间", "编号", "重点任务", "工作措施", "责任部门", "牵头部门"],
    ["一、决策公开", "一、决策公开", "一、决策公开", "一、决策公开", "一、决策公开", "一、决策公开"],
    ["2024年3月31日前", "1", "目录管理", "编制并公开重大行政决策事项目录。", "区政府各部门", "区司法局"],
    ["每季度", "2", "执行公开", "公开重点工作进展，每季度更新。", "", "区政府办公室"],
    ["持续推进", "2", "执行公开", "公开民生实事进展。", "各街道办事处；区政府各部门", "区政府办公室"],
  ];

  it("finds the header, reads columns in any order and under other names", () => {
    const { plans, warnings } = parseTaskTable(rows, {});
    expect(warnings).toEqual([]);
    const plan = plans[0];
    expect(plan).toMatchObject({ title: "XX区2024年政务公开工作任务分工", year: 2024 });
    expect(plan?.tasks.map((t) => [t.code, t.section, t.title, t.content, t.lead, t.responsible])).toEqual([
      ["1", "决策公开", "目录管理", "编制并公开重大行政决策事项目录。", ["区司法局"], ["区政府各部门"]],
      ["2", "决策公开", "执行公开", "公开重点工作进展，每季度更新。", ["区政府办公室"], []],
      [
        "2-2",
        "决策公开",
        "执行公开",
        "公开民生实事进展。",
        ["区政府办公室"],
        ["各街道办事处", "区政府各部门"],
      ],
    ]);
    expect(plan?.tasks.map((t) => t.deadlines.map((d) => d.phrase))).toEqual([
      ["2024年3月31日前"],
      ["每季度"],
      ["持续推进"],
    ]);
    expect(plan?.tasks[2]?.flags.map((f) => f.code)).toContain("sharedCode");
  });

  it("marks point into tableToText(rows)", () => {
    const text = tableToText(rows);
    for (const t of parseTaskTable(rows).plans[0]?.tasks ?? []) {
      for (const m of t.marks) expect(text.slice(m.start, m.end)).toBe(m.text);
    }
  });

  it("a sheet without a recognisable header says what it needs", () => {
    const r = parseTaskTable([
      ["姓名", "电话"],
      ["张三", "123"],
    ]);
    expect(r.plans).toEqual([]);
    expect(r.warnings[0]).toContain("表头");
  });
});
