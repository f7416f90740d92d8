import { auditLog, progressReports, reportReviews } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome, taskIdsByCode } from "./harness.ts";

/**
 * 批量通过 (issue 15): the office approves many submitted reports in one call, each reviewed as the
 * single 通过 reviews it (a review row, an audit row, a notification), all or none, once per key.
 */
describe.each(testDbKinds())("bulk approval of reports on %s", (kind) => {
  let f: Fixture;
  let task: (code: string) => number;
  beforeAll(async () => {
    f = await createFixture(kind);
    task = await taskIdsByCode(f.db, f.ids.planId);
  });
  afterAll(() => f?.database.drop());

  /** 党政办公室 submits a report for a task and period: the queue's row for it. */
  async function submitted(code: string, period: string) {
    const unit = await callerAs(f.db, "dangzheng");
    const draft = await unit.reports.save({
      taskId: task(code),
      period,
      status: "inProgress",
      percent: 60,
      summary: `任务 ${code} ${period} 进展(批量审核测试)。`,
      evidence: { links: [], fileIds: [] },
    });
    const r = await unit.reports.submit({
      reportId: draft.id,
      version: draft.version,
      submissionKey: `bulk-${kind}-${code}-${period}`,
    });
    return { reportId: r.id, revision: r.revision };
  }
  const stateOf = async (ids: number[]) =>
    (
      await f.db
        .select({ id: progressReports.id, state: progressReports.state })
        .from(progressReports)
        .where(inArray(progressReports.id, ids))
    )
      .sort((a, b) => a.id - b.id)
      .map((r) => r.state);

  it("approves three reports in one call, each with its review and audit row", async () => {
    const items = [
      await submitted("10", "2023-Q2"),
      await submitted("12", "2023-Q2"),
      await submitted("13", "2023-Q2"),
    ];
    const office = await callerAs(f.db, "office");
    const done = await office.reports.reviewMany({
      items,
      decision: "approve",
      reason: "材料齐全。",
      requestKey: `bulk-three-${kind}`,
    });
    const ids = items.map((i) => i.reportId);
    expect(done.reportIds).toEqual(ids);
    expect(await stateOf(ids)).toEqual(["approved", "approved", "approved"]);
    for (const id of ids) {
      const reviews = await f.db.select().from(reportReviews).where(eq(reportReviews.reportId, id));
      expect(reviews.map((r) => [r.decision, r.reason, r.revision])).toEqual([["approve", "材料齐全。", 1]]);
      const audit = await f.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, "report"), eq(auditLog.entityId, String(id))));
      expect(audit.filter((a) => a.action === "report.approve")).toHaveLength(1);
    }
    const queue = await office.reports.queue({});
    expect(queue.filter((q) => ids.includes(q.id))).toEqual([]);
  });

  it("approves none when one report was resubmitted since it was listed, naming that report", async () => {
    const a = await submitted("10", "2023-Q3");
    const b = await submitted("12", "2023-Q3");
    const office = await callerAs(f.db, "office");
    const refused = await outcome(
      office.reports.reviewMany({
        items: [a, { ...b, revision: b.revision + 1 }],
        decision: "approve",
        requestKey: `bulk-stale-${kind}`,
      }),
    );
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("任务 12");
    expect(refused.message).toContain("党政办公室");
    expect(refused.message).toContain("请刷新列表");
    expect(await stateOf([a.reportId, b.reportId])).toEqual(["submitted", "submitted"]);
    expect(
      await f.db
        .select()
        .from(reportReviews)
        .where(inArray(reportReviews.reportId, [a.reportId, b.reportId])),
    ).toEqual([]);

    // Nor may another town's office approve them, nor a unit, nor the same report twice in a call.
    const other = await callerAs(f.db, "baihe-office");
    const outside = await outcome(other.reports.reviewMany({ items: [a], decision: "approve" }));
    expect(outside.code).toBe("NOT_FOUND");
    expect(outside.message).toContain("管辖范围");
    const unit = await callerAs(f.db, "dangzheng");
    expect((await outcome(unit.reports.reviewMany({ items: [a], decision: "approve" }))).code).toBe(
      "FORBIDDEN",
    );
    const twice = await outcome(office.reports.reviewMany({ items: [a, a], decision: "approve" }));
    expect(twice.code).toBe("BAD_REQUEST");
    expect(twice.message).toContain("重复");
    expect(await stateOf([a.reportId, b.reportId])).toEqual(["submitted", "submitted"]);
  });

  it("approves once for the same request key sent twice, answering both alike", async () => {
    const items = [await submitted("10", "2023-Q1"), await submitted("12", "2023-Q1")];
    const office = await callerAs(f.db, "office");
    const input = { items, decision: "approve" as const, requestKey: `bulk-twice-${kind}` };
    const first = await office.reports.reviewMany(input);
    const second = await office.reports.reviewMany(input);
    expect(second).toEqual(first);
    const ids = items.map((i) => i.reportId);
    expect(await stateOf(ids)).toEqual(["approved", "approved"]);
    expect(await f.db.select().from(reportReviews).where(inArray(reportReviews.reportId, ids))).toHaveLength(
      2,
    );
  });
});
