import { DomainError } from "@gongkai/core";

/**
 * A file that cannot be read: `INVALID_INPUT` with a Chinese message saying what is wrong and
 * what to do, and the same in English in `details.en` (for the command line).
 */
export function unreadable(zh: string, en: string, fileName: string): DomainError {
  return new DomainError("INVALID_INPUT", zh, { field: "file", details: { en, fileName } });
}

/** The English message of an error from this package, when it has one. */
export function englishMessage(e: unknown): string | null {
  if (e instanceof DomainError && typeof e.details?.en === "string") return e.details.en;
  return null;
}
