import { eq, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoClock, demoYearAt } from "../src/demo/clock.ts";
import { listNotifications, planLights, runDailyJobs, seedDemoIfEmpty, systemActor } from "../src/index.ts";
import {
  assessmentSchemes,
  deadlines,
  evaluationProjects,
  plans,
  progressReports,
  reportReviews,
  supervisionNotices,
  tasks,
  users,
} from "../src/schema/index.ts";
import { createTestDatabase, type TestDatabase, testDbKinds } from "../src/testing.ts";

/**
 * A newcomer starts the app on some day; the demo (the real 2023 plan of 徐泾镇 and a year of work
 * written for it) must then be that year's, done up to that day, so that its lights and reminders
 * mean something. Expectations are read from the demo's source: the filings in demo/reports.ts,
 * the breakdown in demo/plan-2023.ts (tasks 7, 15 and 20 report every quarter).
 */
describe("the demo's calendar", () => {
  it("lives in this year from March, in the year just ended in January and February (China time)", () => {
    expect(demoYearAt(new Date("2026-12-07T09:00:00+08:00"))).toBe(2026);
    expect(demoYearAt(new Date("2026-03-01T00:30:00+08:00"))).toBe(2026);
    expect(demoYearAt(new Date("2026-02-28T23:59:00+08:00"))).toBe(2025);
    expect(demoYearAt(new Date("2027-01-15T09:00:00+08:00"))).toBe(2026);
    // 16:30 UTC on 28 February is already 1 March in China.
    expect(demoYearAt(new Date("2026-02-28T16:30:00Z"))).toBe(2026);
  });

  it("moves the document's years in dates, periods and text, and leaves other numbers alone", () => {
    const clock = demoClock({ year: 2026, asOf: new Date("2026-12-07T09:00:00+08:00") });
    expect(clock.date("2023-03-31")).toBe("2026-03-31");
    expect(clock.date("2023-Q4")).toBe("2026-Q4");
    expect(clock.date("2022-11-15")).toBe("2025-11-15");
    expect(clock.text("徐府〔2023〕32号")).toBe("徐府〔2026〕32号");
    expect(clock.text("预计2024年3月完成,不超过2000字")).toBe("预计2027年3月完成,不超过2000字");
    expect(clock.text("见 https://x.gov.cn/2023ml.html")).toBe("见 https://x.gov.cn/2023ml.html");
    expect(clock.happened("2023-12-06T10:00:00+08:00")).toBe(true);
    expect(clock.happened("2023-12-08T10:00:00+08:00")).toBe(false);
    expect(clock.daySoFar("2023-12-22")).toBe("2026-12-07");
    // Without a year the demo keeps the document's, and everything happens.
    const plain = demoClock();
    expect(plain.text("徐府〔2023〕32号")).toBe("徐府〔2023〕32号");
    expect(plain.happened("2099-01-01T00:00:00Z")).toBe(true);
  });
});

