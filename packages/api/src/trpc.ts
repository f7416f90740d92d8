import type { Role } from "@gongkai/core";
import { type Actor, isConnectionError } from "@gongkai/db";
import { apiTokenActor } from "@gongkai/db/api-tokens";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Context } from "./context.ts";
import { formatError, translateError } from "./errors.ts";

/**
 * Who may call a procedure (read by the role middleware and by the permission tests), and whether
 * a mutation may run again after the database connection broke (it carries its own idempotency
 * key, so a second run returns what the first did).
 */
export type Meta = OpenApiMeta<{
  /** `apiRead` / `apiWrite`: the open REST API's procedures, called with an API token (rest/v1.ts). */
  roles: readonly Role[] | "public" | "signedIn" | "apiRead" | "apiWrite";
  idempotent?: boolean;
  /** Open to a user who must change their password first (changing it, signing out). */
  duringPasswordChange?: boolean;
}>;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      const { message, ...data } = formatError(error);
      return { ...shape, message, data: { ...shape.data, ...data, stack: undefined } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Domain errors and rejected input thrown anywhere below become tRPC errors with the right code
 * and a Chinese message, once, here (input is parsed after this middleware runs).
 */
const unavailable = (cause?: unknown) =>
  new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: "数据库暂时无法连接,请稍候片刻再试;已保存的内容不会丢失。",
    cause,
  });

/** Does any string in the input hold a NUL (PostgreSQL stores none; it failed deep inside as a 500)? */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 32 || value === null || typeof value !== "object") return false;
  for (const v of Array.isArray(value) ? value : Object.values(value))
    if (holdsNul(v, depth + 1)) return true;
  return Object.keys(value).some((k) => k.includes("\u0000"));
}

const translateErrors = t.middleware(async ({ ctx, next, type, meta, getRawInput }) => {
  // Known down: answer at once rather than queue behind the outage.
  if (ctx.availability && !ctx.availability.available) throw unavailable();
  if (holdsNul(await getRawInput())) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "输入中含有不可见的控制字符(NUL),请删除后重新输入;若是粘贴的内容,请先粘贴到记事本再复制。",
    });
  }
  let result = await next();
  // The database went away (a restart, a failover): a read, or a write with its own idempotency
  // key, runs once more on a fresh connection; if that fails too the caller hears 503, not 500.
  if (!result.ok && isConnectionError(result.error.cause)) {
    if (type === "query" || meta?.idempotent) result = await next();
    if (!result.ok && isConnectionError(result.error.cause)) {
      ctx.availability?.failed();
      throw unavailable(result.error.cause);
    }
  }
  if (!result.ok) {
    const translated = translateError(result.error);
    if (translated) throw translated;
  }
  return result;
});

const base = t.procedure.use(translateErrors);

export const publicProcedure = base.meta({ roles: "public" });

const signedIn = t.middleware(({ ctx, meta, next }) => {
  if (!ctx.user)
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: "请先登录。如已登录,可能是会话已过期或长时间未操作已自动退出,请重新登录。",
    });
  // A new account, an administrator's reset or an expired password: nothing else until it is changed.
  if (ctx.user.passwordChange && !meta?.duringPasswordChange)
    throw new TRPCError({
      code: "FORBIDDEN",
      message:
        ctx.user.passwordChange === "expired"
          ? "您的密码已超过有效期,请先修改密码再继续。"
          : "首次登录或管理员重置密码后,请先修改密码再继续。",
    });
  return next({ ctx: { user: ctx.user } });
});

export const authedProcedure = base.meta({ roles: "signedIn" }).use(signedIn);
/** Signed in, and open even while the user must change their password (changing it, signing out). */
export const accountProcedure = base.meta({ roles: "signedIn", duringPasswordChange: true }).use(signedIn);

const forbidden = () =>
  new TRPCError({ code: "FORBIDDEN", message: "您的账号没有执行此操作的权限,如需开通请联系政务公开办。" });

function actorOf(user: NonNullable<Context["user"]>): Actor {
  return {
    userId: user.id,
    role: user.role,
    unitId: user.unitId,
    scopePath: user.role === "admin" ? null : (user.unitPath ?? "/__none__/"),
  };
}

/** A procedure open to the given roles only; the actor carries the user's scope. */
export function roleProcedure<R extends Role>(...roles: R[]) {
  return base
    .meta({ roles })
    .use(signedIn)
    .use(({ ctx, next }) => {
      if (!(roles as Role[]).includes(ctx.user.role)) throw forbidden();
      return next({ ctx: { actor: actorOf(ctx.user) } });
    });
}

/** The office's work: plans, units, reviews. Admins may do it too. */
export const officeProcedure = roleProcedure("admin", "office");
export const adminProcedure = roleProcedure("admin");

/** A unit user: `ctx.unitId` is its unit, narrowed to a number. */
export const unitProcedure = base
  .meta({ roles: ["unit"] })
  .use(signedIn)
  .use(({ ctx, next }) => {
    const { user } = ctx;
    if (user.role !== "unit" || user.unitId === null) throw forbidden();
    return next({ ctx: { unitId: user.unitId, actor: actorOf(user) } });
  });

/**
 * A procedure of the open REST API (/api/v1), called with an API token: it runs as an office user
 * of the token's government (its scope, the same checks as the office's own pages). A read token
 * calling a write procedure is refused.
 */
export function apiProcedure(scope: "read" | "write") {
  return base.meta({ roles: scope === "read" ? "apiRead" : "apiWrite" }).use(({ ctx, next }) => {
    const token = ctx.api?.token;
    if (!token)
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message:
          "请在请求头 Authorization 中提供接口令牌(Bearer gk_…),令牌由系统管理员在「接口令牌」页面签发。",
      });
    if (scope === "write" && token.scope !== "write")
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "该接口令牌只能读取数据,不能提交。如需提交进展,请系统管理员签发可写(write)令牌。",
      });
    return next({ ctx: { actor: apiTokenActor(token), token } });
  });
}
