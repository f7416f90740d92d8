import { createHash } from "node:crypto";
import {
  type Context,
  callRestOperation,
  type RestOperation,
  restDocument,
  restError,
  restInput,
  restOperations,
} from "@gongkai/api";
import { type Database, isConnectionError } from "@gongkai/db";
import { apiTokenActor, recordApiTokenUse, useApiToken } from "@gongkai/db/api-tokens";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { referencePage } from "./reference.ts";

export type RestV1Options = {
  database: Database;
  now: () => Date;
  version: string;
  clientIp: (c: HonoContext) => string | null;
  /** Requests one token may make per minute (default 60). */
  perMinute?: number;
};

const noCookies = { setSession() {}, clearSession() {} };

/** `/plans/{id}/tasks` → `/plans/:id/tasks`. */
const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

/** A strong ETag of an answer's bytes. */
const etagOf = (body: string) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
/** Weak comparison (RFC 9110 §13.1.2): compression may turn the tag weak. */
const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch?.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  }) ?? false;

/**
 * The open REST API at /api/v1 (issue #20): the operations of `restOperations` (the v1 tRPC
 * procedures), the OpenAPI document at /openapi.json and a reference page at /docs. Every
 * operation needs an API token (`Authorization: Bearer gk_…`): unknown or revoked is 401, past the
 * token's requests per minute is 429 with Retry-After, and each use is written to the audit log.
 * Reads answer with an ETag and 304 to a matching If-None-Match.
 */
export function restV1Routes(opts: RestV1Options) {
  const { database } = opts;
  const perMinute = opts.perMinute ?? 60;
  const app = new Hono();
  let document: { json: string; etag: string; html: string } | undefined;
  const doc = () => {
    if (!document) {
      const d = restDocument({ version: opts.version });
      const json = JSON.stringify(d, null, 2);
      document = { json, etag: etagOf(json), html: referencePage(d) };
    }
    return document;
  };

  app.onError((e, c) => {
    if (isConnectionError(e)) {
      database.availability.failed();
      return c.json(restError("SERVICE_UNAVAILABLE", "数据库暂时无法连接,请稍候片刻再试。"), 503);
    }
    console.error("[rest]", e);
    return c.json(
      restError("INTERNAL_SERVER_ERROR", "服务器内部错误,请稍后重试;如反复出现,请联系系统管理员。"),
      500,
    );
  });

  app.get("/openapi.json", (c) => {
    const { json, etag } = doc();
    c.header("ETag", etag);
    c.header("Cache-Control", "no-cache");
    if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    return c.body(json, 200, { "content-type": "application/json; charset=utf-8" });
  });
  app.get("/docs", (c) => {
    c.header("Cache-Control", "no-cache");
    return c.html(doc().html);
  });

  app.use(
    "*",
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => c.json(restError("PAYLOAD_TOO_LARGE", "请求内容超过 1 MB。"), 413),
    }),
  );

  const handle = (op: RestOperation) => async (c: HonoContext) => {
    const ip = opts.clientIp(c);
    const now = opts.now();
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!bearer)
      return c.json(
        restError(
          "UNAUTHORIZED",
          "请在请求头 Authorization 中提供接口令牌(Authorization: Bearer gk_…),令牌由系统管理员在「接口令牌」页面签发。",
        ),
        401,
      );
    const use = await useApiToken(database.db, bearer, { now, ip, perMinute });
    const path = new URL(c.req.url).pathname + (new URL(c.req.url).search || "");
    const request = { method: c.req.method, path, ip, operationId: op.operationId };
    if (use.status === "unknown")
      return c.json(
        restError(
          "UNAUTHORIZED",
          "接口令牌无效:请检查 Authorization 请求头中的令牌是否完整;如令牌遗失,请系统管理员重新签发。",
        ),
        401,
      );
    if (use.status === "revoked") {
      await recordApiTokenUse(
        database.db,
        { tokenId: use.tokenId, actor: null, regionCode: null },
        { ...request, status: 401 },
      );
      return c.json(
        restError("UNAUTHORIZED", "该接口令牌已被吊销,不能再使用。请联系系统管理员签发新令牌。"),
        401,
      );
    }
    const { token } = use;
    const audit = (status: number) =>
      recordApiTokenUse(
        database.db,
        { tokenId: token.id, actor: apiTokenActor(token), regionCode: token.regionCode },
        { ...request, status },
      );
    if (use.retryAfterSeconds !== null) {
      await audit(429);
      c.header("Retry-After", String(use.retryAfterSeconds));
      return c.json(
        restError(
          "TOO_MANY_REQUESTS",
          `请求过于频繁:每个接口令牌每分钟最多 ${perMinute} 次请求,请在 ${use.retryAfterSeconds} 秒后重试。`,
        ),
        429,
      );
    }
    let body: unknown;
    if (op.method !== "GET") {
      try {
        body = await c.req.json();
      } catch {
        await audit(400);
        return c.json(restError("BAD_REQUEST", "请求内容应为 JSON(Content-Type: application/json)。"), 400);
      }
    }
    const key = c.req.header("idempotency-key")?.trim() || null;
    if (key !== null && (key.length < 8 || key.length > 100)) {
      await audit(400);
      return c.json(restError("BAD_REQUEST", "请求头 Idempotency-Key 应为 8–100 个字符。"), 400);
    }
    const ctx: Context = {
      db: database.db,
      dbKind: database.kind,
      now: opts.now,
      user: null,
      sessionToken: null,
      cookies: noCookies,
      clientIp: ip,
      userAgent: c.req.header("user-agent") ?? null,
      availability: database.availability,
      api: { token, idempotencyKey: key },
    };
    const input = restInput(op, {
      params: c.req.param() as Record<string, string>,
      query: c.req.query(),
      body,
    });
    const answer = await callRestOperation(ctx, op, input);
    const json = JSON.stringify(answer.body);
    if (op.method === "GET" && answer.status === 200) {
      const etag = etagOf(json);
      c.header("ETag", etag);
      c.header("Cache-Control", "private, no-cache");
      if (matches(c.req.header("if-none-match"), etag)) {
        await audit(304);
        return c.body(null, 304);
      }
    }
    await audit(answer.status);
    return c.body(json, answer.status as 200, { "content-type": "application/json; charset=utf-8" });
  };

  for (const op of restOperations) app.on(op.method, honoPath(op.path), handle(op));
  app.all("*", (c) =>
    c.json(restError("NOT_FOUND", "没有这个接口:可用的接口见 /api/v1/openapi.json 或 /api/v1/docs。"), 404),
  );
  return app;
}
