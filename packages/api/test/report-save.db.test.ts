import { progressReports } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";

/**
 * 保存草稿 on a bad line (issue 15): the answer to a save is lost and the browser sends it again.
 * With the save's key the second request answers with the first's draft instead of a conflict
 * that blames the user's own first try; without a key, the same version twice stays a conflict.
 */
describe.each(testDbKinds())("a retried save on %s", (kind) => {
  let f: Fixture;
  let taskId: number;
  beforeAll(async () => {
    f = await createFixture(kind);
    const detail = await (await callerAs(f.db, "office")).plans.get({ id: f.ids.planId });
    taskId = detail.tasks.find((t) => t.code === "13")?.id ?? 0;
  });
  afterAll(() => f?.database.drop());

  const input = (summary: string) => ({
    taskId,
    period: "2023-Q2",
    status: "inProgress" as const,
    percent: 40,
    summary,
    evidence: { links: [], fileIds: [] },
  });

  it("saves once when the same save arrives twice with its key", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const first = await unit.reports.save({
      ...input("已邀请公众代表列席决策会议1次。"),
      requestKey: "save-key-0001",
    });
    const edit = { ...input("已邀请公众代表列席决策会议2次。"), version: first.version };
    const a = await unit.reports.save({ ...edit, requestKey: "save-key-0002" });
    const b = await unit.reports.save({ ...edit, requestKey: "save-key-0002" });
    expect(b.id).toBe(a.id);
    expect(b.version).toBe(a.version);
    const [row] = await f.db.select().from(progressReports).where(eq(progressReports.id, a.id));
    expect(row).toMatchObject({ version: first.version + 1, summary: "已邀请公众代表列席决策会议2次。" });
    // Without the key the second arrival of one version is refused, naming the conflict.
    const c = await outcome(unit.reports.save({ ...input("第三次"), version: first.version }));
    expect(c.code).toBe("CONFLICT");
  });
});
