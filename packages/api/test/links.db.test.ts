import { createPlan, createTask, systemActor } from "@gongkai/db";
import { auditLog, planLinks, supervisionNotices, taskLinks } from "@gongkai/db/schema";
import { districtAboveTown, testDbKinds } from "@gongkai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome, taskIdsByCode } from "./harness.ts";

/**
 * Plans linked across levels (issue 17, items 1–3). The fixture's 徐泾镇 is put under a district,
 * 青浦区, whose office publishes a 2023 plan of four tasks written to be carried out by the town's
 * tasks 1 (标签化管理), 10 (重大行政决策事项目录), 22 (基层政务公开标准化) and 24 (依申请办理), and keeps
 * a second plan as a draft. 白鹤镇 is another town, outside both.
 */
const none = { unitIds: [], groupIds: [] };
const units = { lead: none, cooperating: none, responsible: none };
const districtTasks = [
  [
    "(一)",
    "深化政策文件标签化管理",
    "对区政府及各部门行政规范性文件实施标签化管理,便于按主题、对象查询政策。",
  ],
  [
    "(二)",
    "做好重大行政决策事项目录管理",
    "各街镇、各部门编制并公开年度重大行政决策事项目录,动态调整并标注办理进度。",
  ],
  [
    "(三)",
    "推进基层政务公开标准化规范化",
    "巩固基层政务公开标准化建设成果,动态更新各领域政务公开标准目录,向村居延伸。",
  ],
  ["(四)", "规范政府信息依申请公开办理", "严格依申请办理流程,做好登记、答复、归档,提升答复质量。"],
] as const;

