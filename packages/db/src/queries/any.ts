import { type Column, is, Placeholder, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";

/**
 * `column = any($1::int[])`: a list of ids sent as one array parameter. drizzle's `inArray` writes a
 * parameter per id: a task with 300 reports made statements of 300 parameters, a new server-side
 * prepared statement for every list length, and most of the JavaScript time of the read went into
 * building them (BENCHMARKS.md). An empty list matches nothing, as `inArray` does.
 */
export const anyInt = (column: Column | SQL, ids: readonly number[] | Placeholder): SQL =>
  sql`${column} = any(${is(ids, Placeholder) ? ids : sql.param(ids)}::int[])`;

/** `column = any($1::text[])`, as `anyInt` for text keys (the audit log's entity ids). */
export const anyText = (column: Column | SQL, values: readonly string[] | Placeholder): SQL =>
  sql`${column} = any(${is(values, Placeholder) ? values : sql.param(values)}::text[])`;

/**
 * `column = any($1::date[])` for days as YYYY-MM-DD. Sent as text[] and cast: postgres.js cannot
 * serialise a JavaScript array as date[].
 */
export const anyDate = (column: Column | SQL, days: readonly string[]): SQL =>
  sql`${column} = any(${sql.param(days)}::text[]::date[])`;

/** Rows of a raw statement as objects, whichever driver ran it (postgres.js: an array; PGlite: `{ rows }`). */
export async function rawRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** How PostgreSQL writes a timestamptz as text in a session on UTC: `2024-11-11 02:21:18.123456+00`. */
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * A time of a raw row (postgres.js: PostgreSQL's text; PGlite: a Date) as an ISO instant, as
 * `Date#toISOString` writes it. Text in UTC is rewritten without a Date: parsing PostgreSQL's
 * format took most of the JavaScript time of a page of 1,500 rated cells. Any other text (another
 * session time zone) goes through a Date.
 */
export function isoTime(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === "string") {
    const m = UTC_TEXT.exec(value);
    if (m) return `${m[1]}T${m[2]}.${(m[3] ?? "").padEnd(3, "0").slice(0, 3)}Z`;
  }
  return new Date(value).toISOString();
}
