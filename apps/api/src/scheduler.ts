import { auditChainHead, type Database, formatSize, runDailyJobs } from "@gongkai/db";
import { runDailyFileSweep } from "./file-sweep.ts";
import type { FileStore } from "./storage.ts";

/**
 * Runs the daily job (reminders, notice escalation, the daily digests) once a day after `hour`
 * o'clock China time, and, given the file store, the sweep of files nothing uses (file-sweep.ts).
 * Every API process runs this timer; the job_runs primary key lets only one of them do the work.
 * What the job writes for email, SMS and group robots goes to the outbox, which the outbox worker
 * (channels/worker.ts) delivers.
 */
export function startScheduler(opts: {
  database: Database;
  /** The store uploads go to; without it nothing is swept. */
  fileStore?: FileStore;
  now?: () => Date;
  hour?: number;
  intervalMs?: number;
}) {
  const now = opts.now ?? (() => new Date());
  const hour = opts.hour ?? 8;
  const tick = async () => {
    const at = now();
    const chinaHour = (at.getUTCHours() + 8) % 24;
    if (chinaHour < hour) return;
    try {
      const result = await runDailyJobs(opts.database.db, at);
      if (result) {
        console.log(
          `[jobs] daily: ${result.reminders} reminders, ${result.escalated} notices escalated, ${result.digests} daily digests`,
        );
        // The audit chain's head, into a log kept apart from the database: removing the newest
        // audit rows shows only against a head recorded before (pnpm audit:verify prints today's).
        const head = await auditChainHead(opts.database.db);
        if (head) console.log(`[audit] chain head: seq ${head.seq} hash ${head.hash}`);
      }
    } catch (e) {
      console.error("[jobs] daily job failed:", e);
    }
    if (!opts.fileStore) return;
    try {
      const swept = await runDailyFileSweep(opts.database.db, opts.fileStore, at);
      if (swept)
        console.log(
          `[files] sweep: ${swept.temporary} temporary files of unfinished uploads and ${swept.orphans} files no record uses removed (${formatSize(swept.bytes)}), ${swept.recovered} uploads completed, ${swept.failed} failed`,
        );
    } catch (e) {
      console.error("[files] sweep failed:", e);
    }
  };
  const timer = setInterval(tick, opts.intervalMs ?? 10 * 60_000);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
