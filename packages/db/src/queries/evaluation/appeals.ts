/**
 * Units' appeals, and a unit's view of its own results.
 */
import { conflict, invalid, notFound, resultRuleText } from "@gongkai/core";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { evaluationAppeals, evaluationProjects, evaluationUnits, units } from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit.ts";
import { notify } from "../notifications.ts";
import { writeFinal } from "./results.ts";
import { fmtTime } from "./scoring.ts";
import { appealDeadline } from "./setup.ts";
import {
  iso,
  leafPoints,
  loadState,
  type ProjectContext,
  r6,
  requireCompiled,
  scoringOf,
  unitProjectAccess,
} from "./state.ts";
import { liveRanking } from "./unitResults.ts";

// ───────────────────────────── appeals ─────────────────────────────

export async function listEvaluationAppeals(db: Db, p: ProjectContext) {
  const rows = await db
    .select({
      id: evaluationAppeals.id,
      unitId: evaluationAppeals.unitId,
      unitName: units.name,
      indicatorCode: evaluationAppeals.indicatorCode,
      reason: evaluationAppeals.reason,
      state: evaluationAppeals.state,
      response: evaluationAppeals.response,
      newValue: evaluationAppeals.newValue,
      createdAt: evaluationAppeals.createdAt,
      decidedAt: evaluationAppeals.decidedAt,
    })
    .from(evaluationAppeals)
    .innerJoin(units, eq(units.id, evaluationAppeals.unitId))
    .where(eq(evaluationAppeals.projectId, p.project.id))
    .orderBy(asc(evaluationAppeals.state), desc(evaluationAppeals.id));
  // The appealed cells with their evidence: read for the appealing units only.
  const appealing = new Set(rows.map((r) => r.unitId));
  const state = await loadState(db, p.project, {
    units: [...appealing],
    evidence: { unitIds: [...appealing] },
    keep: (c) => appealing.has(c.unitId),
  });
  const leafByCode = new Map(state.leaves.map((l) => [l.code, l]));
  const cellOf = new Map(state.cells.map((c) => [`${c.unitId}:${c.code}`, c]));
  return rows.map((r) => {
    const cell = cellOf.get(`${r.unitId}:${r.indicatorCode}`);
    const leaf = leafByCode.get(r.indicatorCode);
    return {
      ...r,
      createdAt: iso(r.createdAt),
      decidedAt: iso(r.decidedAt),
      indicatorName: leaf?.name ?? r.indicatorCode,
      max: leaf?.max ?? 0,
      current: cell?.final?.value ?? null,
      ratings: cell?.ratings ?? [],
    };
  });
}

/** A unit appeals one leaf indicator's score, within `appealDays` of the results being shown. */
export async function createEvaluationAppeal(
  db: Db,
  actor: Actor,
  unitId: number,
  projectId: number,
  input: { indicatorCode: string; reason: string },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { project, regionCode } = await unitProjectAccess(tx, unitId, projectId);
    const deadline = appealDeadline(project) as Date;
    if (now.getTime() > deadline.getTime()) {
      throw invalid(
        `申诉期已于 ${fmtTime(deadline)} 截止(结果公示后 ${project.appealDays} 天内可以申诉),不能再提交申诉。如有异议,请直接联系政务公开办。`,
        "indicatorCode",
      );
    }
    const compiled = requireCompiled(project);
    const node = compiled.byCode.get(input.indicatorCode);
    if (!node || node.children.length > 0) {
      throw invalid(
        `指标 ${input.indicatorCode} 不是本项目的末级指标:请选择要申诉的具体指标。`,
        "indicatorCode",
      );
    }
    const [open] = await tx
      .select({ id: evaluationAppeals.id })
      .from(evaluationAppeals)
      .where(
        and(
          eq(evaluationAppeals.projectId, projectId),
          eq(evaluationAppeals.unitId, unitId),
          eq(evaluationAppeals.indicatorCode, input.indicatorCode),
          eq(evaluationAppeals.state, "open"),
        ),
      );
    if (open) throw conflict(`您对指标「${node.name}」的申诉还在处理中,请等待评估组长答复。`);
    const [appeal] = await tx
      .insert(evaluationAppeals)
      .values({
        projectId,
        unitId,
        indicatorCode: input.indicatorCode,
        reason: input.reason,
        createdBy: actor.userId > 0 ? actor.userId : null,
        createdAt: now,
      })
      .returning();
    if (!appeal) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "evaluation.appeal",
      entityType: "evaluation_appeal",
      entityId: appeal.id,
      after: appeal,
      regionCode,
    });
    return { ...appeal, createdAt: iso(appeal.createdAt), decidedAt: iso(appeal.decidedAt) };
  });
}

