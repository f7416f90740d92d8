/**
 * Units' scores, kept beside the values they come from (`assessment_unit_scores`). A unit's score
 * depends on its own values only, so it is scored by the core when its values change — in the
 * transaction that changes them — and the results page ranks the kept rows (3,000 at province scale)
 * instead of scoring 450,000 values on every view. A unit without a kept row (its values changed by
 * a path that did not keep its score: the trigger of migration 0006 deletes the row; a scheme scored
 * before the table existed) is scored from its values when read, so a view is never stale.
 */
import { type CompiledScheme, type ScoreMatrix, scoreUnits, type UnitScore } from "@gongkai/core";
import { sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { assessmentScores, assessmentUnitScores } from "../../schema/index.ts";
import { anyInt, anyText, rawRows } from "../any.ts";
import { compileStored } from "../compiled.ts";
import { type AssessmentSchemeRow, type AssessmentUnit, assessmentLeaves, unitKeys } from "./state.ts";

/**
 * The value each leaf counts with — the final score, else (for leaves computed from task data) the
 * computed one — as a matrix over `list` × the scheme's leaves; `only` reads those units' values
 * alone. One row per unit, its codes and values as two JSON arrays: no object or map per value.
 * The codes are filtered in JavaScript, not by `= any($codes)`: PostgreSQL's generic plan for a
 * prepared statement guesses that filter's selectivity badly and sorts a parallel scan (530 ms
 * instead of 135 at province scale).
 */
export async function leafMatrix(
  db: Db,
  scheme: AssessmentSchemeRow,
  compiled: CompiledScheme,
  list: readonly AssessmentUnit[],
  keys: ReadonlyMap<number, string>,
  only?: readonly number[],
): Promise<ScoreMatrix> {
  const leaves = assessmentLeaves(compiled);
  const s = assessmentScores;
  const sourced = leaves.filter((l) => l.source).map((l) => l.code);
  const codes = leaves.map((l) => l.code);
  const rows = await rawRows<{ unitId: number; values: string }>(
    db,
    sql`select ${s.unitId} as "unitId",
          json_build_array(json_agg(${s.indicatorCode}), json_agg(coalesce(${s.finalValue},
            case when ${anyText(s.indicatorCode, sourced)} then ${s.computedValue} end)))::text as "values"
        from ${s}
        where ${s.schemeId} = ${scheme.id} and (${s.finalValue} is not null or ${s.computedValue} is not null)
          ${only ? sql`and ${anyInt(s.unitId, only)}` : sql``}
        group by ${s.unitId}`,
  );
  const rowOf = new Map(list.map((u, i) => [u.unitId, i]));
  const columnOf = new Map(codes.map((code, i) => [code, i]));
  const values = new Float64Array(list.length * codes.length).fill(Number.NaN);
  for (const r of rows) {
    const row = rowOf.get(Number(r.unitId));
    if (row === undefined) continue;
    const [unitCodes, unitValues] = JSON.parse(r.values) as [string[], (number | null)[]];
    for (let i = 0; i < unitCodes.length; i++) {
      const column = columnOf.get(unitCodes[i] as string);
      const value = unitValues[i];
      // Not a leaf of the scheme now, or a computed value of a leaf not taken from task data.
      if (column !== undefined && value !== null && value !== undefined)
        values[row * codes.length + column] = value;
    }
  }
  return { units: list.map((u) => keys.get(u.unitId) as string), codes, values };
}

/**
 * Scores the units `unitIds` (every unit of the scheme when not given) from their values as they
 * stand and keeps the rows; call it in the transaction that changed the values, with the scheme's
 * units as that transaction read them (`schemeUnits`). Throws the core's message when a stored
 * value is not allowed by the scheme's rules.
 */
export async function keepUnitScores(
  db: Db,
  scheme: AssessmentSchemeRow,
  all: readonly AssessmentUnit[],
  unitIds?: readonly number[],
) {
  const wanted = unitIds ? new Set(unitIds) : null;
  const list = wanted ? all.filter((u) => wanted.has(u.unitId)) : all;
  if (list.length === 0) return;
  const compiled = compileStored(scheme.definition);
  const keys = unitKeys(all);
  const matrix = await leafMatrix(
    db,
    scheme,
    compiled,
    list,
    keys,
    wanted ? list.map((u) => u.unitId) : undefined,
  );
  const scored = scoreUnits(compiled, matrix, { units: matrix.units, indicators: "firstLevel" });
  const at = new Date();
  const rows = scored.map((u, i) => ({
    schemeId: scheme.id,
    unitId: (list[i] as AssessmentUnit).unitId,
    complete: u.complete,
    missing: u.missing,
    vetoed: u.vetoed,
    vetoedBy: u.vetoedBy,
    base: u.base,
    bonus: u.bonus,
    bonusEarned: u.bonusEarned,
    total: u.total,
    partialTotal: u.partialTotal,
    indicators: u.indicators,
    scoredAt: at,
  }));
  const k = assessmentUnitScores;
  // 13 parameters a row: 2,000 rows stay under PostgreSQL's 65,535 parameters a statement.
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insert(k)
      .values(rows.slice(i, i + 2000))
      .onConflictDoUpdate({
        target: [k.schemeId, k.unitId],
        set: {
          complete: sql`excluded.complete`,
          missing: sql`excluded.missing`,
          vetoed: sql`excluded.vetoed`,
          vetoedBy: sql`excluded.vetoed_by`,
          base: sql`excluded.base`,
          bonus: sql`excluded.bonus`,
          bonusEarned: sql`excluded.bonus_earned`,
          total: sql`excluded.total`,
          partialTotal: sql`excluded.partial_total`,
          indicators: sql`excluded.indicators`,
          scoredAt: sql`excluded.scored_at`,
        },
      });
  }
}

