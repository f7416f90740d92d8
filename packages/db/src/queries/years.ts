/**
 * Year over year (issue 17, item 7): every year with plans in an office's scope — unit-tasks,
 * completion, overdue count and days, returned reports — and per unit and tier the published
 * assessment and evaluation results. The counts follow the rules of @gongkai/core's years/rules.ts
 * (a unit-task's due date is its earliest dated deadline, its finish day the work day of its first
 * approved 已完成 report, its year cut off at 12-31 or today); the shares and changes are the core's.
 *
 * A handful of set-based queries whatever the number of units and years: one over the unit-tasks
 * (scope and per-unit totals together, by GROUPING SETS), one over returns, one over each kind of
 * published results (their units read out of the frozen JSON in the database).
 */
import {
  compareYears,
  type IsoDate,
  meanOf,
  notFound,
  scoreChanges,
  type YearCounts,
  type YearScore,
} from "@gongkai/core";
import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { units } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyInt, rawRows } from "./any.ts";
import { inScope } from "./units.ts";

/** Which plans and results count: those issued (owned) in a scope, and/or one unit's. */
type Filter = { scopePath: string | null; unitId?: number | undefined };

/** `path` (a unit's materialised path) lies in the scope; always true without one. */
const underScope = (path: SQL, scopePath: string | null) =>
  scopePath === null ? sql`true` : sql`${path} like ${`${scopePath}%`}`;

type CountRow = {
  year: number;
  unitId: number | null;
  unitTasks: number;
  done: number;
  overdue: number;
  overdueDays: number;
};

/** Unit-task counts per year, and per year and unit (unitId null: the year's total). */
function unitTaskCounts(db: Db, f: Filter, today: IsoDate) {
  return rawRows<CountRow>(
    db,
    sql`with ut as (
          select p.year, ta.unit_id,
            (select min(d.due_date) from deadlines d where d.task_id = t.id) as due,
            (select min(coalesce(pr.occurred_on,
                    ((pr.submitted_at at time zone 'UTC') + interval '8 hours')::date, pr.period_start))
               from progress_reports pr
              where pr.task_id = t.id and pr.unit_id = ta.unit_id
                and pr.state = 'approved' and pr.status = 'done') as finished_on,
            least(make_date(p.year, 12, 31), ${today}::date) as cutoff
          from plans p
          left join units iu on iu.id = p.issuer_unit_id
          join tasks t on t.plan_id = p.id
          join task_assignments ta on ta.task_id = t.id and ta.role in ('lead', 'responsible')
          where p.status in ('published', 'archived')
            and ${underScope(sql`iu.path`, f.scopePath)}
            and ${f.unitId === undefined ? sql`true` : sql`ta.unit_id = ${f.unitId}`}
        ), judged as (
          select year, unit_id,
            (finished_on is not null and finished_on <= cutoff) as done,
            greatest(0, (case when finished_on is not null and finished_on <= cutoff
                              then finished_on else cutoff end) - due) as late
          from ut
        )
        select year::int as "year", unit_id::int as "unitId",
          count(*)::int as "unitTasks",
          (count(*) filter (where done))::int as "done",
          (count(*) filter (where late > 0))::int as "overdue",
          coalesce(sum(late), 0)::int as "overdueDays"
        from judged
        group by grouping sets ((year), (year, unit_id))`,
  );
}

/** Return decisions (退回) on reports of the year's plans, per year and per year and unit. */
function returnCounts(db: Db, f: Filter) {
  return rawRows<{ year: number; unitId: number | null; returns: number }>(
    db,
    sql`select p.year::int as "year", pr.unit_id::int as "unitId", count(*)::int as "returns"
        from report_reviews rr
        join progress_reports pr on pr.id = rr.report_id
        join tasks t on t.id = pr.task_id
        join plans p on p.id = t.plan_id
        left join units iu on iu.id = p.issuer_unit_id
        where rr.decision = 'return' and p.status in ('published', 'archived')
          and ${underScope(sql`iu.path`, f.scopePath)}
          and ${f.unitId === undefined ? sql`true` : sql`pr.unit_id = ${f.unitId}`}
        group by grouping sets ((p.year), (p.year, pr.unit_id))`,
  );
}

type ScoreRow = YearScore & { unitId: number; source: number };

/**
 * Each unit's total and rank in the latest published version of every assessment scheme owned in
 * scope; the tier is the scheme's unit group (the units ranked together), else its name.
 */
