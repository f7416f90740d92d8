import { type AssessmentScheme, assess, type IndicatorSystem } from "@gongkai/core";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  gradesText,
  parseGradesText,
  parseRankingText,
  parseRuleText,
  readIndicatorSystemXlsx,
  readSchemeXlsx,
  ruleText,
  writeResultsXlsx,
  writeSchemeXlsx,
} from "./scheme-xlsx.ts";

const scheme: AssessmentScheme = {
  name: "2024年度政务公开工作考核",
  share: 5,
  bonus: { threshold: 80, cap: 5 },
  grades: [
    { name: "优秀", min: 90, quotaPercent: 20 },
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    {
      code: "A",
      name: "组织保障",
      points: 6,
      rule: { type: "deduction", per: 2 },
      criteria: "未明确分管领导的,每项扣2分",
    },
    {
      code: "B",
      name: "载体建设",
      points: 15,
      children: [
        {
          code: "B1",
          name: "门户网站",
          points: 6,
          rule: { type: "levels", levels: [0, 0.5, 1] },
          observationPoints: ["首页", "信息公开专栏"],
        },
        { code: "B2", name: "新闻发布会", points: 3, rule: { type: "yesno" } },
        {
          code: "B3",
          name: "新媒体",
          weight: undefined,
          points: 6,
          children: [
            {
              code: "B3a",
              name: "按时完成率",
              points: 4,
              rule: { type: "proportion", source: "onTimeRate" },
            },
            { code: "B3b", name: "第三方评估", points: 2, rule: { type: "evaluation" } },
          ],
        },
      ],
    },
    {
      code: "C",
      name: "政府信息公开",
      weight: undefined,
      points: 79,
      children: [
        { code: "C1", name: "主动公开", points: 79, rule: { type: "manual" } },
        { code: "C2", name: "泄密", rule: { type: "veto" } },
      ],
    },
    {
      code: "X",
      name: "创新加分",
      points: 5,
      children: [{ code: "X1", name: "经验推广", points: 5, rule: { type: "bonus" } }],
    },
  ],
};

