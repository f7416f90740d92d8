/**
 * Reconciling two evaluators, the agreement between them, showing results to units and publishing.
 */

import { agreementOfCells, conflict, type IndicatorDetail, invalid, notFound } from "@gongkai/core";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  evaluationAgreements,
  evaluationAppeals,
  evaluationAssignments,
  evaluationFinalScores,
  evaluationProjects,
  evaluationResults,
  evaluationUnits,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { rawRows } from "../any.ts";
import { recordAudit } from "../audit.ts";
import { announceResults } from "../notifications.ts";
import { fmtTime } from "./scoring.ts";
import { appealDeadline } from "./setup.ts";
import {
  attachEvidence,
  computeResults,
  DAY_MS,
  type EvaluationResults,
  firstLevelResults,
  leafPoints,
  loadState,
  type ProjectContext,
  resultsHash,
  scoringOf,
  substance,
} from "./state.ts";
import { currentUnitResults, liveRanking } from "./unitResults.ts";

// ───────────────────────────── reconciliation ─────────────────────────────

/** Cells of units every evaluator has submitted, with both values and evidence, flagged or decided. */
export async function getEvaluationReconciliation(
  db: Db,
  p: ProjectContext,
  opts: { unitId?: number | undefined } = {},
) {
  const { project } = p;
  // One unit: every cell two evaluators scored, with evidence. Otherwise the cells that need or had
  // the lead's decision (a province's 450,000 cells are not a page), evidence read for their units.
  const { unitId } = opts;
  const f = evaluationFinalScores;
  const a = evaluationAssignments;
  // Each unit's kept result counts its flagged cells: only the units with some, or with a decision,
  // have their ratings read (a third of a province's 900,000).
  const [listed, decided, assigned] = await Promise.all([
    currentUnitResults(db, project),
    unitId ? [] : db.selectDistinct({ unitId: f.unitId }).from(f).where(eq(f.projectId, project.id)),
    db
      .select({
        unitId: a.unitId,
        evaluators: sql<number>`count(*)::int`,
        submitted: sql<number>`count(${a.submittedAt})::int`,
      })
      .from(a)
      .where(eq(a.projectId, project.id))
      .groupBy(a.unitId),
  ]);
  if (unitId !== undefined && !listed.some((u) => u.unitId === unitId)) throw notFound("评估单位");
  const read = unitId
    ? [unitId]
    : [
        ...new Set([
          ...listed.filter((u) => u.flagged > 0).map((u) => u.unitId),
          ...decided.map((d) => d.unitId),
        ]),
      ];
  const state = await loadState(db, project, {
    units: read,
    evidence: unitId ? { unitIds: [unitId] } : "none",
    keep: (c) => (unitId ? c.unitId === unitId && (c.ratings >= 2 || c.decided) : c.flagged || c.decided),
  });
  const shown = state.cells;
  if (!unitId) await attachEvidence(db, project.id, shown);
  const names = new Map(listed.map((u) => [u.unitId, u]));
  const leafByCode = new Map(state.leaves.map((l) => [l.code, l]));
  const cells = shown.map((c) => {
    const leaf = leafByCode.get(c.code);
    return {
      ...c,
      unitName: names.get(c.unitId)?.name ?? "",
      tier: names.get(c.unitId)?.tier ?? "",
      indicatorName: leaf?.name ?? c.code,
      indicatorPath: leaf?.path ?? [],
      max: leaf?.max ?? 0,
      ruleType: leaf?.ruleType ?? "manual",
      mean: c.ratings.length ? c.ratings.reduce((s, r) => s + r.points, 0) / c.ratings.length : null,
    };
  });
  const countsOf = new Map(assigned.map((x) => [x.unitId, x]));
  let pending = 0;
  let flagged = 0;
  const progress = listed.map((u) => {
    pending += u.pending;
    flagged += u.flagged;
    const counts = countsOf.get(u.unitId);
    const evaluators = counts?.evaluators ?? 0;
    const submitted = counts?.submitted ?? 0;
    return {
      unitId: u.unitId,
      unitName: u.name,
      tier: u.tier,
      evaluators,
      submitted,
      // Ready once it has evaluators and every one of them has submitted.
      ready: evaluators > 0 && submitted === evaluators,
    };
  });
  return {
    threshold: project.disagreementThreshold,
    cells,
    pending,
    flagged,
    units: progress,
  };
}

