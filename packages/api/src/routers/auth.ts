import { DomainError, invalid } from "@gongkai/core";
import { acceptTotp, newTotpSecret, passwordProblems, totpUri } from "@gongkai/core/identity";
import {
  changeOwnPassword,
  claimSignInAttempt,
  claimTotpStep,
  clearSignInFailures,
  createSession,
  defaultThrottle,
  deleteSession,
  deleteUserSessions,
  demoAccounts,
  getSessionUser,
  getTotp,
  isKnownSignInAddress,
  listDemoUsernames,
  listUserSessions,
  recordAudit,
  refundSignInAttempt,
  rememberSignInAddress,
  setTotp,
  systemActor,
  verifyCredentials,
} from "@gongkai/db";
import { changePasswordInput, signInInput, totpDisableInput, totpEnableInput } from "@gongkai/validators";
import type { Context } from "../context.ts";
import { accountProcedure, authedProcedure, publicProcedure, roleProcedure, router } from "../trpc.ts";

const badCredentials = () => new DomainError("UNAUTHORIZED", "用户名或密码错误,请检查后重试。");

/**
 * Sign-in throttles, each claimed atomically before the password is checked (parallel guesses
 * count one by one):
 * - one account from one address: 5 free attempts, then a lock doubling from 1 s to 15 min;
 * - one account from addresses it has never signed in from: 20 free, then up to 1 min apart (a
 *   guesser spread over many addresses is slowed; the owner at their usual address is not);
 * - one address, all accounts: 30 free, then up to 1 min apart — an office behind one NAT
 *   address waits a minute at most, never a 15-minute wall.
 * A wrong second-factor code counts as a failure like a wrong password. A success gives back what
 * it claimed on the shared keys (so right passwords never use up an address's allowance), and a key
 * quiet for a while (an hour; 15 minutes for the shared ones) starts again from zero.
 */
const pairThrottle = defaultThrottle;
const accountThrottle = {
  freeFailures: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  forgetAfterMs: 15 * 60_000,
};
const addressThrottle = {
  freeFailures: 30,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  forgetAfterMs: 15 * 60_000,
};

const throttled = (wait: number) =>
  new DomainError("TOO_MANY_REQUESTS", `尝试次数过多,请在 ${wait} 秒后再试。`, {
    details: { retryAfterSeconds: wait },
  });

/** A user's own sign-out (here or everywhere), audited with the address it came from. */
function auditOwnSignOut(
  ctx: Pick<Context, "db" | "clientIp" | "userAgent"> & { user: { id: number } },
  action: "auth.signOut" | "auth.signOutEverywhere",
) {
  return recordAudit(
    ctx.db,
    { ...systemActor, userId: ctx.user.id },
    {
      action,
      entityType: "user",
      entityId: ctx.user.id,
      after: { ip: ctx.clientIp, userAgent: ctx.userAgent },
    },
  );
}

