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
import { periodsOf } from "../deadlines/due.ts";
import type { DeadlineRule, IsoDate } from "../deadlines/types.ts";

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
  const { today, calendar } = input;
  const done = input.approved.find((r) => r.status === "done");
  if (done) return { light: "done", dueDate: null, reason: `已于 ${done.on} 完成并通过审核` };

  const soon = (due: IsoDate) => calendar.workingDaysBetween(today, due) <= input.dueSoonWorkingDays;
  let worst: LightResult = { light: "onTrack", dueDate: null, reason: "持续推进,无固定时限" };
  const consider = (r: LightResult) => {
    if (severity[r.light] > severity[worst.light] || (r.light === worst.light && worst.dueDate === null))
      worst = r;
  };

  for (const d of input.deadlines) {
    const rule = d.rule;
    if (rule.kind === "recurring") {
      for (const p of periodsOf(rule, input.year)) {
        if (p.start > today) break;
        const count = input.approved.filter((r) => r.on >= p.start && r.on <= p.end).length;
        if (count >= rule.times) continue;
        if (p.end < today) {
          consider({
            light: "overdue",
            dueDate: p.end,
            reason: `${p.start} 至 ${p.end} 应至少开展 ${rule.times} 次,已审核通过 ${count} 次`,
          });
        } else if (soon(p.end)) {
          consider({
            light: "dueSoon",
            dueDate: p.end,
            reason: `本期(至 ${p.end})还需开展 ${rule.times - count} 次`,
          });
        } else {
          consider({
            light: "onTrack",
            dueDate: p.end,
            reason: `本期(至 ${p.end})还需开展 ${rule.times - count} 次`,
          });
        }
      }
      continue;
    }
    const due = d.dueDate;
    if (!due) {
      if (rule.kind === "after")
        consider({ light: "onTrack", dueDate: null, reason: `待「${rule.event}」发生后起算` });
      continue;
    }
    if (today > due) consider({ light: "overdue", dueDate: due, reason: `应于 ${due} 前完成,已逾期` });
    else if (soon(due)) consider({ light: "dueSoon", dueDate: due, reason: `应于 ${due} 前完成,即将到期` });
    else consider({ light: "onTrack", dueDate: due, reason: `应于 ${due} 前完成` });
  }
  return worst;
}

/** Was a done report on time? A report on the due day is on time. */
export const onTime = (submittedOn: IsoDate, due: IsoDate) => submittedOn <= due;