function assessmentScores(db: Db, f: Filter) {
  return rawRows<ScoreRow>(
    db,
    sql`select * from (
          select l.year::int as "year", l.scheme_id::int as "source", l.tier as "tier",
            coalesce((l.results ->> 'max')::float8, 0) as "max",
            x."unitId"::int as "unitId", x.total as "total", x.rank::int as "rank",
            (count(*) over (partition by l.scheme_id))::int as "of"
          from (
            select distinct on (r.scheme_id) r.scheme_id, r.results, s.year,
              coalesce(g.name, s.name) as tier
            from assessment_results r
            join assessment_schemes s on s.id = r.scheme_id
            left join unit_groups g on g.id = s.unit_group_id
            left join units o on o.id = s.owner_unit_id
            where ${underScope(sql`o.path`, f.scopePath)}
            order by r.scheme_id, r.version desc
          ) l
          cross join lateral jsonb_to_recordset(l.results -> 'units')
            as x("unitId" int, total float8, rank int)
        ) s
        where ${f.unitId === undefined ? sql`true` : sql`s."unitId" = ${f.unitId}`}`,
  );
}

/** Each unit's total and rank in its tier in the latest published version of every evaluation owned in scope. */
function evaluationScores(db: Db, f: Filter) {
  return rawRows<ScoreRow>(
    db,
    sql`select * from (
          select l.year::int as "year", l.project_id::int as "source", coalesce(x.tier, '') as "tier",
            coalesce((l.summary ->> 'maxTotal')::float8, 0) as "max",
            x."unitId"::int as "unitId", x.total as "total", x.rank::int as "rank",
            (count(*) over (partition by l.project_id, x.tier))::int as "of"
          from (
            select distinct on (r.project_id) r.project_id, r.summary, p.year
            from evaluation_results r
            join evaluation_projects p on p.id = r.project_id
            left join units o on o.id = p.owner_unit_id
            where ${underScope(sql`o.path`, f.scopePath)}
            order by r.project_id, r.version desc
          ) l
          cross join lateral jsonb_to_recordset(l.summary -> 'units')
            as x("unitId" int, tier text, total float8, rank int)
        ) s
        where ${f.unitId === undefined ? sql`true` : sql`s."unitId" = ${f.unitId}`}`,
  );
}

const noCounts = (year: number): YearCounts => ({
  year,
  unitTasks: 0,
  done: 0,
  overdue: 0,
  overdueDays: 0,
  returns: 0,
});

/** Counts by year (and unit) from the two count queries: a year with returns only still appears. */
function countsOf(
  tasks: CountRow[],
  returns: { year: number; unitId: number | null; returns: number }[],
  scoreYears: number[],
) {
  const key = (year: number, unitId: number | null) => `${year}:${unitId ?? ""}`;
  const out = new Map<string, YearCounts & { unitId: number | null }>();
  const at = (year: number, unitId: number | null) => {
    let c = out.get(key(year, unitId));
    if (!c) {
      c = { ...noCounts(year), unitId };
      out.set(key(year, unitId), c);
    }
    return c;
  };
  for (const r of tasks) {
    const c = at(r.year, r.unitId);
    c.unitTasks = r.unitTasks;
    c.done = r.done;
    c.overdue = r.overdue;
    c.overdueDays = r.overdueDays;
  }
  for (const r of returns) at(r.year, r.unitId).returns = r.returns;
  // Years with published results but no plan are listed (empty), so their scores have a column.
  for (const y of scoreYears) at(y, null);
  return [...out.values()];
}

const stripCounts = ({ unitId: _, ...c }: YearCounts & { unitId: number | null }): YearCounts => c;

const score = (r: ScoreRow): YearScore => ({
  year: r.year,
  tier: r.tier,
  total: r.total,
  rank: r.rank,
  of: r.of,
  max: r.max,
});

/** Mean total per tier and year, for the office's tier chart. */
function tierMeans(kind: "assessment" | "evaluation", rows: ScoreRow[]) {
  const byTier = new Map<string, Map<number, ScoreRow[]>>();
  for (const r of rows) {
    const years = byTier.get(r.tier) ?? new Map<number, ScoreRow[]>();
    const list = years.get(r.year) ?? [];
    list.push(r);
    years.set(r.year, list);
    byTier.set(r.tier, years);
  }
  return [...byTier].map(([tier, years]) => ({
    kind,
    tier,
    years: [...years]
      .sort(([a], [b]) => a - b)
      .map(([year, list]) => ({
        year,
        units: list.length,
        mean: meanOf(list.map((r) => r.total)),
        max: list[0]?.max ?? 0,
      })),
  }));
}