describe.each(testDbKinds())("a first start on 7 December 2026 on %s", (kind) => {
  const asOf = new Date("2026-12-07T09:00:00+08:00");
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    expect(await seedDemoIfEmpty(database.db, undefined, asOf)).toBe(true);
  }, 120_000);
  afterAll(() => database?.drop());

  it("loads this year's plan, its text and deadlines moved to 2026", async () => {
    const { db } = database;
    const [plan] = await db.select().from(plans);
    expect(plan).toMatchObject({
      year: 2026,
      title: "关于徐泾镇2026年政务公开工作要点",
      docNumber: "徐府〔2026〕32号",
      publishDate: "2026-06-07",
    });
    const rows = await db
      .select()
      .from(tasks)
      .where(eq(tasks.planId, plan?.id ?? 0));
    expect(rows).toHaveLength(28);
    expect(rows.filter((t) => t.content.includes("2023年"))).toEqual([]);
    const t10 = rows.find((t) => t.code === "10");
    const [d10] = await db
      .select()
      .from(deadlines)
      .where(eq(deadlines.taskId, t10?.id ?? 0));
    expect(d10?.dueDate).toBe("2026-03-31");
    // Last year's assessment and evaluation are 2025's; this year's are under way.
    expect((await db.select().from(assessmentSchemes)).map((s) => s.year).sort()).toEqual([2025, 2026]);
    expect((await db.select().from(evaluationProjects)).map((p) => p.name).sort()).toEqual([
      "2025年度徐泾镇政务公开第三方评估",
      "2026年度徐泾镇政务公开第三方评估",
    ]);
  });

  it("holds nothing that happens after the day it was loaded", async () => {
    const { db } = database;
    const [r] = await db.select({ at: max(progressReports.submittedAt) }).from(progressReports);
    const [v] = await db.select({ at: max(reportReviews.at) }).from(reportReviews);
    const [n] = await db.select({ at: max(supervisionNotices.issuedAt) }).from(supervisionNotices);
    for (const at of [r?.at, v?.at, n?.at])
      expect(new Date(at ?? 0).getTime()).toBeLessThanOrEqual(asOf.getTime());
    // The filings up to 7 December: the December ones (8th to 21st) have not been written yet.
    expect(r?.at && new Date(r.at).toISOString()).toBe(new Date("2026-11-22T15:00:00+08:00").toISOString());
  });

  it("shows this year's lights: the report due each quarter is late, task 10 done in March", async () => {
    const { db } = database;
    const [plan] = await db.select().from(plans);
    const lights = await planLights(db, systemActor, plan?.id ?? 0, asOf);
    const of = (code: string, unit: string) =>
      lights.find((l) => l.code === code && l.unitName === unit && l.role !== "cooperating")?.light;
    expect(of("10", "党政办公室")).toBe("done");
    // 20 (党政办) and 15 (城运中心) have no report in the first three quarters; 7 (营商办) had
    // its third-quarter report returned.
    expect(of("20", "党政办公室")).toBe("overdue");
    expect(of("15", "城市运行管理中心")).toBe("overdue");
    expect(of("7", "营商环境办公室")).toBe("overdue");
    expect(lights.filter((l) => l.light === "overdue" && l.role !== "cooperating")).toHaveLength(3);
  });

  it("the first daily job reminds of this year's late work only, escalates nothing, and a unit starts with what it must act on", async () => {
    const { db } = database;
    const result = await runDailyJobs(db, asOf);
    expect(result).toMatchObject({ reminders: 3, escalated: 0 });
    const [dangzheng] = await db.select().from(users).where(eq(users.username, "dangzheng"));
    const list = await listNotifications(db, { id: dangzheng?.id ?? 0, unitId: dangzheng?.unitId ?? null });
    const unread = list.items.filter((i) => !i.readAt).map((i) => i.title);
    expect(unread.sort()).toEqual(
      ["【提醒】持续扩大政府开放活动影响力", "任务已逾期:强化重点政府信息管理"].sort(),
    );
    expect(list.unread).toBe(2);
    // What it was told earlier in the year is there, read, and its periods are in Chinese.
    expect(list.items.map((i) => i.title)).toContain(
      "「扎实推进重大行政决策事项目录管理」2026年第一季度进展报告已通过审核",
    );
  });
});

describe.each(testDbKinds())("a first start in January 2027 on %s", (kind) => {
  const asOf = new Date("2027-01-15T09:00:00+08:00");
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemoIfEmpty(database.db, undefined, asOf);
  }, 120_000);
  afterAll(() => database?.drop());

  it("shows the year just ended, all of its work done by then", async () => {
    const { db } = database;
    const [plan] = await db.select().from(plans);
    expect(plan?.year).toBe(2026);
    const reports = await db.select().from(progressReports);
    // Every filing of demo/reports.ts, the last on 21 December.
    expect(reports.some((r) => r.period === "2026-Q4" && r.percent === 70)).toBe(true);
    const [n] = await db.select({ at: max(supervisionNotices.repliedAt) }).from(supervisionNotices);
    expect(new Date(n?.at ?? 0).toISOString()).toBe(new Date("2026-12-26T15:00:00+08:00").toISOString());
  });
});