export const authRouter = router({
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const name = input.username.toLowerCase();
    const ip = ctx.clientIp ?? "unknown";
    const known = `known:${name}|${ip}`;
    const claims: [string, typeof defaultThrottle][] = [
      [`pair:${name}|${ip}`, pairThrottle],
      [`ip:${ip}`, addressThrottle],
    ];
    if (!(await isKnownSignInAddress(ctx.db, known))) claims.push([`user:${name}`, accountThrottle]);
    let wait = 0;
    for (const [key, policy] of claims) {
      const claim = await claimSignInAttempt(ctx.db, key, now, policy);
      if (!claim.allowed) wait = Math.max(wait, claim.waitSeconds);
    }
    const audit = (action: string, userId: number | null, extra: Record<string, unknown> = {}) =>
      recordAudit(
        ctx.db,
        { ...systemActor, userId: userId ?? 0 },
        {
          action,
          entityType: "user",
          entityId: userId ?? name,
          after: { username: input.username, ip: ctx.clientIp, userAgent: ctx.userAgent, ...extra },
        },
      );
    if (wait > 0) {
      await audit("auth.signInThrottled", null);
      throw throttled(wait);
    }
    const user = await verifyCredentials(ctx.db, input.username, input.password);
    if (!user) {
      await audit("auth.signInFailed", null);
      throw badCredentials();
    }
    if (user.totpSecret) {
      // The password was right; the second factor decides.
      if (!input.otp) {
        throw new DomainError("UNAUTHORIZED", "此账号已开启两步验证,请输入验证器应用上的 6 位动态验证码。", {
          details: { needsOtp: true },
        });
      }
      const step = acceptTotp(user.totpSecret, input.otp, now, user.totpLastStep);
      if (step === null || !(await claimTotpStep(ctx.db, user.id, step))) {
        await audit("auth.signInFailed", user.id, { reason: "otp" });
        throw new DomainError("UNAUTHORIZED", "动态验证码不正确或已使用过,请等下一个验证码出现后再输入。", {
          details: { needsOtp: true },
        });
      }
    }
    // A success clears this account's counts here, gives back its claim on the shared keys, and
    // marks the address as one it signs in from.
    await clearSignInFailures(ctx.db, `pair:${name}|${ip}`);
    for (const [key, policy] of claims.slice(1)) await refundSignInAttempt(ctx.db, key, policy);
    await rememberSignInAddress(ctx.db, known, now);
    await audit("auth.signIn", user.id);
    const session = await createSession(
      ctx.db,
      user.id,
      now,
      { userAgent: ctx.userAgent, ip: ctx.clientIp },
      ctx.sessionPolicy,
    );
    ctx.cookies.setSession(session.token, session.expiresAt);
    return getSessionUser(ctx.db, session.token, now, ctx.sessionPolicy);
  }),

  signOut: accountProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await deleteSession(ctx.db, ctx.sessionToken);
    await auditOwnSignOut(ctx, "auth.signOut");
    ctx.cookies.clearSession();
    return { ok: true };
  }),

  /** Ends every session of the user, this one included (a lost phone, a shared computer). */
  signOutEverywhere: accountProcedure.mutation(async ({ ctx }) => {
    await deleteUserSessions(ctx.db, ctx.user.id);
    await auditOwnSignOut(ctx, "auth.signOutEverywhere");
    ctx.cookies.clearSession();
    return { ok: true };
  }),

  /** Where the user is signed in. */
  sessions: authedProcedure.query(({ ctx }) => listUserSessions(ctx.db, ctx.user.id, ctx.sessionToken)),

  me: publicProcedure.query(({ ctx }) => ctx.user),

  /** For the sign-in page: the demo's accounts when the demo is loaded (their passwords are public). */
  signInInfo: publicProcedure.query(async ({ ctx }) => {
    const present = new Set(await listDemoUsernames(ctx.db));
    return {
      demoAccounts: demoAccounts
        .filter((a) => present.has(a.username))
        .map(({ username, password, role, displayName }) => ({ username, password, role, displayName })),
    };
  }),

  /**
   * Changes the user's own password: the current one, then the policy (length, classes, not the
   * name, not easy to guess). Other sessions end; this one stays. Wrong current passwords are
   * throttled like sign-ins, so a stolen session cannot guess it.
   */
  changePassword: accountProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const claim = await claimSignInAttempt(ctx.db, `pwchange:${ctx.user.id}`, now, pairThrottle);
    if (!claim.allowed) throw throttled(claim.waitSeconds);
    const problems = passwordProblems(input.newPassword, ctx.user);
    if (problems.length > 0) throw invalid(problems.join(""), "newPassword");
    await changeOwnPassword(
      ctx.db,
      ctx.user.id,
      input.currentPassword,
      input.newPassword,
      now,
      ctx.sessionToken,
    );
    await clearSignInFailures(ctx.db, `pwchange:${ctx.user.id}`);
    return ctx.sessionToken ? getSessionUser(ctx.db, ctx.sessionToken, now, ctx.sessionPolicy) : null;
  }),

  /** A new second-factor secret to scan; nothing is stored until a code from it is confirmed. */
  totpSetup: roleProcedure("admin", "office").mutation(({ ctx }) => {
    const secret = newTotpSecret();
    return { secret, uri: totpUri(secret, ctx.user.username) };
  }),

  totpEnable: roleProcedure("admin", "office")
    .input(totpEnableInput)
    .mutation(async ({ ctx, input }) => {
      const step = acceptTotp(input.secret, input.code, ctx.now(), null);
      if (step === null)
        throw invalid("验证码不正确:请确认手机时间准确,并输入验证器应用上当前显示的 6 位数字。", "code");
      await setTotp(ctx.db, ctx.actor, ctx.user.id, input.secret, step);
      return { ok: true };
    }),

  totpDisable: roleProcedure("admin", "office")
    .input(totpDisableInput)
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const claim = await claimSignInAttempt(ctx.db, `pwchange:${ctx.user.id}`, now, pairThrottle);
      if (!claim.allowed) throw throttled(claim.waitSeconds);
      if (!(await verifyCredentials(ctx.db, ctx.user.username, input.password)))
        throw invalid("密码不正确,请重新输入。", "password");
      await clearSignInFailures(ctx.db, `pwchange:${ctx.user.id}`);
      if ((await getTotp(ctx.db, ctx.user.id))?.secret)
        await setTotp(ctx.db, ctx.actor, ctx.user.id, null, null);
      return { ok: true };
    }),
});