/** Drops undefined properties so a round trip compares on what is there. */
const clean = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe("scheme .xlsx", () => {
  it("round-trips a scheme: codes, points, rules, criteria, observation points, share, bonus, grades", async () => {
    const bytes = await writeSchemeXlsx(scheme);
    const back = await readSchemeXlsx(bytes);
    expect(clean(back)).toEqual(clean(scheme));
  });

  it("writes parents as merged cells with their points in the name", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeSchemeXlsx(scheme)) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("评分细则");
    expect(ws?.getRow(2).values).toEqual(
      expect.arrayContaining(["一级指标", "二级指标", "三级指标", "分值", "评分方式", "评分细则", "观测点"]),
    );
    // Rows 3: 组织保障; 4–7: 载体建设 (B1, B2, B3a, B3b) merged; B3 merged over rows 6–7.
    expect(ws?.getCell("A4").text).toBe("载体建设（15分）");
    expect(ws?.getCell("A7").isMerged).toBe(true);
    expect(ws?.getCell("A7").text).toBe("载体建设（15分）");
    expect(ws?.getCell("B6").text).toBe("新媒体（6分）");
    expect(ws?.getCell("C6").text).toBe("按时完成率");
  });

  it("reads an office's table typed by hand: title row, merged parents, rules from the 评分细则 text", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow(["某县2023年度政务公开考核评分细则"]);
    ws.addRow(["一级指标", "二级指标", "分值", "评分细则"]);
    ws.addRow(["组织保障（6分）", "领导重视", 6, "未召开专题会议的,每缺一次扣2分"]);
    ws.addRow(["载体建设（15分）", "门户网站", 6, "栏目不更新的,每个扣1分,扣完为止"]);
    ws.addRow(["", "新闻发布会", 3, "未按要求召开的,每次扣1.5分"]);
    ws.addRow(["", "新媒体", 6, "根据运维情况酌情打分"]);
    ws.addRow(["单项否决", "泄密", null, "发生泄密事件的,实行一票否决"]);
    ws.mergeCells("A4:A6");
    const meta = wb.addWorksheet("方案");
    meta.addRow(["政务公开分值权重(%)", 4]);
    meta.addRow(["等次", "优秀≥18；合格≥12；不合格≥0"]);
    const read = await readSchemeXlsx((await wb.xlsx.writeBuffer()) as unknown as Uint8Array);
    expect(read.name).toBe("某县2023年度政务公开考核评分细则");
    expect(read.share).toBe(4);
    expect(clean(read.indicators)).toEqual([
      {
        code: "1",
        name: "组织保障",
        points: 6,
        children: [
          {
            code: "1.1",
            name: "领导重视",
            points: 6,
            rule: { type: "deduction", per: 2 },
            criteria: "未召开专题会议的,每缺一次扣2分",
          },
        ],
      },
      {
        code: "2",
        name: "载体建设",
        points: 15,
        children: [
          {
            code: "2.1",
            name: "门户网站",
            points: 6,
            rule: { type: "deduction", per: 1 },
            criteria: "栏目不更新的,每个扣1分,扣完为止",
          },
          {
            code: "2.2",
            name: "新闻发布会",
            points: 3,
            rule: { type: "deduction", per: 1.5 },
            criteria: "未按要求召开的,每次扣1.5分",
          },
          {
            code: "2.3",
            name: "新媒体",
            points: 6,
            rule: { type: "manual" },
            criteria: "根据运维情况酌情打分",
          },
        ],
      },
      {
        code: "3",
        name: "单项否决",
        children: [
          { code: "3.1", name: "泄密", rule: { type: "veto" }, criteria: "发生泄密事件的,实行一票否决" },
        ],
      },
    ]);
    // The table scores: 6 − 2 + (6 − 3 + 3 − 1.5 + 5) = 4 + 9.5 = 13.5 → 合格.
    const { units } = assess(read, [
      { unit: "甲", indicator: "1.1", value: 1 },
      { unit: "甲", indicator: "2.1", value: 3 },
      { unit: "甲", indicator: "2.2", value: 1 },
      { unit: "甲", indicator: "2.3", value: 5 },
      { unit: "甲", indicator: "3.1", value: 0 },
    ]);
    expect(units[0]).toMatchObject({ total: 13.5, grade: "合格", rank: 1 });
  });

  it("reads weights written as percentages, in names and in the 权重 column", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("评分细则");
    ws.addRow(["一级指标", "二级指标", "权重", "评分方式"]);
    ws.addRow(["信息公开（权重60%）", "主动公开", "70%", "人工评分"]);
    ws.addRow(["", "依申请公开", 0.3, "人工评分"]);
    ws.addRow(["政策解读（权重40%）", "解读质量", "100%", "分档 0/50%/100%"]);
    const system: IndicatorSystem = await readIndicatorSystemXlsx(
      (await wb.xlsx.writeBuffer()) as unknown as Uint8Array,
      {
        name: "第三方评估",
      },
    );
    expect(system.name).toBe("第三方评估");
    expect(system.indicators.map((n) => [n.code, n.weight, n.children?.map((c) => c.weight)])).toEqual([
      ["1", 0.6, [0.7, 0.3]],
      ["2", 0.4, [1]],
    ]);
    expect(system.indicators[1]?.children?.[0]?.rule).toEqual({ type: "levels", levels: [0, 0.5, 1] });
  });

  it("refuses a scheme with no share, a share under 4%, a missing header or a non-xlsx file, in Chinese", async () => {
    const { share: _share, ...system } = scheme;
    const noShare = await writeSchemeXlsx(system);
    await expect(readSchemeXlsx(noShare)).rejects.toThrow("缺少政务公开在绩效考核中的分值权重");
    await expect(readSchemeXlsx(noShare, { share: 3 })).rejects.toThrow("不應低於4%");
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Sheet1").addRow(["指标", "分数"]);
    await expect(readSchemeXlsx((await wb.xlsx.writeBuffer()) as unknown as Uint8Array)).rejects.toThrow(
      "没有找到“一级指标”表头",
    );
    await expect(readSchemeXlsx(new TextEncoder().encode("unit,indicator,value"))).rejects.toThrow(
      "不是有效的 .xlsx 文件",
    );
  });

  it("keeps a scheme's ranking keys through a real .xlsx: dense at 1 decimal, ordinal with its tie-break", async () => {
    const dense: AssessmentScheme = { ...scheme, ranking: "dense", precision: 1 };
    const bytes = await writeSchemeXlsx(dense);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const rows: string[] = [];
    wb.getWorksheet("方案")?.eachRow((row) => {
      rows.push(`${row.getCell(1).text} | ${row.getCell(2).text}`);
    });
    expect(rows).toEqual(
      expect.arrayContaining(["排名规则 | 密集排名(1, 2, 2, 3,并列不占位)", "总分保留小数位数 | 1"]),
    );
    const back = await readSchemeXlsx(bytes);
    expect(clean(back)).toEqual(clean(dense));
    expect(back.ranking).toBe("dense");
    expect(back.precision).toBe(1);

    const ordinal: AssessmentScheme = { ...scheme, ranking: "ordinal", precision: 0, tieBreak: "C" };
    expect(clean(await readSchemeXlsx(await writeSchemeXlsx(ordinal)))).toEqual(clean(ordinal));
  });

  it("leaves a scheme without ranking keys without them (no rows written, none read)", async () => {
    const bytes = await writeSchemeXlsx(scheme);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const labels: string[] = [];
    wb.getWorksheet("方案")?.eachRow((row) => {
      labels.push(row.getCell(1).text);
    });
    expect(labels).toEqual(["方案名称", "政务公开分值权重(%)", "加分门槛", "加分上限", "等次"]);
    const back = await readSchemeXlsx(bytes);
    expect(Object.keys(back)).not.toContain("ranking");
    expect(Object.keys(back)).not.toContain("precision");
    expect(Object.keys(back)).not.toContain("tieBreak");
  });

  it("reads 排名规则 typed by hand and refuses what it cannot read, in Chinese", () => {
    expect(parseRankingText("并列不占位")).toBe("dense");
    expect(parseRankingText("竞争排名")).toBe("competition");
    expect(parseRankingText("不并列")).toBe("ordinal");
    expect(parseRankingText(" dense ")).toBe("dense");
    expect(() => parseRankingText("随便排")).toThrow("排名规则“随便排”看不懂");
  });

  it("writes rule and grade texts that read back", () => {
    for (const rule of scheme.indicators
      .flatMap((n) => [n, ...(n.children ?? []), ...(n.children ?? []).flatMap((c) => c.children ?? [])])
      .flatMap((n) => (n.rule ? [n.rule] : []))) {
      expect(parseRuleText(ruleText(rule))).toEqual(rule);
    }
    expect(parseGradesText(gradesText(scheme.grades ?? []))).toEqual(scheme.grades);
    expect(() => parseGradesText("优秀九十分")).toThrow("优秀≥90");
  });

  it("reads grade bands by share and the boundary tie rule as an office types them", () => {
    expect(parseGradesText("先进（前10%）；优秀≥90（限20%，并列一并评入）；合格≥60；不合格≥0")).toEqual([
      { name: "先进", quotaPercent: 10 },
      { name: "优秀", min: 90, quotaPercent: 20, quotaTies: "include" },
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
    ]);
    const bands = [
      { name: "先进", quotaPercent: 10 },
      { name: "优秀", min: 90, quotaPercent: 20, quotaTies: "include" as const },
      { name: "良好", min: 80, quotaPercent: 30 },
    ];
    expect(gradesText(bands)).toBe("先进(前10%)；优秀≥90(限20%,并列一并评入)；良好≥80(限30%)");
    expect(parseGradesText(gradesText(bands))).toEqual(bands);
    expect(() => parseGradesText("优秀≥90(前20%)")).toThrow("优秀(前20%)");
  });
});

