import { DomainError } from "@gongkai/core";
import { and, eq, gte, like, or, sql } from "drizzle-orm";
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

/** How much one user may upload. */
export type UploadQuota = {
  /** All the user's files together (every upload counts, a repeated one too). */
  maxBytesPerUser: number;
  /** Files in one calendar day, China time. */
  maxFilesPerDay: number;
};

/** "2 GB", "500 MB", "1.5 MB", "12 KB": the size a person reads. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Number((bytes / 1024 ** 3).toFixed(1))} GB`;
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(1))} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** Midnight China time (UTC+8, no DST) of the day `at` falls on. */
const startOfChinaDay = (at: Date) => {
  const day = 24 * 3_600_000;
  const offset = 8 * 3_600_000;
  return new Date(Math.floor((at.getTime() + offset) / day) * day - offset);
};

/**
 * Inserts an uploaded file's row when its uploader stays within the quota: the total of their
 * files plus this one at most `maxBytesPerUser`, and fewer than `maxFilesPerDay` files today.
 * A per-user advisory lock, held to the end of the transaction, counts one user's parallel
 * uploads one after another, so together they never pass the cap. Over it: PAYLOAD_TOO_LARGE
 * (total) or TOO_MANY_REQUESTS (today's count), and nothing is written.
 */
export async function insertStoredFileWithinQuota(
  db: Db,
  row: typeof storedFiles.$inferInsert & { uploadedBy: number; createdAt: Date },
  quota: UploadQuota,
): Promise<StoredFile> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stored_files.quota'), ${row.uploadedBy})`);
    const [used] = await tx
      .select({
        bytes: sql<string>`coalesce(sum(${storedFiles.sizeBytes}), 0)::text`,
        today: sql<number>`(count(*) filter (where ${gte(storedFiles.createdAt, startOfChinaDay(row.createdAt))}))::int`,
      })
      .from(storedFiles)
      .where(eq(storedFiles.uploadedBy, row.uploadedBy));
    const usedBytes = Number(used?.bytes ?? 0);
    if (usedBytes + row.sizeBytes > quota.maxBytesPerUser) {
      const cap = formatSize(quota.maxBytesPerUser);
      throw new DomainError(
        "PAYLOAD_TOO_LARGE",
        usedBytes >= quota.maxBytesPerUser
          ? `您上传的文件已达 ${cap} 上限,无法再上传。请联系系统管理员调整额度。`
          : `您上传的文件已用 ${formatSize(usedBytes)},再上传这个 ${formatSize(row.sizeBytes)} 的文件将超过 ${cap} 上限。请压缩文件,或联系系统管理员调整额度。`,
        { details: { usedBytes, maxBytes: quota.maxBytesPerUser } },
      );
    }
    if ((used?.today ?? 0) >= quota.maxFilesPerDay) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `您今天已上传 ${quota.maxFilesPerDay} 个文件,达到每日上限,请明天再上传;如确需今天上传更多,请联系系统管理员。`,
        { details: { maxFilesPerDay: quota.maxFilesPerDay } },
      );
    }
    return insertStoredFile(tx, row);
  });
}

/** Deletes a file's row (its upload could not be completed: the bytes never reached their key). */
export async function deleteStoredFile(db: Db, id: number): Promise<void> {
  await db.delete(storedFiles).where(eq(storedFiles.id, id));
}

/** Every storage key a file row names (the sweep keeps these objects). */
export async function storageKeysInUse(db: Db): Promise<Set<string>> {
  const rows = await db.selectDistinct({ key: storedFiles.storageKey }).from(storedFiles);
  return new Set(rows.map((r) => r.key));
}

export async function storageKeyInUse(db: Db, key: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(storedFiles)
    .where(eq(storedFiles.storageKey, key))
    .limit(1);
  return rows.length > 0;
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
