/**
 * Traffic lights (预警 / 逾期) of one unit's work on one task, from the task's deadline rules, the
 * unit's approved reports, and a day passed in ("today" is an argument, never read from a clock).
 *
 * Edge rules:
 * - A `by` deadline is on time through its due day: overdue only from the day after.
 * - Done = an approved report with status 已完成; a task done is green whatever its dates.
 * - Due soon = the due day is within `dueSoonWorkingDays` working days of today (holidays and
 *   调休 make-up days counted by the calendar), and not yet done.
 * - `after`: no due date until the event date is recorded; until then the task is on track.
 * - `recurring` (每年至少N次, 每季度): each period of the plan year needs `times` approved reports
 *   whose work falls in it; a period that has ended short is overdue; the current period is due
 *   soon near its end.
 * - `duration` and `ongoing` have no due date: on track until done.
 * - With several deadlines the worst light wins (overdue > due soon > on track).
 */
import type { WorkingCalendar } from "../deadlines/calendar.ts";
import { type Period, periodsOf } from "../deadlines/due.ts";
import type { DeadlineRule, IsoDate, RecurringRule } from "../deadlines/types.ts";

export const lights = ["done", "onTrack", "dueSoon", "overdue"] as const;
export type Light = (typeof lights)[number];
export const lightLabels: Record<Light, string> = {
  done: "已完成",
  onTrack: "正常推进",
  dueSoon: "临期预警",
  overdue: "逾期",
};
export const lightColors: Record<Light, string> = {
  done: "#52c41a",
  onTrack: "#1677ff",
  dueSoon: "#faad14",
  overdue: "#f5222d",
};

export type LightDeadline = { rule: DeadlineRule; dueDate: IsoDate | null };
/** An approved report: its status and the day its work counts for (occurredOn, else the day submitted). */
export type ApprovedReport = { status: "notStarted" | "inProgress" | "done" | "blocked"; on: IsoDate };

export type LightResult = {
  light: Light;
  /** The nearest date that matters (the due date, or the end of the open recurring period). */
  dueDate: IsoDate | null;
  /** For people: why the light is what it is. */
  reason: string;
};

const severity: Record<Light, number> = { done: 0, onTrack: 1, dueSoon: 2, overdue: 3 };

export function trafficLight(input: {
  deadlines: readonly LightDeadline[];
  approved: readonly ApprovedReport[];
  today: IsoDate;
  year: number;
  calendar: WorkingCalendar;
  dueSoonWorkingDays: number;
}): LightResult {
  const { today, calendar, approved, dueSoonWorkingDays } = input;
  for (const r of approved)
    if (r.status === "done") return { light: "done", dueDate: null, reason: `已于 ${r.on} 完成并通过审核` };

  // The worst so far, and why (the reason is written once, for the light that wins: a dashboard's
  // trend judges thousands of rows on twelve days).
  let light: Light = "onTrack";
  let dueDate: IsoDate | null = null;
  let why: Why = free;
  for (const d of input.deadlines) {
    const rule = d.rule;
    if (rule.kind === "recurring") {
      for (const p of recurringPeriods(rule, input.year)) {
        if (p.start > today) break;
        let count = 0;
        for (const r of approved) if (r.on >= p.start && r.on <= p.end) count++;
        if (count >= rule.times) continue;
        const l: Light =
          p.end < today
            ? "overdue"
            : calendar.workingDaysBetween(today, p.end) <= dueSoonWorkingDays
              ? "dueSoon"
              : "onTrack";
        if (worse(l, light, dueDate)) {
          light = l;
          dueDate = p.end;
          why = { kind: "period", start: p.start, end: p.end, times: rule.times, count };
        }
      }
      continue;
    }
    const due = d.dueDate;
    if (!due) {
      if (rule.kind === "after" && worse("onTrack", light, dueDate)) {
        light = "onTrack";
        dueDate = null;
        why = { kind: "after", event: rule.event };
      }
      continue;
    }
    const l: Light =
      today > due
        ? "overdue"
        : calendar.workingDaysBetween(today, due) <= dueSoonWorkingDays
          ? "dueSoon"
          : "onTrack";
    if (worse(l, light, dueDate)) {
      light = l;
      dueDate = due;
      why = { kind: "due", due };
    }
  }
  return { light, dueDate, reason: reasonOf(light, why) };
}

/** Does a light replace the worst so far? More severe, or as severe with a date where there was none. */
const worse = (l: Light, worst: Light, worstDue: IsoDate | null) =>
  severity[l] > severity[worst] || (l === worst && worstDue === null);

type Why =
  | { kind: "free" }
  | { kind: "after"; event: string }
  | { kind: "due"; due: IsoDate }
  | { kind: "period"; start: IsoDate; end: IsoDate; times: number; count: number };
const free: Why = { kind: "free" };

function reasonOf(light: Light, why: Why): string {
  switch (why.kind) {
    case "free":
      return "持续推进,无固定时限";
    case "after":
      return `待「${why.event}」发生后起算`;
    case "due":
      return light === "overdue"
        ? `应于 ${why.due} 前完成,已逾期`
        : light === "dueSoon"
          ? `应于 ${why.due} 前完成,即将到期`
          : `应于 ${why.due} 前完成`;
    case "period":
      return light === "overdue"
        ? `${why.start} 至 ${why.end} 应至少开展 ${why.times} 次,已审核通过 ${why.count} 次`
        : `本期(至 ${why.end})还需开展 ${why.times - why.count} 次`;
  }
}

/** The periods of a recurring rule in a year, worked out once per rule (rules are read-only here). */
const periodsByRule = new WeakMap<RecurringRule, Map<number, readonly Period[]>>();
function recurringPeriods(rule: RecurringRule, year: number): readonly Period[] {
  let byYear = periodsByRule.get(rule);
  if (!byYear) {
    byYear = new Map();
    periodsByRule.set(rule, byYear);
  }
  let periods = byYear.get(year);
  if (!periods) {
    periods = periodsOf(rule, year);
    byYear.set(year, periods);
  }
  return periods;
}

/** Was a done report on time? A report on the due day is on time. */
export const onTime = (submittedOn: IsoDate, due: IsoDate) => submittedOn <= due;