describe("results .xlsx", () => {
  it("writes one row per unit in ranking order, incomplete units marked", async () => {
    const full = { A: 0, B1: 1, B2: 1, B3a: 1, B3b: 100, C1: 70, C2: 0, X1: 3 };
    const { units } = assess(scheme, [
      ...Object.entries(full).map(([indicator, value]) => ({ unit: "甲局", indicator, value })),
      ...Object.entries({ ...full, C1: 79 }).map(([indicator, value]) => ({
        unit: "乙局",
        indicator,
        value,
      })),
      { unit: "丙局", indicator: "A", value: 0 },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeResultsXlsx(scheme, units)) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("考核结果");
    const header = ws?.getRow(2).values as unknown[];
    const col = (h: string) => header.findIndex((v) => typeof v === "string" && v.startsWith(h));
    // 乙局: 6 + 15 + 79 = 100, +3 bonus = 103; 甲局: 6 + 15 + 70 = 91, +3 = 94.
    expect(
      [3, 4, 5].map((r) => [
        ws?.getRow(r).getCell(1).value,
        ws?.getRow(r).getCell(2).value,
        ws?.getRow(r).getCell(3).value,
      ]),
    ).toEqual([
      [1, "乙局", 103],
      [2, "甲局", 94],
      ["未完成", "丙局", null],
    ]);
    expect(ws?.getRow(3).getCell(col("C1 ")).value).toBe(79);
    expect(ws?.getRow(3).getCell(col("C2 ")).value).toBe("通过");
    expect(String(ws?.getRow(5).getCell(header.length - 1).value)).toContain("缺少得分:B1");
  });
});
