/**
 * The one domain error type. Every rule and query throws this; the API maps `code` to a
 * tRPC/HTTP status once, in its error formatter. `message` is shown to people: Chinese,
 * saying what is wrong and what to do.
 */
export const errorCodes = [
  "INVALID_INPUT",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "PAYLOAD_TOO_LARGE",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** The input field the error is about, when there is one (e.g. "tasks.3.lead"). */
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.details !== undefined) this.details = opts.details;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what}不存在或您无权查看。`);
export const forbidden = (message = "您的账号没有执行此操作的权限,如需开通请联系政务公开办。") =>
  new DomainError("FORBIDDEN", message);
export const invalid = (message: string, field?: string) =>
  new DomainError("INVALID_INPUT", message, field === undefined ? {} : { field });
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError("CONFLICT", message, details === undefined ? {} : { details });
