import { auditChainHead, sealAuditLog, startAuditSealer, verifyAuditChain } from "@gongkai/db";
import { auditLog } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture } from "./harness.ts";

/**
 * The audit log's hash chain (issue 16): every committed row sealed into it, parallel writers make
 * one unbroken chain, and each way of tampering someone with the database owner's rights could try
 * (change a row, remove one, slip one in with a place in the chain made up) is reported with the row.
 */
describe.each(testDbKinds())("audit log hash chain on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("seals every row of the demo's history into one chain that verifies", async () => {
    // Rows join the chain after their commit, in batches: sealing once takes every committed row.
    const sealed = await sealAuditLog(f.db, { wait: true, batch: 50 });
    expect(sealed).toBeGreaterThan(50);
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

  it("seals new rows within a second of their commit while two processes' sealers run at once", async () => {
    const sealers = [startAuditSealer(f.db, 200), startAuditSealer(f.db, 250)];
    try {
      const admin = await callerAs(f.db, "admin");
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          admin.users.create({
            username: `sealed-${i}`,
            displayName: `封存测试${i}`,
            role: "evaluator",
            unitId: null,
            password: "Feng#cun-8801x",
          }),
        ),
      );
      // Waits for the state (every row sealed), not for a time.
      await expect
        .poll(
          async () =>
            (await f.db.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.hash))).length,
          { timeout: 10_000, interval: 100 },
        )
        .toBe(0);
    } finally {
      await Promise.all(sealers.map((stop) => stop()));
    }
    const report = await verifyAuditChain(f.db);
    expect(report.problems).toEqual([]);
  });

  it("reports a changed row, a removed row and a row slipped in with a made-up place, each by its place", async () => {
    await sealAuditLog(f.db, { wait: true });
    const rows = await f.db
      .select({ id: auditLog.id, seq: auditLog.seq })
      .from(auditLog)
      .orderBy(auditLog.seq);
    const changed = rows[3];
    const removed = rows[7];
    expect(changed && removed).toBeTruthy();
    // What the database owner (not the application's role) could do.
    await f.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    const head = await auditChainHead(f.db);
    try {
      await f.db.execute(
        sql`update audit_log set after = '{"score": 100}'::jsonb where id = ${changed?.id ?? 0}`,
      );
      await f.db.execute(sql`delete from audit_log where id = ${removed?.id ?? 0}`);
      // Linked to the head, so it looks in place, but its hash is not its fields' hash.
      await f.db.execute(
        sql`insert into audit_log (action, entity_type, entity_id, seq, prev_hash, hash)
            values ('user.update', 'user', '1', ${(head?.seq ?? 0) + 1}, ${head?.hash ?? null}, ${"0".repeat(64)})`,
      );
    } finally {
      await f.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    }
    const report = await verifyAuditChain(f.db);
    expect(report.problems).toContainEqual({ seq: changed?.seq, id: changed?.id, kind: "changed" });
    // The row after the removed one has lost its predecessor: a gap, and a link to a hash not there.
    const afterRemoved = rows[8];
    expect(report.problems).toContainEqual({ seq: afterRemoved?.seq, id: afterRemoved?.id, kind: "gap" });
    expect(report.problems).toContainEqual({ seq: afterRemoved?.seq, id: afterRemoved?.id, kind: "link" });
    const forged = report.problems.filter((p) => p.seq === (head?.seq ?? 0) + 1);
    expect(forged.map((p) => p.kind)).toEqual(["changed"]);
    expect(report.problems).toHaveLength(4);
  });
});
