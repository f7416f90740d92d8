import { DomainError, type ErrorCode } from "@gongkai/core";
import { fieldLabels } from "@gongkai/validators";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/** The one place domain error codes become tRPC/HTTP codes. */
const trpcCodeOf: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_INPUT: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
};

export const toTRPCError = (e: DomainError) =>
  new TRPCError({ code: trpcCodeOf[e.code], message: e.message, cause: e });

type Issue = { path: PropertyKey[]; message: string };
const hasIssues = (e: unknown): e is { issues: Issue[] } =>
  typeof e === "object" && e !== null && Array.isArray((e as { issues?: unknown }).issues);

/** "deadlines.0.phrase" → "完成时限第1项的「时限表述」". */
export function describePath(path: PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === "number") continue;
    const label = fieldLabels[String(key)] ?? String(key);
    const next = path[i + 1];
    parts.push(typeof next === "number" ? `${label}第${next + 1}项` : label);
  }
  if (parts.length === 0) return "";
  const last = parts.pop();
  return `${parts.map((p) => `${p}的`).join("")}「${last}」`;
}

/** Input that failed its zod schema: one Chinese sentence per problem, naming the field. */
export function describeIssues(issues: Issue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${describePath(i.path)}${i.message}`)
    .join(";");
}

/**
 * Translates what a procedure failed with into the error people see: a domain error keeps its
 * code and Chinese message; input that failed its schema becomes BAD_REQUEST naming the field.
 * Returns null for errors that are already what they should be.
 */
export function translateError(error: TRPCError): TRPCError | null {
  const cause = error.cause;
  if (cause instanceof DomainError) return toTRPCError(cause);
  if (error.code === "BAD_REQUEST" && hasIssues(cause)) {
    return new TRPCError({
      code: "BAD_REQUEST",
      message: `输入有误:${describeIssues(cause.issues)}。请修改后再提交。`,
      cause,
    });
  }
  return null;
}

/** Extra data for the client: the domain code and the field an error is about. */
export function formatError(error: TRPCError) {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    return {
      message: cause.message,
      domainCode: cause.code,
      field: cause.field ?? null,
      details: cause.details ?? null,
    };
  }
  if (hasIssues(cause)) {
    const first = cause.issues[0];
    return {
      message: error.message,
      domainCode: "INVALID_INPUT" as const,
      field: first ? first.path.map(String).join(".") : null,
      details: null,
    };
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    return {
      message: "服务器内部错误,请稍后重试;如反复出现,请联系系统管理员。",
      domainCode: null,
      field: null,
      details: null,
    };
  }
  return { message: error.message, domainCode: null, field: null, details: null };
}
