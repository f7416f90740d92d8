/**
 * Due dates and reporting periods of deadline rules.
 *
 * Edge rules:
 * - `by`: the rule's date (the last day on which the work is on time, inclusive); none while the
 *   date is a month and day waiting for the plan's year.
 * - `after`: needs the event's date (null without it). N working days → the N-th working day after
 *   the event day on the calendar (holidays and 调休 make-up days count); N days → event + N;
 *   N hours → event + ⌊N/24⌋ days (the event is taken to happen during the day: 24小时 → next day).
 * - `recurring`, `duration`, `ongoing`: no single due date (see `periodsOf` for recurring rules).
 */
import type { WorkingCalendar } from "./calendar.ts";
import { addDays, isoDate, isoWeekday, lastDayOfMonth } from "./dates.ts";
import { type DeadlineRule, type IsoDate, isMonthDay, type RecurringRule } from "./types.ts";

export function dueDateOf(
  rule: DeadlineRule,
  opts: { eventDate?: IsoDate | null | undefined; calendar: WorkingCalendar },
): IsoDate | null {
  switch (rule.kind) {
    case "by":
      return isMonthDay(rule.date) ? null : rule.date;
    case "after": {
      const event = opts.eventDate;
      if (!event) return null;
      if (rule.unit === "workingDays") return opts.calendar.addWorkingDays(event, rule.amount);
      if (rule.unit === "days") return addDays(event, rule.amount);
      return addDays(event, Math.floor(rule.amount / 24));
    }
    default:
      return null;
  }
}

export type Period = { start: IsoDate; end: IsoDate };

/**
 * The periods of a recurring rule in a year, each one obligation (at least `times` times).
 * Weeks run Monday–Sunday and are clipped to the year (the first and last may be short).
 */
export function periodsOf(rule: RecurringRule, year: number): Period[] {
  const first = `${String(year).padStart(4, "0")}-01-01`;
  const last = `${String(year).padStart(4, "0")}-12-31`;
  const months = (step: number): Period[] => {
    const out: Period[] = [];
    for (let m = 1; m <= 12; m += step) {
      out.push({ start: isoDate(year, m, 1) as IsoDate, end: lastDayOfMonth(year, m + step - 1) });
    }
    return out;
  };
  switch (rule.period) {
    case "year":
      return [{ start: first, end: last }];
    case "halfYear":
      return months(6);
    case "quarter":
      return months(3);
    case "month":
      return months(1);
    case "week": {
      const out: Period[] = [];
      let start = first;
      while (start <= last) {
        const sunday = addDays(start, 7 - isoWeekday(start));
        const end = sunday > last ? last : sunday;
        out.push({ start, end });
        start = addDays(end, 1);
      }
      return out;
    }
  }
}
