/**
 * Evaluators scoring their units: the grid, saving cells with evidence, submitting a unit.
 */
import { conflict, invalid, notFound, scoreUnits } from "@gongkai/core";
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  evaluationAssignments,
  evaluationProjects,
  evaluationScores,
  evaluationUnits,
  storedFiles,
  units,
  users,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit.ts";
import { projectView } from "./setup.ts";
import { compiledOf, iso, leafPoints, leavesOf, type ProjectContext, requireCompiled } from "./state.ts";

// ───────────────────────────── scoring ─────────────────────────────

/**
 * The evaluator's grid: its own units × the leaves, its own values, and — only for a unit every
 * assigned evaluator has submitted — the other evaluator's values beside them.
 */
export async function getEvaluationGrid(db: Db, actor: Actor, p: ProjectContext) {
  const { project } = p;
  const compiled = compiledOf(project.indicatorSystem);
  const leaves = leavesOf(project.indicatorSystem, compiled);
  const mine = await db
    .select({
      unitId: evaluationAssignments.unitId,
      unitName: units.name,
      tier: evaluationUnits.tier,
      submittedAt: evaluationAssignments.submittedAt,
    })
    .from(evaluationAssignments)
    .innerJoin(units, eq(units.id, evaluationAssignments.unitId))
    .leftJoin(
      evaluationUnits,
      and(
        eq(evaluationUnits.projectId, evaluationAssignments.projectId),
        eq(evaluationUnits.unitId, evaluationAssignments.unitId),
      ),
    )
    .where(
      and(
        eq(evaluationAssignments.projectId, project.id),
        eq(evaluationAssignments.evaluatorId, actor.userId),
      ),
    )
    .orderBy(asc(units.id));
  const unitIds = mine.map((m) => m.unitId);
  const all = unitIds.length
    ? await db
        .select({ unitId: evaluationAssignments.unitId, submittedAt: evaluationAssignments.submittedAt })
        .from(evaluationAssignments)
        .where(
          and(
            eq(evaluationAssignments.projectId, project.id),
            inArray(evaluationAssignments.unitId, unitIds),
          ),
        )
    : [];
  const ready = new Set(unitIds.filter((u) => all.filter((a) => a.unitId === u).every((a) => a.submittedAt)));
  const scores = unitIds.length
    ? await db
        .select({
          unitId: evaluationScores.unitId,
          indicatorCode: evaluationScores.indicatorCode,
          evaluatorId: evaluationScores.evaluatorId,
          evaluatorName: users.displayName,
          value: evaluationScores.value,
          evidenceUrl: evaluationScores.evidenceUrl,
          evidenceFileId: evaluationScores.evidenceFileId,
          evidenceFileName: storedFiles.fileName,
          observedAt: evaluationScores.observedAt,
          note: evaluationScores.note,
          updatedAt: evaluationScores.updatedAt,
        })
        .from(evaluationScores)
        .leftJoin(users, eq(users.id, evaluationScores.evaluatorId))
        .leftJoin(storedFiles, eq(storedFiles.id, evaluationScores.evidenceFileId))
        .where(
          and(
            eq(evaluationScores.projectId, project.id),
            inArray(evaluationScores.unitId, unitIds),
            // The other evaluators' rows are read only for units everyone has submitted.
            or(
              eq(evaluationScores.evaluatorId, actor.userId),
              ready.size ? inArray(evaluationScores.unitId, [...ready]) : sql`false`,
            ),
          ),
        )
    : [];
  type Cell = {
    value: number;
    evidenceUrl: string | null;
    evidenceFileId: number | null;
    evidenceFileName: string | null;
    observedAt: string | null;
    note: string | null;
    updatedAt: string | null;
  };
  const cellOf = (s: (typeof scores)[number]): Cell => ({
    value: s.value,
    evidenceUrl: s.evidenceUrl,
    evidenceFileId: s.evidenceFileId,
    evidenceFileName: s.evidenceFileName,
    observedAt: iso(s.observedAt),
    note: s.note,
    updatedAt: iso(s.updatedAt),
  });
  const total = leaves.length * mine.length;
  let done = 0;
  const gridUnits = mine.map((m) => {
    const cells: Record<string, Cell> = {};
    const others: Record<string, (Cell & { evaluatorName: string })[]> = {};
    for (const s of scores.filter((x) => x.unitId === m.unitId)) {
      if (s.evaluatorId === actor.userId) cells[s.indicatorCode] = cellOf(s);
      else if (ready.has(m.unitId)) {
        others[s.indicatorCode] = [
          ...(others[s.indicatorCode] ?? []),
          { ...cellOf(s), evaluatorName: s.evaluatorName ?? "另一名评估人员" },
        ];
      }
    }
    done += leaves.filter((l) => l.code in cells).length;
    return {
      unitId: m.unitId,
      unitName: m.unitName,
      tier: m.tier ?? "",
      submittedAt: iso(m.submittedAt),
      /** Every evaluator of this unit has submitted: the others' values are shown. */
      allSubmitted: ready.has(m.unitId),
      cells,
      others: ready.has(m.unitId) ? others : null,
    };
  });
  return {
    project: projectView(p),
    leaves,
    units: gridUnits,
    progress: { done, total },
  };
}