/** The lead accepts an appeal (the final score changes, the reason kept) or rejects it with a reason. */
export async function decideEvaluationAppeal(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: { appealId: number; accept: boolean; response: string; newValue?: number | null | undefined },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const [appeal] = await tx
      .select({ appeal: evaluationAppeals, unitName: units.name })
      .from(evaluationAppeals)
      .innerJoin(units, eq(units.id, evaluationAppeals.unitId))
      .where(and(eq(evaluationAppeals.id, input.appealId), eq(evaluationAppeals.projectId, p.project.id)));
    if (!appeal) throw notFound("申诉");
    if (appeal.appeal.state !== "open") throw conflict("该申诉已经处理过了,请刷新页面查看处理结果。");
    let newValue: number | null = null;
    if (input.accept) {
      if (input.newValue === null || input.newValue === undefined) {
        throw invalid("采纳申诉时请填写调整后的得分。", "newValue");
      }
      const scoring = scoringOf(p.project);
      leafPoints(scoring, appeal.unitName, appeal.appeal.indicatorCode, input.newValue);
      newValue = input.newValue;
      await writeFinal(
        tx,
        actor,
        p,
        {
          unitId: appeal.appeal.unitId,
          indicatorCode: appeal.appeal.indicatorCode,
          value: newValue,
          reason: `申诉采纳:${input.response}`,
          unitName: appeal.unitName,
        },
        now,
        "evaluation.appealScore",
      );
    }
    const [updated] = await tx
      .update(evaluationAppeals)
      .set({
        state: input.accept ? "accepted" : "rejected",
        response: input.response,
        newValue,
        decidedBy: actor.userId > 0 ? actor.userId : null,
        decidedAt: now,
      })
      .where(eq(evaluationAppeals.id, input.appealId))
      .returning();
    await notify(
      tx,
      {
        unitId: appeal.appeal.unitId,
        kind: "appeal.decided",
        title: `${p.project.name}:申诉${input.accept ? "已采纳" : "未采纳"}(指标 ${appeal.appeal.indicatorCode})`,
        body: input.response,
        link: "/my-evaluations",
      },
      now,
    );
    await recordAudit(tx, actor, {
      action: input.accept ? "evaluation.appeal.accept" : "evaluation.appeal.reject",
      entityType: "evaluation_appeal",
      entityId: input.appealId,
      before: appeal.appeal,
      after: updated,
      regionCode: p.regionCode,
    });
    return { id: input.appealId, state: updated?.state ?? "open", newValue };
  });
}

// ───────────────────────────── a unit's own view ─────────────────────────────

/** Projects whose results were shown to the unit. */
export async function listUnitEvaluations(db: Db, unitId: number, now: Date) {
  const rows = await db
    .select({ project: evaluationProjects, tier: evaluationUnits.tier })
    .from(evaluationProjects)
    .innerJoin(
      evaluationUnits,
      and(eq(evaluationUnits.projectId, evaluationProjects.id), eq(evaluationUnits.unitId, unitId)),
    )
    .where(sql`${evaluationProjects.resultsShownAt} is not null`)
    .orderBy(desc(evaluationProjects.year), desc(evaluationProjects.id));
  return rows.map(({ project, tier }) => {
    const deadline = appealDeadline(project) as Date;
    return {
      id: project.id,
      year: project.year,
      name: project.name,
      organisation: project.organisation,
      tier,
      resultsShownAt: iso(project.resultsShownAt),
      appealDeadline: deadline.toISOString(),
      canAppeal: now.getTime() <= deadline.getTime(),
    };
  });
}

