import {
  createPlan,
  createTask,
  createUnit,
  createUser,
  setPlanStatus,
  setTaskLinks,
  setUpperPlans,
  systemActor,
  updateUnit,
} from "@gongkai/db";
import { testDbKinds } from "@gongkai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome, type TestCaller } from "./harness.ts";

/**
 * Roll-up for the upper office (issue 17, item 4). 青浦区 is put above 徐泾镇 (the demo town) and
 * 白鹤镇; its 2023 plan has two tasks, D1 and D2. Each town links a plan of its own to it:
 *
 * - 徐泾镇 X1 → D1, due 6月30日前: approved as done (a cooperating village on it is not counted);
 *   X2 → D2, no deadline: only a draft report (saying done) — on track;
 *   X3 → D2, due 6月30日前: a report submitted, not reviewed — overdue, awaiting review.
 * - 白鹤镇 B1 → D1, due 年底前: approved as done; B2 → "no upper task": approved as done, not counted;
 *   B3 → D2, 每季度至少公开1次: approved reports in Q1 and Q2, Q3 still open — on track.
 * - Not counted either: a 徐泾镇 plan not linked to the district (its task approved as done), and a
 *   徐泾镇 draft plan linked task by task.
 *
 * Today is 2023-07-01 (the harness's clock).
 */
const pick = (unitIds: number[]) => ({ unitIds, groupIds: [] });
const evidence = {
  links: [{ url: "https://www.shqp.gov.cn/xxgk/2023.html", title: "公开页面" }],
  fileIds: [],
};
type Row = { code: string; lead: number[]; cooperating?: number[]; phrase?: string };

