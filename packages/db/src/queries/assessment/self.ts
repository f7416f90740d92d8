import { invalid } from "@gongkai/core";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  assessmentParticipants,
  assessmentResults,
  assessmentSchemes,
  assessmentScores,
  storedFiles,
  units,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { chinaDate } from "../assessment-metrics.ts";
import { recordAudit } from "../audit.ts";
import { compileStored } from "../compiled.ts";
import type { AssessmentResultsSnapshot } from "./results.ts";
import { withFileNames } from "./scores.ts";
import {
  type AssessmentSchemeRow,
  assessmentLeaves,
  checkValue,
  requireSchemeForUnit,
  type SelfEvidence,
} from "./state.ts";

// ---------------------------------------------------------------- the unit's side

/** The schemes a unit takes part in (past the draft stage), with its own state and result. */
export async function listMyAssessments(db: Db, unitId: number, now: Date) {
  const rows = await db
    .select({ scheme: assessmentSchemes, participant: assessmentParticipants })
    .from(assessmentParticipants)
    .innerJoin(assessmentSchemes, eq(assessmentSchemes.id, assessmentParticipants.schemeId))
    .where(and(eq(assessmentParticipants.unitId, unitId), sql`${assessmentSchemes.status} <> 'draft'`))
    .orderBy(desc(assessmentSchemes.year), desc(assessmentSchemes.id));
  const today = chinaDate(now);
  const out = [];
  for (const { scheme, participant } of rows) {
    const published = scheme.status === "published" ? await latestForUnit(db, scheme.id, unitId) : null;
    out.push({
      id: scheme.id,
      year: scheme.year,
      name: scheme.name,
      status: scheme.status,
      selfAssessmentDue: scheme.selfAssessmentDue,
      selfSubmittedAt: participant.selfSubmittedAt,
      editable: selfLock(scheme, participant.selfSubmittedAt, today) === null,
      result: published
        ? {
            version: published.version,
            rank: published.me?.rank ?? null,
            total: published.me?.total ?? null,
            grade: published.me?.grade ?? null,
            complete: published.me?.complete ?? false,
            unitCount: published.unitCount,
          }
        : null,
    });
  }
  return out;
}

async function latestForUnit(db: Db, schemeId: number, unitId: number) {
  const [row] = await db
    .select()
    .from(assessmentResults)
    .where(eq(assessmentResults.schemeId, schemeId))
    .orderBy(desc(assessmentResults.version))
    .limit(1);
  if (!row) return null;
  const snapshot = row.results as AssessmentResultsSnapshot;
  return {
    version: row.version,
    publishedAt: row.publishedAt,
    reason: row.reason,
    contentHash: row.contentHash,
    snapshot,
    unitCount: snapshot.units.length,
    me: snapshot.units.find((u) => u.unitId === unitId) ?? null,
  };
}

/** Why a unit may not change its self-assessment now, or null when it may. */
function selfLock(scheme: AssessmentSchemeRow, submittedAt: Date | null, today: string): string | null {
  if (scheme.status !== "selfAssessment") {
    return scheme.status === "published"
      ? "考核结果已发布,自评不能再修改。"
      : "自评阶段已结束,政务公开办正在审核评分,自评不能再修改。如需补充,请联系政务公开办。";
  }
  if (scheme.selfAssessmentDue && today > scheme.selfAssessmentDue) {
    return `自评已于 ${scheme.selfAssessmentDue} 截止,不能再填写或修改。如确需补充,请联系政务公开办延长自评期限。`;
  }
  if (submittedAt) return "自评已提交,不能再修改。如需修改,请联系政务公开办退回。";
  return null;
}

/** A unit's own self-assessment, and once published its own scores and the ranking. */
export async function getMyAssessment(db: Db, unitId: number, id: number, now: Date) {
  const { scheme, participant } = await requireSchemeForUnit(db, unitId, id);
  const compiled = compileStored(scheme.definition);
  const leaves = assessmentLeaves(compiled);
  const codes = new Set(leaves.map((l) => l.code));
  const rows = await db
    .select({
      indicatorCode: assessmentScores.indicatorCode,
      selfValue: assessmentScores.selfValue,
      selfNote: assessmentScores.selfNote,
      selfEvidence: assessmentScores.selfEvidence,
      computedValue: assessmentScores.computedValue,
    })
    .from(assessmentScores)
    .where(and(eq(assessmentScores.schemeId, id), eq(assessmentScores.unitId, unitId)));
  const lock = selfLock(scheme, participant.selfSubmittedAt, chinaDate(now));
  const published = scheme.status === "published" ? await latestForUnit(db, id, unitId) : null;
  return {
    scheme: {
      id: scheme.id,
      year: scheme.year,
      name: scheme.name,
      status: scheme.status,
      selfAssessmentDue: scheme.selfAssessmentDue,
      share: scheme.definition.share,
      max: compiled.max,
      bonusCap: compiled.bonusCap,
    },
    leaves,
    entries: await withFileNames(
      db,
      rows.filter((r) => codes.has(r.indicatorCode)),
    ),
    selfSubmittedAt: participant.selfSubmittedAt,
    editable: lock === null,
    lockedReason: lock,
    published: published
      ? {
          version: published.version,
          publishedAt: published.publishedAt,
          reason: published.reason,
          contentHash: published.contentHash,
          unitCount: published.unitCount,
          firstLevel: published.snapshot.firstLevel,
          me: published.me,
          /** The published ranking: every unit's rank, total and grade, nothing more. */
          ranking: published.snapshot.units.map((u) => ({
            unitId: u.unitId,
            unit: u.unit,
            rank: u.rank,
            total: u.total,
            grade: u.grade,
            complete: u.complete,
            vetoed: u.vetoed,
          })),
        }
      : null,
  };
}

