/**
 * The working-day calendar (工作日): Monday–Friday are working days, Saturday and Sunday are not,
 * except for the exception days the State Council publishes each year — `holiday` (a weekday off:
 * 春节, 国庆…) and `workday` (a weekend day worked: 调休). The exceptions are data (the calendar
 * table, seeded from chinese-days), so the office can add next year's schedule when it is announced.
 */
import { addDays, isoWeekday } from "./dates.ts";
import type { IsoDate } from "./types.ts";

export type CalendarException = { date: IsoDate; kind: "holiday" | "workday" };

export class WorkingCalendar {
  private readonly exceptions: ReadonlyMap<IsoDate, "holiday" | "workday">;

  constructor(exceptions: readonly CalendarException[] = []) {
    const map = new Map<IsoDate, "holiday" | "workday">();
    for (const e of exceptions) map.set(e.date, e.kind);
    this.exceptions = map;
  }

  /** Exception days listed win; otherwise Monday–Friday work and weekends are off. */
  isWorkingDay(date: IsoDate): boolean {
    const kind = this.exceptions.get(date);
    if (kind === "holiday") return false;
    if (kind === "workday") return true;
    return isoWeekday(date) <= 5;
  }

  /**
   * The n-th working day after `date`, not counting `date` itself: "N个工作日内" after an event
   * on day D is due on `addWorkingDays(D, N)`. n = 0 gives `date`; a negative n counts backwards.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let day = date;
    while (left > 0) {
      day = addDays(day, step);
      if (this.isWorkingDay(day)) left--;
    }
    return day;
  }

  /**
   * Working days after `from` up to and including `to`, so that
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative when `to` is before `from`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    if (to >= from) {
      // Working days in (from, to].
      for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (this.isWorkingDay(day)) count++;
      return count;
    }
    // Backwards: working days in [to, from), so that addWorkingDays(from, -n) lands on `to`.
    for (let day = to; day < from; day = addDays(day, 1)) if (this.isWorkingDay(day)) count++;
    return -count;
  }
}