describe.each(testDbKinds())("roll-up for the upper office on %s", (kind) => {
  let f: Fixture;
  let district: number;
  let districtId: number;
  let jiadingId: number;
  const t: Record<string, number> = {};
  let keys = 0;

  /** A report saved, and submitted and approved as far as asked, through the API callers. */
  async function report(
    unit: TestCaller,
    office: TestCaller | null,
    taskId: number,
    r: { period: string; status: "done" | "inProgress"; occurredOn?: string; submit: boolean },
  ) {
    const saved = await unit.reports.save({
      taskId,
      period: r.period,
      status: r.status,
      percent: r.status === "done" ? 100 : 50,
      summary: r.status === "done" ? "已按要求完成并公开。" : "正在推进,已完成部分内容。",
      ...(r.occurredOn ? { occurredOn: r.occurredOn } : {}),
      evidence,
    });
    if (!r.submit) return;
    const sent = await unit.reports.submit({
      reportId: saved.id,
      version: saved.version,
      submissionKey: `rollup-key-${String(++keys).padStart(4, "0")}`,
    });
    if (office)
      await office.reports.review({ reportId: saved.id, revision: sent.revision, decision: "approve" });
  }

  beforeAll(async () => {
    f = await createFixture(kind);
    const db = f.db;
    const qingpu = await createUnit(db, systemActor, {
      parentId: null,
      name: "青浦区人民政府",
      kind: "government",
    });
    districtId = qingpu.id;
    await updateUnit(db, systemActor, f.ids.gov, {
      parentId: qingpu.id,
      name: "徐泾镇人民政府",
      kind: "town",
    });
    await updateUnit(db, systemActor, f.ids.otherGov, {
      parentId: qingpu.id,
      name: "白鹤镇人民政府",
      kind: "town",
    });
    const jiading = await createUnit(db, systemActor, {
      parentId: null,
      name: "嘉定区人民政府",
      kind: "government",
    });
    jiadingId = jiading.id;
    for (const [username, unitId, displayName] of [
      ["qingpu-office", qingpu.id, "青浦区政务公开办"],
      ["jiading-office", jiading.id, "嘉定区政务公开办"],
    ] as const) {
      await createUser(db, systemActor, {
        username,
        password: "Office@2026",
        displayName,
        role: "office",
        unitId,
      });
    }

    const plan = async (issuerUnitId: number, title: string, rows: Row[], publish = true) => {
      const p = await createPlan(db, systemActor, { year: 2023, title, issuerUnitId });
      for (const r of rows) {
        t[r.code] = (
          await createTask(db, systemActor, p.id, {
            sectionId: null,
            code: r.code,
            title: `${title}·${r.code}`,
            content: "",
            category: null,
            units: { lead: pick(r.lead), cooperating: pick(r.cooperating ?? []), responsible: pick([]) },
            deadlines: r.phrase ? [{ phrase: r.phrase }] : [],
          })
        ).id;
      }
      if (publish) await setPlanStatus(db, systemActor, p.id, "published");
      return p.id;
    };
    // The district's own department leads its tasks: the upper plan's own work is not part of its roll-up.
    const districtOffice = await createUnit(db, systemActor, {
      parentId: qingpu.id,
      name: "青浦区人民政府办公室",
      kind: "department",
    });
    district = await plan(qingpu.id, "2023年青浦区政务公开工作要点", [
      { code: "D1", lead: [districtOffice.id] },
      { code: "D2", lead: [districtOffice.id] },
    ]);
    const xj = f.ids.dangzheng;
    const bh = f.ids.otherDept;
    const xPlan = await plan(f.ids.gov, "徐泾镇2023年政务公开工作安排", [
      { code: "X1", lead: [xj], cooperating: [f.ids.qianming], phrase: "6月30日前" },
      { code: "X2", lead: [xj] },
      { code: "X3", lead: [xj], phrase: "6月30日前" },
    ]);
    t.xPlan = xPlan;
    const bPlan = await plan(f.ids.otherGov, "白鹤镇2023年政务公开工作要点", [
      { code: "B1", lead: [bh], phrase: "年底前" },
      { code: "B2", lead: [bh], phrase: "3月31日前" },
      { code: "B3", lead: [bh], phrase: "每季度至少公开1次" },
    ]);
    await plan(f.ids.gov, "徐泾镇2023年信息公开专项安排", [{ code: "Y1", lead: [xj] }]);
    const zPlan = await plan(
      f.ids.gov,
      "徐泾镇2023年政务公开工作安排(修订稿)",
      [{ code: "Z1", lead: [xj] }],
      false,
    );

    const office = await callerAs(db, "office");
    const baiheOffice = await callerAs(db, "baihe-office");
    for (const [caller, planId, decisions] of [
      [
        office,
        xPlan,
        [
          ["X1", "D1"],
          ["X2", "D2"],
          ["X3", "D2"],
        ],
      ],
      [office, zPlan, [["Z1", "D1"]]],
      [
        baiheOffice,
        bPlan,
        [
          ["B1", "D1"],
          ["B2", null],
          ["B3", "D2"],
        ],
      ],
    ] as const) {
      await caller.links.setUpper({ planId, upper: [{ planId: district }] });
      await caller.links.setTasks({
        planId,
        decisions: decisions.map(([lower, upper]) => ({
          taskId: t[lower] as number,
          upperTaskId: upper === null ? null : (t[upper] as number),
        })),
      });
    }

    const xUnit = await callerAs(db, "dangzheng");
    const bUnit = await callerAs(db, "baihe-unit");
    await report(xUnit, office, t.X1 as number, { period: "2023-Q2", status: "done", submit: true });
    await report(xUnit, null, t.X2 as number, { period: "2023-Q2", status: "done", submit: false });
    await report(xUnit, null, t.X3 as number, { period: "2023-Q2", status: "inProgress", submit: true });
    await report(xUnit, office, t.Y1 as number, { period: "2023-Q2", status: "done", submit: true });
    await report(bUnit, baiheOffice, t.B1 as number, { period: "2023-Q2", status: "done", submit: true });
    await report(bUnit, baiheOffice, t.B2 as number, { period: "2023-Q1", status: "done", submit: true });
    for (const [period, occurredOn] of [
      ["2023-Q1", "2023-02-15"],
      ["2023-Q2", "2023-05-15"],
    ] as const) {
      await report(bUnit, baiheOffice, t.B3 as number, {
        period,
        status: "inProgress",
        occurredOn,
        submit: true,
      });
    }
  });
  afterAll(() => f?.database.drop());

  const zero = { done: 0, onTrack: 0, dueSoon: 0, overdue: 0, assignments: 0, awaitingReview: 0, tasks: 0 };

  it("counts the towns' approved work per task and town, drafts and unlinked plans left out", async () => {
    const qingpu = await callerAs(f.db, "qingpu-office");
    const r = await qingpu.links.rollup({ planId: district });
    expect(r.asOf).toBe("2023-07-01");
    expect(r.region).toMatchObject({ id: districtId, name: "青浦区人民政府", isIssuer: true });
    expect(r.trail).toEqual([{ id: districtId, name: "青浦区人民政府" }]);
    // No plan of the district's own below its plan: one column per town, none for 本级.
    expect(r.regions.map((x) => [x.name, x.own])).toEqual([
      ["徐泾镇人民政府", false],
      ["白鹤镇人民政府", false],
    ]);
    const [d1, d2] = r.tasks;
    expect(d1?.code).toBe("D1");
    // D1: X1 done (its cooperating village not counted), B1 done; Z1's plan is a draft.
    expect(d1?.cells[0]).toMatchObject({ ...zero, done: 1, assignments: 1, tasks: 1, completionRate: 1 });
    expect(d1?.cells[1]).toMatchObject({ ...zero, done: 1, assignments: 1, tasks: 1 });
    // D2: X2 on track (its report only a draft), X3 overdue with its report awaiting review; B3 on track.
    expect(d2?.cells[0]).toMatchObject({
      ...zero,
      onTrack: 1,
      overdue: 1,
      assignments: 2,
      awaitingReview: 1,
      tasks: 2,
    });
    expect(d2?.cells[1]).toMatchObject({ ...zero, onTrack: 1, assignments: 1, tasks: 1 });
    expect(d2?.total).toMatchObject({
      ...zero,
      onTrack: 2,
      overdue: 1,
      assignments: 3,
      awaitingReview: 1,
      tasks: 3,
    });
    // B2 ("no upper task") and Y1 (plan not linked) counted nowhere: 5 assignments in all.
    expect(r.total).toMatchObject({ done: 2, onTrack: 2, dueSoon: 0, overdue: 1, assignments: 5, tasks: 5 });
    expect(r.regionTotals[0]).toMatchObject({ done: 1, onTrack: 1, overdue: 1, assignments: 3, tasks: 3 });
  });

  it("drills down into a town: its own plan as 本级, the breadcrumb from the district", async () => {
    const qingpu = await callerAs(f.db, "qingpu-office");
    const r = await qingpu.links.rollup({ planId: district, regionId: f.ids.gov });
    expect(r.trail.map((x) => x.name)).toEqual(["青浦区人民政府", "徐泾镇人民政府"]);
    expect(r.regions).toEqual([{ id: f.ids.gov, name: "徐泾镇人民政府", own: true, drillable: false }]);
    expect(r.tasks.map((x) => x.cells[0]?.assignments)).toEqual([1, 2]);
    expect(r.total).toMatchObject({ done: 1, onTrack: 1, overdue: 1, assignments: 3 });
  });

  it("shows a report once approved: X3's approval turns its overdue into done", async () => {
    const office = await callerAs(f.db, "office");
    const queue = await office.reports.queue({});
    const x3 = queue.find((q) => q.taskId === t.X3);
    expect(x3).toBeDefined();
    await office.reports.review({ reportId: x3?.id as number, revision: 1, decision: "approve" });
    const qingpu = await callerAs(f.db, "qingpu-office");
    const r = await qingpu.links.rollup({ planId: district });
    // X3 reported "in progress", approved: still overdue (not done), no longer awaiting review.
    expect(r.tasks[1]?.cells[0]).toMatchObject({ onTrack: 1, overdue: 1, awaitingReview: 0 });
  });

  it("shows another branch's office and a lower office nothing, and refuses a region outside the plan's", async () => {
    const jiading = await callerAs(f.db, "jiading-office");
    const other = await outcome(jiading.links.rollup({ planId: district }));
    expect(other.code).toBe("NOT_FOUND");
    expect(isChinese(other.message)).toBe(true);
    const town = await callerAs(f.db, "office");
    expect((await outcome(town.links.rollup({ planId: district }))).code).toBe("NOT_FOUND");
    const qingpu = await callerAs(f.db, "qingpu-office");
    expect((await outcome(qingpu.links.rollup({ planId: district, regionId: jiadingId }))).code).toBe(
      "NOT_FOUND",
    );
    // A unit account has no roll-up at all.
    expect((await outcome((await callerAs(f.db, "dangzheng")).links.rollup({ planId: district }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("refuses input that names no plan, in Chinese", async () => {
    const qingpu = await callerAs(f.db, "qingpu-office");
    const bad = await outcome(qingpu.links.rollup({ planId: 0 }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(isChinese(bad.message)).toBe(true);
  });

  it("follows the links through three levels, and drops what a plan on the way no longer passes up", async () => {
    // 钱明村 (under 徐泾镇) carries out the town's X1 with V1, due 6月30日前 and unreported: overdue.
    const db = f.db;
    const village = await createPlan(db, systemActor, {
      year: 2023,
      title: "钱明村2023年村务公开工作安排",
      issuerUnitId: f.ids.qianming,
    });
    const v1 = await createTask(db, systemActor, village.id, {
      sectionId: null,
      code: "V1",
      title: "钱明村·V1",
      content: "",
      category: null,
      units: { lead: pick([f.ids.qianming]), cooperating: pick([]), responsible: pick([]) },
      deadlines: [{ phrase: "6月30日前" }],
    });
    await setPlanStatus(db, systemActor, village.id, "published");
    await setUpperPlans(db, systemActor, { planId: village.id, upper: [{ planId: t.xPlan as number }] });
    await setTaskLinks(db, systemActor, {
      planId: village.id,
      decisions: [{ taskId: v1.id, upperTaskId: t.X1 as number }],
    });
    const qingpu = await callerAs(db, "qingpu-office");
    const d1AtTown = async () => (await qingpu.links.rollup({ planId: district })).tasks[0]?.cells[0];
    expect(await d1AtTown()).toMatchObject({ ...zero, done: 1, overdue: 1, assignments: 2, tasks: 2 });

    // The town's plan back to a draft: neither its X1 nor the village's V1 below it counts.
    await setPlanStatus(db, systemActor, t.xPlan as number, "draft");
    expect(await d1AtTown()).toMatchObject({ ...zero, assignments: 0, tasks: 0 });
    await setPlanStatus(db, systemActor, t.xPlan as number, "published");
    expect(await d1AtTown()).toMatchObject({ tasks: 2 });

    // X1 now carries out no district task: V1's chain ends at X1, and neither counts.
    await setTaskLinks(db, systemActor, {
      planId: t.xPlan as number,
      decisions: [{ taskId: t.X1 as number, upperTaskId: null }],
    });
    expect(await d1AtTown()).toMatchObject({ ...zero, assignments: 0, tasks: 0 });
  });
});
