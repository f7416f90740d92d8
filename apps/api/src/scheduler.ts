import { type Database, type Notifier, runDailyJobs } from "@gongkai/db";

/**
 * Runs the daily job (reminders, notice escalation) once a day after `hour` o'clock China time.
 * Every API process runs this timer; the job_runs primary key lets only one of them do the work.
 */
export function startScheduler(opts: {
  database: Database;
  notifier: Notifier;
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
      const result = await runDailyJobs(opts.database.db, at, opts.notifier);
      if (result)
        console.log(
          `[jobs] daily: ${result.reminders} reminders (${result.undelivered} not delivered outside the app), ${result.escalated} notices escalated`,
        );
    } catch (e) {
      console.error("[jobs] daily job failed:", e);
    }
  };
  const timer = setInterval(tick, opts.intervalMs ?? 10 * 60_000);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
