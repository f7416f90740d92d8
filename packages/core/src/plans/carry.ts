/**
 * Carrying a plan into the next year (接续): every office starts a year from the last one's
 * unfinished work. A task some lead or responsible unit has not finished is continued — copied
 * with its units and a link to where it came from; a task every such unit finished is offered
 * for 回头看 (looked at again, with evidence that the result lasted). Deadlines move to the new
 * year by their rules: a date keeps its day and month, a rule without a date stays as it is, and
 * an event-based one waits for the new year's event.
 */
import { daysInMonth, isoDate, lastDayOfMonth } from "../deadlines/dates.ts";
import { type DeadlineRule, isMonthDay } from "../deadlines/types.ts";
import type { AssignmentRole } from "../domain.ts";
import type { Light } from "../reports/lights.ts";

export const carryKinds = ["continued", "revisit"] as const;
export type CarryKind = (typeof carryKinds)[number];
export const carryKindLabels: Record<CarryKind, string> = { continued: "延续", revisit: "回头看" };

/** One unit's standing on a task at the end of the year. */
export type CarryAssignment = { unitId: number; unitName: string; role: AssignmentRole; light: Light };

export type CarryTask = { id: number; code: string; title: string; assignments: CarryAssignment[] };

export type CarrySplit = {
  /** Tasks some lead or responsible unit has not finished, with those units. */
  unfinished: { task: CarryTask; notDone: CarryAssignment[] }[];
  /** Tasks every lead and responsible unit finished: candidates for 回头看. */
  finished: CarryTask[];
  /** Tasks nobody leads or answers for (no unit to judge them by): left to the office. */
  unassigned: CarryTask[];
};

/** Which tasks carry on and which are done. A cooperating unit's work does not decide it. */
export function splitForCarry(tasks: CarryTask[]): CarrySplit {
  const split: CarrySplit = { unfinished: [], finished: [], unassigned: [] };
  for (const task of tasks) {
    const owners = task.assignments.filter((a) => a.role !== "cooperating");
    if (owners.length === 0) split.unassigned.push(task);
    else {
      const notDone = owners.filter((a) => a.light !== "done");
      if (notDone.length) split.unfinished.push({ task, notDone });
      else split.finished.push(task);
    }
  }
  return split;
}

/**
 * A deadline rule in the year `year`: a `by` date keeps its month and day (29 February becomes
 * the 28th in a common year; a month's end stays the month's end); a month-day without a year gets one; every other rule
 * (recurring, duration, ongoing, after an event) has no date of its own and is kept.
 */
export function moveRuleToYear(rule: DeadlineRule, year: number): DeadlineRule {
  if (rule.kind !== "by") return rule;
  const monthDay = isMonthDay(rule.date) ? rule.date.slice(2) : rule.date.slice(5);
  const month = Number(monthDay.slice(0, 2));
  // 6月底前 is the month's end in any year (2月底前: the 29th in a leap year).
  if (rule.precision !== "day") return { ...rule, date: lastDayOfMonth(year, month) };
  const day = Math.min(Number(monthDay.slice(3, 5)), daysInMonth(year, month));
  return { ...rule, date: isoDate(year, month, day) ?? rule.date };
}

/** A deadline phrase's years moved too (2025年6月底前 → 2026年6月底前); other text unchanged. */
export function movePhraseToYear(phrase: string, fromYear: number, year: number): string {
  return phrase.replaceAll(`${fromYear}年`, `${year}年`);
}
