import { auditLog, deadlines, plans, tasks } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome, taskIdsByCode } from "./harness.ts";

/**
 * 接续 (issue 17, item 6): the office starts 2024 from the demo's 2023 plan. On the fixture's day
 * (1 July 2023) 党政办公室 has finished task 10 (its report approved); 前明村 has not reported on
 * task 22, which all villages answer for; the rest has no approved report.
 */
describe.each(testDbKinds())("carrying a plan into the next year on %s", (kind) => {
  let f: Fixture;
  let task: (code: string) => number;
  beforeAll(async () => {
    f = await createFixture(kind);
    const office = await callerAs(f.db, "office");
    task = await taskIdsByCode(f.db, f.ids.planId);
    const unit = await callerAs(f.db, "dangzheng");
    const draft = await unit.reports.save({
      taskId: task("10"),
      period: "2023-Q1",
      status: "done",
      percent: 100,
      summary: "重大行政决策事项目录已于3月28日公开。",
      evidence: {
        links: [{ url: "https://www.shqp.gov.cn/xujing/zwgk/zdjc/2023ml.html", title: "公开页面" }],
        fileIds: [],
      },
    });
    const r = await unit.reports.submit({
      reportId: draft.id,
      version: draft.version,
      submissionKey: "carry-10",
    });
    await office.reports.review({ reportId: r.id, revision: r.revision, decision: "approve", reason: null });
  });
  afterAll(() => f?.database.drop());

  it("previews the unfinished tasks with the units still owing work, and the finished ones for 回头看", async () => {
    const office = await callerAs(f.db, "office");
    const p = await office.plans.carryPreview({ id: f.ids.planId });
    expect(p.year).toBe(2024);
    expect(p.suggestedTitle).toBe("关于徐泾镇2024年政务公开工作要点");
    expect(p.finished.map((t) => t.code)).toEqual(["10"]);
    expect(p.finished[0]?.deadlines).toEqual([{ phrase: "3月31日前", dueDate: "2024-03-31" }]);
    const t22 = p.unfinished.find((t) => t.code === "22");
    // 社区办 leads, the 14 villages and residents' committees answer for it: none has finished.
    expect(t22?.notDone).toHaveLength(15);
    expect(t22?.notDone.map((u) => u.unitName)).toContain("前明村村民委员会");
    expect(p.unfinished).toHaveLength(27);
  });

  it("starts the new year's draft plan from the tasks picked, linked to where they came from", async () => {
    const office = await callerAs(f.db, "office");
    const created = await office.plans.carryForward({
      fromPlanId: f.ids.planId,
      year: 2024,
      title: "关于徐泾镇2024年政务公开工作要点",
      continueTaskIds: [task("22"), task("13")],
      revisitTaskIds: [task("10")],
      requestKey: "carry-2024",
    });
    expect(created).toMatchObject({ year: 2024, status: "draft" });
    const detail = await office.plans.get({ id: created.id });
    expect(detail.tasks.map((t) => [t.code, t.carryKind, t.carriedFrom?.code, t.carriedFrom?.year])).toEqual([
      ["13", "continued", "13", 2023],
      ["22", "continued", "22", 2023],
      ["10", "revisit", "10", 2023],
    ]);
    // Units come along as they were picked: the group 各村(居) stays one group of 14.
    const t22 = detail.tasks.find((t) => t.code === "22");
    expect(
      t22?.assignments.filter((a) => a.role === "responsible" && a.groupName === "各村(居)"),
    ).toHaveLength(14);
    // 年内…不少于1次 stays a yearly rule; 回头看 is in a section of its own, without last year's date.
    const t13 = detail.tasks.find((t) => t.code === "13");
    expect(t13?.deadlines.map((d) => [d.kind, d.phrase])).toEqual([
      ["recurring", "年内邀请公众代表列席本单位决策会议不少于1次"],
    ]);
    const t10 = detail.tasks.find((t) => t.code === "10");
    expect(t10?.deadlines).toEqual([]);
    expect(detail.sections.find((s) => s.id === t10?.sectionId)?.title).toBe("2023年任务回头看");
    // A second click answers with the same plan.
    const again = await office.plans.carryForward({
      fromPlanId: f.ids.planId,
      year: 2024,
      title: "关于徐泾镇2024年政务公开工作要点",
      continueTaskIds: [task("22"), task("13")],
      revisitTaskIds: [task("10")],
      requestKey: "carry-2024",
    });
    expect(again.id).toBe(created.id);
    const [entry] = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "plan.carryForward"), eq(auditLog.entityId, String(created.id))));
    expect(entry).toBeDefined();
  });

  it("moves a dated deadline of a continued task to the new year", async () => {
    const office = await callerAs(f.db, "office");
    // Task 10 had 3月31日前 in 2023; continued into 2025 it is due 2025-03-31.
    const created = await office.plans.carryForward({
      fromPlanId: f.ids.planId,
      year: 2025,
      title: "2025年要点",
      continueTaskIds: [task("10")],
      revisitTaskIds: [],
    });
    const [t] = await f.db.select().from(tasks).where(eq(tasks.planId, created.id));
    const [d] = await f.db
      .select()
      .from(deadlines)
      .where(eq(deadlines.taskId, t?.id ?? 0));
    expect(d).toMatchObject({ phrase: "3月31日前", kind: "by", dueDate: "2025-03-31" });
  });

  it("refuses what cannot be carried with a Chinese message, and creates nothing", async () => {
    const office = await callerAs(f.db, "office");
    const count = async () => (await f.db.select({ n: sql<number>`count(*)::int` }).from(plans))[0]?.n;
    const before = await count();
    const cases = [
      { year: 2023, continueTaskIds: [task("1")], revisitTaskIds: [], says: "晚于原计划" },
      { year: 2024, continueTaskIds: [], revisitTaskIds: [], says: "至少勾选" },
      { year: 2024, continueTaskIds: [task("1")], revisitTaskIds: [task("1")], says: "既延续又回头看" },
      { year: 2024, continueTaskIds: [999999], revisitTaskIds: [], says: "不属于原计划" },
    ];
    for (const c of cases) {
      const r = await outcome(
        office.plans.carryForward({ fromPlanId: f.ids.planId, title: "2024年要点", ...c }),
      );
      expect(r.code, c.says).toBe("BAD_REQUEST");
      expect(r.message).toContain(c.says);
      expect(isChinese(r.message)).toBe(true);
    }
    expect(await count()).toBe(before);
    // Another town's office cannot read or carry 徐泾镇's plan.
    const other = await callerAs(f.db, "baihe-office");
    expect((await outcome(other.plans.carryPreview({ id: f.ids.planId }))).code).toBe("NOT_FOUND");
    expect(
      (
        await outcome(
          other.plans.carryForward({
            fromPlanId: f.ids.planId,
            year: 2024,
            title: "x",
            continueTaskIds: [task("1")],
            revisitTaskIds: [],
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(await count()).toBe(before);
  });
});