/**
 * The office's year-over-year overview of its scope (admin: everything): each year's figures with
 * the change from the year before, each unit's figures and published scores per year, and the mean
 * score of each tier per year.
 */
export async function yearsOverview(db: Db, actor: Actor, today: IsoDate) {
  const f: Filter = { scopePath: actor.scopePath };
  const [tasks, returns, assessment, evaluation] = await Promise.all([
    unitTaskCounts(db, f, today),
    returnCounts(db, f),
    assessmentScores(db, f),
    evaluationScores(db, f),
  ]);
  const scoreYears = [...new Set([...assessment, ...evaluation].map((r) => r.year))];
  const counts = countsOf(tasks, returns, scoreYears);
  const years = compareYears(counts.filter((c) => c.unitId === null).map(stripCounts), today);

  const unitIds = [
    ...new Set([
      ...counts.flatMap((c) => (c.unitId === null ? [] : [c.unitId])),
      ...assessment.map((r) => r.unitId),
      ...evaluation.map((r) => r.unitId),
    ]),
  ];
  const names =
    unitIds.length === 0
      ? []
      : await db
          .select({ id: units.id, name: units.name, path: units.path })
          .from(units)
          .where(anyInt(units.id, unitIds));
  const perUnit = new Map(
    names.map((u) => [
      u.id,
      {
        unitId: u.id,
        unitName: u.name,
        path: u.path,
        counts: [] as YearCounts[],
        assessment: [] as YearScore[],
        evaluation: [] as YearScore[],
      },
    ]),
  );
  for (const c of counts) if (c.unitId !== null) perUnit.get(c.unitId)?.counts.push(stripCounts(c));
  for (const r of assessment) perUnit.get(r.unitId)?.assessment.push(score(r));
  for (const r of evaluation) perUnit.get(r.unitId)?.evaluation.push(score(r));
  const first = years[0]?.year;
  const last = years.at(-1)?.year;
  return {
    today,
    years,
    units: [...perUnit.values()]
      .sort((a, b) => a.path.localeCompare(b.path) || a.unitId - b.unitId)
      .map((u) => ({
        unitId: u.unitId,
        unitName: u.unitName,
        // The unit's years over the scope's span, so every unit's row has the same columns.
        years: compareYears(
          [
            ...u.counts,
            ...(first !== undefined && !u.counts.some((c) => c.year === first) ? [noCounts(first)] : []),
            ...(last !== undefined && !u.counts.some((c) => c.year === last) ? [noCounts(last)] : []),
          ],
          today,
        ),
        assessment: scoreChanges(u.assessment),
        evaluation: scoreChanges(u.evaluation),
      })),
    tiers: [...tierMeans("assessment", assessment), ...tierMeans("evaluation", evaluation)],
  };
}

/**
 * One unit's years: its unit-tasks on every published plan (an office looking at one of its units:
 * the plans issued in the office's scope), its returns, and its published assessment and evaluation
 * results with the change from the year before in the same tier. NOT_FOUND for a unit outside the
 * actor's scope.
 */
export async function unitYears(db: Db, actor: Actor, unitId: number, today: IsoDate) {
  const [unit] = await db
    .select({ id: units.id, name: units.name, path: units.path })
    .from(units)
    .where(eq(units.id, unitId));
  const own = actor.role === "unit" && actor.unitId === unitId;
  if (!unit || (!own && !inScope(actor.scopePath, unit.path))) throw notFound("单位");
  // A unit reads its own results wherever they were published; an office only what its scope issued.
  const f: Filter = { scopePath: own ? null : actor.scopePath, unitId };
  const [tasks, returns, assessment, evaluation] = await Promise.all([
    unitTaskCounts(db, f, today),
    returnCounts(db, f),
    assessmentScores(db, f),
    evaluationScores(db, f),
  ]);
  const scoreYears = [...new Set([...assessment, ...evaluation].map((r) => r.year))];
  const counts = countsOf(
    tasks.filter((r) => r.unitId !== null),
    returns.filter((r) => r.unitId !== null),
    [],
  ).map(stripCounts);
  for (const y of scoreYears) if (!counts.some((c) => c.year === y)) counts.push(noCounts(y));
  return {
    today,
    unit: { id: unit.id, name: unit.name },
    years: compareYears(counts, today),
    assessment: scoreChanges(assessment.map(score)),
    evaluation: scoreChanges(evaluation.map(score)),
  };
}
