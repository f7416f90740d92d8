/**
 * The live ranking from kept unit results (`evaluation_unit_results`). A unit's result depends on
 * its own ratings, final scores and assignments and on the project's rules only, so it is kept
 * with the unit's revision it was computed at (`evaluation_units.revision`, raised by the triggers
 * of migration 0010 on every change to those). The ranking reads the project's units with their
 * kept results (3,000 rows at province scale instead of 900,000 ratings) and computes, and keeps,
 * only the units whose revision moved on. Two views computing at once keep the same rows; a change
 * committed while a view computes raises the revision, so what that view keeps no longer counts.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { evaluationUnitResults, evaluationUnits, units } from "../../schema/index.ts";
import { rawRows } from "../any.ts";
import {
  type EvaluationProjectRow,
  loadState,
  type RankUnit,
  rankResults,
  requireCompiled,
  rounded,
  scoreState,
  scoringOf,
} from "./state.ts";

/** A unit of the project with its kept result; `complete` is null while it has none that counts. */
type UnitRow = RankUnit & {
  revision: number;
  complete: boolean | null;
  vetoed: boolean;
  total: number | null;
  indicators: Record<string, number>;
  flagged: number;
  pending: number;
};

/** A unit of the project with its current result. */
export type UnitResult = Omit<UnitRow, "complete"> & { complete: boolean };

/** The project's units in directory order, each with its kept result if it is still current. */
function unitsWithResults(db: Db, projectId: number) {
  const e = evaluationUnits;
  const k = evaluationUnitResults;
  return rawRows<UnitRow>(
    db,
    sql`select ${e.unitId} as "unitId", ${units.name} as "name", ${e.tier} as "tier", ${e.revision} as "revision",
          ${k.complete} as "complete", ${k.vetoed} as "vetoed", ${k.total} as "total",
          ${k.indicators} as "indicators", ${k.flagged} as "flagged", ${k.pending} as "pending"
        from ${e} join ${units} on ${units.id} = ${e.unitId}
        left join ${k} on ${k.projectId} = ${e.projectId} and ${k.unitId} = ${e.unitId} and ${k.revision} = ${e.revision}
        where ${e.projectId} = ${projectId}
        order by ${units.id}`,
  );
}

/**
 * Computes the results of `rows` (units without a current kept result) from their ratings and
 * final scores, fills them in, and keeps them at the revision they were read with.
 */
async function computeAndKeep(db: Db, project: EvaluationProjectRow, rows: UnitRow[], all: boolean) {
  const flagged = new Map<number, number>();
  const pending = new Map<number, number>();
  const state = await loadState(db, project, {
    // Every unit: the project's rows without a list of 3,000 ids to match.
    units: all ? undefined : rows.map((r) => r.unitId),
    keep: (cell) => {
      if (cell.flagged) {
        flagged.set(cell.unitId, (flagged.get(cell.unitId) ?? 0) + 1);
        if (!cell.decided) pending.set(cell.unitId, (pending.get(cell.unitId) ?? 0) + 1);
      }
      return false;
    },
  });
  // No indicators yet (a project in setup): nothing is scored, nothing kept.
  const scores = state.compiled ? scoreState(scoringOf(project), state, "firstLevel") : [];
  const scoreOf = new Map(state.unitRows.map((u, i) => [u.unitId, scores[i]]));
  const kept = [];
  for (const r of rows) {
    const s = scoreOf.get(r.unitId);
    // Removed from the project since it was listed: shown as not scored, nothing kept.
    r.complete = s?.complete ?? false;
    r.vetoed = s?.vetoed ?? false;
    r.total = s?.total ?? null;
    r.indicators = s ? rounded(s.indicators) : {};
    r.flagged = flagged.get(r.unitId) ?? 0;
    r.pending = pending.get(r.unitId) ?? 0;
    if (s) {
      kept.push({
        unit_id: r.unitId,
        revision: r.revision,
        complete: r.complete,
        vetoed: r.vetoed,
        total: r.total,
        indicators: r.indicators,
        flagged: r.flagged,
        pending: r.pending,
      });
    }
  }
  if (kept.length === 0) return;
  // One statement with the rows as one JSON parameter (3,000 rows as 27,000 parameters took a
  // third of the first view after every unit changed).
  const k = evaluationUnitResults;
  await db.execute(sql`
    insert into ${k} (project_id, unit_id, revision, complete, vetoed, total, indicators, flagged, pending)
    select ${project.id}::int, r.unit_id, r.revision, r.complete, r.vetoed, r.total, r.indicators, r.flagged, r.pending
    from jsonb_to_recordset(${JSON.stringify(kept)}::jsonb) as r(unit_id int, revision int, complete boolean,
      vetoed boolean, total double precision, indicators jsonb, flagged int, pending int)
    on conflict (project_id, unit_id) do update set
      revision = excluded.revision, complete = excluded.complete, vetoed = excluded.vetoed,
      total = excluded.total, indicators = excluded.indicators, flagged = excluded.flagged,
      pending = excluded.pending, computed_at = now()
    -- A view that read an older revision does not overwrite a newer one's result.
    where ${k.revision} <= excluded.revision`);
}

/**
 * The project's units in directory order, each with its result as it stands (its flagged and
 * pending cells among them): kept, or computed and kept first where the kept one is not current.
 */
export async function currentUnitResults(db: Db, project: EvaluationProjectRow): Promise<UnitResult[]> {
  const rows = await unitsWithResults(db, project.id);
  const stale = rows.filter((r) => r.complete === null);
  if (stale.length > 0) await computeAndKeep(db, project, stale, stale.length === rows.length);
  return rows as UnitResult[];
}

/**
 * The ranking as it stands, each unit's first-level indicators only: from the kept results, the
 * units without a current one computed and kept first. `pending` counts the flagged cells not
 * decided yet; `incomplete` names the units not fully scored.
 */
export async function liveRanking(db: Db, project: EvaluationProjectRow, now: Date) {
  const compiled = requireCompiled(project);
  const scoring = scoringOf(project);
  const rows = await currentUnitResults(db, project);
  let pending = 0;
  for (const r of rows) pending += r.pending;
  const { results, incomplete } = rankResults(project, compiled, scoring, rows, rows, now);
  return { results, incomplete, pending };
}
