import { dataSourceLabels, invalid, notFound } from "@gongkai/core";
import { and, asc, desc, eq, inArray, like, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  assessmentParticipants,
  assessmentScores,
  evaluationProjects,
  evaluationResults,
  storedFiles,
  units,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { anyInt } from "../any.ts";
import {
  type AssessmentMetric,
  type AssessmentMetrics,
  computeAssessmentMetrics,
} from "../assessment-metrics.ts";
import { recordAudit } from "../audit.ts";
import { compileStored } from "../compiled.ts";
import { fmt } from "../numbers.ts";
import {
  type AssessmentSchemeRow,
  assessmentAsOf,
  assessmentLeaves,
  checkValue,
  type LeafSource,
  lockScheme,
  requireScheme,
  type SelfEvidence,
  schemeUnits,
} from "./state.ts";
import { keepUnitScores } from "./unitScores.ts";

// ---------------------------------------------------------------- computed values

/** Values the system computes for the scheme's data leaves, per unit, with how they came about. */
async function liveComputed(
  db: Db,
  scheme: AssessmentSchemeRow,
  unitIds: number[],
  asOf: string,
): Promise<Map<number, Map<string, AssessmentMetric>>> {
  const leaves = assessmentLeaves(compileStored(scheme.definition)).filter((l) => l.source !== null);
  const out = new Map<number, Map<string, AssessmentMetric>>(unitIds.map((u) => [u, new Map()]));
  if (leaves.length === 0 || unitIds.length === 0) return out;
  const [owner] = scheme.ownerUnitId
    ? await db.select({ path: units.path }).from(units).where(eq(units.id, scheme.ownerUnitId))
    : [];
  const scopePath = owner?.path ?? null;
  const metrics: Map<number, AssessmentMetrics> = leaves.some((l) => l.source?.kind === "metric")
    ? await computeAssessmentMetrics(db, { year: scheme.year, unitIds, asOf, scopePath })
    : new Map();
  const evaluations = new Map<string, Awaited<ReturnType<typeof evaluationTotals>>>();
  for (const l of leaves) {
    if (l.source?.kind === "evaluation" && !evaluations.has(l.source.project)) {
      evaluations.set(l.source.project, await evaluationTotals(db, scopePath, scheme.year, l.source.project));
    }
  }
  for (const unitId of unitIds) {
    const byLeaf = out.get(unitId) as Map<string, AssessmentMetric>;
    for (const l of leaves) {
      const src = l.source as LeafSource;
      if (src.kind === "metric") {
        const m = metrics.get(unitId)?.[src.source];
        if (m) byLeaf.set(l.code, m);
        continue;
      }
      const ev = evaluations.get(src.project);
      if (!ev) {
        byLeaf.set(l.code, {
          value: null,
          numerator: null,
          denominator: null,
          note: `没有找到已发布结果的第三方评估项目「${src.project}」,请人工评分`,
        });
        continue;
      }
      const u = ev.units.get(unitId);
      byLeaf.set(
        l.code,
        u === undefined || u === null
          ? {
              value: null,
              numerator: null,
              denominator: null,
              note: `「${ev.name}」第 ${ev.version} 版结果中没有该单位的总分,请人工评分`,
            }
          : {
              value: u,
              numerator: u,
              denominator: 100,
              note: `「${ev.name}」第 ${ev.version} 版结果:总分 ${fmt(u)}`,
            },
      );
    }
  }
  return out;
}

type EvaluationResultsJson = { units?: { unitId: number; total: number | null }[] };

/**
 * A third-party evaluation's totals (0..100) per unit, from the highest published version of the
 * project named by `project`: its id, or its name (the latest project of that name, same year first).
 */
async function evaluationTotals(db: Db, scopePath: string | null, year: number, project: string) {
  const scoped = scopePath ? like(units.path, `${scopePath}%`) : undefined;
  const candidates = await db
    .select({ id: evaluationProjects.id, name: evaluationProjects.name, year: evaluationProjects.year })
    .from(evaluationProjects)
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(
      and(
        /^\d+$/.test(project)
          ? eq(evaluationProjects.id, Number(project))
          : eq(evaluationProjects.name, project.trim()),
        scoped,
      ),
    )
    .orderBy(
      desc(sql`${evaluationProjects.year} = ${year}`),
      desc(evaluationProjects.year),
      desc(evaluationProjects.id),
    );
  for (const p of candidates) {
    const [latest] = await db
      .select({ version: evaluationResults.version, results: evaluationResults.summary })
      .from(evaluationResults)
      .where(eq(evaluationResults.projectId, p.id))
      .orderBy(desc(evaluationResults.version))
      .limit(1);
    if (!latest) continue;
    const list = (latest.results as EvaluationResultsJson | null)?.units ?? [];
    const totals = new Map<number, number | null>();
    for (const u of list) {
      const t =
        typeof u.total === "number" && Number.isFinite(u.total) ? Math.min(100, Math.max(0, u.total)) : null;
      totals.set(u.unitId, t);
    }
    return { name: p.name, version: latest.version, units: totals };
  }
  return null;
}

/** Recomputes and stores the computed value of every data leaf for every unit of the scheme. */
export async function storeComputedValues(db: Db, scheme: AssessmentSchemeRow, now: Date) {
  const list = await schemeUnits(db, scheme);
  const asOf = assessmentAsOf(scheme.year, now);
  const computed = await liveComputed(
    db,
    scheme,
    list.map((u) => u.unitId),
    asOf,
  );
  await db
    .update(assessmentScores)
    .set({ computedValue: null })
    .where(and(eq(assessmentScores.schemeId, scheme.id), sql`${assessmentScores.computedValue} is not null`));
  const rows = [...computed].flatMap(([unitId, byLeaf]) =>
    [...byLeaf].map(([indicatorCode, m]) => ({
      schemeId: scheme.id,
      unitId,
      indicatorCode,
      computedValue: m.value,
    })),
  );
  if (rows.length > 0) {
    await db
      .insert(assessmentScores)
      .values(rows)
      .onConflictDoUpdate({
        target: [assessmentScores.schemeId, assessmentScores.unitId, assessmentScores.indicatorCode],
        set: { computedValue: sql`excluded.computed_value` },
      });
  }
  await keepUnitScores(db, scheme, list);
  return { asOf, values: rows.filter((r) => r.computedValue !== null).length, cells: rows.length };
}

/** The office refreshes the computed values from the task data as it is now. */
export async function refreshAssessmentComputed(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const scheme = await lockScheme(tx, actor, id);
    const result = await storeComputedValues(tx, scheme, now);
    await recordAudit(tx, actor, {
      action: "assessment.refreshComputed",
      entityType: "assessmentScheme",
      entityId: id,
      after: result,
    });
    return result;
  });
}

