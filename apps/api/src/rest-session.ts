import { readSessionCookie } from "@gongkai/api";
import { type Database, getSessionUser, type SessionPolicy, type SessionUser } from "@gongkai/db";
import type { MiddlewareHandler } from "hono";

export type RestEnv = { Variables: { user: SessionUser } };
export const problem = (message: string) => ({ error: { message } });

/**
 * The session check of the REST routes (files, imports), as tRPC's middleware does it: 401 without
 * a live session (unknown, expired, idle too long), 403 while the user must change their password,
 * 403 when `roles` are given and the user holds none of them.
 */
export function requireSession(opts: {
  database: Database;
  now: () => Date;
  sessionPolicy?: SessionPolicy;
  roles?: readonly SessionUser["role"][];
}): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    const token = readSessionCookie(c.req.header("cookie") ?? null);
    const user = token ? await getSessionUser(opts.database.db, token, opts.now(), opts.sessionPolicy) : null;
    if (!user) return c.json(problem("请先登录。如已登录,可能是会话已过期或长时间未操作已自动退出。"), 401);
    if (user.passwordChange) return c.json(problem("请先修改密码再继续。"), 403);
    if (opts.roles && !opts.roles.includes(user.role))
      return c.json(problem("您的账号没有执行此操作的权限,如需开通请联系政务公开办。"), 403);
    c.set("user", user);
    await next();
  };
}
