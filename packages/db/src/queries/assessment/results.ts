/**
 * Results: computed by the core rules, previewed, published as frozen hashed versions, exported;
 * and the published evaluations a scheme can draw on.
 */
import { createHash } from "node:crypto";
import {
  type AssessmentScheme,
  contribution,
  type GradeBand,
  type IndicatorDetail,
  invalid,
  notFound,
  placeUnits,
  rankingOptionsOf,
  resultsHashInput,
  roundHalfUp,
  type SchemeNode,
  scoreUnits,
} from "@gongkai/core";
import { and, desc, eq, like, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  assessmentResults,
  assessmentSchemes,
  evaluationProjects,
  evaluationResults,
  units,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit.ts";
import { compileStored } from "../compiled.ts";
import { announceResults } from "../notifications.ts";
import { setStage } from "./schemes.ts";
import {
  type AssessmentSchemeRow,
  type AssessmentUnit,
  lockScheme,
  requireScheme,
  schemeUnits,
  unitKeys,
} from "./state.ts";
import { keptScores, leafMatrix, type Score, unitScores } from "./unitScores.ts";

// ---------------------------------------------------------------- results

export type AssessmentResultUnit = {
  unitId: number;
  unit: string;
  rank: number | null;
  grade: string | null;
  vetoed: boolean;
  vetoedBy: string[];
  complete: boolean;
  missing: string[];
  total: number | null;
  partialTotal: number;
  base: number;
  bonus: number;
  bonusEarned: number;
  indicators: Record<string, number>;
  /** score / max × share × performanceTotal; null while incomplete. */
  contribution: number | null;
};

/** What a published version freezes (stored as the version's `results`). */
export type AssessmentResultsSnapshot = {
  schemeId: number;
  year: number;
  name: string;
  unitGroupId: number | null;
  share: number;
  performanceTotal: number;
  max: number;
  bonusCap: number;
  grades: GradeBand[] | null;
  firstLevel: { code: string; name: string; max: number }[];
  definition: AssessmentScheme;
  units: AssessmentResultUnit[];
};

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The content hash of a snapshot: sha256 over the core's canonical results text. */
export function assessmentContentHash(snapshot: AssessmentResultsSnapshot): string {
  return sha256(resultsHashInput(snapshot.definition, snapshot.units));
}

/**
 * Scores and ranks the scheme's units from their values as they stand; each unit's `indicators`
 * holds every indicator, or the first level only (`detail`: then from the kept scores).
 */
async function computeSnapshot(
  db: Db,
  scheme: AssessmentSchemeRow,
  detail: IndicatorDetail = "all",
): Promise<AssessmentResultsSnapshot> {
  const compiled = compileStored(scheme.definition);
  const tops = compiled.tops.map((i) => compiled.nodes[i] as SchemeNode);
  // The results table's columns: the scored first-level indicators (a bonus or veto group has none).
  const firstLevel = tops
    .filter((n) => n.kind === "scored")
    .map((n) => ({ code: n.code, name: n.name, max: n.max }));
  const drop = tops.filter((n) => n.kind !== "scored").map((n) => n.code);
  // The first level is what the kept scores hold (unitScores.ts); every indicator (a publication,
  // an export) is scored from the values.
  const [list, kept] = await Promise.all([
    schemeUnits(db, scheme),
    detail === "firstLevel" ? keptScores(db, scheme.id, drop) : null,
  ]);
  const keys = unitKeys(list);
  const scored: Score[] = kept
    ? await unitScores(db, scheme, compiled, list, keys, kept, drop)
    : await leafMatrix(db, scheme, compiled, list, keys).then((matrix) =>
        scoreUnits(compiled, matrix, { units: matrix.units, indicators: "all" }),
      );
  const share = scheme.definition.share;
  // A scheme that states its `precision` shows (and publishes, and hashes) the rounded totals it
  // ranks by; without one, totals are kept whole and ranked at the default 2 decimals.
  const precision = compiled.system.precision;
  // The scores become the result rows (3,000 at province scale): a unit's kept row or computed
  // score gets its name, id and contribution added, not copied into a new object.
  const shaped = scored.map((u, i) => {
    const row = u as Score & Partial<AssessmentResultUnit>;
    const unitId = (list[i] as AssessmentUnit).unitId;
    row.unitId = unitId;
    row.unit = keys.get(unitId) as string;
    row.rank = null;
    row.grade = null;
    if (precision !== undefined && u.total !== null) row.total = roundHalfUp(u.total, precision);
    row.contribution =
      u.total === null || compiled.max <= 0
        ? null
        : contribution(row.total as number, compiled.max, share, scheme.performanceTotal);
    return row as AssessmentResultUnit;
  });
  const { order, rank, grade } = placeUnits(shaped, rankingOptionsOf(compiled.system));
  const ranked = order.map((i) => {
    const u = shaped[i] as AssessmentResultUnit;
    u.rank = rank[i] as number | null;
    u.grade = grade[i] as string | null;
    return u;
  });
  return {
    schemeId: scheme.id,
    year: scheme.year,
    name: scheme.name,
    unitGroupId: scheme.unitGroupId,
    share,
    performanceTotal: scheme.performanceTotal,
    max: compiled.max,
    bonusCap: compiled.bonusCap,
    grades: compiled.system.grades,
    firstLevel,
    definition: scheme.definition,
    units: ranked,
  };
}

/**
 * Distribution by score band on the share of the maximum (so schemes of any size compare); bands
 * include their lower bound: 60–70 holds 60 and not 70. Labels are in points when the maximum is 100.
 */
function distribution(snapshot: AssessmentResultsSnapshot) {
  const unit = snapshot.max === 100 ? "" : "%";
  const bands = [
    { label: `<60${unit}`, from: 0, to: 60 },
    { label: `60–70${unit}`, from: 60, to: 70 },
    { label: `70–80${unit}`, from: 70, to: 80 },
    { label: `80–90${unit}`, from: 80, to: 90 },
    { label: `≥90${unit}`, from: 90, to: Number.POSITIVE_INFINITY },
  ];
  const scored = snapshot.units.filter((u) => u.total !== null);
  return {
    bands: bands.map((b) => ({
      band: b.label,
      count: scored.filter((u) => {
        const p = ((u.total ?? 0) / snapshot.max) * 100;
        return p >= b.from - 1e-9 && p < b.to - 1e-9;
      }).length,
    })),
    incomplete: snapshot.units.length - scored.length,
  };
}

/** Last year's published results of the same group, matched by unit. */
async function changesFromLastYear(db: Db, snapshot: AssessmentResultsSnapshot) {
  if (snapshot.unitGroupId === null) return { previous: null, changes: [] };
  const [prev] = await db
    .select({ id: assessmentSchemes.id, name: assessmentSchemes.name, year: assessmentSchemes.year })
    .from(assessmentSchemes)
    .where(
      and(
        eq(assessmentSchemes.unitGroupId, snapshot.unitGroupId),
        eq(assessmentSchemes.year, snapshot.year - 1),
        eq(assessmentSchemes.status, "published"),
      ),
    )
    .orderBy(desc(assessmentSchemes.id))
    .limit(1);
  if (!prev) return { previous: null, changes: [] };
  const [latest] = await db
    .select({ version: assessmentResults.version, results: assessmentResults.results })
    .from(assessmentResults)
    .where(eq(assessmentResults.schemeId, prev.id))
    .orderBy(desc(assessmentResults.version))
    .limit(1);
  if (!latest) return { previous: null, changes: [] };
  const last = latest.results as AssessmentResultsSnapshot;
  const lastOf = new Map(last.units.map((u) => [u.unitId, u]));
  return {
    previous: { schemeId: prev.id, name: prev.name, year: prev.year, version: latest.version, max: last.max },
    changes: snapshot.units.map((u) => {
      const l = lastOf.get(u.unitId);
      const previousTotal = l?.total ?? null;
      return {
        unitId: u.unitId,
        unit: u.unit,
        total: u.total,
        rank: u.rank,
        previousTotal,
        previousRank: l?.rank ?? null,
        change: u.total !== null && previousTotal !== null ? u.total - previousTotal : null,
      };
    }),
  };
}

async function resultsView(db: Db, snapshot: AssessmentResultsSnapshot, contentHash: string | null) {
  return {
    ...snapshot,
    contentHash,
    distribution: distribution(snapshot),
    ...(await changesFromLastYear(db, snapshot)),
  };
}

/**
 * The results as they would be published now (not frozen), as the results page shows them: each
 * unit's first-level indicators only (the full table is in the .xlsx export and in every published
 * version), and no content hash, which only a publication fixes. At province scale (3,000 units ×
 * 150 indicators) this keeps the response small and the page under a second.
 */
export async function previewAssessmentResults(db: Db, actor: Actor, id: number) {
  const scheme = await requireScheme(db, actor, id);
  const snapshot = await computeSnapshot(db, scheme, "firstLevel");
  return {
    version: null,
    publishedAt: null,
    reason: null,
    hashValid: true,
    ...(await resultsView(db, snapshot, null)),
  };
}

/** A published version as it was frozen; `hashValid` re-checks the stored content against its hash. */
export async function getAssessmentVersion(db: Db, actor: Actor, id: number, version: number) {
  await requireScheme(db, actor, id);
  return readVersion(db, id, version);
}

async function readVersion(db: Db, id: number, version: number) {
  const [row] = await db
    .select()
    .from(assessmentResults)
    .where(and(eq(assessmentResults.schemeId, id), eq(assessmentResults.version, version)));
  if (!row) throw notFound(`第 ${version} 版考核结果`);
  const snapshot = row.results as AssessmentResultsSnapshot;
  const view = await resultsView(db, snapshot, row.contentHash);
  return {
    ...view,
    version: row.version,
    publishedAt: row.publishedAt,
    reason: row.reason,
    hashValid: assessmentContentHash(snapshot) === row.contentHash,
  };
}

/**
 * Publishes the results as they stand: a new frozen version with its content hash. The first
 * publication is version 1; a later one is a correction and needs a reason, and must differ from
 * the latest version. Units not fully scored block publishing unless `allowIncomplete`.
 */
export async function publishAssessmentResults(
  db: Db,
  actor: Actor,
  id: number,
  opts: { correctionReason?: string | null | undefined; allowIncomplete?: boolean | undefined },
) {
  return db.transaction(async (tx) => {
    const scheme = await lockScheme(tx, actor, id);
    if (scheme.status === "draft" || scheme.status === "selfAssessment") {
      throw invalid(
        scheme.status === "draft"
          ? "方案还是草稿:请先「进入审核评分」并录入最终得分,再发布结果。"
          : "单位自评尚未结束:请先点击「进入审核评分」,录入最终得分后再发布结果。",
        "status",
      );
    }
    const snapshot = await computeSnapshot(tx, scheme);
    if (snapshot.units.length === 0) throw invalid("没有参评单位,无法发布结果。", "status");
    const incomplete = snapshot.units.filter((u) => !u.complete);
    if (incomplete.length > 0 && !opts.allowIncomplete) {
      throw invalid(
        `还有 ${incomplete.length} 个单位未完成评分:${incomplete
          .slice(0, 5)
          .map((u) => `${u.unit}(缺 ${u.missing.slice(0, 3).join("、")}${u.missing.length > 3 ? " 等" : ""})`)
          .join(
            "、",
          )}${incomplete.length > 5 ? " 等" : ""}。请补齐最终得分;如确需先发布,请确认这些单位以「未完成」列示、不参与排名。`,
        "allowIncomplete",
      );
    }
    const contentHash = assessmentContentHash(snapshot);
    const [latest] = await tx
      .select({ version: assessmentResults.version, contentHash: assessmentResults.contentHash })
      .from(assessmentResults)
      .where(eq(assessmentResults.schemeId, id))
      .orderBy(desc(assessmentResults.version))
      .limit(1);
    const reason = opts.correctionReason?.trim() || null;
    if (latest) {
      if (!reason) {
        throw invalid(
          `已发布过第 ${latest.version} 版结果:再次发布是更正,请填写更正理由(如“××单位指标2.1得分录入有误”)。`,
          "correctionReason",
        );
      }
      if (latest.contentHash === contentHash) {
        throw invalid(
          `结果与已发布的第 ${latest.version} 版完全相同,无需发布更正。请先修改得分。`,
          "correctionReason",
        );
      }
    }
    const version = (latest?.version ?? 0) + 1;
    const [row] = await tx
      .insert(assessmentResults)
      .values({
        schemeId: id,
        version,
        results: snapshot,
        contentHash,
        reason: latest ? reason : null,
        publishedBy: actor.userId > 0 ? actor.userId : null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    if (scheme.status !== "published") await setStage(tx, scheme, "published");
    await announceResults(
      tx,
      {
        unitIds: snapshot.units.map((u) => u.unitId),
        title: latest ? `${scheme.name}:考核结果已更正(第 ${version} 版)` : `${scheme.name}:考核结果已发布`,
        link: "/my-assessment",
        key: `assessment:${id}:v${version}`,
        ownerUnitId: scheme.ownerUnitId,
        data: {
          kind: "assessment",
          schemeId: id,
          name: scheme.name,
          year: scheme.year,
          version,
          contentHash,
        },
      },
      row.publishedAt,
    );
    await recordAudit(tx, actor, {
      action: latest ? "assessment.correct" : "assessment.publish",
      entityType: "assessmentScheme",
      entityId: id,
      before: latest
        ? { version: latest.version, contentHash: latest.contentHash }
        : { status: scheme.status },
      after: { version, contentHash, reason: row.reason, incomplete: incomplete.map((u) => u.unitId) },
    });
    return { version, contentHash, publishedAt: row.publishedAt, reason: row.reason };
  });
}

/** Results for an .xlsx export: a published version, or the live results when none is given. */
export async function assessmentResultsForExport(db: Db, actor: Actor, id: number, version?: number) {
  const scheme = await requireScheme(db, actor, id);
  if (version === undefined) return { version: null, snapshot: await computeSnapshot(db, scheme) };
  const [row] = await db
    .select()
    .from(assessmentResults)
    .where(and(eq(assessmentResults.schemeId, id), eq(assessmentResults.version, version)));
  if (!row) throw notFound(`第 ${version} 版考核结果`);
  return { version, snapshot: row.results as AssessmentResultsSnapshot };
}

export async function getAssessmentDefinition(db: Db, actor: Actor, id: number) {
  const scheme = await requireScheme(db, actor, id);
  return { name: scheme.name, year: scheme.year, definition: scheme.definition };
}

// ---------------------------------------------------------------- evaluation projects to draw on

/** Third-party evaluation projects in scope with a published version, for `evaluation` rules. */
export async function listAssessmentEvaluationSources(db: Db, actor: Actor) {
  const latest = db
    .select({
      projectId: evaluationResults.projectId,
      latestVersion: sql<number>`max(${evaluationResults.version})::int`.as("latest_version"),
    })
    .from(evaluationResults)
    .groupBy(evaluationResults.projectId)
    .as("latest");
  return db
    .select({
      id: evaluationProjects.id,
      year: evaluationProjects.year,
      name: evaluationProjects.name,
      organisation: evaluationProjects.organisation,
      latestVersion: latest.latestVersion,
    })
    .from(evaluationProjects)
    .innerJoin(latest, eq(latest.projectId, evaluationProjects.id))
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(actor.scopePath ? like(units.path, `${actor.scopePath}%`) : undefined)
    .orderBy(desc(evaluationProjects.year), desc(evaluationProjects.id));
}
