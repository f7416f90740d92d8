import { DomainError } from "@gongkai/core";
import {
  claimSignInAttempt,
  clearSignInFailures,
  createSession,
  defaultThrottle,
  deleteSession,
  getSessionUser,
  isKnownSignInAddress,
  recordAudit,
  rememberSignInAddress,
  systemActor,
  verifyCredentials,
} from "@gongkai/db";
import { signInInput } from "@gongkai/validators";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const badCredentials = () => new DomainError("UNAUTHORIZED", "用户名或密码错误,请检查后重试。");

/**
 * Sign-in throttles, each claimed atomically before the password is checked (parallel guesses
 * count one by one):
 * - one account from one address: 5 free attempts, then a lock doubling from 1 s to 15 min;
 * - one account from addresses it has never signed in from: 20 free, then up to 1 min apart (a
 *   guesser spread over many addresses is slowed; the owner at their usual address is not);
 * - one address, all accounts: 30 free, then up to 1 min apart — an office behind one NAT
 *   address waits a minute at most, never a 15-minute wall.
 */
const pairThrottle = defaultThrottle;
const accountThrottle = { freeFailures: 20, baseDelayMs: 1_000, maxDelayMs: 60_000 };
const addressThrottle = { freeFailures: 30, baseDelayMs: 1_000, maxDelayMs: 60_000 };

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
    const audit = (action: string, userId: number | null) =>
      recordAudit(
        ctx.db,
        { ...systemActor, userId: userId ?? 0 },
        {
          action,
          entityType: "user",
          entityId: userId ?? name,
          after: { username: input.username, ip: ctx.clientIp, userAgent: ctx.userAgent },
        },
      );
    if (wait > 0) {
      await audit("auth.signInThrottled", null);
      throw new DomainError("TOO_MANY_REQUESTS", `登录失败次数过多,请在 ${wait} 秒后再试。`, {
        details: { retryAfterSeconds: wait },
      });
    }
    const user = await verifyCredentials(ctx.db, input.username, input.password);
    if (!user) {
      await audit("auth.signInFailed", null);
      throw badCredentials();
    }
    // A success clears this account's counts here and marks the address as one it signs in from.
    await clearSignInFailures(ctx.db, `pair:${name}|${ip}`);
    await rememberSignInAddress(ctx.db, known, now);
    await audit("auth.signIn", user.id);
    const session = await createSession(ctx.db, user.id, now, { userAgent: ctx.userAgent, ip: ctx.clientIp });
    ctx.cookies.setSession(session.token, session.expiresAt);
    return getSessionUser(ctx.db, session.token, now);
  }),

  signOut: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await deleteSession(ctx.db, ctx.sessionToken);
    await recordAudit(
      ctx.db,
      { ...systemActor, userId: ctx.user.id },
      {
        action: "auth.signOut",
        entityType: "user",
        entityId: ctx.user.id,
        after: { ip: ctx.clientIp, userAgent: ctx.userAgent },
      },
    );
    ctx.cookies.clearSession();
    return { ok: true };
  }),

  me: publicProcedure.query(({ ctx }) => ctx.user),
});