/**
 * The computed values as they would be now, with how each came about (for the office to check):
 * every unit's, or one unit's (`unitId`: the review drawer; computing 3,000 units' task data takes a
 * while at province scale).
 */
export async function getAssessmentMetrics(db: Db, actor: Actor, id: number, now: Date, unitId?: number) {
  const scheme = await requireScheme(db, actor, id);
  const list = await schemeUnits(db, scheme);
  const shown = unitId === undefined ? list : list.filter((u) => u.unitId === unitId);
  if (unitId !== undefined && shown.length === 0) throw notFound("参评单位");
  const asOf = assessmentAsOf(scheme.year, now);
  const computed = await liveComputed(
    db,
    scheme,
    shown.map((u) => u.unitId),
    asOf,
  );
  return {
    asOf,
    units: shown.map((u) => ({
      unitId: u.unitId,
      name: u.name,
      values: Object.fromEntries(computed.get(u.unitId) ?? []) as Record<string, AssessmentMetric>,
    })),
  };
}

// ---------------------------------------------------------------- scores (office)

/**
 * The units and leaves of the office's review with the self-assessments, computed values and final
 * scores: every unit's, or one unit's (`unitId`: what the review drawer opens; a province's 3,000
 * units × 152 indicators at once was hundreds of thousands of rows).
 */
