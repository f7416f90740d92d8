import { totpCode } from "@gongkai/core/identity";
import { createSession, defaultSessionPolicy, getSessionUser } from "@gongkai/db";
import { auditLog, sessions, users } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, eq } from "drizzle-orm";
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

/**
 * Identity and sessions as a 等保 2.0 level-3 review asks for them (issue 16, item 5): sessions that
 * end when idle, a cap per account, sign-out everywhere, password change with a policy, forced
 * change after a reset or on expiry, and a TOTP second factor for the office and administrators.
 */
describe.each(testDbKinds())("identity and sessions on %s", (kind) => {
  let f: Fixture;
  const minutes = (n: number) => new Date(fixedNow.getTime() + n * 60_000);
  const userId = async (username: string) =>
    (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, username) }))?.id ?? 0;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("ends a session after 30 idle minutes; a request within them keeps it going", async () => {
    const { token } = await createSession(f.db, await userId("office"), fixedNow);
    expect(await getSessionUser(f.db, token, minutes(25))).toMatchObject({ username: "office" });
    // 25 minutes after the last request, not after sign-in: still there at 50.
    expect(await getSessionUser(f.db, token, minutes(50))).toMatchObject({ username: "office" });
    expect(await getSessionUser(f.db, token, minutes(81))).toBeNull();
    // And it is gone, not just refused.
    expect(await getSessionUser(f.db, token, minutes(82))).toBeNull();
  });

  it("ends a session at its absolute end however busy it is", async () => {
    const { token } = await createSession(f.db, await userId("office"), fixedNow);
    for (let m = 20; m < 12 * 60; m += 20)
      expect(await getSessionUser(f.db, token, minutes(m))).not.toBeNull();
    expect(await getSessionUser(f.db, token, minutes(12 * 60 + 1))).toBeNull();
  });

  it("keeps at most five sessions per account: a sixth sign-in ends the oldest", async () => {
    const id = await userId("evaluator");
    await f.db.delete(sessions).where(eq(sessions.userId, id));
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) tokens.push((await createSession(f.db, id, minutes(i))).token);
    const live = await Promise.all(tokens.map((t) => getSessionUser(f.db, t, minutes(6))));
    expect(live.map((u) => u !== null)).toEqual([false, true, true, true, true, true]);
  });

  it("signs out everywhere: every session of the account ends, others' stay", async () => {
    const id = await userId("dangzheng");
    const phone = await createSession(f.db, id, fixedNow);
    const other = await createSession(f.db, await userId("office"), fixedNow);
    const { caller, cookies } = await callerWithCookies(f.db, "dangzheng");
    await caller.auth.signOutEverywhere();
    expect(cookies).toContain("clear");
    expect(await f.db.select().from(sessions).where(eq(sessions.userId, id))).toEqual([]);
    expect(await getSessionUser(f.db, phone.token, fixedNow)).toBeNull();
    expect(await getSessionUser(f.db, other.token, fixedNow)).not.toBeNull();
    const [audited] = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.signOutEverywhere"), eq(auditLog.entityId, String(id))));
    expect(audited).toBeDefined();
  });

  it("lists where the account is signed in, marking this session", async () => {
    const { caller } = await callerWithCookies(f.db, "qianming");
    const list = await caller.auth.sessions();
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.length).toBeGreaterThanOrEqual(1);
  });

  it("changes a password: the current one checked, the policy applied, other sessions ended", async () => {
    const id = await userId("baihe-unit");
    const elsewhere = await createSession(f.db, id, fixedNow);
    const me = await callerAs(f.db, "baihe-unit");
    const wrong = await outcome(
      me.auth.changePassword({ currentPassword: "nope", newPassword: "Baihe#Shuiku-93" }),
    );
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.message).toContain("当前密码不正确");
    const weak = await outcome(
      me.auth.changePassword({ currentPassword: "Unit@2026", newPassword: "Woaini@1314" }),
    );
    expect(weak.message).toContain("容易被猜到");
    const named = await outcome(
      me.auth.changePassword({ currentPassword: "Unit@2026", newPassword: "Baihe-Unit#2026x" }),
    );
    expect(named.message).toContain("用户名");
    const short = await outcome(
      me.auth.changePassword({ currentPassword: "Unit@2026", newPassword: "Ab1!" }),
    );
    expect(short.message).toContain("至少 10 位");
    expect(isChinese(short.message)).toBe(true);
    // Nothing changed so far: the old password still signs in elsewhere.
    expect(await getSessionUser(f.db, elsewhere.token, fixedNow)).not.toBeNull();
    await me.auth.changePassword({ currentPassword: "Unit@2026", newPassword: "Baihe#Shuiku-93" });
    expect(await getSessionUser(f.db, elsewhere.token, fixedNow)).toBeNull();
    const anon = await callerAs(f.db, null, fixedNow, "10.1.1.1");
    expect((await outcome(anon.auth.signIn({ username: "baihe-unit", password: "Unit@2026" }))).code).toBe(
      "UNAUTHORIZED",
    );
    await expect(
      anon.auth.signIn({ username: "baihe-unit", password: "Baihe#Shuiku-93" }),
    ).resolves.toMatchObject({
      passwordChange: null,
    });
  });

  it("slows guesses of the current password through a stolen session", async () => {
    const me = await callerAs(f.db, "office");
    const codes: string[] = [];
    for (let i = 0; i < 8; i++)
      codes.push(
        (
          await outcome(
            me.auth.changePassword({ currentPassword: `guess-${i}`, newPassword: "Hb7#qL2v!xP9" }),
          )
        ).code,
      );
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("BAD_REQUEST"));
    expect(codes.slice(5)).toContain("TOO_MANY_REQUESTS");
  });

  it("asks for a new password once the old one is older than 90 days, and only for the change", async () => {
    const id = await userId("baihe-office");
    await f.db
      .update(users)
      .set({ passwordChangedAt: new Date(fixedNow.getTime() - 91 * 86_400_000) })
      .where(eq(users.id, id));
    const me = await callerAs(f.db, "baihe-office");
    expect((await me.auth.me())?.passwordChange).toBe("expired");
    const refused = await outcome(me.tasks.mine({ year: 2023 }));
    expect(refused).toEqual({ code: "FORBIDDEN", message: expect.stringContaining("超过有效期") });
    // With expiry switched off (0) the same password is fine.
    const { token } = await createSession(f.db, id, fixedNow);
    const relaxed = await getSessionUser(f.db, token, fixedNow, {
      ...defaultSessionPolicy,
      passwordMaxAgeDays: 0,
    });
    expect(relaxed?.passwordChange).toBeNull();
  });

  it("adds a TOTP second factor for the office: sign-in then needs the code, and each code works once", async () => {
    const office = await callerAs(f.db, "office");
    const { secret, uri } = await office.auth.totpSetup();
    expect(uri).toContain(secret);
    const wrongCode = await outcome(office.auth.totpEnable({ secret, code: "000000" }));
    expect(wrongCode.code).toBe("BAD_REQUEST");
    await office.auth.totpEnable({ secret, code: totpCode(secret, fixedNow) });

    const at = minutes(2);
    const anon = await callerAs(f.db, null, at, "10.2.2.2");
    const noCode = await outcome(anon.auth.signIn({ username: "office", password: "Office@2026" }));
    expect(noCode.code).toBe("UNAUTHORIZED");
    expect(noCode.message).toContain("动态验证码");
    const bad = await outcome(
      anon.auth.signIn({ username: "office", password: "Office@2026", otp: "123456" }),
    );
    expect(bad.code).toBe("UNAUTHORIZED");
    const code = totpCode(secret, at);
    await expect(
      anon.auth.signIn({ username: "office", password: "Office@2026", otp: code }),
    ).resolves.toMatchObject({
      username: "office",
      totpEnabled: true,
    });
    // The same code again (someone who saw it over a shoulder) is refused.
    const replay = await outcome(
      anon.auth.signIn({ username: "office", password: "Office@2026", otp: code }),
    );
    expect(replay.code).toBe("UNAUTHORIZED");
    expect(replay.message).toContain("已使用过");
    // A wrong password with a right code is still a wrong password.
    const later = minutes(3);
    const anonLater = await callerAs(f.db, null, later, "10.2.2.3");
    const wrongPassword = await outcome(
      anonLater.auth.signIn({ username: "office", password: "nope", otp: totpCode(secret, later) }),
    );
    expect(wrongPassword.message).toContain("用户名或密码错误");

    // The administrator removes it (a lost phone): the password alone signs in again.
    const admin = await callerAs(f.db, "admin");
    await admin.users.resetTotp({ id: await userId("office") });
    await expect(
      anonLater.auth.signIn({ username: "office", password: "Office@2026" }),
    ).resolves.toMatchObject({
      totpEnabled: false,
    });
    const actions = (await f.db.select({ a: auditLog.action }).from(auditLog)).map((r) => r.a);
    expect(actions).toEqual(expect.arrayContaining(["auth.totpEnable", "auth.totpDisable"]));
  });

  it("turns the second factor off only with the password", async () => {
    const admin = await callerAs(f.db, "admin");
    const { secret } = await admin.auth.totpSetup();
    await admin.auth.totpEnable({ secret, code: totpCode(secret, fixedNow) });
    const refused = await outcome(admin.auth.totpDisable({ password: "wrong-password" }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(
      (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "admin") }))?.totpSecret,
    ).toBe(secret);
    await admin.auth.totpDisable({ password: "Admin@2026" });
    expect(
      (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "admin") }))?.totpSecret,
    ).toBeNull();
  });

  it("offers the second factor to the office and administrators, not to units", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    expect((await outcome(unit.auth.totpSetup())).code).toBe("FORBIDDEN");
  });
});