describe.each(testDbKinds())("plans linked across levels on %s", (kind) => {
  let f: Fixture;
  let district: number;
  let districtDraft: number;
  let upper: Map<string, number>;
  let town: (code: string) => number;
  let citingPlan: number;
  let baiheTask: number;

  beforeAll(async () => {
    f = await createFixture(kind);
    const db = f.db;
    const above = await districtAboveTown(db, f.ids.gov, {
      year: 2023,
      title: "2023年青浦区政务公开工作要点",
      docNumber: "青府办发〔2023〕9号",
      tasks: districtTasks,
    });
    district = above.planId;
    upper = above.upperTaskIds;
    districtDraft = (
      await createPlan(db, systemActor, {
        year: 2024,
        title: "2024年青浦区政务公开工作要点",
        issuerUnitId: above.districtUnitId,
      })
    ).id;
    // A town plan imported from a text that cites the district's plan with its 文号.
    citingPlan = (
      await createPlan(db, systemActor, {
        year: 2023,
        title: "徐泾镇2023年政务公开重点工作安排",
        issuerUnitId: f.ids.gov,
        sourceText: [
          "徐泾镇2023年政务公开重点工作安排",
          "根据《2023年青浦区政务公开工作要点》(青府办发〔2023〕9号)和《中华人民共和国政府信息公开条例》,制定本安排。",
          "一、重点工作",
          "1.做好重大行政决策事项目录管理。",
        ].join("\n"),
      })
    ).id;
    const baihePlan = await createPlan(db, systemActor, {
      year: 2023,
      title: "白鹤镇2023年政务公开工作要点",
      issuerUnitId: f.ids.otherGov,
    });
    baiheTask = (
      await createTask(db, systemActor, baihePlan.id, {
        sectionId: null,
        code: "1",
        title: "做好重大行政决策事项目录管理",
        content: "",
        category: null,
        units,
        deadlines: [],
      })
    ).id;
    town = await taskIdsByCode(db, f.ids.planId);
  });
  afterAll(() => f?.database.drop());

  it("offers the district's published plan as an upper plan, matches a citation to it, and hides its draft", async () => {
    const office = await callerAs(f.db, "office");
    const choices = await office.links.upperChoices({ id: f.ids.planId });
    const ids = choices.candidates.map((p) => p.id);
    expect(ids).toContain(district);
    expect(ids).not.toContain(districtDraft);
    expect(choices.candidates.map((p) => p.title)).not.toContain("白鹤镇2023年政务公开工作要点");
    // The seed's own text cites nothing.
    expect(choices.cited).toEqual([]);
    const cited = await office.links.upperChoices({ id: citingPlan });
    expect(cited.cited).toEqual([
      {
        title: "2023年青浦区政务公开工作要点",
        docNumber: "青府办发〔2023〕9号",
        match: expect.objectContaining({ id: district, issuerName: "青浦区人民政府" }),
      },
    ]);
  });

  it("refuses a draft, the plan itself and a loop in Chinese, changing nothing", async () => {
    const office = await callerAs(f.db, "office");
    for (const upperPlan of [districtDraft, f.ids.planId]) {
      const r = await outcome(
        office.links.setUpper({ planId: f.ids.planId, upper: [{ planId: upperPlan }] }),
      );
      expect(r.code).toBe("BAD_REQUEST");
      expect(isChinese(r.message)).toBe(true);
    }
    expect(await f.db.select().from(planLinks)).toEqual([]);
    await office.links.setUpper({ planId: f.ids.planId, upper: [{ planId: district }] });
    // The district cannot then name the town's plan as its own upper plan.
    const districtOffice = await callerAs(f.db, "qingpu-office");
    const loop = await outcome(
      districtOffice.links.setUpper({ planId: district, upper: [{ planId: f.ids.planId }] }),
    );
    expect(loop.code).toBe("BAD_REQUEST");
    expect(loop.message).toContain("互为上级");
    expect((await f.db.select().from(planLinks)).map((l) => [l.planId, l.upperPlanId])).toEqual([
      [f.ids.planId, district],
    ]);
  });

  it("suggests for the town's tasks the district tasks they carry out, first", async () => {
    const office = await callerAs(f.db, "office");
    const board = await office.links.board({ id: f.ids.planId });
    expect(board.upperPlans.map((p) => p.title)).toEqual(["2023年青浦区政务公开工作要点"]);
    expect(board.tasks).toHaveLength(28);
    const first = (code: string) => board.tasks.find((t) => t.code === code)?.suggestions[0]?.upperTaskId;
    expect(first("1")).toBe(upper.get("(一)"));
    expect(first("10")).toBe(upper.get("(二)"));
    expect(first("22")).toBe(upper.get("(三)"));
    expect(first("24")).toBe(upper.get("(四)"));
    // The marks show the shared words: 重大行政决策事项目录 in the town's title and the district's.
    const s = board.tasks.find((t) => t.code === "10")?.suggestions[0];
    expect(s?.terms.some((t) => t.includes("重大行政决策事项目录"))).toBe(true);
    const ut = board.upperTasks.find((t) => t.id === upper.get("(二)"));
    const [a, b] = s?.marks.upper.title[0] ?? [0, 0];
    expect(ut?.title.slice(a, b)).toContain("重大行政决策事项目录");
    expect(board.tasks.every((t) => t.decision === null)).toBe(true);
  });

  it("records the office's decisions, and refuses an upper task of a plan not linked", async () => {
    const office = await callerAs(f.db, "office");
    const bad = await outcome(
      office.links.setTasks({
        planId: f.ids.planId,
        decisions: [
          { taskId: town("10"), upperTaskId: upper.get("(二)") as number },
          { taskId: town("9"), upperTaskId: baiheTask },
        ],
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(isChinese(bad.message)).toBe(true);
    expect(await f.db.select().from(taskLinks)).toEqual([]);

    await office.links.setTasks({
      planId: f.ids.planId,
      decisions: [
        { taskId: town("10"), upperTaskId: upper.get("(二)") as number },
        { taskId: town("22"), upperTaskId: upper.get("(三)") as number },
        { taskId: town("26"), upperTaskId: null },
      ],
    });
    const board = await office.links.board({ id: f.ids.planId });
    const decision = (code: string) => board.tasks.find((t) => t.code === code)?.decision;
    expect(decision("10")).toEqual({ upperTaskId: upper.get("(二)") });
    expect(decision("26")).toEqual({ upperTaskId: null });
    expect(decision("1")).toBeNull();
    const audit = await f.db.select().from(auditLog).where(eq(auditLog.action, "task.links"));
    expect(audit).toHaveLength(1);
  });

  it("shows the district which towns took up each task, gaps first, and the town what it left out", async () => {
    const districtOffice = await callerAs(f.db, "qingpu-office");
    const c = await districtOffice.links.coverage({ id: district });
    expect(c.lowerPlans.map((p) => p.id)).toEqual([f.ids.planId]);
    // (一) and (四) were taken up by nobody: they come first.
    expect(c.down.map((d) => [d.task.code, d.took.length, d.missing.length])).toEqual([
      ["(一)", 0, 1],
      ["(四)", 0, 1],
      ["(二)", 1, 0],
      ["(三)", 1, 0],
    ]);
    expect(c.down.find((d) => d.task.code === "(二)")?.took[0]?.tasks.map((t) => t.code)).toEqual(["10"]);
    const office = await callerAs(f.db, "office");
    const up = await office.links.coverage({ id: f.ids.planId });
    expect(up.up[0]?.leftOut.map((t) => t.code)).toEqual(["(一)", "(四)"]);
    expect(up.up[0]?.taskCount).toBe(4);
  });

  it("lets the town read the district's plan only through the links, never edit it; another town sees nothing", async () => {
    const office = await callerAs(f.db, "office");
    expect((await outcome(office.plans.get({ id: district }))).code).toBe("NOT_FOUND");
    expect((await outcome(office.links.coverage({ id: district }))).code).toBe("NOT_FOUND");
    expect(
      (await outcome(office.plans.update({ id: district, year: 2023, title: "改", issuerUnitId: null })))
        .code,
    ).toBe("NOT_FOUND");
    const baihe = await callerAs(f.db, "baihe-office");
    expect((await outcome(baihe.links.board({ id: f.ids.planId }))).code).toBe("NOT_FOUND");
    const choices = await baihe.links.upperChoices({ id: (await baihe.plans.list({})).at(0)?.id as number });
    expect(choices.candidates.map((p) => p.id)).not.toContain(district);
  });

  it("lets the district send a notice down about a linked task; the town's office answers, the district closes", async () => {
    const districtOffice = await callerAs(f.db, "qingpu-office");
    const townOffice = await callerAs(f.db, "office");
    const notice = (taskId: number, n: number) => ({
      taskId,
      level: "supervise" as const,
      content: "请报送这项任务的落实进展和佐证材料。",
      requestKey: `notice-down-${n}`,
    });
    const count = async () => (await f.db.select().from(supervisionNotices)).length;
    const before = await count();
    // Town task 1 carries out no district task; 白鹤镇 is another branch; the town's own task is
    // its own office's to chase: refused in Chinese, nothing written.
    const unlinked = await outcome(districtOffice.supervision.issueDown(notice(town("1"), 1)));
    expect(unlinked.code).toBe("BAD_REQUEST");
    expect(unlinked.message).toContain("没有对标本级");
    expect((await outcome(districtOffice.supervision.issueDown(notice(baiheTask, 2)))).code).toBe(
      "NOT_FOUND",
    );
    const own = await outcome(townOffice.supervision.issueDown(notice(town("10"), 3)));
    expect(own.code).toBe("BAD_REQUEST");
    expect(isChinese(own.message)).toBe(true);
    expect(await count()).toBe(before);

    // Town task 10 carries out the district's (二): the notice goes to the town's office.
    const sent = await districtOffice.supervision.issueDown(notice(town("10"), 4));
    expect(sent).toMatchObject({ unitId: f.ids.gov, toOffice: true, state: "open" });
    const seen = (await townOffice.supervision.list({ limit: 100 })).find((n) => n.id === sent.id);
    expect(seen).toMatchObject({ toOffice: true, taskCode: "10", issuedBy: "青浦区政务公开办" });
    const townNotes = (await townOffice.notifications.list()).items;
    expect(
      townNotes.some(
        (n) => n.title.startsWith("【上级督办】") && n.link === `/supervision?notice=${sent.id}`,
      ),
    ).toBe(true);
    // The town's office answers it; it may not close it, nor may one of its units answer it.
    const closed = await outcome(townOffice.supervision.close({ id: sent.id }));
    expect(closed.code).toBe("BAD_REQUEST");
    expect(closed.message).toContain("由上级办结");
    const unit = await callerAs(f.db, "dangzheng");
    expect((await outcome(unit.supervision.reply({ id: sent.id, reply: "已完成" }))).code).toBe("NOT_FOUND");
    await townOffice.supervision.replyUpper({ id: sent.id, reply: "目录已编制公开,正在按季度动态调整。" });
    const replied = (await districtOffice.notifications.list()).items.find(
      (n) => n.kind === "notice.replied",
    );
    expect(replied?.link).toBe(`/supervision?notice=${sent.id}`);
    const done = await districtOffice.supervision.close({ id: sent.id });
    expect(done?.state).toBe("closed");
  });

  it("drops the task links into an upper plan that is unlinked", async () => {
    const office = await callerAs(f.db, "office");
    await office.links.setUpper({ planId: f.ids.planId, upper: [] });
    const board = await office.links.board({ id: f.ids.planId });
    expect(board.upperPlans).toEqual([]);
    // The "none" decision stays: it was about this plan's task, not about the district's.
    expect(board.tasks.filter((t) => t.decision !== null).map((t) => [t.code, t.decision])).toEqual([
      ["26", { upperTaskId: null }],
    ]);
  });
});