export async function getAssessmentScores(db: Db, actor: Actor, id: number, unitId?: number) {
  const scheme = await requireScheme(db, actor, id);
  const leaves = assessmentLeaves(compileStored(scheme.definition));
  const codes = new Set(leaves.map((l) => l.code));
  const list = await schemeUnits(db, scheme);
  if (unitId !== undefined && !list.some((u) => u.unitId === unitId)) throw notFound("参评单位");
  const rows = await db
    .select()
    .from(assessmentScores)
    .where(
      and(
        eq(assessmentScores.schemeId, id),
        unitId === undefined ? undefined : eq(assessmentScores.unitId, unitId),
      ),
    )
    .orderBy(asc(assessmentScores.unitId));
  const scores = rows.filter((r) => codes.has(r.indicatorCode));
  return {
    units: list,
    leaves,
    scores: await withFileNames(db, scores),
  };
}

/** Self-assessment evidence as shown: a link, or an uploaded file with its name. */
export type SelfEvidenceView = {
  url: string | null;
  fileId: number | null;
  title: string | null;
  fileName: string | null;
};

export async function withFileNames<R extends { selfEvidence: SelfEvidence[] }>(
  db: Db,
  rows: R[],
): Promise<(Omit<R, "selfEvidence"> & { selfEvidence: SelfEvidenceView[] })[]> {
  const ids = [...new Set(rows.flatMap((r) => r.selfEvidence.map((e) => e.fileId)))].filter(
    (x): x is number => typeof x === "number",
  );
  const files = ids.length
    ? await db
        .select({ id: storedFiles.id, fileName: storedFiles.fileName })
        .from(storedFiles)
        .where(inArray(storedFiles.id, ids))
    : [];
  const nameOf = new Map(files.map((f) => [f.id, f.fileName]));
  return rows.map((r) => ({
    ...r,
    selfEvidence: r.selfEvidence.map((e) => ({
      url: e.url ?? null,
      fileId: e.fileId ?? null,
      title: e.title ?? null,
      fileName: e.fileId ? (nameOf.get(e.fileId) ?? null) : null,
    })),
  }));
}

export type FinalScoreInput = {
  unitId: number;
  indicatorCode: string;
  finalValue: number | null;
  reviewNote?: string | null | undefined;
};

/**
 * The office sets (or clears, with null) final scores. Values must suit the leaf's rule; overriding
 * a value the system computes needs a note saying why. Allowed from the self-assessment on, and
 * after publishing (a correction is then published as a new version).
 */
