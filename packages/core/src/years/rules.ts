/**
 * Year over year (同比): how one year's figures are computed from counts, and how a year compares
 * with the year before. Pure rules; the database counts (queries/years.ts) follow the definitions
 * written here, and the db tests check the two agree.
 *
 * A unit-task is one assignment of a task to a lead (牵头) or responsible (责任) unit on a published
 * plan; cooperating units are judged on the lead's work and are not counted again (as on the
 * dashboard).
 */
import { daysBetween } from "../deadlines/dates.ts";
import type { IsoDate } from "../deadlines/types.ts";

/**
 * The day a year's figures are taken at: its last day once it is over, else today. A past year's
 * figures therefore stop moving on 12-31 (work finished next January counts as open that year).
 */
export function yearCutoff(year: number, today: IsoDate): IsoDate {
  const end = `${year}-12-31`;
  return today < end ? today : end;
}

/** Is the year still running on `today` (its figures are so far, not final)? */
export const yearInProgress = (year: number, today: IsoDate) => today <= `${year}-12-31`;

/**
 * 逾期天数 of one unit-task, in calendar days: a task finished late counts the days from its due
 * date to the day it was finished; a task still open at the cut-off (the year's end, or today)
 * counts the days from its due date to the cut-off. `due` is the task's earliest dated deadline
 * (the first milestone missed is when the dashboard turns it red); without one it is never overdue.
 * `finishedOn` is the day of the work in the first approved report with status 已完成.
 */
export function overdueDays(due: IsoDate | null, finishedOn: IsoDate | null, cutoff: IsoDate): number {
  if (due === null) return 0;
  const end = finishedOn !== null && finishedOn <= cutoff ? finishedOn : cutoff;
  return Math.max(0, daysBetween(due, end));
}

/** Is the unit-task finished by the cut-off? */
export const finishedBy = (finishedOn: IsoDate | null, cutoff: IsoDate) =>
  finishedOn !== null && finishedOn <= cutoff;

/** What the database counts for one year (for a scope or for one unit). */
export type YearCounts = {
  year: number;
  /** Unit-tasks (lead and responsible assignments) on the year's published plans. */
  unitTasks: number;
  /** Finished by the cut-off. */
  done: number;
  /** Unit-tasks with at least one overdue day (finished late, or open past due at the cut-off). */
  overdue: number;
  /** Sum of the overdue days of those unit-tasks. */
  overdueDays: number;
  /** Reports returned by the office (退回), counting every return decision. */
  returns: number;
};

export type YearFigures = YearCounts & {
  /** Share finished, 0–1; null when the year has no unit-task. */
  completion: number | null;
  /** Share overdue, 0–1; null when the year has no unit-task. */
  overdueShare: number | null;
  /** Overdue days per overdue unit-task; null when none was overdue. */
  averageOverdueDays: number | null;
  /** The year had no unit-task at all: the page says so rather than draw zeros. */
  empty: boolean;
  /** The year is not over: its figures are as of today. */
  inProgress: boolean;
};

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** A year's figures from its counts. */
export function yearFigures(c: YearCounts, today: IsoDate): YearFigures {
  return {
    ...c,
    completion: share(c.done, c.unitTasks),
    overdueShare: share(c.overdue, c.unitTasks),
    averageOverdueDays: c.overdue > 0 ? c.overdueDays / c.overdue : null,
    empty: c.unitTasks === 0,
    inProgress: yearInProgress(c.year, today),
  };
}

/** The change from `previous` to `current`; null when either is missing. */
export function change(current: number | null | undefined, previous: number | null | undefined) {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  return current - previous;
}

/**
 * Places moved up from `previous` rank to `current` rank (rank 3 → 1 is +2); null when either is
 * missing (a unit not ranked one of the years).
 */
export function rankChange(current: number | null | undefined, previous: number | null | undefined) {
  return change(previous, current);
}

export type YearChange = {
  /** The year compared with: always the calendar year before; null when it has no figures. */
  previousYear: number | null;
  completion: number | null;
  overdue: number | null;
  overdueDays: number | null;
  returns: number | null;
};

/**
 * Every year from the first to the last one with figures, in order, with the change from the year
 * before. A year in between without any figures is listed as empty (a gap the chart must show,
 * not close), and its neighbours have no change from it.
 */
export function compareYears(
  counts: readonly YearCounts[],
  today: IsoDate,
): (YearFigures & { change: YearChange })[] {
  if (counts.length === 0) return [];
  const byYear = new Map(counts.map((c) => [c.year, c]));
  const years = counts.map((c) => c.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  const out: (YearFigures & { change: YearChange })[] = [];
  let before: YearFigures | null = null;
  for (let year = first; year <= last; year++) {
    const f = yearFigures(
      byYear.get(year) ?? { year, unitTasks: 0, done: 0, overdue: 0, overdueDays: 0, returns: 0 },
      today,
    );
    const prev = before && !before.empty ? before : null;
    out.push({
      ...f,
      change: {
        previousYear: prev ? prev.year : null,
        completion: prev && !f.empty ? change(f.completion, prev.completion) : null,
        overdue: prev && !f.empty ? f.overdue - prev.overdue : null,
        overdueDays: prev && !f.empty ? f.overdueDays - prev.overdueDays : null,
        returns: prev && !f.empty ? f.returns - prev.returns : null,
      },
    });
    before = f;
  }
  return out;
}

/** One published result of a unit in one year (assessment or evaluation). */
export type YearScore = {
  year: number;
  /** The group ranked together: the assessment's unit group, the evaluation's tier. */
  tier: string;
  total: number | null;
  rank: number | null;
  /** Units ranked in that tier that year. */
  of: number;
  max: number;
};

/**
 * Each score with the change from the same tier's score the year before (points and places); a
 * unit that was not scored in that tier last year has no change.
 */
export function scoreChanges(scores: readonly YearScore[]) {
  const key = (year: number, tier: string) => `${year}\u0000${tier}`;
  const of = new Map(scores.map((s) => [key(s.year, s.tier), s]));
  return [...scores]
    .sort((a, b) => a.year - b.year || a.tier.localeCompare(b.tier, "zh-CN"))
    .map((s) => {
      const last = of.get(key(s.year - 1, s.tier));
      return {
        ...s,
        previousTotal: last?.total ?? null,
        previousRank: last?.rank ?? null,
        delta: change(s.total, last?.total),
        rankChange: rankChange(s.rank, last?.rank),
      };
    });
}

/** The mean of the totals present, null when none is. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? present.reduce((a, b) => a + b, 0) / present.length : null;
}