export type ScoreCellInput = {
  unitId: number;
  indicatorCode: string;
  value: number | null;
  evidenceUrl: string | null;
  evidenceFileId?: number | null | undefined;
  observedAt?: string | null | undefined;
  note: string | null;
};

/** Saves draft values of the evaluator's own cells (null clears a cell); submitted units are closed. */
export async function saveEvaluationScores(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  cells: ScoreCellInput[],
  now: Date,
) {
  const { project } = p;
  const compiled = requireCompiled(project);
  if (project.status === "setup") {
    throw invalid("评估组长还没有开始评分:指标体系和分工确定后才能打分。", "scores");
  }
  return db.transaction(async (tx) => {
    const unitIds = [...new Set(cells.map((c) => c.unitId))];
    const mine = await tx
      .select({
        unitId: evaluationAssignments.unitId,
        submittedAt: evaluationAssignments.submittedAt,
        name: units.name,
      })
      .from(evaluationAssignments)
      .innerJoin(units, eq(units.id, evaluationAssignments.unitId))
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          eq(evaluationAssignments.evaluatorId, actor.userId),
          inArray(evaluationAssignments.unitId, unitIds),
        ),
      );
    for (const unitId of unitIds) {
      const a = mine.find((m) => m.unitId === unitId);
      if (!a) throw notFound("评估单位");
      if (a.submittedAt) {
        throw invalid(
          `「${a.name}」的评分已提交,不能再修改。如需更正,请联系评估组长在复核时调整。`,
          "scores",
        );
      }
    }
    const fileIds = [...new Set(cells.map((c) => c.evidenceFileId).filter((x): x is number => !!x))];
    const files = fileIds.length
      ? await tx
          .select({ id: storedFiles.id, uploadedBy: storedFiles.uploadedBy })
          .from(storedFiles)
          .where(inArray(storedFiles.id, fileIds))
      : [];
    for (const id of fileIds) {
      // Only one's own uploads: attaching someone else's file would open it to this project's readers.
      if (!files.some((f) => f.id === id && f.uploadedBy === actor.userId)) {
        throw invalid(`佐证文件(编号 ${id})不存在或不是您上传的:请重新上传截图或文件。`, "evidenceFileId");
      }
    }
    const existing = await tx
      .select()
      .from(evaluationScores)
      .where(
        and(
          eq(evaluationScores.projectId, project.id),
          eq(evaluationScores.evaluatorId, actor.userId),
          inArray(evaluationScores.unitId, unitIds),
        ),
      );
    const beforeOf = (c: ScoreCellInput) =>
      existing.find((e) => e.unitId === c.unitId && e.indicatorCode === c.indicatorCode);
    const changes: unknown[] = [];
    const upserts: (typeof evaluationScores.$inferInsert)[] = [];
    for (const c of cells) {
      const before = beforeOf(c);
      if (c.value === null) {
        if (before) await tx.delete(evaluationScores).where(eq(evaluationScores.id, before.id));
        changes.push({
          unitId: c.unitId,
          indicatorCode: c.indicatorCode,
          before: before?.value ?? null,
          after: null,
        });
        continue;
      }
      leafPoints(compiled, mine.find((m) => m.unitId === c.unitId)?.name ?? "", c.indicatorCode, c.value);
      upserts.push({
        projectId: project.id,
        unitId: c.unitId,
        indicatorCode: c.indicatorCode,
        evaluatorId: actor.userId,
        value: c.value,
        evidenceUrl: c.evidenceUrl,
        evidenceFileId: c.evidenceFileId ?? null,
        observedAt: c.observedAt ? new Date(c.observedAt) : null,
        note: c.note,
        regionCode: p.regionCode,
        updatedAt: now,
      });
      changes.push({
        unitId: c.unitId,
        indicatorCode: c.indicatorCode,
        before: before?.value ?? null,
        after: c.value,
        evidenceUrl: c.evidenceUrl,
        evidenceFileId: c.evidenceFileId ?? null,
      });
    }
    const keys = new Set(upserts.map((u) => `${u.unitId}:${u.indicatorCode}`));
    if (keys.size !== upserts.length)
      throw invalid("同一单位的同一指标在一次保存中出现了两次,请只保留一个得分。", "scores");
    if (upserts.length) {
      const excluded = (col: string) => sql.raw(`excluded.${col}`);
      await tx
        .insert(evaluationScores)
        .values(upserts)
        .onConflictDoUpdate({
          target: [
            evaluationScores.projectId,
            evaluationScores.unitId,
            evaluationScores.indicatorCode,
            evaluationScores.evaluatorId,
          ],
          set: {
            value: excluded("value"),
            evidenceUrl: excluded("evidence_url"),
            evidenceFileId: excluded("evidence_file_id"),
            observedAt: excluded("observed_at"),
            note: excluded("note"),
            regionCode: excluded("region_code"),
            updatedAt: excluded("updated_at"),
          },
        });
    }
    await recordAudit(tx, actor, {
      action: "evaluation.saveScores",
      entityType: "evaluation_project",
      entityId: project.id,
      after: changes,
      regionCode: p.regionCode,
    });
    return { saved: cells.length };
  });
}

