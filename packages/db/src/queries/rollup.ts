/**
 * Roll-up for the upper office (issue 17, item 4): for each task of an upper plan, the lights of the
 * tasks that carry it out in the governments below (town → county → city → province, followed down
 * the task links), counted per region one level below a chosen region.
 *
 * One statement for the counts, whatever the number of plans and tasks below, reading what the
 * database keeps for it (the triggers of migrations 0020 and 0022) and no reports: each task's chain
 * of upper tasks (found through one index; kept only through published plans, so a plan taken back
 * to a draft passes nothing up) and its assignments counted by what their lights depend on, from approved reports
 * only and a submitted one as awaiting review, so a lower unit's drafts and notes never leave its
 * level.
 */
import {
  localDate,
  notFound,
  type RollupCell,
  type RollupGroup,
  regionTrail,
  rollupCells,
} from "@gongkai/core";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { tasks, units } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyInt, rawRows } from "./any.ts";
import { loadCalendar } from "./calendar.ts";
import { requirePlanInScope } from "./plans.ts";

type GroupRow = {
  k: "g" | "t";
  upperTaskId: number;
  regionId: number;
  done: boolean | null;
  periodMissed: boolean | null;
  firstDue: string | null;
  openPeriodEnd: string | null;
  dueSoonWorkingDays: number | null;
  n: number | string;
  awaiting: number | string | null;
};

/**
 * The counts' statement: the implementing tasks of `planId`'s tasks (under `regionPath`, within
 * `scopePath`), their lead and responsible assignments grouped by light inputs ('g' rows), and the
 * number of implementing tasks per upper task and region ('t' rows).
 */
export function rollupStatement(input: {
  planId: number;
  regionPath: string;
  scopePath: string | null;
  today: string;
}) {
  const scope = input.scopePath === null ? sql`true` : sql`u.path like ${`${input.scopePath}%`}`;
  const depth = input.regionPath.split("/").filter(Boolean).length;
  const p = input.planId;
  return sql`
    -- The plans whose tasks may count: published (or archived), within the reader's scope.
    with ok as materialized (
      select pl.id, u.path, coalesce(os.due_soon_working_days, 5) as dsw
        from plans pl
        join units u on u.id = pl.issuer_unit_id
        left join office_settings os on os.unit_id = pl.issuer_unit_id
       where pl.status in ('published', 'archived') and ${scope}
    ),
    roots as materialized (select id from tasks where plan_id = ${p} and parent_task_id is null),
    -- Every task below the plan's, found through its kept chain of upper tasks (migration 0022,
    -- which follows links only through published plans): the root is its chain's task in this plan.
    -- The steps are materialized so that they are joined by hashing: the planner cannot tell how
    -- many plans a path prefix matches, and guessed seven of 1,473 (a nested loop per plan).
    cand as materialized (
      select t.id as task_id, t.plan_id,
             t.upper_task_ids[array_position(t.upper_plan_ids, ${p}::int)] as root_id
        from tasks t
       where t.upper_plan_ids @> array[${p}::int]
    ),
    lower as materialized (
      select c.task_id, c.root_id,
             case when ok.path = ${input.regionPath} then ${sql.raw(String(lastId(input.regionPath)))}
                  else split_part(ok.path, '/', ${depth + 2})::int end as region_id,
             ok.dsw
        from cand c
        join ok on ok.id = c.plan_id
        join roots r on r.id = c.root_id
       where ok.path like ${`${input.regionPath}%`}
    ),
    groups as materialized (
      select g.* from task_light_groups g join cand c on c.task_id = g.task_id
    ),
    -- The tasks' light groups (lead and responsible units counted by the inputs their lights
    -- depend on); a period is missed when the first short one has ended, open when one has begun.
    grp as (
      select l.root_id, l.region_id, l.dsw, g.done, g.first_due, g.assignments, g.awaiting_review,
             coalesce(g.gap_ends[1] < ${input.today}::date, false) as missed,
             case when g.gap_starts[1] <= ${input.today}::date then g.gap_ends[1]
                  when cardinality(g.gap_starts) > 1 then
                    (select min(e) from unnest(g.gap_starts, g.gap_ends) x(s, e) where s <= ${input.today}::date)
             end as open_end
        from lower l
        join groups g on g.task_id = l.task_id
    )
    select 'g' as k, root_id as "upperTaskId", region_id as "regionId", done,
           missed and not done as "periodMissed",
           first_due::text as "firstDue",
           case when done or missed then null else open_end::text end as "openPeriodEnd",
           dsw as "dueSoonWorkingDays",
           sum(assignments) as n, sum(awaiting_review) as awaiting
      from grp
     group by 2, 3, 4, 5, 6, 7, 8
    union all
    select 't', root_id, region_id, null, null, null, null, null, count(*), null
      from lower group by root_id, region_id`;
}

const lastId = (path: string) => Number(path.split("/").filter(Boolean).at(-1));

