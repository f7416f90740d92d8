import { DomainError } from "@gongkai/core";
import {
  clearSignInFailures,
  createSession,
  defaultThrottle,
  deleteSession,
  getSessionUser,
  recordSignInFailure,
  throttleWait,
  verifyCredentials,
} from "@gongkai/db";
import { signInInput } from "@gongkai/validators";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const badCredentials = () => new DomainError("UNAUTHORIZED", "用户名或密码错误,请检查后重试。");

/** Per account, and per client address with a higher allowance (offices share one NAT address). */
const ipThrottle = { ...defaultThrottle, freeFailures: 30 };

export const authRouter = router({
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const userKey = `user:${input.username.toLowerCase()}`;
    const ipKey = ctx.clientIp ? `ip:${ctx.clientIp}` : null;
    const wait = await throttleWait(ctx.db, ipKey ? [userKey, ipKey] : [userKey], now);
    if (wait > 0) {
      throw new DomainError("TOO_MANY_REQUESTS", `登录失败次数过多,请在 ${wait} 秒后再试。`, {
        details: { retryAfterSeconds: wait },
      });
    }
    const user = await verifyCredentials(ctx.db, input.username, input.password);
    if (!user) {
      await recordSignInFailure(ctx.db, [userKey], now);
      if (ipKey) await recordSignInFailure(ctx.db, [ipKey], now, ipThrottle);
      throw badCredentials();
    }
    await clearSignInFailures(ctx.db, userKey);
    const session = await createSession(ctx.db, user.id, now, { userAgent: ctx.userAgent, ip: ctx.clientIp });
    ctx.cookies.setSession(session.token, session.expiresAt);
    return getSessionUser(ctx.db, session.token, now);
  }),

  signOut: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await deleteSession(ctx.db, ctx.sessionToken);
    ctx.cookies.clearSession();
    return { ok: true };
  }),

  me: publicProcedure.query(({ ctx }) => ctx.user),
});