/** Submits the evaluator's scores of one unit: every required leaf must have a value. */
export async function submitEvaluationUnit(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  unitId: number,
  now: Date,
) {
  const { project } = p;
  const compiled = requireCompiled(project);
  return db.transaction(async (tx) => {
    const [a] = await tx
      .select({ submittedAt: evaluationAssignments.submittedAt, name: units.name })
      .from(evaluationAssignments)
      .innerJoin(units, eq(units.id, evaluationAssignments.unitId))
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          eq(evaluationAssignments.unitId, unitId),
          eq(evaluationAssignments.evaluatorId, actor.userId),
        ),
      );
    if (!a) throw notFound("评估单位");
    if (a.submittedAt)
      throw conflict(`「${a.name}」的评分已于 ${fmtTime(a.submittedAt)} 提交,无需重复提交。`);
    const rows = await tx
      .select({ indicatorCode: evaluationScores.indicatorCode, value: evaluationScores.value })
      .from(evaluationScores)
      .where(
        and(
          eq(evaluationScores.projectId, project.id),
          eq(evaluationScores.unitId, unitId),
          eq(evaluationScores.evaluatorId, actor.userId),
        ),
      );
    const [scored] = scoreUnits(
      compiled,
      rows.map((r) => ({ unit: a.name, indicator: r.indicatorCode, value: r.value })),
      { units: [a.name] },
    );
    if (scored && !scored.complete) {
      const names = scored.missing.map((code) => {
        const n = compiled.byCode.get(code);
        return n ? `${code} ${n.name}` : code;
      });
      throw invalid(
        `「${a.name}」还有 ${names.length} 项指标没有打分:${names.slice(0, 8).join("、")}${names.length > 8 ? " 等" : ""}。请全部打分后再提交。`,
        "scores",
      );
    }
    await tx
      .update(evaluationAssignments)
      .set({ submittedAt: now })
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          eq(evaluationAssignments.unitId, unitId),
          eq(evaluationAssignments.evaluatorId, actor.userId),
        ),
      );
    // Once every assignment is in, the project moves on to reconciliation.
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(evaluationAssignments)
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          sql`${evaluationAssignments.submittedAt} is null`,
        ),
      );
    if ((open?.n ?? 0) === 0 && project.status === "scoring") {
      await tx
        .update(evaluationProjects)
        .set({ status: "reconciling" })
        .where(eq(evaluationProjects.id, project.id));
    }
    await recordAudit(tx, actor, {
      action: "evaluation.submitUnit",
      entityType: "evaluation_project",
      entityId: project.id,
      after: { unitId, submittedAt: now.toISOString() },
      regionCode: p.regionCode,
    });
    return { unitId, submittedAt: now.toISOString() };
  });
}

export const fmtTime = (d: Date) => d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
