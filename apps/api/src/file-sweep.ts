import { createHash } from "node:crypto";
import { localDate } from "@gongkai/core";
import {
  claimJobRun,
  type Db,
  finishJobRun,
  releaseJobRun,
  storageKeyInUse,
  storageKeysInUse,
} from "@gongkai/db";
import { type FileStore, type StoreEntry, storageKeyFor } from "./storage.ts";

/** Nothing younger than this is swept: an upload in flight finishes well within it. */
export const sweepGraceMs = 60 * 60_000;

export type SweepResult = {
  /** Temporary files deleted (uploads killed before their row was written). */
  temporary: number;
  /** Objects deleted that no file row names. */
  orphans: number;
  /** Temporary files moved to their key: the row was written, the process died before the move. */
  recovered: number;
  /** Bytes freed. */
  bytes: number;
  /** Entries that could not be handled (logged; tried again next time). */
  failed: number;
};

/**
 * Deletes from the store what nothing uses, once it is older than the grace period:
 * - a temporary file whose key no row names (an upload killed before its row); one whose key a
 *   row names while the object is missing is moved into place instead (killed after the row),
 *   when its bytes still hash to that key (a write cut short is deleted);
 * - an object no row names. It is first set aside and the rows looked at once more, so a file
 *   uploaded again with the same content while the sweep runs is put back, not lost.
 * Anything else in the store's folder is left alone; names are the store's own patterns only.
 */
export async function sweepFileStore(
  db: Db,
  store: FileStore,
  now: Date,
  graceMs = sweepGraceMs,
): Promise<SweepResult> {
  const result: SweepResult = { temporary: 0, orphans: 0, recovered: 0, bytes: 0, failed: 0 };
  const cutoff = now.getTime() - graceMs;
  const old: StoreEntry[] = [];
  for await (const entry of store.list()) if (entry.modifiedAt.getTime() < cutoff) old.push(entry);
  if (old.length === 0) return result;
  const inUse = await storageKeysInUse(db);

  const attempt = async (entry: StoreEntry, work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      result.failed++;
      console.error(`[files] sweep: ${entry.name}:`, e);
    }
  };

  for (const entry of old.filter((e) => e.temporary)) {
    await attempt(entry, async () => {
      if (
        inUse.has(entry.key) &&
        (await isWhole(store, entry)) &&
        (await store.commit(entry.name, entry.key))
      ) {
        result.recovered++;
        return;
      }
      await store.remove(entry.name);
      result.temporary++;
      result.bytes += entry.size;
    });
  }
  for (const entry of old.filter((e) => !e.temporary && !inUse.has(e.key))) {
    await attempt(entry, async () => {
      const aside = await store.setAside(entry.key);
      if (!aside) return;
      if (await storageKeyInUse(db, entry.key)) {
        await store.commit(aside, entry.key);
        return;
      }
      await store.remove(aside);
      result.orphans++;
      result.bytes += entry.size;
    });
  }
  return result;
}

/** Do a temporary file's bytes hash to the key they were meant for? */
async function isWhole(store: FileStore, entry: StoreEntry): Promise<boolean> {
  const bytes = await store.get(entry.name);
  return bytes !== null && storageKeyFor(createHash("sha256").update(bytes).digest("hex")) === entry.key;
}

/**
 * The sweep once a day across processes (job_runs "file-sweep"), like the daily job. Returns
 * null when another process has the day.
 */
export async function runDailyFileSweep(
  db: Db,
  store: FileStore,
  now: Date,
  clock: () => Date = () => new Date(),
) {
  const today = localDate(now);
  if (!(await claimJobRun(db, "file-sweep", today, now))) return null;
  try {
    const result = await sweepFileStore(db, store, now);
    await finishJobRun(db, "file-sweep", today, result, clock());
    return result;
  } catch (e) {
    await releaseJobRun(db, "file-sweep", today).catch(() => {});
    throw e;
  }
}
