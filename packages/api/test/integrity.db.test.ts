import { auditChainHead, verifyAuditChain } from "@gongkai/db";
import { auditLog } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture } from "./harness.ts";

/**
 * The audit log's hash chain (issue 16): every row sealed in commit order, parallel writers make
 * one unbroken chain, and each way of tampering someone with the database owner's rights could try
 * (change a row, remove one, slip one in with the chain switched off) is reported with the row.
 */
describe.each(testDbKinds())("audit log hash chain on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("seals every row of the demo's history into one chain that verifies", async () => {
    const unsealed = await f.db.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.hash));
    expect(unsealed).toEqual([]);
    const report = await verifyAuditChain(f.db);
    expect(report.problems).toEqual([]);
    const [count] = await f.db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
    expect(report.rows).toBe(count?.n);
    expect(report.head?.seq).toBe(count?.n);
    expect(report.head?.hash).toMatch(/^[0-9a-f]{64}$/);
    // What the daily job logs as the head is the chain's last row.
    expect(await auditChainHead(f.db)).toEqual(report.head);
  });

  it("keeps one unbroken chain when 40 audited changes are made at once", async () => {
    const admin = await callerAs(f.db, "admin");
    const before = await verifyAuditChain(f.db);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        admin.users.create({
          username: `chain-${i}`,
          displayName: `链测试${i}`,
          role: "evaluator",
          unitId: null,
          password: "Lian#ce-8801x",
        }),
      ),
    );
    const after = await verifyAuditChain(f.db);
    expect(after.problems).toEqual([]);
    expect(after.rows).toBeGreaterThanOrEqual(before.rows + 40);
    // The new rows follow the old head: the chain was extended, not restarted.
    const [next] = await f.db
      .select({ prevHash: auditLog.prevHash })
      .from(auditLog)
      .where(eq(auditLog.seq, (before.head?.seq ?? 0) + 1));
    expect(next?.prevHash).toBe(before.head?.hash);
  });

  it("reports a changed row, a removed row and a row slipped in with the chain off, each by its place", async () => {
    const rows = await f.db
      .select({ id: auditLog.id, seq: auditLog.seq })
      .from(auditLog)
      .orderBy(auditLog.seq);
    const changed = rows[3];
    const removed = rows[7];
    expect(changed && removed).toBeTruthy();
    // What the database owner (not the application's role) could do.
    await f.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await f.db.execute(sql`alter table audit_log disable trigger audit_log_chain`);
    try {
      await f.db.execute(
        sql`update audit_log set after = '{"score": 100}'::jsonb where id = ${changed?.id ?? 0}`,
      );
      await f.db.execute(sql`delete from audit_log where id = ${removed?.id ?? 0}`);
      await f.db.execute(
        sql`insert into audit_log (action, entity_type, entity_id) values ('user.update', 'user', '1')`,
      );
    } finally {
      await f.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      await f.db.execute(sql`alter table audit_log enable trigger audit_log_chain`);
    }
    const report = await verifyAuditChain(f.db);
    expect(report.problems).toContainEqual({ seq: changed?.seq, id: changed?.id, kind: "changed" });
    // The row after the removed one has lost its predecessor: a gap, and a link to a hash not there.
    const afterRemoved = rows[8];
    expect(report.problems).toContainEqual({ seq: afterRemoved?.seq, id: afterRemoved?.id, kind: "gap" });
    expect(report.problems).toContainEqual({ seq: afterRemoved?.seq, id: afterRemoved?.id, kind: "link" });
    expect(report.problems.filter((p) => p.kind === "unsealed")).toHaveLength(1);
    expect(report.problems).toHaveLength(4);
  });
});
