import type { Db } from "../client.ts";

const cache = new WeakMap<object, Map<string, unknown>>();

/**
 * A query built once per database handle and reused with new values (drizzle's `.prepare()` with
 * `sql.placeholder`s). Building a query is most of drizzle's cost on a small read (a millisecond
 * on a task list whose SQL takes 1.6 ms, BENCHMARKS.md), so the hottest reads are prepared: the
 * session lookup every request makes, a unit's task list, a report's submission.
 * A transaction's handle is a new object: it prepares its own.
 */
export function prepared<T>(db: Db, name: string, build: () => T): T {
  let byName = cache.get(db);
  if (!byName) {
    byName = new Map();
    cache.set(db, byName);
  }
  let query = byName.get(name) as T | undefined;
  if (query === undefined) {
    query = build();
    byName.set(name, query);
  }
  return query;
}
