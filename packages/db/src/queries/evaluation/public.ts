/**
 * Published (frozen, hashed) results for the public page and its downloads.
 */
import { canonicalJson, DomainError, notFound } from "@gongkai/core";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { evaluationResults } from "../../schema/index.ts";
import { systemActor } from "../actor.ts";
import { rawRows } from "../any.ts";
import { recordAudit } from "../audit.ts";
import { fmt } from "../numbers.ts";
import { versionsOf } from "./setup.ts";
import { type EvaluationResults, firstLevelResults, iso, r6, resultsHash } from "./state.ts";

// ───────────────────────────── published results (public) ─────────────────────────────

/** Projects with at least one published version, as their latest version names them. */
export async function listPublishedEvaluations(db: Db) {
  const rows = await db
    .select({
      projectId: evaluationResults.projectId,
      version: evaluationResults.version,
      results: evaluationResults.summary,
      contentHash: evaluationResults.contentHash,
      publishedAt: evaluationResults.publishedAt,
    })
    .from(evaluationResults)
    .where(
      sql`${evaluationResults.version} = (select max(r2.version) from ${evaluationResults} r2 where r2.project_id = ${evaluationResults.projectId})`,
    )
    .orderBy(desc(evaluationResults.publishedAt));
  return rows
    .map((r) => {
      const results = r.results as EvaluationResults;
      return {
        projectId: r.projectId,
        year: results.project.year,
        name: results.project.name,
        organisation: results.project.organisation,
        latestVersion: r.version,
        contentHash: r.contentHash,
        publishedAt: iso(r.publishedAt) as string,
        unitCount: results.units.length,
        tiers: results.tiers,
      };
    })
    .sort((a, b) => b.year - a.year || b.projectId - a.projectId);
}

/**
 * One published version (the latest unless asked) with the version list and the change from last
 * year: the same organisation's previous-year project's latest published version, matched by unit.
 * `detail` "firstLevel" gives each unit's first-level indicators only (the version's summary, what
 * the public page draws); "all" gives the results the content hash is over (the downloads).
 * Only published rows are read; NOT_FOUND when there is none.
 */
export async function getPublishedEvaluation(
  db: Db,
  projectId: number,
  version?: number,
  detail: "all" | "firstLevel" = "all",
) {
  const versions = await versionsOf(db, projectId);
  const chosen = version === undefined ? versions[0] : versions.find((v) => v.version === version);
  if (!chosen) throw notFound(version === undefined ? "已发布的评估结果" : `第 ${version} 版评估结果`);
  await verifyPublished(db, projectId, chosen.version, chosen.contentHash);
  const [row] = await db
    .select({ results: detail === "all" ? evaluationResults.results : evaluationResults.summary })
    .from(evaluationResults)
    .where(and(eq(evaluationResults.projectId, projectId), eq(evaluationResults.version, chosen.version)));
  const results = row?.results as EvaluationResults;
  const earlier = await earlierYears(db, projectId, results);
  // "Change from last year" compares with the calendar year before only; older years are history.
  const previous = earlier.find((y) => y.year === results.project.year - 1) ?? null;
  const change: Record<
    string,
    { previousTotal: number | null; previousRank: number | null; delta: number | null }
  > = {};
  if (previous) {
    for (const u of results.units) {
      const before = previous.units.get(u.unitId);
      if (!before) continue;
      change[String(u.unitId)] = {
        previousTotal: before.total,
        previousRank: before.rank,
        delta: u.total !== null && before.total !== null ? r6(u.total - before.total) : null,
      };
    }
  }
  // Each unit's rank (and total, tier) in every earlier published year, newest year first.
  const ranks: Record<
    string,
    Record<string, { rank: number | null; total: number | null; tier: string }>
  > = {};
  for (const u of results.units) {
    const row: Record<string, { rank: number | null; total: number | null; tier: string }> = {};
    for (const y of earlier) {
      const before = y.units.get(u.unitId);
      if (before) row[String(y.year)] = before;
    }
    if (Object.keys(row).length > 0) ranks[String(u.unitId)] = row;
  }
  return {
    projectId,
    version: chosen,
    versions,
    results,
    previous: previous
      ? { projectId: previous.projectId, year: previous.year, version: previous.version }
      : null,
    change,
    history: {
      years: earlier.map((y) => ({ year: y.year, projectId: y.projectId, version: y.version })),
      ranks,
    },
  };
}