export async function setAssessmentScores(db: Db, actor: Actor, id: number, scores: FinalScoreInput[]) {
  return db.transaction(async (tx) => {
    // Locked: the units' kept scores are written from the values this transaction sees, so two
    // editors of one scheme take turns (unitScores.ts).
    const scheme = await lockScheme(tx, actor, id);
    if (scheme.status === "draft") {
      throw invalid("方案还是草稿:请先「开放自评」或「进入审核评分」,再录入最终得分。", "status");
    }
    const compiled = compileStored(scheme.definition);
    const leaves = new Map(assessmentLeaves(compiled).map((l) => [l.code, l]));
    const list = await schemeUnits(tx, scheme);
    const unitsById = new Map(list.map((u) => [u.unitId, u]));
    const scoredUnits = new Set(scores.map((s) => s.unitId));
    const seen = new Set<string>();
    for (const s of scores) {
      const unit = unitsById.get(s.unitId);
      if (!unit) throw invalid(`单位(编号 ${s.unitId})不参加本次考核,请刷新页面后重试。`, "finalScores");
      const leaf = leaves.get(s.indicatorCode);
      if (!leaf) {
        throw invalid(
          `指标 ${s.indicatorCode} 不是本方案的末级指标:只给末级指标打分,请刷新页面后重试。`,
          "finalScores",
        );
      }
      const key = `${s.unitId}:${s.indicatorCode}`;
      if (seen.has(key))
        throw invalid(`「${unit.name}」的指标 ${leaf.code} 出现了两次,请只保留一个得分。`, "finalScores");
      seen.add(key);
      if (s.finalValue !== null) {
        checkValue(compiled, unit.name, leaf.code, s.finalValue);
        if (leaf.source && !s.reviewNote) {
          throw invalid(
            `「${unit.name}」的指标 ${leaf.code}「${leaf.name}」由系统根据${leaf.source.kind === "metric" ? dataSourceLabels[leaf.source.source] : "第三方评估结果"}计算:人工修改请在「审核说明」中写明理由。`,
            "reviewNote",
          );
        }
      }
    }
    const before = await tx
      .select({
        unitId: assessmentScores.unitId,
        indicatorCode: assessmentScores.indicatorCode,
        finalValue: assessmentScores.finalValue,
        reviewNote: assessmentScores.reviewNote,
      })
      .from(assessmentScores)
      // The units being scored only: the whole scheme is 456,000 rows at province scale.
      .where(and(eq(assessmentScores.schemeId, id), anyInt(assessmentScores.unitId, [...scoredUnits])));
    const beforeOf = new Map(before.map((b) => [`${b.unitId}:${b.indicatorCode}`, b]));
    const changed = scores.filter((s) => {
      const b = beforeOf.get(`${s.unitId}:${s.indicatorCode}`);
      return (b?.finalValue ?? null) !== s.finalValue || (b?.reviewNote ?? null) !== (s.reviewNote ?? null);
    });
    if (changed.length === 0) return { changed: 0 };
    const at = new Date();
    await tx
      .insert(assessmentScores)
      .values(
        changed.map((s) => ({
          schemeId: id,
          unitId: s.unitId,
          indicatorCode: s.indicatorCode,
          finalValue: s.finalValue,
          reviewNote: s.reviewNote ?? null,
          updatedBy: actor.userId > 0 ? actor.userId : null,
          updatedAt: at,
        })),
      )
      .onConflictDoUpdate({
        target: [assessmentScores.schemeId, assessmentScores.unitId, assessmentScores.indicatorCode],
        set: {
          finalValue: sql`excluded.final_value`,
          reviewNote: sql`excluded.review_note`,
          updatedBy: sql`excluded.updated_by`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
    await keepUnitScores(tx, scheme, list, [...new Set(changed.map((s) => s.unitId))]);
    await recordAudit(tx, actor, {
      action: "assessment.setScores",
      entityType: "assessmentScheme",
      entityId: id,
      before: changed.map(
        (s) => beforeOf.get(`${s.unitId}:${s.indicatorCode}`) ?? { ...s, finalValue: null },
      ),
      after: changed,
    });
    return { changed: changed.length };
  });
}

/** The office sends a submitted self-assessment back to the unit, with the reason. */
export async function returnSelfAssessment(db: Db, actor: Actor, id: number, unitId: number, reason: string) {
  return db.transaction(async (tx) => {
    const scheme = await requireScheme(tx, actor, id);
    if (scheme.status !== "selfAssessment") {
      throw invalid("自评阶段已结束,不能退回。如需单位补充,请先重新「开放自评」。", "status");
    }
    const [part] = await tx
      .select()
      .from(assessmentParticipants)
      .where(and(eq(assessmentParticipants.schemeId, id), eq(assessmentParticipants.unitId, unitId)));
    if (!part) throw notFound("参评单位");
    if (part.selfSubmittedAt === null) throw invalid("该单位还没有提交自评,无需退回。", "unitId");
    await tx
      .update(assessmentParticipants)
      .set({ selfSubmittedAt: null, selfSubmittedBy: null })
      .where(and(eq(assessmentParticipants.schemeId, id), eq(assessmentParticipants.unitId, unitId)));
    await recordAudit(tx, actor, {
      action: "assessment.returnSelf",
      entityType: "assessmentScheme",
      entityId: id,
      before: { unitId, selfSubmittedAt: part.selfSubmittedAt },
      after: { unitId, selfSubmittedAt: null, reason },
    });
    return { unitId, returned: true };
  });
}