export type KeptScore = Omit<UnitScore, "unit"> & { unitId: number };

/**
 * The kept scores of a scheme's units, without the first-level indicators `drop` (the bonus and
 * veto groups, which the results table has no column for: removed by PostgreSQL, not copied out in
 * JavaScript). Raw rows, not a drizzle select: drizzle maps every column of every row, and at 3,000
 * rows that was a tenth of the results page.
 */
export async function keptScores(db: Db, schemeId: number, drop: readonly string[]): Promise<KeptScore[]> {
  const k = assessmentUnitScores;
  return rawRows<KeptScore>(
    db,
    sql`select ${k.unitId} as "unitId", ${k.complete} as "complete", ${k.missing} as "missing",
          ${k.vetoed} as "vetoed", ${k.vetoedBy} as "vetoedBy", ${k.base} as "base",
          ${k.bonusEarned} as "bonusEarned", ${k.bonus} as "bonus", ${k.total} as "total",
          ${k.partialTotal} as "partialTotal", ${k.indicators} - ${sql.param(drop)}::text[] as "indicators"
        from ${k} where ${k.schemeId} = ${schemeId}`,
  );
}

/** A unit's score without its name: a kept row, or the core's score of a unit without one. */
export type Score = Omit<UnitScore, "unit">;

/**
 * Every unit's score in `list`'s order, first-level indicators but `drop` only, as `keptScores`
 * reads them: the kept rows themselves (`kept`; no copy), and the units without one scored from
 * their values.
 */
export async function unitScores(
  db: Db,
  scheme: AssessmentSchemeRow,
  compiled: CompiledScheme,
  list: readonly AssessmentUnit[],
  keys: ReadonlyMap<number, string>,
  kept: readonly KeptScore[],
  drop: readonly string[],
): Promise<Score[]> {
  const keptOf = new Map<number, Score>();
  for (const r of kept) keptOf.set(r.unitId, r);
  const unkept = list.filter((u) => !keptOf.has(u.unitId));
  if (unkept.length > 0) {
    const matrix = await leafMatrix(
      db,
      scheme,
      compiled,
      unkept,
      keys,
      unkept.length === list.length ? undefined : unkept.map((u) => u.unitId),
    );
    const scored = scoreUnits(compiled, matrix, { units: matrix.units, indicators: "firstLevel" });
    const dropped = new Set(drop);
    for (const [i, u] of unkept.entries()) {
      const score = scored[i] as UnitScore;
      const indicators: Record<string, number> = {};
      for (const code in score.indicators) {
        if (!dropped.has(code)) indicators[code] = score.indicators[code] as number;
      }
      keptOf.set(u.unitId, Object.assign(score, { indicators }));
    }
  }
  return list.map((u) => keptOf.get(u.unitId) as Score);
}