/**
 * The unit's own scores once shown: every leaf with its final points, what was deducted, the
 * evaluators' evidence (evaluators named by number, not by name), and its appeals. Nothing of
 * other units except its rank in its tier.
 */
export async function getUnitEvaluationResult(db: Db, unitId: number, projectId: number, now: Date) {
  const { project, tier } = await unitProjectAccess(db, unitId, projectId);
  // The unit's own cells, and its place in the live ranking (kept results: no other unit's ratings).
  const [state, { results }] = await Promise.all([
    loadState(db, project, {
      units: [unitId],
      evidence: { unitIds: [unitId] },
      keep: (c) => c.unitId === unitId,
    }),
    liveRanking(db, project, now),
  ]);
  const mine = results.units.find((u) => u.unitId === unitId);
  const evaluatorNumber = new Map<number, number>();
  for (const a of state.assignmentRows.filter((x) => x.unitId === unitId)) {
    evaluatorNumber.set(a.evaluatorId, evaluatorNumber.size + 1);
  }
  const cellsOfUnit = new Map(state.cells.filter((c) => c.unitId === unitId).map((c) => [c.code, c]));
  const indicators = state.leaves.map((l) => {
    const cell = cellsOfUnit.get(l.code);
    const score = cell?.final?.value ?? null;
    return {
      code: l.code,
      name: l.name,
      path: l.path,
      max: l.max,
      ruleLabel: l.ruleLabel,
      criteria: l.criteria,
      observationPoints: l.observationPoints,
      score,
      deduction: score === null || l.ruleType === "veto" || l.ruleType === "bonus" ? null : r6(l.max - score),
      reason: cell?.final?.source === "decided" ? cell.final.reason : null,
      evidence: (cell?.ratings ?? []).map((r) => ({
        evaluator: `评估人员${evaluatorNumber.get(r.evaluatorId) ?? ""}`,
        evidenceUrl: r.evidenceUrl,
        evidenceFileId: r.evidenceFileId,
        evidenceFileName: r.evidenceFileName,
        observedAt: r.observedAt,
        note: r.note,
      })),
    };
  });
  const appeals = await db
    .select()
    .from(evaluationAppeals)
    .where(and(eq(evaluationAppeals.projectId, projectId), eq(evaluationAppeals.unitId, unitId)))
    .orderBy(desc(evaluationAppeals.id));
  const deadline = appealDeadline(project) as Date;
  return {
    project: {
      id: project.id,
      year: project.year,
      name: project.name,
      organisation: project.organisation,
      resultsShownAt: iso(project.resultsShownAt),
      appealDays: project.appealDays,
      appealDeadline: deadline.toISOString(),
      canAppeal: now.getTime() <= deadline.getTime(),
    },
    tier,
    total: mine?.total ?? null,
    rank: mine?.rank ?? null,
    grade: mine?.grade ?? null,
    unitsInTier: results.units.filter((u) => u.tier === tier).length,
    /** How the rank and grade above were given (the published ranking and grade rules). */
    rule: resultRuleText(
      results.ranking ?? {},
      results.grades,
      (code) => results.indicators.find((i) => i.code === code)?.name,
    ),
    maxTotal: results.maxTotal,
    firstLevel: results.indicators
      .filter((i) => i.level === 1)
      .map((i) => ({ code: i.code, name: i.name, max: i.max, score: mine?.indicators[i.code] ?? null })),
    indicators,
    appeals: appeals.map((a) => ({
      id: a.id,
      indicatorCode: a.indicatorCode,
      indicatorName: state.leaves.find((l) => l.code === a.indicatorCode)?.name ?? a.indicatorCode,
      reason: a.reason,
      state: a.state,
      response: a.response,
      newValue: a.newValue,
      createdAt: iso(a.createdAt),
      decidedAt: iso(a.decidedAt),
    })),
  };
}