export type RollupRegion = {
  id: number;
  name: string;
  /** The region shown itself (本级: its own plans), not a child. */
  own: boolean;
  /** Has governments below it: the page offers to drill into it. */
  drillable: boolean;
};

/**
 * The roll-up of an upper plan in the actor's scope, per region one level below `regionId` (the
 * plan's issuer when not given). A region outside the issuer's subtree is not found.
 */
export async function planRollup(
  db: Db,
  actor: Actor,
  input: { planId: number; regionId?: number | undefined },
  now: Date,
) {
  const plan = await requirePlanInScope(db, actor, input.planId);
  const [issuer] = plan.issuerUnitId
    ? await db
        .select({ id: units.id, path: units.path, name: units.name })
        .from(units)
        .where(eq(units.id, plan.issuerUnitId))
    : [];
  if (!issuer) throw notFound("发文单位");
  let region = issuer;
  if (input.regionId !== undefined && input.regionId !== issuer.id) {
    const [r] = await db
      .select({ id: units.id, path: units.path, name: units.name })
      .from(units)
      .where(eq(units.id, input.regionId));
    // Only the issuer's own subtree is the plan's region (and within the actor's scope with it).
    if (!r?.path.startsWith(issuer.path)) throw notFound("地区");
    region = r;
  }
  const today = localDate(now);
  const [calendar, upperTasks, children, rows, trailUnits] = await Promise.all([
    loadCalendar(db),
    db
      .select({ id: tasks.id, code: tasks.code, title: tasks.title })
      .from(tasks)
      .where(and(eq(tasks.planId, plan.id), isNull(tasks.parentTaskId)))
      .orderBy(asc(tasks.sortOrder), asc(tasks.id)),
    // The governments one level below: each a column, drillable when it has governments below.
    db
      .select({
        id: units.id,
        name: units.name,
        // Written out: drizzle leaves a lone table's columns unqualified, and "id" would be c's.
        drillable: sql<boolean>`exists (select 1 from units c where c.parent_id = "units"."id"
          and c.kind in ('government', 'town'))`,
      })
      .from(units)
      .where(and(eq(units.parentId, region.id), inArray(units.kind, ["government", "town"])))
      .orderBy(asc(units.sortOrder), asc(units.id)),
    rawRows<GroupRow>(
      db,
      rollupStatement({ planId: plan.id, regionPath: region.path, scopePath: actor.scopePath, today }),
    ),
    db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(anyInt(units.id, region.path.split("/").filter(Boolean).map(Number))),
  ]);
  const groups: RollupGroup[] = [];
  const taskCounts: { upperTaskId: number; regionId: number; tasks: number }[] = [];
  for (const r of rows) {
    const base = { upperTaskId: Number(r.upperTaskId), regionId: Number(r.regionId) };
    if (r.k === "t") {
      taskCounts.push({ ...base, tasks: Number(r.n) });
      continue;
    }
    groups.push({
      ...base,
      done: r.done === true,
      periodMissed: r.periodMissed === true,
      firstDue: r.firstDue,
      openPeriodEnd: r.openPeriodEnd,
      dueSoonWorkingDays: Number(r.dueSoonWorkingDays ?? 5),
      assignments: Number(r.n),
      awaitingReview: Number(r.awaiting ?? 0),
    });
  }
  // Columns: the region's own plans (本级) when it is not the plan's issuer or has any, then every
  // government below, and any other issuer found below (a department's plan) so nothing is lost.
  const seen = new Set(taskCounts.map((t) => t.regionId));
  const regions: RollupRegion[] = [];
  if (region.id !== issuer.id || seen.has(region.id))
    regions.push({ id: region.id, name: region.name, own: true, drillable: false });
  for (const c of children) regions.push({ id: c.id, name: c.name, own: false, drillable: c.drillable });
  const others = [...seen].filter((id) => !regions.some((r) => r.id === id));
  if (others.length) {
    const extra = await db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(anyInt(units.id, others))
      .orderBy(asc(units.sortOrder), asc(units.id));
    for (const e of extra) regions.push({ id: e.id, name: e.name, own: false, drillable: false });
  }
  const regionIds = regions.map((r) => r.id);
  const cells = rollupCells({
    upperTaskIds: upperTasks.map((t) => t.id),
    regionIds,
    groups,
    taskCounts,
    today,
    calendar,
  });
  const names = new Map(trailUnits.map((u) => [u.id, u.name]));
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title },
    asOf: today,
    region: { id: region.id, name: region.name, isIssuer: region.id === issuer.id },
    trail: regionTrail(region.path, issuer.path, names) ?? [],
    regions,
    tasks: upperTasks.map((t) => ({
      ...t,
      total: cells.taskTotal(t.id),
      cells: regionIds.map((r) => cells.cell(t.id, r)),
    })),
    regionTotals: regionIds.map((r) => cells.regionTotal(r)),
    total: cells.total,
  };
}

export type PlanRollup = Awaited<ReturnType<typeof planRollup>>;
export type { RollupCell };
