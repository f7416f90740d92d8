import { and, eq, like, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  assessmentSchemes,
  assessmentScores,
  evaluationProjects,
  evaluationScores,
  evidence,
  plans,
  progressReports,
  storedFiles,
  taskAssignments,
  tasks,
  units,
} from "../schema/index.ts";
import type { SessionUser } from "./users.ts";

export type StoredFile = typeof storedFiles.$inferSelect;

export async function insertStoredFile(db: Db, row: typeof storedFiles.$inferInsert): Promise<StoredFile> {
  const [file] = await db.insert(storedFiles).values(row).returning();
  if (!file) throw new Error("insert returned nothing");
  return file;
}

export async function getStoredFile(db: Db, id: number): Promise<StoredFile | undefined> {
  const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, id));
  return file;
}

/**
 * May this user download the file? The uploader may; an admin may; otherwise the file must be
 * evidence the user could see where it is used:
 * - evidence of a progress report: units assigned to the report's task, and offices whose scope
 *   covers the task's plan;
 * - an evaluation score's evidence: the evaluator who scored, the project's lead, the office
 *   owning the project, and the unit evaluated once results are shown (another evaluator of the
 *   same unit does not see it: evaluators score independently);
 * - a self-assessment's evidence: the unit itself and the office owning the scheme.
 */
export async function canReadFile(db: Db, user: SessionUser, file: StoredFile): Promise<boolean> {
  if (file.uploadedBy === user.id || user.role === "admin") return true;
  const scope = user.unitPath ?? "/__none__/";

  if (user.role === "unit" || user.role === "office") {
    const viaReport = db
      .select({ one: sql`1` })
      .from(evidence)
      .innerJoin(progressReports, eq(progressReports.id, evidence.reportId))
      .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .leftJoin(units, eq(units.id, plans.issuerUnitId))
      .where(
        and(
          eq(evidence.fileId, file.id),
          // A unit reads its own reports' files, and — leading the task — its cooperating units'
          // contributions; not the reports of other units on the same task.
          user.role === "unit"
            ? sql`(${progressReports.unitId} = ${user.unitId ?? -1} or exists (select 1 from ${taskAssignments}
                 where ${taskAssignments.taskId} = ${tasks.id} and ${taskAssignments.unitId} = ${user.unitId ?? -1}
                 and ${taskAssignments.role} = 'lead'))`
            : like(units.path, `${scope}%`),
        ),
      )
      .limit(1);
    if ((await viaReport).length) return true;

    const viaSelfAssessment = await db
      .select({ one: sql`1` })
      .from(assessmentScores)
      .innerJoin(assessmentSchemes, eq(assessmentSchemes.id, assessmentScores.schemeId))
      .leftJoin(units, eq(units.id, assessmentSchemes.ownerUnitId))
      .where(
        and(
          sql`${assessmentScores.selfEvidence} @> ${JSON.stringify([{ fileId: file.id }])}::jsonb`,
          user.role === "unit"
            ? eq(assessmentScores.unitId, user.unitId ?? -1)
            : like(units.path, `${scope}%`),
        ),
      )
      .limit(1);
    if (viaSelfAssessment.length) return true;
  }

  const viaEvaluation = await db
    .select({ one: sql`1` })
    .from(evaluationScores)
    .innerJoin(evaluationProjects, eq(evaluationProjects.id, evaluationScores.projectId))
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(
      and(
        eq(evaluationScores.evidenceFileId, file.id),
        user.role === "evaluator"
          ? or(eq(evaluationProjects.leadUserId, user.id), eq(evaluationScores.evaluatorId, user.id))
          : user.role === "office"
            ? like(units.path, `${scope}%`)
            : and(
                eq(evaluationScores.unitId, user.unitId ?? -1),
                sql`${evaluationProjects.resultsShownAt} is not null`,
              ),
      ),
    )
    .limit(1);
  return viaEvaluation.length > 0;
}
