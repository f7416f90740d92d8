/**
 * Roll-up for the upper office (issue 17, item 4): the lights of the tasks that carry out an upper
 * plan's tasks in the governments below it, counted per region one level below a chosen region.
 *
 * The database groups assignments by what their light depends on (so a province's half a million
 * assignments arrive as a few thousand groups); these rules turn each group into a light, the
 * same one `trafficLight` gives a single assignment:
 * - done: an approved report with status 已完成, whatever the dates;
 * - overdue: a fixed due date before today, or a closed recurring period short of approved reports;
 * - due soon: the earliest due date, or the end of a current recurring period still short, within
 *   the office's working days of today;
 * - otherwise on track.
 * Only approved reports move a light; a submitted report is counted as awaiting review; drafts and
 * a unit's internal notes never reach the upper office.
 */
import type { WorkingCalendar } from "../deadlines/calendar.ts";
import type { IsoDate } from "../deadlines/types.ts";
import { type Light, lights } from "../reports/lights.ts";

export type LightCounts = Record<Light, number>;
export const noLights = (): LightCounts => ({ done: 0, onTrack: 0, dueSoon: 0, overdue: 0 });

/** Assignments of implementing tasks that share what their light depends on. */
export type RollupGroup = {
  upperTaskId: number;
  /** The child region (a government below the chosen one), or the chosen region itself (本级). */
  regionId: number;
  done: boolean;
  /** A recurring period already closed with fewer approved reports than it asks for. */
  periodMissed: boolean;
  /** The earliest due date of the fixed deadlines (by, after with its event recorded). */
  firstDue: IsoDate | null;
  /** The end of the earliest current recurring period still short of approved reports. */
  openPeriodEnd: IsoDate | null;
  dueSoonWorkingDays: number;
  assignments: number;
  /** Of those, how many have a report submitted and awaiting review. */
  awaitingReview: number;
};

/** The light of a group's assignments as of `today`. */
export function groupLight(
  g: Pick<RollupGroup, "done" | "periodMissed" | "firstDue" | "openPeriodEnd" | "dueSoonWorkingDays">,
  today: IsoDate,
  calendar: Pick<WorkingCalendar, "workingDaysBetween">,
): Light {
  if (g.done) return "done";
  if (g.periodMissed || (g.firstDue !== null && today > g.firstDue)) return "overdue";
  const soon = (d: IsoDate | null) =>
    d !== null && d >= today && calendar.workingDaysBetween(today, d) <= g.dueSoonWorkingDays;
  if (soon(g.firstDue) || soon(g.openPeriodEnd)) return "dueSoon";
  return "onTrack";
}

export type RollupCell = LightCounts & {
  assignments: number;
  awaitingReview: number;
  /** Implementing tasks in the region. */
  tasks: number;
  /** done ÷ assignments, 0 without assignments. */
  completionRate: number;
};

const emptyCell = (): RollupCell => ({
  ...noLights(),
  assignments: 0,
  awaitingReview: 0,
  tasks: 0,
  completionRate: 0,
});

/**
 * Counts per upper task and region, and per upper task over all regions. `taskCounts` gives the
 * implementing tasks per (upper task, region), counted apart because a task's assignments fall in
 * several groups. Every upper task and region asked for gets a cell, zero when nothing is there.
 */
export function rollupCells(input: {
  upperTaskIds: readonly number[];
  regionIds: readonly number[];
  groups: readonly RollupGroup[];
  taskCounts: readonly { upperTaskId: number; regionId: number; tasks: number }[];
  today: IsoDate;
  calendar: Pick<WorkingCalendar, "workingDaysBetween">;
}) {
  const key = (t: number, r: number) => `${t}:${r}`;
  const cells = new Map<string, RollupCell>();
  const totals = new Map<number, RollupCell>();
  for (const t of input.upperTaskIds) {
    totals.set(t, emptyCell());
    for (const r of input.regionIds) cells.set(key(t, r), emptyCell());
  }
  const regionTotals = new Map<number, RollupCell>(input.regionIds.map((r) => [r, emptyCell()]));
  const all = emptyCell();
  const add = (c: RollupCell | undefined, g: RollupGroup, light: Light) => {
    if (!c) return;
    c[light] += g.assignments;
    c.assignments += g.assignments;
    c.awaitingReview += g.awaitingReview;
  };
  // A province's roll-up brings ten thousand groups but few distinct dates: each light is judged
  // once per set of inputs (counting working days is a walk over the calendar).
  const judged = new Map<string, Light>();
  for (const g of input.groups) {
    // A region not asked for (not a child of the region shown) counts nowhere, totals included.
    if (!regionTotals.has(g.regionId)) continue;
    const inputs = `${g.done}|${g.periodMissed}|${g.firstDue}|${g.openPeriodEnd}|${g.dueSoonWorkingDays}`;
    let light = judged.get(inputs);
    if (light === undefined) {
      light = groupLight(g, input.today, input.calendar);
      judged.set(inputs, light);
    }
    add(cells.get(key(g.upperTaskId, g.regionId)), g, light);
    add(totals.get(g.upperTaskId), g, light);
    add(regionTotals.get(g.regionId), g, light);
    if (totals.has(g.upperTaskId)) add(all, g, light);
  }
  for (const n of input.taskCounts) {
    const c = cells.get(key(n.upperTaskId, n.regionId));
    if (!c) continue; // a region or task not asked for, as above
    c.tasks += n.tasks;
    (totals.get(n.upperTaskId) as RollupCell).tasks += n.tasks;
    (regionTotals.get(n.regionId) as RollupCell).tasks += n.tasks;
    all.tasks += n.tasks;
  }
  const rate = (c: RollupCell) => {
    c.completionRate = c.assignments ? c.done / c.assignments : 0;
    return c;
  };
  return {
    cell: (upperTaskId: number, regionId: number) =>
      rate(cells.get(key(upperTaskId, regionId)) ?? emptyCell()),
    taskTotal: (upperTaskId: number) => rate(totals.get(upperTaskId) ?? emptyCell()),
    regionTotal: (regionId: number) => rate(regionTotals.get(regionId) ?? emptyCell()),
    total: rate(all),
  };
}

/** The ids on a materialised path (`/1/7/12/` → [1, 7, 12]). */
export const pathIds = (path: string): number[] =>
  path
    .split("/")
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

/**
 * The region of `path` one level below `regionPath`: the child government's id, the region's own
 * id when `path` is the region itself (本级), null when `path` lies outside the region.
 */
export function childRegionOf(path: string, regionPath: string): number | null {
  if (!path.startsWith(regionPath)) return null;
  const own = pathIds(regionPath);
  const ids = pathIds(path);
  if (ids.length === own.length) return own.at(-1) ?? null;
  return ids[own.length] ?? null;
}

/**
 * The breadcrumb from the top region the viewer may see down to the region shown: the ids of
 * `regionPath` from `topPath`'s last id on, each named when its name is known. A region outside
 * `topPath` has no breadcrumb (the caller refuses it).
 */
export function regionTrail(
  regionPath: string,
  topPath: string,
  names: ReadonlyMap<number, string>,
): { id: number; name: string }[] | null {
  if (!regionPath.startsWith(topPath)) return null;
  const top = pathIds(topPath).length;
  return pathIds(regionPath)
    .slice(Math.max(0, top - 1))
    .map((id) => ({ id, name: names.get(id) ?? `#${id}` }));
}

/** Lights from the most to the least urgent, for columns and legends. */
export const rollupLightOrder: readonly Light[] = [...lights].reverse();
