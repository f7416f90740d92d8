import { auditLog, sessions } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callerAs,
  callerWithCookies,
  createFixture,
  type Fixture,
  fixedNow,
  isChinese,
  outcome,
} from "./harness.ts";

describe.each(testDbKinds())("sign-in on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("signs in with the right password, sets the session cookie and returns the user with its unit", async () => {
    const { caller: anon, cookies } = await callerWithCookies(f.db, null);
    const user = await anon.auth.signIn({ username: "dangzheng", password: "Unit@2026" });
    expect(user).toMatchObject({ username: "dangzheng", role: "unit", unitName: "党政办公室" });
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^set:[A-Za-z0-9_-]{40,}$/);
  });

  it("gives the same Chinese message for a wrong password and an unknown user, and sets no cookie", async () => {
    const { caller: anon, cookies } = await callerWithCookies(f.db, null);
    const wrong = await outcome(anon.auth.signIn({ username: "office", password: "nope-1234" }));
    const unknown = await outcome(anon.auth.signIn({ username: "nobody-here", password: "nope-1234" }));
    expect(wrong.code).toBe("UNAUTHORIZED");
    expect(unknown).toEqual(wrong);
    expect(isChinese(wrong.message)).toBe(true);
    expect(cookies).toEqual([]);
  });

  it("slows down repeated failures: after five, even the right password waits", async () => {
    const anon = await callerAs(f.db, null);
    for (let i = 0; i < 6; i++)
      await outcome(anon.auth.signIn({ username: "qianming", password: `bad-${i}` }));
    const locked = await outcome(anon.auth.signIn({ username: "qianming", password: "Unit@2026" }));
    expect(locked.code).toBe("TOO_MANY_REQUESTS");
    expect(locked.message).toMatch(/秒后再试/);
    // Later, once the lock has passed, the right password works and clears the counter.
    const later = await callerAs(f.db, null, new Date(fixedNow.getTime() + 60 * 60_000));
    await expect(later.auth.signIn({ username: "qianming", password: "Unit@2026" })).resolves.toMatchObject({
      username: "qianming",
    });
  });

  it("counts 300 guesses sent at once one by one: at most six passwords are checked, the right one among them refused", async () => {
    // The owner signs in from the office as usual, then someone guesses from another address.
    const office = await callerAs(f.db, null, fixedNow, "10.0.0.8");
    await office.auth.signIn({ username: "baihe-unit", password: "Unit@2026" });
    const attacker = await callerAs(f.db, null, fixedNow, "203.0.113.9");
    const before = await f.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(sql`action in ('auth.signIn', 'auth.signInFailed') and after->>'ip' = '203.0.113.9'`);
    const guesses = Array.from({ length: 300 }, (_, i) => (i === 150 ? "Unit@2026" : `guess-${i}`));
    const results = await Promise.all(
      guesses.map((password) => outcome(attacker.auth.signIn({ username: "baihe-unit", password }))),
    );
    const checked = await f.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(sql`action in ('auth.signIn', 'auth.signInFailed') and after->>'ip' = '203.0.113.9'`);
    expect((checked[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBeLessThanOrEqual(6);
    expect(results.filter((r) => r.code === "TOO_MANY_REQUESTS").length).toBeGreaterThanOrEqual(294);
    expect(results[150]?.code).not.toBe("OK");
    // The owner at the office is not locked out by the attacker's failures.
    await expect(
      office.auth.signIn({ username: "baihe-unit", password: "Unit@2026" }),
    ).resolves.toMatchObject({
      username: "baihe-unit",
    });
    // The throttled attempts are in the audit log with the attacker's address.
    const throttled = await f.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(sql`action = 'auth.signInThrottled' and after->>'ip' = '203.0.113.9'`);
    expect(throttled[0]?.n).toBeGreaterThanOrEqual(294);
  });

  it("slows one address (an office's NAT) after 30 failures for a minute at most, not fifteen", async () => {
    const nat = await callerAs(f.db, null, fixedNow, "198.51.100.7");
    for (let i = 0; i < 31; i++)
      await outcome(nat.auth.signIn({ username: `nobody${i}`, password: "x-12345678" }));
    const now = await outcome(nat.auth.signIn({ username: "baihe-office", password: "Office@2026" }));
    expect(now.code).toBe("TOO_MANY_REQUESTS");
    const wait = Number(/(\d+) 秒后再试/.exec(now.message)?.[1]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    const aMinuteLater = await callerAs(f.db, null, new Date(fixedNow.getTime() + 61_000), "198.51.100.7");
    await expect(
      aMinuteLater.auth.signIn({ username: "baihe-office", password: "Office@2026" }),
    ).resolves.toMatchObject({
      username: "baihe-office",
    });
  });

  it("never slows an office's address for right passwords: 45 sign-ins in a row from one address all succeed", async () => {
    // Found by the security test over HTTP: successes used to count against the address for good.
    const at = (i: number) => new Date(fixedNow.getTime() + 2 * 3_600_000 + i * 1_000);
    for (let i = 0; i < 45; i++) {
      const office = await callerAs(f.db, null, at(i), "198.51.100.45");
      await expect(
        office.auth.signIn({ username: "baihe-office", password: "Office@2026" }),
      ).resolves.toMatchObject({
        username: "baihe-office",
      });
    }
    const colleague = await callerAs(f.db, null, at(46), "198.51.100.45");
    await expect(
      colleague.auth.signIn({ username: "baihe-unit", password: "Unit@2026" }),
    ).resolves.toMatchObject({
      username: "baihe-unit",
    });
  });

  it("forgets an address's failures after a quiet quarter of an hour", async () => {
    const start = new Date(fixedNow.getTime() + 4 * 3_600_000);
    const nat = await callerAs(f.db, null, start, "198.51.100.77");
    for (let i = 0; i < 29; i++)
      await outcome(nat.auth.signIn({ username: `nobody${i}`, password: "x-12345678" }));
    // 16 quiet minutes later, 29 more wrong guesses are still within the allowance…
    const later = await callerAs(f.db, null, new Date(start.getTime() + 16 * 60_000), "198.51.100.77");
    const codes = new Set<string>();
    for (let i = 0; i < 29; i++)
      codes.add((await outcome(later.auth.signIn({ username: `nobody${i}`, password: "x-12345678" }))).code);
    expect([...codes]).toEqual(["UNAUTHORIZED"]);
    // …and a right password goes straight through.
    await expect(
      later.auth.signIn({ username: "baihe-office", password: "Office@2026" }),
    ).resolves.toMatchObject({
      username: "baihe-office",
    });
  });

  it("writes sign-ins, failures and sign-outs to the audit log with the client address", async () => {
    const { caller } = await callerWithCookies(f.db, null, fixedNow, "192.0.2.44");
    await outcome(caller.auth.signIn({ username: "evaluator", password: "wrong-123" }));
    await caller.auth.signIn({ username: "evaluator", password: "Eval@2026" });
    const signedIn = await callerAs(f.db, "evaluator", fixedNow, "192.0.2.44");
    await signedIn.auth.signOut();
    const rows = await f.db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(sql`after->>'ip' = '192.0.2.44'`)
      .orderBy(auditLog.id);
    expect(rows.map((r) => r.action)).toEqual(["auth.signInFailed", "auth.signIn", "auth.signOut"]);
  });

  it("refuses an empty username with a message naming the field", async () => {
    const anon = await callerAs(f.db, null);
    const r = await outcome(anon.auth.signIn({ username: "  ", password: "x" }));
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toContain("「用户名」");
  });

  it("me returns the signed-in user, or null when anonymous", async () => {
    expect(await (await callerAs(f.db, null)).auth.me()).toBeNull();
    expect(await (await callerAs(f.db, "office")).auth.me()).toMatchObject({
      role: "office",
      unitName: "徐泾镇人民政府",
    });
  });

  it("sign-out deletes the session and clears the cookie", async () => {
    const { caller, cookies } = await callerWithCookies(f.db, "evaluator");
    const before = await f.db.select({ n: sql<number>`count(*)::int` }).from(sessions);
    await caller.auth.signOut();
    const after = await f.db.select({ n: sql<number>`count(*)::int` }).from(sessions);
    expect(after[0]?.n).toBe((before[0]?.n ?? 0) - 1);
    expect(cookies).toEqual(["clear"]);
  });

  it("keeps the audit log append-only: the database refuses to change or delete a row", async () => {
    const [row] = await f.db.select().from(auditLog).limit(1);
    expect(row).toBeDefined();
    await expect(f.db.delete(auditLog).where(eq(auditLog.id, row?.id ?? 0))).rejects.toThrow();
    await expect(
      f.db
        .update(auditLog)
        .set({ action: "x" })
        .where(eq(auditLog.id, row?.id ?? 0)),
    ).rejects.toThrow();
  });
});
