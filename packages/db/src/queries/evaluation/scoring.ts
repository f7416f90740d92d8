/**
 * Evaluators scoring their units: the grid, saving cells with evidence, submitting a unit.
 */
import { chinaDateTime, conflict, invalid, notFound, scoreUnits } from "@gongkai/core";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
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
import { anyInt, anyText, isoTime, rawRows } from "../any.ts";
import { recordAudit } from "../audit.ts";
import { projectView } from "./setup.ts";
import { compiledOf, iso, leafPoints, leavesOf, type ProjectContext, requireCompiled } from "./state.ts";

// ───────────────────────────── scoring ─────────────────────────────

/** Units a grid page shows when not asked: a page a screen can hold (a column per unit). */
export const gridPageSize = 5;

/**
 * The evaluator's grid, a page of units at a time: its own units × the leaves, its own values, and
 * — only for a unit every assigned evaluator has submitted — the other evaluators' values beside
 * them. `roster` lists every unit of the evaluator with how many of its cells are filled, so the
 * page can show where each stands and jump to it; `progress` counts them all. At province scale an
 * evaluator has some 300 units × 150 indicators: the whole grid at once was 21 MB.
 */
export async function getEvaluationGrid(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  opts: { page?: number | undefined; pageSize?: number | undefined } = {},
) {
  const { project } = p;
  const compiled = compiledOf(project.indicatorSystem);
  const leaves = leavesOf(project.indicatorSystem, compiled);
  const codes = leaves.map((l) => l.code);
  const a = evaluationAssignments;
  const s = evaluationScores;
  const [mine, filled] = await Promise.all([
    db
      .select({
        unitId: a.unitId,
        unitName: units.name,
        tier: evaluationUnits.tier,
        submittedAt: a.submittedAt,
        // Every evaluator assigned to the unit has submitted it.
        allSubmitted: sql<boolean>`not exists (select 1 from ${a} o
          where o.project_id = ${a.projectId} and o.unit_id = ${a.unitId} and o.submitted_at is null)`,
      })
      .from(a)
      .innerJoin(units, eq(units.id, a.unitId))
      .leftJoin(
        evaluationUnits,
        and(eq(evaluationUnits.projectId, a.projectId), eq(evaluationUnits.unitId, a.unitId)),
      )
      .where(and(eq(a.projectId, project.id), eq(a.evaluatorId, actor.userId)))
      .orderBy(asc(units.id)),
    db
      .select({
        unitId: s.unitId,
        n: sql<number>`count(*) filter (where ${anyText(s.indicatorCode, codes)})::int`,
      })
      .from(s)
      .where(and(eq(s.projectId, project.id), eq(s.evaluatorId, actor.userId)))
      .groupBy(s.unitId),
  ]);
  const filledOf = new Map(filled.map((f) => [f.unitId, f.n]));
  const roster = mine.map((m) => ({
    unitId: m.unitId,
    unitName: m.unitName,
    tier: m.tier ?? "",
    submittedAt: iso(m.submittedAt),
    allSubmitted: m.allSubmitted,
    done: filledOf.get(m.unitId) ?? 0,
  }));
  const pageSize = opts.pageSize ?? gridPageSize;
  const pages = Math.max(1, Math.ceil(mine.length / pageSize));
  const page = Math.min(Math.max(1, opts.page ?? 1), pages);
  const shown = roster.slice((page - 1) * pageSize, page * pageSize);
  const shownIds = shown.map((u) => u.unitId);
  const ready = shown.filter((u) => u.allSubmitted).map((u) => u.unitId);
  // Raw rows (1,500 at 5 units × 150 indicators × 2 evaluators): drizzle maps every column of
  // every row; the time observed is PostgreSQL's text (postgres.js) or a Date (PGlite).
  type ScoreRow = {
    unitId: number;
    indicatorCode: string;
    evaluatorId: number;
    evaluatorName: string | null;
    value: number;
    evidenceUrl: string | null;
    evidenceFileId: number | null;
    evidenceFileName: string | null;
    observedAt: string | Date | null;
    note: string | null;
  };
  const scores = shownIds.length
    ? await rawRows<ScoreRow>(
        db,
        sql`select ${s.unitId} as "unitId", ${s.indicatorCode} as "indicatorCode", ${s.evaluatorId} as "evaluatorId",
              ${users.displayName} as "evaluatorName", ${s.value} as "value", ${s.evidenceUrl} as "evidenceUrl",
              ${s.evidenceFileId} as "evidenceFileId", ${storedFiles.fileName} as "evidenceFileName",
              ${s.observedAt} as "observedAt", ${s.note} as "note"
            from ${s}
            left join ${users} on ${users.id} = ${s.evaluatorId}
            left join ${storedFiles} on ${storedFiles.id} = ${s.evidenceFileId}
            where ${s.projectId} = ${project.id} and ${anyInt(s.unitId, shownIds)}
              -- The other evaluators' rows are read only for units everyone has submitted.
              and (${s.evaluatorId} = ${actor.userId} or ${anyInt(s.unitId, ready)})`,
      )
    : [];
  type Cell = {
    value: number;
    evidenceUrl: string | null;
    evidenceFileId: number | null;
    evidenceFileName: string | null;
    observedAt: string | null;
    note: string | null;
  };
  const cellOf = (r: ScoreRow): Cell => ({
    value: r.value,
    evidenceUrl: r.evidenceUrl,
    evidenceFileId: r.evidenceFileId,
    evidenceFileName: r.evidenceFileName,
    observedAt: isoTime(r.observedAt),
    note: r.note,
  });
  const scoresOf = new Map<number, ScoreRow[]>();
  for (const r of scores) {
    const list = scoresOf.get(r.unitId);
    if (list) list.push(r);
    else scoresOf.set(r.unitId, [r]);
  }
  const gridUnits = shown.map(({ done: _, ...u }) => {
    const cells: Record<string, Cell> = {};
    const others: Record<string, (Cell & { evaluatorName: string })[]> = {};
    for (const r of scoresOf.get(u.unitId) ?? []) {
      if (r.evaluatorId === actor.userId) cells[r.indicatorCode] = cellOf(r);
      else if (u.allSubmitted) {
        // Object.assign, not a spread followed by a new key (a slow object on Node 20).
        const other = Object.assign(cellOf(r), { evaluatorName: r.evaluatorName ?? "另一名评估人员" });
        const list = others[r.indicatorCode];
        if (list) list.push(other);
        else others[r.indicatorCode] = [other];
      }
    }
    /** `allSubmitted`: every evaluator of this unit has submitted, so the others' values are shown. */
    return { ...u, cells, others: u.allSubmitted ? others : null };
  });
  return {
    project: projectView(p),
    leaves,
    units: gridUnits,
    roster,
    page: { page, pageSize, pages, units: mine.length },
    progress: { done: roster.reduce((sum, u) => sum + u.done, 0), total: leaves.length * mine.length },
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

/** A time in messages: China time to the minute (2026-12-07 13:36), as everywhere on screen. */
export const fmtTime = (d: Date) => chinaDateTime(d);