export type SelfEntryInput = {
  indicatorCode: string;
  selfValue: number | null;
  selfNote?: string | null | undefined;
  selfEvidence: SelfEvidence[];
};

/** Saves (part of) a unit's self-assessment; allowed until the due date, inclusive, and before submitting. */
export async function saveMyAssessment(
  db: Db,
  actor: Actor,
  unitId: number,
  id: number,
  entries: SelfEntryInput[],
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { scheme, participant } = await requireSchemeForUnit(tx, unitId, id);
    const lock = selfLock(scheme, participant.selfSubmittedAt, chinaDate(now));
    if (lock) throw invalid(lock, "status");
    const compiled = compileStored(scheme.definition);
    const leaves = new Map(assessmentLeaves(compiled).map((l) => [l.code, l]));
    const [unit] = await tx.select({ name: units.name }).from(units).where(eq(units.id, unitId));
    const unitName = unit?.name ?? "本单位";
    const seen = new Set<string>();
    for (const e of entries) {
      const leaf = leaves.get(e.indicatorCode);
      if (!leaf)
        throw invalid(`指标 ${e.indicatorCode} 不是本方案的末级指标,请刷新页面后重试。`, "selfEntries");
      if (seen.has(leaf.code))
        throw invalid(`指标 ${leaf.code} 出现了两次,请只保留一份自评。`, "selfEntries");
      seen.add(leaf.code);
      if (e.selfValue !== null) {
        if (leaf.source) {
          throw invalid(
            `指标 ${leaf.code}「${leaf.name}」由系统根据任务数据计算,无需自评打分;可以填写说明和佐证材料。`,
            "selfValue",
          );
        }
        checkValue(compiled, unitName, leaf.code, e.selfValue);
      }
    }
    const fileIds = [...new Set(entries.flatMap((e) => e.selfEvidence.map((x) => x.fileId)))].filter(
      (x): x is number => typeof x === "number",
    );
    if (fileIds.length > 0) {
      const files = await tx
        .select({ id: storedFiles.id, unitId: storedFiles.unitId })
        .from(storedFiles)
        .where(inArray(storedFiles.id, fileIds));
      const ok = new Set(files.filter((f) => f.unitId === unitId).map((f) => f.id));
      const bad = fileIds.filter((f) => !ok.has(f));
      if (bad.length > 0) {
        throw invalid(
          `佐证文件(编号 ${bad.join("、")})不存在或不是本单位上传的,请重新上传。`,
          "selfEvidence",
        );
      }
    }
    const at = new Date();
    const values = entries.map((e) => ({
      schemeId: id,
      unitId,
      indicatorCode: e.indicatorCode,
      selfValue: e.selfValue,
      selfNote: e.selfNote ?? null,
      selfEvidence: e.selfEvidence.map((x) => ({
        ...(x.url ? { url: x.url } : {}),
        ...(x.fileId ? { fileId: x.fileId } : {}),
        ...(x.title ? { title: x.title } : {}),
      })),
      updatedBy: actor.userId > 0 ? actor.userId : null,
      updatedAt: at,
    }));
    await tx
      .insert(assessmentScores)
      .values(values)
      .onConflictDoUpdate({
        target: [assessmentScores.schemeId, assessmentScores.unitId, assessmentScores.indicatorCode],
        set: {
          selfValue: sql`excluded.self_value`,
          selfNote: sql`excluded.self_note`,
          selfEvidence: sql`excluded.self_evidence`,
          updatedBy: sql`excluded.updated_by`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
    await recordAudit(tx, actor, {
      action: "assessment.saveSelf",
      entityType: "assessmentScheme",
      entityId: id,
      after: { unitId, entries: values.map(({ updatedAt: _, ...v }) => v) },
    });
    return { saved: values.length };
  });
}

/**
 * Submits the self-assessment: every scored leaf the unit fills (not computed by the system, not a
 * veto or bonus item) needs a value.
 */
export async function submitMyAssessment(db: Db, actor: Actor, unitId: number, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const { scheme, participant } = await requireSchemeForUnit(tx, unitId, id);
    const lock = selfLock(scheme, participant.selfSubmittedAt, chinaDate(now));
    if (lock) throw invalid(lock, "status");
    const leaves = assessmentLeaves(compileStored(scheme.definition)).filter(
      (l) => l.kind === "scored" && l.source === null,
    );
    const rows = await tx
      .select({ code: assessmentScores.indicatorCode, selfValue: assessmentScores.selfValue })
      .from(assessmentScores)
      .where(and(eq(assessmentScores.schemeId, id), eq(assessmentScores.unitId, unitId)));
    const filled = new Set(rows.filter((r) => r.selfValue !== null).map((r) => r.code));
    const missing = leaves.filter((l) => !filled.has(l.code));
    if (missing.length > 0) {
      throw invalid(
        `还有 ${missing.length} 项指标未自评:${missing
          .slice(0, 6)
          .map((l) => `${l.code}「${l.name}」`)
          .join("、")}${missing.length > 6 ? " 等" : ""}。请填写自评分后再提交。`,
        "selfEntries",
      );
    }
    const at = new Date();
    await tx
      .update(assessmentParticipants)
      .set({ selfSubmittedAt: at, selfSubmittedBy: actor.userId > 0 ? actor.userId : null })
      .where(and(eq(assessmentParticipants.schemeId, id), eq(assessmentParticipants.unitId, unitId)));
    await recordAudit(tx, actor, {
      action: "assessment.submitSelf",
      entityType: "assessmentScheme",
      entityId: id,
      after: { unitId, selfSubmittedAt: at },
    });
    return { selfSubmittedAt: at };
  });
}