/** The lead sets a cell's final score (in points) with a reason; the unit must be submitted by all. */
export async function setEvaluationFinalScore(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: { unitId: number; indicatorCode: string; value: number; reason: string },
  now: Date,
) {
  const { project } = p;
  if (project.status === "setup") throw invalid("评分还没有开始,不能复核。", "value");
  return db.transaction(async (tx) => {
    const state = await loadState(tx, project, { units: [input.unitId], keep: () => false });
    const unit = state.unitRows.find((u) => u.unitId === input.unitId);
    if (!unit) throw notFound("评估单位");
    if (!state.ready.has(input.unitId)) {
      throw invalid(`「${unit.name}」还有评估人员没有提交评分:全部提交后才能复核。`, "unitId");
    }
    const scoring = scoringOf(project);
    leafPoints(scoring, unit.name, input.indicatorCode, input.value);
    return writeFinal(tx, actor, p, { ...input, unitName: unit.name }, now, "evaluation.setFinalScore");
  });
}

export async function writeFinal(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: { unitId: number; indicatorCode: string; value: number; reason: string; unitName: string },
  now: Date,
  action: string,
) {
  const where = and(
    eq(evaluationFinalScores.projectId, p.project.id),
    eq(evaluationFinalScores.unitId, input.unitId),
    eq(evaluationFinalScores.indicatorCode, input.indicatorCode),
  );
  const [before] = await db.select().from(evaluationFinalScores).where(where);
  const values = {
    value: input.value,
    reason: input.reason,
    decidedBy: actor.userId > 0 ? actor.userId : null,
    decidedAt: now,
  };
  await db
    .insert(evaluationFinalScores)
    .values({ projectId: p.project.id, unitId: input.unitId, indicatorCode: input.indicatorCode, ...values })
    .onConflictDoUpdate({
      target: [
        evaluationFinalScores.projectId,
        evaluationFinalScores.unitId,
        evaluationFinalScores.indicatorCode,
      ],
      set: values,
    });
  await recordAudit(db, actor, {
    action,
    entityType: "evaluation_project",
    entityId: p.project.id,
    before: before ?? null,
    after: { unitId: input.unitId, indicatorCode: input.indicatorCode, ...values },
    regionCode: p.regionCode,
  });
  return {
    unitId: input.unitId,
    indicatorCode: input.indicatorCode,
    value: input.value,
    reason: input.reason,
  };
}