/**
 * A published version is what its hash says it is. On every public read the stored results are
 * checked against the hash published with them (and the page's summary against the results);
 * the check is kept per row version (PostgreSQL's xmin changes with any update of the row), so an
 * unchanged row costs one small query. A mismatch — the row changed behind the application's
 * back — is written to the audit log and refused: never served under the old hash.
 */
const verified = new Map<string, string>();

async function verifyPublished(db: Db, projectId: number, version: number, contentHash: string) {
  const key = `${projectId}:${version}`;
  const rowVersion = async () => {
    const r = await db.execute(
      sql`select xmin::text as x from ${evaluationResults} where project_id = ${projectId} and version = ${version}`,
    );
    const row = (Array.isArray(r) ? r[0] : (r as { rows: unknown[] }).rows[0]) as { x: string } | undefined;
    return row?.x ?? "";
  };
  const x = await rowVersion();
  if (verified.get(key) === x) return;
  const [row] = await db
    .select({ results: evaluationResults.results, summary: evaluationResults.summary })
    .from(evaluationResults)
    .where(and(eq(evaluationResults.projectId, projectId), eq(evaluationResults.version, version)));
  const results = row?.results as EvaluationResults | undefined;
  const intact =
    results !== undefined &&
    resultsHash(results) === contentHash &&
    canonicalJson(row?.summary) === canonicalJson(firstLevelResults(results));
  if (!intact) {
    verified.delete(key);
    await recordAudit(db, systemActor, {
      action: "integrity.alert",
      entityType: "evaluation_results",
      entityId: key,
      after: {
        projectId,
        version,
        publishedHash: contentHash,
        storedHash: results ? resultsHash(results) : null,
      },
    });
    throw new DomainError(
      "CONFLICT",
      `第 ${version} 版评估结果的内容与发布时的校验值不符,可能已被改动,暂停公开;已记入审计日志,请联系系统管理员核查。`,
    );
  }
  verified.set(key, x);
}

type EarlierUnit = { rank: number | null; total: number | null; tier: string };

/**
 * Every earlier year of the same organisation with a published ranking: per year its latest
 * project's latest version, and each unit's rank, total and tier read out of the stored summary
 * by the database (one query, whatever the number of years), newest year first.
 */
async function earlierYears(db: Db, projectId: number, current: EvaluationResults) {
  const rows = await rawRows<{
    year: number;
    projectId: number;
    version: number;
    unitId: number | null;
    rank: number | null;
    total: number | null;
    tier: string | null;
  }>(
    db,
    sql`with latest as (
          select distinct on (r.project_id) r.project_id, r.version, r.summary,
            (r.summary -> 'project' ->> 'year')::int as year
          from ${evaluationResults} r
          where r.project_id <> ${projectId}
            and r.summary -> 'project' ->> 'organisation' = ${current.project.organisation}
            and (r.summary -> 'project' ->> 'year')::int < ${current.project.year}
          order by r.project_id, r.version desc
        ), per_year as (
          select distinct on (year) project_id, version, summary, year
          from latest order by year, project_id desc
        )
        select py.year::int as "year", py.project_id::int as "projectId", py.version::int as "version",
          x."unitId"::int as "unitId", x.rank::int as "rank", x.total as "total", x.tier as "tier"
        from per_year py
        left join lateral jsonb_to_recordset(py.summary -> 'units')
          as x("unitId" int, rank int, total float8, tier text) on true
        order by py.year desc`,
  );
  const years = new Map<
    number,
    { year: number; projectId: number; version: number; units: Map<number, EarlierUnit> }
  >();
  for (const r of rows) {
    let y = years.get(r.year);
    if (!y) {
      y = { year: r.year, projectId: r.projectId, version: r.version, units: new Map() };
      years.set(r.year, y);
    }
    if (r.unitId !== null) y.units.set(r.unitId, { rank: r.rank, total: r.total, tier: r.tier ?? "" });
  }
  return [...years.values()];
}

/** The published results as CSV rows (header first): tier, rank, unit, total, grade, then every indicator. */
export function resultsCsvRows(results: EvaluationResults): (string | number | null)[][] {
  const header = [
    "层级",
    "排名",
    "单位",
    "总分",
    "等次",
    ...results.indicators.map((i) => `${i.code} ${i.name}(${fmt(i.max)}分)`),
  ];
  return [
    header,
    ...results.units.map((u) => [
      u.tier,
      u.rank,
      u.unitName,
      u.total,
      u.grade,
      ...results.indicators.map((i) => u.indicators[i.code] ?? null),
    ]),
  ];
}
