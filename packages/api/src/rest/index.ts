import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { generateOpenApiDocument, type OpenAPIObject, type OpenApiRouter } from "trpc-to-openapi";
import type { Context } from "../context.ts";
import { formatError } from "../errors.ts";
import type { Meta } from "../trpc.ts";
import { createCallerFactory } from "../trpc.ts";
import { v1Router } from "./v1.ts";

export type { OpenAPIObject } from "trpc-to-openapi";
export { v1Router } from "./v1.ts";

type Procedure = {
  _def: {
    type: "query" | "mutation";
    meta?: Meta;
    inputs: { shape?: Record<string, unknown> }[];
  };
};

/** One operation of the REST API: its HTTP method and path, and the procedure behind it. */
export type RestOperation = {
  method: "GET" | "POST";
  /** As the document writes it: `/plans/{id}/tasks`. */
  path: string;
  operationId: string;
  procedure: string;
  scope: "read" | "write";
  /** Input fields that are numbers or booleans: query and path strings are converted for them. */
  numbers: Set<string>;
  booleans: Set<string>;
};

/** The kind of a zod schema under its optional/default/nullable wrappers. */
function kindOf(schema: unknown): string | undefined {
  let s = schema as { _zod?: { def: { type: string; innerType?: unknown } } } | undefined;
  while (s?._zod && ["optional", "default", "nullable", "prefault"].includes(s._zod.def.type))
    s = s._zod.def.innerType as typeof s;
  return s?._zod?.def.type;
}

export const restOperations: RestOperation[] = Object.entries(
  v1Router._def.procedures as unknown as Record<string, Procedure>,
).flatMap(([procedure, p]) => {
  const openapi = p._def.meta?.openapi;
  if (!openapi || openapi.enabled === false) return [];
  const shape = Object.assign({}, ...p._def.inputs.map((i) => i.shape ?? {})) as Record<string, unknown>;
  const keys = Object.keys(shape);
  return [
    {
      method: openapi.method as "GET" | "POST",
      path: openapi.path,
      operationId: openapi.operationId ?? procedure,
      procedure,
      scope: p._def.meta?.roles === "apiWrite" ? ("write" as const) : ("read" as const),
      numbers: new Set(keys.filter((k) => kindOf(shape[k]) === "number")),
      booleans: new Set(keys.filter((k) => kindOf(shape[k]) === "boolean")),
    },
  ];
});

/**
 * The input of an operation from the request: path parameters, then the query string (GET) or the
 * JSON body (POST). Strings are turned into numbers and booleans where the input schema wants them
 * (left as they are when they are not one: the schema then says what is wrong, in Chinese).
 */
export function restInput(
  op: RestOperation,
  parts: { params: Record<string, string>; query: Record<string, string>; body: unknown },
): unknown {
  const convert = (k: string, v: string): unknown => {
    if (op.numbers.has(k) && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    if (op.booleans.has(k) && (v === "true" || v === "false")) return v === "true";
    return v;
  };
  const fromStrings = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, convert(k, v)]));
  if (op.method === "GET") return { ...fromStrings(parts.query), ...fromStrings(parts.params) };
  const { body } = parts;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body; // the schema refuses it
  return { ...body, ...fromStrings(parts.params) };
}

const callV1 = createCallerFactory(v1Router);

/** Calls an operation's procedure; the answer is its output, or the error as `{ code, message }`. */
export async function callRestOperation(
  ctx: Context,
  op: RestOperation,
  input: unknown,
): Promise<{ status: number; body: unknown }> {
  const caller = callV1(ctx) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [group, name] = op.procedure.split(".") as [string, string];
  try {
    const fn = caller[group]?.[name];
    if (!fn) throw new TRPCError({ code: "NOT_FOUND" });
    return { status: 200, body: await fn(input) };
  } catch (e) {
    const error = e instanceof TRPCError ? e : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: e });
    if (error.code === "INTERNAL_SERVER_ERROR")
      console.error(`[rest] ${op.operationId}:`, error.cause ?? error);
    return {
      status: getHTTPStatusCodeFromError(error),
      body: restError(error.code, formatError(error).message),
    };
  }
}

/** The one shape of every error answer. */
export const restError = (code: string, message: string) => ({ code, message });

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document, generated from the procedures (trpc-to-openapi), with what the HTTP
 * layer adds around them: the bearer token, ETag and If-None-Match on reads (304), Retry-After on
 * 429, Idempotency-Key on writes, and one error schema.
 */
export function restDocument(opts: { version: string }): OpenAPIObject {
  const doc = generateOpenApiDocument(v1Router as unknown as OpenApiRouter, {
    title: "公开 Gongkai 开放接口",
    description:
      "政务公开工作平台的 REST 接口:工作要点、任务(责任单位与完成时限)、红绿灯与统计、进展报告、考核与评估结果。" +
      "以系统管理员签发的接口令牌认证(Authorization: Bearer gk_…),令牌只能访问其所属政府范围内已发布的工作要点。" +
      "每个令牌每分钟的请求数有上限,超过时返回 429 和 Retry-After。列表以 limit 与 cursor 分页;" +
      "读取接口返回 ETag,带 If-None-Match 再次请求且内容未变时返回 304。错误一律为 JSON { code, message },message 为中文说明。",
    version: opts.version,
    baseUrl: "/api/v1",
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "gk_ 开头的接口令牌" },
    },
  });
  const error = {
    type: "object",
    properties: {
      code: {
        type: "string",
        enum: [
          "BAD_REQUEST",
          "UNAUTHORIZED",
          "FORBIDDEN",
          "NOT_FOUND",
          "CONFLICT",
          "TOO_MANY_REQUESTS",
          "INTERNAL_SERVER_ERROR",
          "SERVICE_UNAVAILABLE",
          "PAYLOAD_TOO_LARGE",
        ],
      },
      message: { type: "string", description: "给人看的中文说明:错在哪里、怎么办" },
    },
    required: ["code", "message"],
    additionalProperties: false,
  };
  doc.components ??= {};
  doc.components.schemas ??= {};
  const schemas = doc.components.schemas as Json;
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  schemas.Error = error;
  const errorRef = { $ref: "#/components/schemas/Error" };
  for (const item of Object.values(doc.paths ?? {}) as Json[]) {
    for (const [method, operation] of Object.entries(item) as [string, Json][]) {
      const responses = operation.responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        if (status === "200") continue;
        responses[status] = {
          description: response.description,
          ...(status === "429"
            ? { headers: { "Retry-After": { description: "多少秒后可再请求", schema: { type: "integer" } } } }
            : {}),
          content: { "application/json": { schema: errorRef } },
        };
      }
      responses[500] = {
        description: "服务器内部错误",
        content: { "application/json": { schema: errorRef } },
      };
      const ok = responses["200"] as Json;
      operation.parameters ??= [];
      const parameters = operation.parameters as Json[];
      if (method === "get") {
        ok.headers = {
          ETag: { description: "内容的标识,下次请求时放在 If-None-Match 中", schema: { type: "string" } },
        };
        parameters.push({
          in: "header",
          name: "If-None-Match",
          required: false,
          description: "上次返回的 ETag:内容未变时返回 304,不带内容",
          schema: { type: "string" },
        });
        responses[304] = { description: "内容未变(与 If-None-Match 中的 ETag 相同)" };
      } else {
        parameters.push({
          in: "header",
          name: "Idempotency-Key",
          required: false,
          description: "同一次报送的唯一标识(8–100 个字符);重复请求只报送一次并返回同一结果",
          schema: { type: "string", minLength: 8, maxLength: 100 },
        });
      }
    }
  }
  return doc;
}