/** A typed array that grows as it is pushed to (doubling), for numbers counted as they come. */
class Grow<A extends Int32Array | Float64Array> {
  private data: A;
  length = 0;
  constructor(private readonly make: new (size: number) => A) {
    this.data = new make(1024);
  }
  push(x: number) {
    if (this.length === this.data.length) {
      const bigger = new this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  /** The numbers pushed (a view, not a copy). */
  array(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

/**
 * What an agreement report is computed from: each of the project's units at its revision
 * (`evaluation_units.revision`, raised by the triggers of migration 0010 on every change to a unit's
 * ratings, decisions and assignments, and to every unit's when the indicator system changes — as the
 * kept unit results use it). A report kept under the same basis is the one the same ratings give;
 * any change to them, by the API or not, gives a new basis.
 */
async function agreementBasis(db: Db, p: ProjectContext): Promise<string> {
  const e = evaluationUnits;
  const [row] = await rawRows<{ basis: string }>(
    db,
    sql`select md5(coalesce(string_agg(${e.unitId} || ':' || ${e.revision}, ',' order by ${e.unitId}), '')) as "basis"
        from ${e} where ${e.projectId} = ${p.project.id}`,
  );
  return row?.basis ?? "";
}

type AgreementView = Awaited<ReturnType<typeof computeAgreement>>;

/**
 * The agreement, as kept for its basis, or computed and kept (a province's 900,000 ratings take
 * most of a second; the report only changes when a unit's submissions do). The basis is read before
 * the ratings, so a report kept under it is never older than it: a submission in between gives the
 * next view a new basis, and that view computes again.
 */
export async function getEvaluationAgreement(db: Db, p: ProjectContext): Promise<AgreementView> {
  const basis = await agreementBasis(db, p);
  const k = evaluationAgreements;
  const [kept] = await db
    .select({ report: k.report })
    .from(k)
    .where(and(eq(k.projectId, p.project.id), eq(k.basis, basis)));
  if (kept) return kept.report as AgreementView;
  const report = await computeAgreement(db, p);
  await db
    .insert(k)
    .values({ projectId: p.project.id, basis, report, computedAt: new Date() })
    .onConflictDoUpdate({
      target: k.projectId,
      set: {
        basis: sql`excluded.basis`,
        report: sql`excluded.report`,
        computedAt: sql`excluded.computed_at`,
      },
    });
  return report;
}

/**
 * Agreement between evaluators over the cells of submitted units, per indicator and overall, in
 * points (pooled overall as a share of each indicator's points). Weak: Krippendorff's alpha below
 * 0.667, the least Krippendorff accepts even for tentative conclusions.
 */
async function computeAgreement(db: Db, p: ProjectContext) {
  // The double-rated cells, flat as the core takes them: no object per rating or per cell.
  const cellLeaf = new Grow(Int32Array);
  const start = new Grow(Int32Array);
  const values = new Grow(Float64Array);
  const raters = new Grow(Int32Array);
  start.push(0);
  const state = await loadState(db, p.project, {
    keep: () => false,
    visit: (_unitId, leaf, points, by, from, to) => {
      if (to - from < 2) return;
      cellLeaf.push(leaf);
      for (let i = from; i < to; i++) {
        values.push(points[i] as number);
        raters.push(by[i] as number);
      }
      start.push(values.length);
    },
  });
  const leafMax = new Map(state.leaves.map((l) => [l.code, l.max]));
  const report = agreementOfCells(
    {
      indicators: state.leaves.map((l) => l.code),
      cellIndicator: cellLeaf.array(),
      start: start.array(),
      values: values.array(),
      raters: raters.array(),
    },
    { scale: (code) => leafMax.get(code) || 1 },
  );
  const byIndicator = state.leaves
    .filter((l) => report.byIndicator[l.code])
    .map((l) => {
      const s = report.byIndicator[l.code] as (typeof report.byIndicator)[string];
      return {
        code: l.code,
        name: l.name,
        path: l.path,
        ...s,
        weak: s.alphaInterval !== null && s.alphaInterval < 0.667,
      };
    });
  return { overall: report.overall, byIndicator, weakThreshold: 0.667 };
}

/**
 * What publishing now would freeze, and what still stands in the way; the ranking page asks for
 * each unit's first-level indicators only (`detail`).
 */
export async function previewEvaluationResults(
  db: Db,
  p: ProjectContext,
  now: Date,
  detail: IndicatorDetail = "all",
) {
  const [ranking, [open]] = await Promise.all([
    // The live ranking table reads the kept unit results; publishing (every indicator) computes
    // from the ratings themselves.
    detail === "firstLevel"
      ? liveRanking(db, p.project, now)
      : loadState(db, p.project, { keep: () => false }).then((state) =>
          computeResults(p.project, state, now, detail),
        ),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(evaluationAppeals)
      .where(and(eq(evaluationAppeals.projectId, p.project.id), eq(evaluationAppeals.state, "open"))),
  ]);
  const { results, incomplete, pending } = ranking;
  return { results, incomplete, pending, openAppeals: open?.n ?? 0 };
}

function assertComplete(preview: { incomplete: string[]; pending: number }, doing: string) {
  if (preview.pending > 0) {
    throw invalid(
      `还有 ${preview.pending} 个分歧得分没有复核:请先在“复核”中确定最终得分,再${doing}。`,
      "reconciliation",
    );
  }
  if (preview.incomplete.length > 0) {
    const list = preview.incomplete
      .slice(0, 8)
      .map((n) => `「${n}」`)
      .join("、");
    throw invalid(
      `还有 ${preview.incomplete.length} 个单位没有完成评分:${list}${preview.incomplete.length > 8 ? " 等" : ""}。请等评估人员全部提交后再${doing}。`,
      "units",
    );
  }
}

/** Shows the results to the units evaluated: each sees its own scores and may appeal within `appealDays`. */
export async function showEvaluationResults(db: Db, actor: Actor, p: ProjectContext, now: Date) {
  const { project } = p;
  if (project.resultsShownAt)
    throw conflict(`结果已于 ${fmtTime(project.resultsShownAt)} 向各单位公示,无需重复操作。`);
  return db.transaction(async (tx) => {
    const preview = await previewEvaluationResults(tx, p, now);
    assertComplete(preview, "向单位公示");
    const [updated] = await tx
      .update(evaluationProjects)
      .set({
        resultsShownAt: now,
        status: project.status === "published" ? "published" : "review",
        updatedAt: now,
        version: sql`${evaluationProjects.version} + 1`,
      })
      .where(eq(evaluationProjects.id, project.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "evaluation.showResults",
      entityType: "evaluation_project",
      entityId: project.id,
      before: { status: project.status, resultsShownAt: null },
      after: { status: updated?.status, resultsShownAt: now.toISOString() },
      regionCode: p.regionCode,
    });
    return {
      resultsShownAt: now.toISOString(),
      appealDeadline: new Date(now.getTime() + project.appealDays * DAY_MS).toISOString(),
    };
  });
}

/**
 * Publishes the current results as the next version, frozen with its hash. From version 2 on a
 * reason is required, and a version identical to the last one is refused.
 */
export async function publishEvaluationResults(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  reason: string | null,
  now: Date,
) {
  const { project } = p;
  return db.transaction(async (tx) => {
    const preview = await previewEvaluationResults(tx, p, now);
    assertComplete(preview, "发布");
    if (preview.openAppeals > 0) {
      throw invalid(`还有 ${preview.openAppeals} 条申诉没有处理:请先采纳或驳回,再发布。`, "appeals");
    }
    const [last] = await tx
      .select()
      .from(evaluationResults)
      .where(eq(evaluationResults.projectId, project.id))
      .orderBy(desc(evaluationResults.version))
      .limit(1);
    const version = (last?.version ?? 0) + 1;
    if (last && !reason) {
      throw invalid(`已发布过第 ${last.version} 版:发布更正版(第 ${version} 版)请填写更正原因。`, "reason");
    }
    const deadline = appealDeadline(project);
    if (!reason && deadline && now.getTime() <= deadline.getTime()) {
      throw invalid(
        `申诉期尚未结束(截止 ${fmtTime(deadline)}),各单位仍可对结果提出申诉:如确需在申诉期内发布,请填写发布原因。`,
        "reason",
      );
    }
    if (last && substance(last.results as EvaluationResults) === substance(preview.results)) {
      throw conflict(`当前结果与已发布的第 ${last.version} 版相同,无需重新发布。`);
    }
    const contentHash = resultsHash(preview.results);
    const [row] = await tx
      .insert(evaluationResults)
      .values({
        projectId: project.id,
        version,
        results: preview.results,
        summary: firstLevelResults(preview.results),
        contentHash,
        reason: reason ?? null,
        publishedBy: actor.userId > 0 ? actor.userId : null,
        publishedAt: now,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await tx
      .update(evaluationProjects)
      .set({ status: "published", updatedAt: now, version: sql`${evaluationProjects.version} + 1` })
      .where(eq(evaluationProjects.id, project.id));
    const ranked = await tx
      .select({ unitId: evaluationUnits.unitId })
      .from(evaluationUnits)
      .where(eq(evaluationUnits.projectId, project.id));
    await announceResults(
      tx,
      {
        unitIds: ranked.map((u) => u.unitId),
        title: last ? `${project.name}:评估结果已更正(第 ${version} 版)` : `${project.name}:评估结果已发布`,
        link: "/my-evaluations",
        key: `evaluation:${project.id}:v${version}`,
        ownerUnitId: project.ownerUnitId,
        data: { kind: "evaluation", projectId: project.id, name: project.name, version, contentHash },
      },
      now,
    );
    await recordAudit(tx, actor, {
      action: "evaluation.publish",
      entityType: "evaluation_project",
      entityId: project.id,
      after: { version, contentHash, reason },
      regionCode: p.regionCode,
    });
    return { version, contentHash, publishedAt: now.toISOString(), reason: row.reason };
  });
}
