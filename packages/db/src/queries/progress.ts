import {
  type ApprovedReport,
  type AssignmentRole,
  type Category,
  type IsoDate,
  type Light,
  type LightDeadline,
  localDate,
  type ReportState,
  type ReportStatus,
  trafficLight,
  trendDays,
  type WorkingCalendar,
} from "@gongkai/core";
import { and, asc, eq, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../client.ts";
import {
  deadlines,
  lightDays,
  officeSettings,
  plans,
  progressReports,
  reportReviews,
  sections,
  supervisionNotices,
  taskAssignments,
  tasks,
  units,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyDate, anyInt, rawRows } from "./any.ts";
import { loadCalendar } from "./calendar.ts";
import { requirePlanInScope } from "./plans.ts";

export type AssignmentLight = {
  taskId: number;
  code: string;
  title: string;
  category: Category | null;
  planId: number;
  year: number;
  sectionTitle: string | null;
  unitId: number;
  unitName: string;
  role: AssignmentRole;
  light: Light;
  dueDate: IsoDate | null;
  reason: string;
  /** The unit's latest report on the task: its state and progress. */
  reportState: "draft" | "submitted" | "approved" | "returned" | null;
  percent: number | null;
};

export const defaultSettings = {
  dueSoonWorkingDays: 5,
  remindBeforeWorkingDays: 3,
  noticeReplyWorkingDays: 5,
};
export type OfficeSettings = typeof defaultSettings;

export async function getOfficeSettings(db: Db, unitId: number | null): Promise<OfficeSettings> {
  if (unitId === null) return defaultSettings;
  const [row] = await db.select().from(officeSettings).where(eq(officeSettings.unitId, unitId));
  return row
    ? {
        dueSoonWorkingDays: row.dueSoonWorkingDays,
        remindBeforeWorkingDays: row.remindBeforeWorkingDays,
        noticeReplyWorkingDays: row.noticeReplyWorkingDays,
      }
    : defaultSettings;
}

export async function saveOfficeSettings(db: Db, unitId: number, s: OfficeSettings) {
  await db
    .insert(officeSettings)
    .values({ unitId, ...s })
    .onConflictDoUpdate({ target: officeSettings.unitId, set: { ...s, updatedAt: new Date() } });
  return getOfficeSettings(db, unitId);
}

type Filter = { planIds?: number[]; unitId?: number; year?: number };

/**
 * Traffic lights of assignments (task × unit) as of a day. Lead and responsible units are judged
 * on their own approved reports; a cooperating unit shares the light of the task's lead units.
 * `asOf` also limits which approvals count (for trends and bulletins as of a past date).
 */
export async function assignmentLights(
  db: Db,
  filter: Filter,
  opts: LightOptions,
): Promise<AssignmentLight[]> {
  return computeLights(await loadLightData(db, filter), opts);
}

type LightOptions = { today: IsoDate; calendar: WorkingCalendar; dueSoonWorkingDays: number };
type LightData = Awaited<ReturnType<typeof loadLightData>>;

/**
 * The calendar day in China (UTC+8, no daylight saving since 1991) of a timestamp, as YYYY-MM-DD,
 * computed by the database: the same day `localDate` gives, without building a date in JavaScript
 * for each of the thousands of reports a plan's lights read.
 */
const chinaDay = (column: AnyPgColumn) =>
  sql<string | null>`to_char((${column} at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;

/**
 * The calendar with `workingDaysBetween` answered from running counts over three years around the
 * first day asked: lights ask it for thousands of (today, due date) pairs (every assignment, every
 * day of a trend), and it counts day by day. Days outside the range ask the calendar itself.
 */
const memoCalendars = new WeakMap<WorkingCalendar, WorkingCalendar>();
const DAY_MS = 86_400_000;
function memoCalendar(calendar: WorkingCalendar): WorkingCalendar {
  const had = memoCalendars.get(calendar);
  if (had) return had;
  let start = 0;
  let counts: Int32Array | null = null; // counts[i]: working days from `start` through day i
  const build = (around: IsoDate) => {
    const year = Number(around.slice(0, 4));
    start = Date.UTC(year - 1, 0, 1);
    const days = Math.round((Date.UTC(year + 2, 0, 1) - start) / DAY_MS);
    counts = new Int32Array(days);
    let n = 0;
    for (let i = 0; i < days; i++) {
      if (calendar.isWorkingDay(new Date(start + i * DAY_MS).toISOString().slice(0, 10))) n++;
      counts[i] = n;
    }
  };
  const indexOf = (day: IsoDate) => {
    const i = Math.round((Date.parse(`${day}T00:00:00Z`) - start) / DAY_MS);
    return counts && i >= 0 && i < counts.length ? i : -1;
  };
  const memo = Object.create(calendar) as WorkingCalendar;
  memo.workingDaysBetween = (from: IsoDate, to: IsoDate) => {
    if (!counts) build(from);
    const a = indexOf(from);
    const b = indexOf(to);
    if (!counts || a < 0 || b < 0) return calendar.workingDaysBetween(from, to);
    const upTo = (i: number) => (i > 0 ? (counts as Int32Array)[i - 1] : 0) as number;
    // Forward: working days in (from, to]; backward: minus those in [to, from).
    return to >= from ? (counts[b] as number) - (counts[a] as number) : -(upTo(a) - upTo(b));
  };
  memoCalendars.set(calendar, memo);
  return memo;
}

/** A report as the lights read it. */
type LightReport = {
  taskId: number;
  unitId: number;
  status: ReportStatus;
  state: ReportState;
  percent: number;
  /** The day its work counts for: when it happened, else the day submitted, else its period's start. */
  on: IsoDate;
  reviewedOn: IsoDate | null;
};

/** Everything the lights of the filtered assignments depend on, in three queries. */
async function loadLightData(db: Db, filter: Filter) {
  const conditions: (SQL | undefined)[] = [
    inArray(plans.status, ["published", "archived"]),
    filter.planIds ? inArray(plans.id, filter.planIds) : undefined,
    filter.unitId ? eq(taskAssignments.unitId, filter.unitId) : undefined,
    filter.year ? eq(plans.year, filter.year) : undefined,
  ];
  const rows = await db
    .select({
      taskId: tasks.id,
      code: tasks.code,
      title: tasks.title,
      category: tasks.category,
      planId: plans.id,
      year: plans.year,
      sectionTitle: sections.title,
      unitId: taskAssignments.unitId,
      unitName: units.name,
      role: taskAssignments.role,
      sortOrder: tasks.sortOrder,
    })
    .from(taskAssignments)
    .innerJoin(tasks, eq(tasks.id, taskAssignments.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, taskAssignments.unitId))
    .leftJoin(sections, eq(sections.id, tasks.sectionId))
    .where(and(...conditions))
    .orderBy(asc(plans.id), asc(tasks.sortOrder), asc(tasks.id), asc(units.path));
  const taskIds = [...new Set(rows.map((r) => r.taskId))];
  if (taskIds.length === 0) return { rows, dl: [], reports: [] };
  // Deadlines and reports of those tasks: independent, sent together.
  const [dl, reports] = await Promise.all([
    db
      .select({ taskId: deadlines.taskId, rule: deadlines.rule, dueDate: deadlines.dueDate })
      .from(deadlines)
      .where(anyInt(deadlines.taskId, taskIds)),
    // Thousands of rows for a city plan: read as plain rows (every value a string or a number), not
    // through drizzle's per-field mapping, which took a fifth of the lights' time.
    rawRows<LightReport>(
      db,
      sql`select ${progressReports.taskId} as "taskId", ${progressReports.unitId} as "unitId",
            ${progressReports.status} as "status", ${progressReports.state} as "state",
            ${progressReports.percent} as "percent",
            coalesce(${progressReports.occurredOn}::text, ${chinaDay(progressReports.submittedAt)},
              ${progressReports.periodStart}::text) as "on",
            ${chinaDay(progressReports.reviewedAt)} as "reviewedOn"
          from ${progressReports}
          where ${anyInt(progressReports.taskId, taskIds)}
          order by ${progressReports.taskId}, ${progressReports.unitId}, ${progressReports.periodStart}, ${progressReports.id}`,
    ),
  ]);
  return { rows, dl, reports };
}

type Approval = ApprovedReport & { reviewedOn: IsoDate };
type Prepared = {
  deadlinesOf: Map<number, LightDeadline[]>;
  /** Approved reports per `${taskId}:${unitId}`, in report order, with the day each was approved. */
  approvalsOf: Map<string, Approval[]>;
  /** The day of the latest approval per `${taskId}:${unitId}`. */
  lastApprovalOf: Map<string, IsoDate>;
  latestOf: Map<string, LightData["reports"][number]>;
  leadsOf: Map<number, number[]>;
  /** Each row's `${taskId}:${unitId}`. */
  keys: string[];
};
const preparedOf = new WeakMap<LightData, Prepared>();

/** What does not depend on the day, grouped once per load (the dashboard's trend asks for twelve days). */
function prepare(data: LightData): Prepared {
  const had = preparedOf.get(data);
  if (had) return had;
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const deadlinesOf = new Map<number, LightDeadline[]>();
  for (const d of data.dl) push(deadlinesOf, d.taskId, d);
  const approvalsOf = new Map<string, Approval[]>();
  const lastApprovalOf = new Map<string, IsoDate>();
  const latestOf = new Map<string, LightData["reports"][number]>();
  // Reports come grouped by task and unit (in period order within): a key per group, not per report.
  let key = "";
  let taskId = -1;
  let unitId = -1;
  for (const r of data.reports) {
    if (r.taskId !== taskId || r.unitId !== unitId) {
      taskId = r.taskId;
      unitId = r.unitId;
      key = `${taskId}:${unitId}`;
    }
    latestOf.set(key, r);
    if (r.state !== "approved" || !r.reviewedOn) continue;
    // The row is the approval (status, on, reviewedOn): no object per report.
    push(approvalsOf, key, r as Approval);
    const last = lastApprovalOf.get(key);
    if (!last || last < r.reviewedOn) lastApprovalOf.set(key, r.reviewedOn);
  }
  const leadsOf = new Map<number, number[]>();
  for (const r of data.rows) if (r.role === "lead") push(leadsOf, r.taskId, r.unitId);
  const prepared = {
    deadlinesOf,
    approvalsOf,
    lastApprovalOf,
    latestOf,
    leadsOf,
    keys: data.rows.map((r) => `${r.taskId}:${r.unitId}`),
  };
  preparedOf.set(data, prepared);
  return prepared;
}

/** The light of one row as of `opts.today`: approvals after that day do not count yet. */
function judge(data: LightData, opts: LightOptions) {
  const { deadlinesOf, approvalsOf, lastApprovalOf, leadsOf } = prepare(data);
  const calendar = memoCalendar(opts.calendar);
  const none: ApprovedReport[] = [];
  const asOf = new Map<string, ApprovedReport[]>();
  const approvedAsOf = (key: string) => {
    const all = approvalsOf.get(key);
    if (!all) return none;
    // Every approval counts once the last one is past (most rows on most days): no copy.
    if ((lastApprovalOf.get(key) as IsoDate) <= opts.today) return all;
    let list = asOf.get(key);
    if (!list) {
      list = all.filter((a) => a.reviewedOn <= opts.today);
      asOf.set(key, list);
    }
    return list;
  };
  const of = (approved: ApprovedReport[], r: LightData["rows"][number]) =>
    trafficLight({
      deadlines: deadlinesOf.get(r.taskId) ?? [],
      approved,
      today: opts.today,
      year: r.year,
      calendar,
      dueSoonWorkingDays: opts.dueSoonWorkingDays,
    });
  // The light depends only on the task (its deadlines, its year) and the approvals counted: the
  // units of a task with no approval yet share one computation, and its cooperating units share
  // one (judged on the leads' work).
  const unapproved = new Map<number, ReturnType<typeof trafficLight>>();
  const cooperating = new Map<number, ReturnType<typeof trafficLight>>();
  const own = new Map<string, ReturnType<typeof trafficLight>>();
  const cached = <K>(
    map: Map<K, ReturnType<typeof trafficLight>>,
    key: K,
    compute: () => ReturnType<typeof trafficLight>,
  ) => {
    let result = map.get(key);
    if (!result) {
      result = compute();
      map.set(key, result);
    }
    return result;
  };
  return (r: LightData["rows"][number], key: string) => {
    if (r.role === "cooperating")
      return cached(cooperating, r.taskId, () =>
        of(
          (leadsOf.get(r.taskId) ?? []).flatMap((u) => approvedAsOf(`${r.taskId}:${u}`)),
          r,
        ),
      );
    const approved = approvedAsOf(key);
    if (approved.length === 0) return cached(unapproved, r.taskId, () => of(none, r));
    return cached(own, key, () => of(approved, r));
  };
}

/** Lights as of `opts.today` from loaded data: approvals after that day do not count yet. */
function computeLights(data: LightData, opts: LightOptions): AssignmentLight[] {
  const { latestOf, keys } = prepare(data);
  const light = judge(data, opts);
  return data.rows.map((r, i) => {
    const key = keys[i] as string;
    const result = light(r, key);
    const latest = latestOf.get(key);
    return {
      taskId: r.taskId,
      code: r.code,
      title: r.title,
      category: r.category,
      planId: r.planId,
      year: r.year,
      sectionTitle: r.sectionTitle,
      unitId: r.unitId,
      unitName: r.unitName,
      role: r.role,
      light: result.light,
      dueDate: result.dueDate,
      reason: result.reason,
      reportState: latest?.state ?? null,
      percent: latest?.percent ?? null,
    };
  });
}

/** Lights of one plan for the office (its scope checked), as of `now`. */
export async function planLights(db: Db, actor: Actor, planId: number, now: Date) {
  const plan = await requirePlanInScope(db, actor, planId);
  const settings = await getOfficeSettings(db, plan.issuerUnitId);
  return assignmentLights(
    db,
    { planIds: [planId] },
    { today: localDate(now), calendar: await loadCalendar(db), ...settings },
  );
}

/** Lights of a unit's own assignments (for its task list), as of `now`. */
export async function unitLights(db: Db, unitId: number, now: Date, year?: number) {
  const [unit] = await db.select({ path: units.path }).from(units).where(eq(units.id, unitId));
  // The unit's own government's settings: the first ancestor that has them, else the defaults.
  const ancestors = (unit?.path ?? "").split("/").filter(Boolean).map(Number).reverse();
  let settings = defaultSettings;
  for (const id of ancestors) {
    const [row] = await db.select().from(officeSettings).where(eq(officeSettings.unitId, id));
    if (row) {
      settings = await getOfficeSettings(db, id);
      break;
    }
  }
  return assignmentLights(
    db,
    { unitId, ...(year ? { year } : {}) },
    { today: localDate(now), calendar: await loadCalendar(db), ...settings },
  );
}

type Counts = Record<Light, number>;
const zero = (): Counts => ({ done: 0, onTrack: 0, dueSoon: 0, overdue: 0 });

/** `aggregateLights(computeLights(data, opts)).totals`, without building the rows (a trend asks for twelve days). */
function totalsAsOf(data: LightData, opts: LightOptions): Counts {
  const { keys } = prepare(data);
  const light = judge(data, opts);
  const totals = zero();
  data.rows.forEach((r, i) => {
    if (r.role !== "cooperating") totals[light(r, keys[i] as string).light]++;
  });
  return totals;
}

/** Completion by category and by unit, and the light distribution, from assignment lights. */
export function aggregateLights(rows: AssignmentLight[]) {
  const totals = zero();
  const byCategory = new Map<string, Counts>();
  const byUnit = new Map<number, { unitId: number; unitName: string } & Counts>();
  for (const r of rows) {
    if (r.role === "cooperating") continue; // judged on the lead's work: counted once, there
    totals[r.light]++;
    const cat = r.category ?? "none";
    const c = byCategory.get(cat) ?? zero();
    c[r.light]++;
    byCategory.set(cat, c);
    const u = byUnit.get(r.unitId) ?? { unitId: r.unitId, unitName: r.unitName, ...zero() };
    u[r.light]++;
    byUnit.set(r.unitId, u);
  }
  const rate = (c: Counts) => {
    const total = c.done + c.onTrack + c.dueSoon + c.overdue;
    return total ? c.done / total : 0;
  };
  return {
    totals,
    byCategory: [...byCategory].map(([category, c]) => ({ category, ...c, completionRate: rate(c) })),
    byUnit: [...byUnit.values()]
      .map((u) => ({ ...u, completionRate: rate(u) }))
      .sort(
        (a, b) =>
          b.overdue - a.overdue ||
          a.completionRate - b.completionRate ||
          a.unitName.localeCompare(b.unitName, "zh-CN"),
      ),
  };
}

/** The earlier of two ISO dates. */
function earlier(a: IsoDate, b: IsoDate): IsoDate {
  if (a <= b) return a;
  return b;
}

/**
 * The dashboard: lights, completion by category and unit, report states, the overdue trend
 * over time, for a plan (office) or for one unit's own assignments. A past day of the trend is
 * judged once, as of that day, and kept (`light_days`): later views read it, and later edits to
 * the plan do not rewrite what the trend showed.
 */
export async function dashboard(
  db: Db,
  scope: { planId: number; unitId?: number | undefined },
  opts: {
    today: IsoDate;
    calendar: WorkingCalendar;
    dueSoonWorkingDays: number;
    trendFrom: IsoDate;
    trendTo?: IsoDate;
  },
) {
  const filter: Filter = { planIds: [scope.planId], ...(scope.unitId ? { unitId: scope.unitId } : {}) };
  // The trend runs to today, or to the end of the plan's year once that is over.
  const to = earlier(opts.trendTo ?? opts.today, opts.today);
  const days = trendDays(earlier(opts.trendFrom, to), to, 12);
  const past = days.filter((d) => d < opts.today);
  const kept = {
    planId: scope.planId,
    unitId: scope.unitId ?? 0,
    dueSoonWorkingDays: opts.dueSoonWorkingDays,
  };
  // The report counts and the days of the trend already kept do not depend on the lights: read alongside.
  const [data, stateRows, keptRows] = await Promise.all([
    loadLightData(db, filter),
    db
      .select({ state: progressReports.state, n: sql<number>`count(*)::int` })
      .from(progressReports)
      .where(
        and(
          taskOfPlan(progressReports.taskId, scope.planId),
          scope.unitId ? eq(progressReports.unitId, scope.unitId) : undefined,
        ),
      )
      .groupBy(progressReports.state),
    past.length === 0
      ? []
      : db
          .select({
            day: lightDays.day,
            done: lightDays.done,
            onTrack: lightDays.onTrack,
            dueSoon: lightDays.dueSoon,
            overdue: lightDays.overdue,
          })
          .from(lightDays)
          .where(
            and(
              eq(lightDays.planId, kept.planId),
              eq(lightDays.unitId, kept.unitId),
              eq(lightDays.dueSoonWorkingDays, kept.dueSoonWorkingDays),
              anyDate(lightDays.day, past),
            ),
          ),
  ]);
  const rows = computeLights(data, opts);
  const agg = aggregateLights(rows);
  const keptOn = new Map(keptRows.map((k) => [k.day, k]));
  const judged: (typeof lightDays.$inferInsert)[] = [];
  const trend: { date: IsoDate; overdue: number; dueSoon: number; done: number }[] = [];
  for (const date of days) {
    // Today is live; a past day is as first judged (approvals after that day not counted), then kept.
    let c: Counts | undefined = date === opts.today ? agg.totals : keptOn.get(date);
    if (!c) {
      c = totalsAsOf(data, { ...opts, today: date });
      judged.push({ ...kept, day: date, ...c });
    }
    trend.push({ date, overdue: c.overdue, dueSoon: c.dueSoon, done: c.done });
  }
  // Nothing is kept for a plan with no published work yet (a draft's zeros are not its history).
  if (judged.length > 0 && data.rows.length > 0)
    await db.insert(lightDays).values(judged).onConflictDoNothing();
  const reportStates = { draft: 0, submitted: 0, approved: 0, returned: 0 };
  for (const r of stateRows) reportStates[r.state] = r.n;
  return { ...agg, trend, reportStates, rows };
}

/**
 * `column` is one of the plan's tasks: the plan's task ids are collected first (tasks_plan_idx),
 * then looked up in `column`'s index. Written as `= any(array(…))` so the planner does not walk
 * all tasks (or start parallel workers) to join them.
 */
const taskOfPlan = (column: AnyPgColumn, planId: number) =>
  sql`${column} = any(array(select ${tasks.id} from ${tasks} where ${tasks.planId} = ${planId}))`;

/** Returned reports (退回) of a plan up to a day, with the reason, for bulletins. */
export async function returnedReports(db: Db, planId: number, asOf: IsoDate) {
  const unitName = sql<string>`(select u.name from units u where u.id = "progress_reports"."unit_id")`;
  return db
    .select({
      reportId: reportReviews.reportId,
      unitId: progressReports.unitId,
      unitName,
      taskCode: tasks.code,
      taskTitle: tasks.title,
      period: progressReports.period,
      reason: reportReviews.reason,
      at: reportReviews.at,
    })
    .from(reportReviews)
    .innerJoin(progressReports, eq(progressReports.id, reportReviews.reportId))
    .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
    .where(
      and(
        taskOfPlan(progressReports.taskId, planId),
        eq(reportReviews.decision, "return"),
        lte(reportReviews.at, new Date(`${asOf}T23:59:59+08:00`)),
      ),
    )
    .orderBy(asc(unitName), asc(reportReviews.at));
}

/** Open notices per unit of a plan, for bulletins. */
export async function openNoticeCounts(db: Db, planId: number) {
  return db
    .select({ unitId: supervisionNotices.unitId, n: sql<number>`count(*)::int` })
    .from(supervisionNotices)
    .where(
      and(
        taskOfPlan(supervisionNotices.taskId, planId),
        inArray(supervisionNotices.state, ["open", "escalated"]),
      ),
    )
    .groupBy(supervisionNotices.unitId);
}
