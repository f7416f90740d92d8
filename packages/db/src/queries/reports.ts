import {
  type AssignmentRole,
  chinaDateTime,
  conflict,
  DomainError,
  invalid,
  localDate,
  notFound,
  periodByKey,
  periodLabel,
  type ReportingCycle,
  type ReportState,
  type ReportStatus,
  reportingPeriods,
  reportStateLabels,
} from "@gongkai/core";
import { and, asc, desc, eq, inArray, isNull, like, type SQL, sql } from "drizzle-orm";
import { alias, unionAll } from "drizzle-orm/pg-core";
import type { Db } from "../client.ts";
import {
  auditLog,
  deadlines,
  evidence,
  plans,
  progressReports,
  reportReviews,
  reportRevisions,
  sections,
  storedFiles,
  supervisionNotices,
  taskAssignments,
  tasks,
  units,
  users,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyInt } from "./any.ts";
import { recordAudit } from "./audit.ts";
import { notify } from "./notifications.ts";
import { reportWebhookInsert } from "./outbox.ts";
import { loadTaskParts, requirePlanInScope } from "./plans.ts";
import { prepared } from "./prepared.ts";

export type ReportRow = typeof progressReports.$inferSelect;
export type EvidenceInput = { links: { url: string; title: string }[]; fileIds: number[] };
export type ReportInput = {
  taskId: number;
  period: string;
  status: ReportStatus;
  percent: number;
  summary: string;
  blockedReason?: string | null | undefined;
  occurredOn?: string | null | undefined;
  /** Cooperating units' reports the lead includes in its own. */
  contributionIds?: number[] | undefined;
  evidence: EvidenceInput;
  /** The version the form was loaded with; absent for a new report. */
  version?: number | undefined;
};

/** Lead reports for the task, responsible units for themselves, cooperating units contribute. */
const rolePriority: AssignmentRole[] = ["lead", "responsible", "cooperating"];

/** The unit's role on a task of a published plan, or NOT_FOUND. */
async function requireUnitTask(db: Db, unitId: number, taskId: number) {
  const rows = await db
    .select({
      role: taskAssignments.role,
      task: tasks,
      plan: {
        id: plans.id,
        year: plans.year,
        status: plans.status,
        reportingCycle: plans.reportingCycle,
        title: plans.title,
      },
    })
    .from(taskAssignments)
    .innerJoin(tasks, eq(tasks.id, taskAssignments.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(
      and(
        eq(taskAssignments.taskId, taskId),
        eq(taskAssignments.unitId, unitId),
        inArray(plans.status, ["published", "archived"]),
      ),
    );
  const first = rows[0];
  if (!first) throw notFound("任务");
  const role = rolePriority.find((r) => rows.some((x) => x.role === r)) ?? first.role;
  return { role, task: first.task, plan: first.plan };
}

function requirePeriod(key: string, cycle: ReportingCycle, year: number) {
  const period = periodByKey(key, cycle);
  if (!period || Number(key.slice(0, 4)) < year - 1 || Number(key.slice(0, 4)) > year + 1) {
    const sample = reportingPeriods(year, cycle)
      .map((p) => p.key)
      .slice(0, 2)
      .join("、");
    throw invalid(`报送周期「${key}」不属于这份工作要点的报送安排,应为如 ${sample} 的形式。`, "period");
  }
  return period;
}

/**
 * A user's display name by the id in `ref`, looked up per row (an index probe, never a hash of all
 * users). `ref` is a qualified column written out ("report_revisions"."submitted_by"): drizzle
 * writes columns of a one-table select without their table, which a subquery would resolve against
 * its own table.
 */
const displayNameOf = (ref: string) =>
  sql<string | null>`(select u.display_name from users u where u.id = ${sql.raw(ref)})`;
/** A unit's name by the id in `ref` (a qualified column), looked up per row. */
const unitNameOf = (ref: string) => sql<string>`(select u.name from units u where u.id = ${sql.raw(ref)})`;

/**
 * Replace a report's evidence with the given links and files: new items are added, items no
 * longer listed are marked removed (kept for the revisions that cited them). Files must have been
 * uploaded by this unit.
 */
async function writeEvidence(
  db: Db,
  actor: Actor,
  report: { id: number; regionCode: string | null },
  unitId: number,
  input: EvidenceInput,
  now: Date,
) {
  const reportId = report.id;
  const fileIds = [...new Set(input.fileIds)];
  if (fileIds.length) {
    const files = await db
      .select({ id: storedFiles.id, unitId: storedFiles.unitId, uploadedBy: storedFiles.uploadedBy })
      .from(storedFiles)
      .where(inArray(storedFiles.id, fileIds));
    const ok = new Set(
      files.filter((f) => f.unitId === unitId || f.uploadedBy === actor.userId).map((f) => f.id),
    );
    const bad = fileIds.filter((id) => !ok.has(id));
    if (bad.length)
      throw invalid("所附文件不存在或不是本单位上传的,请重新上传后再保存。", "evidence.fileIds");
  }
  const current = await db
    .select()
    .from(evidence)
    .where(and(eq(evidence.reportId, reportId), isNull(evidence.removedAt)));
  const wantLinks = new Map(input.links.map((l) => [l.url, l.title]));
  const keep = new Set<number>();
  for (const e of current) {
    if (e.kind === "link" && e.url && wantLinks.has(e.url)) {
      keep.add(e.id);
      const title = wantLinks.get(e.url) ?? "";
      if (title !== e.title) await db.update(evidence).set({ title }).where(eq(evidence.id, e.id));
      wantLinks.delete(e.url);
    } else if (e.kind === "file" && e.fileId && fileIds.includes(e.fileId)) {
      keep.add(e.id);
    }
  }
  const removed = current.filter((e) => !keep.has(e.id)).map((e) => e.id);
  if (removed.length) await db.update(evidence).set({ removedAt: now }).where(inArray(evidence.id, removed));
  const haveFiles = new Set(current.filter((e) => keep.has(e.id) && e.fileId).map((e) => e.fileId));
  const rows = [
    ...[...wantLinks].map(([url, title]) => ({
      reportId,
      kind: "link" as const,
      url,
      title,
      createdBy: actor.userId,
      regionCode: report.regionCode,
    })),
    ...fileIds
      .filter((id) => !haveFiles.has(id))
      .map((fileId) => ({
        reportId,
        kind: "file" as const,
        fileId,
        createdBy: actor.userId,
        regionCode: report.regionCode,
      })),
  ];
  if (rows.length) await db.insert(evidence).values(rows);
}

function checkReportInput(input: ReportInput) {
  if (input.status === "blocked" && !input.blockedReason?.trim()) {
    throw invalid("选择「无法按期完成」时,请说明原因和预计完成时间。", "blockedReason");
  }
  if (input.status === "done" && input.percent !== 100) {
    throw invalid("状态为「已完成」时,完成进度应为 100%。", "percent");
  }
  if (input.status === "notStarted" && input.percent !== 0) {
    throw invalid("状态为「未启动」时,完成进度应为 0%。", "percent");
  }
}

/** Who saved a report last, for CONFLICT messages. */
async function staleReport(db: Db, reportId: number) {
  const [row] = await db
    .select({ name: users.displayName, at: progressReports.updatedAt })
    .from(progressReports)
    .leftJoin(users, eq(users.id, progressReports.updatedBy))
    .where(eq(progressReports.id, reportId));
  const who = row?.name ? `「${row.name}」` : "他人";
  const when = row?.at ? `于 ${chinaDateTime(row.at)} ` : "";
  return conflict(
    `这份报告已被${who}${when}保存。您的修改尚未保存:请刷新后查看对方的内容,再把您的修改补充进去。`,
    {
      savedBy: row?.name ?? null,
    },
  );
}

/** Save (create or edit) a unit's report for a task and period as a draft. */
export async function saveReport(
  db: Db,
  actor: Actor,
  unitId: number,
  input: ReportInput,
  now: Date,
): Promise<ReportRow> {
  checkReportInput(input);
  return db.transaction(async (tx) => {
    const { role, task, plan } = await requireUnitTask(tx, unitId, input.taskId);
    if (plan.status === "archived") throw invalid("这份工作要点已归档,不能再填报。", "taskId");
    const period = requirePeriod(input.period, plan.reportingCycle, plan.year);
    const [existing] = await tx
      .select()
      .from(progressReports)
      .where(
        and(
          eq(progressReports.taskId, task.id),
          eq(progressReports.unitId, unitId),
          eq(progressReports.period, period.key),
        ),
      );
    const contributionIds =
      role === "lead" ? await checkContributions(tx, task.id, period.key, input.contributionIds ?? []) : [];
    const fields = {
      status: input.status,
      percent: input.percent,
      summary: input.summary,
      blockedReason: input.status === "blocked" ? (input.blockedReason ?? null) : null,
      occurredOn: input.occurredOn ?? null,
      contributionIds,
      updatedBy: actor.userId,
      updatedAt: now,
    };
    let report: ReportRow | undefined;
    if (!existing) {
      if (input.version !== undefined) throw notFound("报告");
      [report] = await tx
        .insert(progressReports)
        .values({
          ...fields,
          taskId: task.id,
          unitId,
          role,
          period: period.key,
          periodStart: period.start,
          periodEnd: period.end,
          regionCode: task.regionCode,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!report) {
        // Someone else created it a moment ago.
        const [other] = await tx
          .select({ id: progressReports.id })
          .from(progressReports)
          .where(
            and(
              eq(progressReports.taskId, task.id),
              eq(progressReports.unitId, unitId),
              eq(progressReports.period, period.key),
            ),
          );
        throw await staleReport(tx, other?.id ?? 0);
      }
    } else {
      if (input.version === undefined || input.version !== existing.version)
        throw await staleReport(tx, existing.id);
      if (existing.state === "submitted" || existing.state === "approved") {
        throw invalid(
          `这份报告${reportStateLabels[existing.state]},不能再修改。${existing.state === "submitted" ? "如需修改,请联系政务公开办退回。" : ""}`,
          "state",
        );
      }
      [report] = await tx
        .update(progressReports)
        .set({ ...fields, role, version: sql`${progressReports.version} + 1` })
        .where(and(eq(progressReports.id, existing.id), eq(progressReports.version, existing.version)))
        .returning();
      if (!report) throw await staleReport(tx, existing.id);
    }
    await writeEvidence(tx, actor, report, unitId, input.evidence, now);
    await recordAudit(tx, actor, {
      action: existing ? "report.update" : "report.create",
      entityType: "report",
      entityId: report.id,
      before: existing,
      after: { ...report, evidence: input.evidence },
      regionCode: report.regionCode,
    });
    return report;
  });
}

async function checkContributions(db: Db, taskId: number, period: string, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: progressReports.id })
    .from(progressReports)
    .where(
      and(
        inArray(progressReports.id, ids),
        eq(progressReports.taskId, taskId),
        eq(progressReports.period, period),
        eq(progressReports.role, "cooperating"),
        inArray(progressReports.state, ["submitted", "approved"]),
      ),
    );
  if (rows.length !== new Set(ids).size) {
    throw invalid("所引用的配合单位报告不存在或尚未提交,请刷新后重新选择。", "contributionIds");
  }
  return [...new Set(ids)];
}

type SnapshotEvidence = Omit<EvidenceView, "reportId">;

/** The report as submitted: its content, its active evidence, the contributions it includes. */
async function snapshotOf(db: Db, report: ReportRow, evidenceItems: SnapshotEvidence[]) {
  const contributions = report.contributionIds.length
    ? await db
        .select({
          id: progressReports.id,
          unitName: units.name,
          summary: progressReports.summary,
          percent: progressReports.percent,
        })
        .from(progressReports)
        .innerJoin(units, eq(units.id, progressReports.unitId))
        .where(inArray(progressReports.id, report.contributionIds))
    : [];
  return {
    status: report.status,
    percent: report.percent,
    summary: report.summary,
    blockedReason: report.blockedReason,
    occurredOn: report.occurredOn,
    evidence: evidenceItems,
    contributions,
  };
}

/** Rows changed by a raw statement, whichever driver ran it (postgres.js: an array; PGlite: `{ rows }`). */
function firstRow<T>(result: unknown): T | undefined {
  return (Array.isArray(result) ? result[0] : (result as { rows?: T[] }).rows?.[0]) as T | undefined;
}

/**
 * Submit a report for review. `submissionKey` makes it idempotent: a retried request with the
 * same key returns the submission already made and creates nothing.
 *
 * Two round trips, no explicit transaction: one read (the report, whether the key was used, its
 * evidence), then one statement that moves the report to `submitted` only if it is still at the
 * version read and, in the same statement, writes the revision and the audit row (all or nothing).
 * A report edited in between (its evidence too: saving bumps the version) changes nothing and is a
 * CONFLICT, as before.
 */
export async function submitReport(
  db: Db,
  actor: Actor,
  unitId: number,
  input: { reportId: number; version: number; submissionKey: string },
  now: Date,
): Promise<ReportRow> {
  // Prepared: a submission is the busiest write (built once per pool, not on every request).
  const id$ = sql.placeholder("reportId");
  const [row] = await prepared(db, "submit.report", () =>
    db
      .select({
        report: progressReports,
        already: sql<boolean>`exists (select 1 from report_revisions r where r.report_id = ${id$}
          and r.submission_key = ${sql.placeholder("submissionKey")})`,
        evidence: sql<SnapshotEvidence[] | string>`(
          select coalesce(json_agg(json_build_object('id', e.id, 'kind', e.kind, 'url', e.url, 'title', e.title,
            'fileId', e.file_id, 'fileName', f.file_name, 'mimeType', f.mime_type, 'sizeBytes', f.size_bytes,
            'sha256', f.sha256) order by e.id), '[]'::json)
          from evidence e left join stored_files f on f.id = e.file_id
          where e.report_id = ${id$} and e.removed_at is null)`,
      })
      .from(progressReports)
      .where(and(eq(progressReports.id, id$), eq(progressReports.unitId, sql.placeholder("unitId"))))
      .prepare("submitReport"),
  ).execute({ reportId: input.reportId, submissionKey: input.submissionKey, unitId });
  if (!row) throw notFound("报告");
  const { report } = row;
  if (row.already) return report;
  if (report.version !== input.version) throw await staleReport(db, report.id);
  if (report.state !== "draft" && report.state !== "returned") {
    throw invalid(`这份报告${reportStateLabels[report.state]},无需再次提交。`, "state");
  }
  const evidenceItems =
    typeof row.evidence === "string" ? (JSON.parse(row.evidence) as SnapshotEvidence[]) : row.evidence;
  const snapshot = await snapshotOf(db, report, evidenceItems);
  if (report.status === "done" && snapshot.evidence.length === 0) {
    throw invalid("已完成的任务须附佐证材料:请添加公开页面链接或上传文件后再提交。", "evidence");
  }
  if (!report.summary.trim()) throw invalid("请填写工作进展情况后再提交。", "summary");
  const revision = report.revision + 1;
  const at = now.toISOString();
  // The audit row as recordAudit writes it (actor, JSON before/after, the report's region).
  const before = JSON.stringify({ state: report.state, revision: report.revision });
  const after = JSON.stringify({ state: "submitted", revision, snapshot });
  const written = firstRow<{ updated: number; inserted: number }>(
    await db.execute(sql`
      with upd as (
        update progress_reports
        set state = 'submitted', revision = ${revision}, submitted_at = ${at}::timestamptz,
            submitted_by = ${actor.userId}, updated_at = ${at}::timestamptz, updated_by = ${actor.userId},
            version = version + 1
        where id = ${report.id} and version = ${report.version}
        returning id, region_code
      ), rev as (
        insert into report_revisions (report_id, revision, snapshot, submission_key, submitted_at, submitted_by, region_code)
        select id, ${revision}, ${JSON.stringify(snapshot)}::jsonb, ${input.submissionKey}, ${at}::timestamptz,
               ${actor.userId}, region_code
        from upd
        returning report_id
      ), aud as (
        insert into audit_log (actor_id, action, entity_type, entity_id, before, after, region_code)
        select ${actor.userId > 0 ? actor.userId : null}::int, 'report.submit', 'report', ${String(report.id)},
               ${before}::jsonb, ${after}::jsonb, ${report.regionCode}
        from rev
      ), hook as (
        ${reportWebhookInsert({ event: "report.submitted", reportId: report.id, taskId: report.taskId, state: "submitted", revision, now, guard: sql`exists (select 1 from rev)` })}
      )
      select (select count(*) from upd)::int as updated, (select count(*) from rev)::int as inserted`),
  );
  if (written?.inserted) {
    return {
      ...report,
      state: "submitted",
      revision,
      submittedAt: now,
      submittedBy: actor.userId,
      updatedAt: now,
      updatedBy: actor.userId,
      version: report.version + 1,
    };
  }
  // Nothing written: a retry with this key got there first, or the report changed since it was read.
  const [retried] = await db
    .select({ id: reportRevisions.id })
    .from(reportRevisions)
    .where(
      and(eq(reportRevisions.reportId, report.id), eq(reportRevisions.submissionKey, input.submissionKey)),
    );
  if (retried) return report;
  throw await staleReport(db, report.id);
}

/** A report in the office's scope (via its task's plan), or NOT_FOUND. */
async function requireReportInScope(db: Db, actor: Actor, reportId: number) {
  const [row] = await db
    .select({ report: progressReports, planId: tasks.planId })
    .from(progressReports)
    .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
    .where(eq(progressReports.id, reportId));
  if (!row) throw notFound("报告");
  await requirePlanInScope(db, actor, row.planId);
  return row.report;
}

/** 审核: approve the current submission, or return it with a reason. */
export async function reviewReport(
  db: Db,
  actor: Actor,
  input: {
    reportId: number;
    revision: number;
    decision: "approve" | "return";
    reason?: string | null | undefined;
  },
  now: Date,
): Promise<ReportRow> {
  if (input.decision === "return" && !input.reason?.trim()) {
    throw invalid("退回时请写明原因,告诉单位需要补充或修改什么。", "reason");
  }
  return db.transaction(async (tx) => {
    const report = await requireReportInScope(tx, actor, input.reportId);
    if (report.state !== "submitted") {
      throw invalid(`这份报告${reportStateLabels[report.state]},不在待审核状态。`, "state");
    }
    if (report.revision !== input.revision) {
      throw conflict(`单位已重新提交(第 ${report.revision} 版),请查看最新版本后再审核。`);
    }
    const state = input.decision === "approve" ? "approved" : "returned";
    const [updated] = await tx
      .update(progressReports)
      .set({
        state,
        reviewedAt: now,
        reviewedBy: actor.userId,
        reviewNote: input.reason ?? null,
        version: sql`${progressReports.version} + 1`,
      })
      .where(and(eq(progressReports.id, report.id), eq(progressReports.state, "submitted")))
      .returning();
    if (!updated) throw conflict("这份报告刚被他人审核过,请刷新。");
    await tx.insert(reportReviews).values({
      reportId: report.id,
      revision: report.revision,
      decision: input.decision,
      reason: input.reason ?? null,
      reviewerId: actor.userId,
      at: now,
      regionCode: report.regionCode,
    });
    const [task] = await tx
      .select({ title: tasks.title, code: tasks.code })
      .from(tasks)
      .where(eq(tasks.id, report.taskId));
    await notify(
      tx,
      {
        unitId: report.unitId,
        kind: input.decision === "approve" ? "report.approved" : "report.returned",
        title:
          input.decision === "approve"
            ? `「${task?.title ?? ""}」${periodLabel(report.period)}进展报告已通过审核`
            : `「${task?.title ?? ""}」${periodLabel(report.period)}进展报告被退回`,
        body: input.reason ?? "",
        link: `/my-tasks?task=${report.taskId}&period=${report.period}`,
      },
      now,
    );
    await tx.execute(
      reportWebhookInsert({
        event: input.decision === "approve" ? "report.approved" : "report.returned",
        reportId: report.id,
        taskId: report.taskId,
        state,
        revision: report.revision,
        reason: input.reason ?? null,
        now,
      }),
    );
    await recordAudit(tx, actor, {
      action: `report.${input.decision}`,
      entityType: "report",
      entityId: report.id,
      before: { state: report.state },
      after: { state, reason: input.reason ?? null, revision: report.revision },
      regionCode: report.regionCode,
    });
    return updated;
  });
}

/**
 * 批量通过: each report reviewed exactly as one at a time, all in one transaction. The first that
 * may not be approved (reviewed meanwhile, resubmitted since the queue was listed, out of scope)
 * fails the whole call, its message naming the report so the office knows what to refresh.
 */
export async function reviewReports(
  db: Db,
  actor: Actor,
  input: {
    items: { reportId: number; revision: number }[];
    decision: "approve";
    reason?: string | null | undefined;
  },
  now: Date,
): Promise<{ reportIds: number[] }> {
  return db.transaction(async (tx) => {
    for (const [i, item] of input.items.entries()) {
      try {
        await reviewReport(tx, actor, { ...item, decision: input.decision, reason: input.reason }, now);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        throw new DomainError(e.code, await failedItemMessage(tx, i, item.reportId, e), {
          details: { reportId: item.reportId },
        });
      }
    }
    return { reportIds: input.items.map((i) => i.reportId) };
  });
}

async function failedItemMessage(db: Db, index: number, reportId: number, e: DomainError) {
  const tail = "本次批量审核没有通过任何报告,请刷新列表后重新选择。";
  if (e.code === "NOT_FOUND") return `所选第 ${index + 1} 份报告不存在或不在您的管辖范围内。${tail}`;
  const [row] = await db
    .select({ code: tasks.code, title: tasks.title, unitName: units.name })
    .from(progressReports)
    .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
    .innerJoin(units, eq(units.id, progressReports.unitId))
    .where(eq(progressReports.id, reportId));
  const what = row ? `任务 ${row.code}「${row.title}」${row.unitName}的报告` : `所选第 ${index + 1} 份报告`;
  return `${what}:${e.message.replace(/,请刷新。$/, "。")}${tail}`;
}

// ---------------------------------------------------------------- reads

export type ReportView = Awaited<ReturnType<typeof reportViews>>[number];

/** Reports with unit name, evidence, revisions and reviews, for the given ids. */
/** Reports by id, each with its active evidence, its submitted versions and its reviews. */
async function reportViews(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await prepared(db, "reportViews", () =>
    reportViewQuery(db, anyInt(progressReports.id, sql.placeholder("ids"))).prepare("reportViews"),
  ).execute({ ids });
  return rows.map(reportView);
}

/**
 * One statement: each report with its active evidence, its submitted versions and its reviews,
 * gathered per report by PostgreSQL (index probes on the report id), names looked up per row.
 */
function reportViewQuery(db: Db, where: SQL) {
  return db
    .select({
      report: progressReports,
      unitName: unitNameOf('"progress_reports"."unit_id"'),
      evidence: sql<EvidenceView[]>`(
        select coalesce(json_agg(json_build_object(
          'id', e.id, 'reportId', e.report_id, 'kind', e.kind, 'url', e.url, 'title', e.title,
          'fileId', e.file_id, 'fileName', f.file_name, 'mimeType', f.mime_type,
          'sizeBytes', f.size_bytes, 'sha256', f.sha256
        ) order by e.id), '[]')
        from evidence e left join stored_files f on f.id = e.file_id
        where e.report_id = "progress_reports"."id" and e.removed_at is null)`,
      revisions: sql<Stamped<RevisionView, "submittedAt">[]>`(
        select coalesce(json_agg(json_build_object(
          'reportId', r.report_id, 'revision', r.revision, 'snapshot', r.snapshot,
          'submittedAt', r.submitted_at,
          'submittedBy', (select u.display_name from users u where u.id = r.submitted_by)
        ) order by r.revision), '[]')
        from report_revisions r where r.report_id = "progress_reports"."id")`,
      reviews: sql<Stamped<ReviewView, "at">[]>`(
        select coalesce(json_agg(json_build_object(
          'reportId', v.report_id, 'revision', v.revision, 'decision', v.decision, 'reason', v.reason,
          'at', v.at, 'reviewer', (select u.display_name from users u where u.id = v.reviewer_id)
        ) order by v.id), '[]')
        from report_reviews v where v.report_id = "progress_reports"."id")`,
    })
    .from(progressReports)
    .where(where)
    .orderBy(asc(progressReports.periodStart), asc(progressReports.id));
}

type ReportViewRow = {
  report: ReportRow;
  unitName: string;
  evidence: EvidenceView[];
  revisions: Stamped<RevisionView, "submittedAt">[];
  reviews: Stamped<ReviewView, "at">[];
};

/** Timestamps inside JSON arrive as text: Dates, as for the report's own columns. */
function reportView({ report, unitName, evidence, revisions, reviews }: ReportViewRow) {
  return {
    ...report,
    unitName,
    evidence,
    revisions: revisions.map((r) => ({ ...r, submittedAt: new Date(r.submittedAt) })),
    reviews: reviews.map((r) => ({ ...r, at: new Date(r.at) })),
  };
}

type EvidenceView = Pick<
  typeof evidence.$inferSelect,
  "id" | "reportId" | "kind" | "url" | "title" | "fileId"
> & { fileName: string | null; mimeType: string | null; sizeBytes: number | null; sha256: string | null };
type RevisionView = Pick<
  typeof reportRevisions.$inferSelect,
  "reportId" | "revision" | "snapshot" | "submittedAt"
> & {
  submittedBy: string | null;
};
type ReviewView = Pick<
  typeof reportReviews.$inferSelect,
  "reportId" | "revision" | "decision" | "reason" | "at"
> & {
  reviewer: string | null;
};
/** A row as JSON carries its timestamps as text. */
type Stamped<T, K extends keyof T> = Omit<T, K> & Record<K, string>;

/**
 * What a unit sees when it opens a task to report: the task, the periods of the plan's cycle, its
 * report for the chosen period (or none yet), and — for a lead — the cooperating units'
 * contributions for that period.
 */
export async function getReportForm(
  db: Db,
  unitId: number,
  input: { taskId: number; period?: string | undefined },
  now: Date,
) {
  const { role, task, plan } = await requireUnitTask(db, unitId, input.taskId);
  const periods = reportingPeriods(plan.year, plan.reportingCycle);
  const today = localDate(now);
  const fallback = periods.find((p) => p.start <= today && today <= p.end) ?? periods.at(-1);
  const period = input.period ? requirePeriod(input.period, plan.reportingCycle, plan.year) : fallback;
  if (!period) throw notFound("报送周期");
  const [mine] = await db
    .select({ id: progressReports.id })
    .from(progressReports)
    .where(
      and(
        eq(progressReports.taskId, task.id),
        eq(progressReports.unitId, unitId),
        eq(progressReports.period, period.key),
      ),
    );
  const contributionRows =
    role === "lead"
      ? await db
          .select({ id: progressReports.id })
          .from(progressReports)
          .where(
            and(
              eq(progressReports.taskId, task.id),
              eq(progressReports.period, period.key),
              eq(progressReports.role, "cooperating"),
              inArray(progressReports.state, ["submitted", "approved"]),
            ),
          )
      : [];
  const [report] = mine ? await reportViews(db, [mine.id]) : [];
  const { assignmentsByTask, deadlinesByTask } = await loadTaskParts(db, [task.id]);
  const history = await db
    .select({
      id: progressReports.id,
      period: progressReports.period,
      state: progressReports.state,
      status: progressReports.status,
      percent: progressReports.percent,
    })
    .from(progressReports)
    .where(and(eq(progressReports.taskId, task.id), eq(progressReports.unitId, unitId)))
    .orderBy(asc(progressReports.periodStart));
  const notices = await db
    .select()
    .from(supervisionNotices)
    .where(and(eq(supervisionNotices.taskId, task.id), eq(supervisionNotices.unitId, unitId)))
    .orderBy(desc(supervisionNotices.issuedAt));
  return {
    task: {
      ...task,
      planTitle: plan.title,
      year: plan.year,
      assignments: assignmentsByTask.get(task.id) ?? [],
      deadlines: deadlinesByTask.get(task.id) ?? [],
    },
    role,
    archived: plan.status === "archived",
    periods,
    period,
    report: report ?? null,
    contributions: await reportViews(
      db,
      contributionRows.map((r) => r.id),
    ),
    history,
    notices,
  };
}

const issuer = alias(units, "issuer");

/** The office's review queue: submitted reports in its scope, oldest first. */
export async function reviewQueue(
  db: Db,
  actor: Actor,
  params: {
    planId?: number | undefined;
    unitId?: number | undefined;
    state: "submitted" | "returned" | "approved";
    limit: number;
  },
) {
  const rows = await db
    .select({
      id: progressReports.id,
      taskId: tasks.id,
      code: tasks.code,
      title: tasks.title,
      planId: plans.id,
      planTitle: plans.title,
      unitId: progressReports.unitId,
      unitName: units.name,
      role: progressReports.role,
      period: progressReports.period,
      status: progressReports.status,
      percent: progressReports.percent,
      state: progressReports.state,
      revision: progressReports.revision,
      submittedAt: progressReports.submittedAt,
    })
    .from(progressReports)
    .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, progressReports.unitId))
    .leftJoin(issuer, eq(issuer.id, plans.issuerUnitId))
    .where(
      and(
        eq(progressReports.state, params.state),
        params.planId ? eq(plans.id, params.planId) : undefined,
        params.unitId ? eq(progressReports.unitId, params.unitId) : undefined,
        actor.scopePath ? like(issuer.path, `${actor.scopePath}%`) : undefined,
      ),
    )
    .orderBy(asc(progressReports.submittedAt), asc(progressReports.id))
    .limit(params.limit);
  return rows;
}

/** One report for the office: every version, every review, the evidence. */
export async function getReportDetail(db: Db, actor: Actor, reportId: number) {
  const report = await requireReportInScope(db, actor, reportId);
  const [view] = await reportViews(db, [report.id]);
  const [task] = await db
    .select({
      id: tasks.id,
      code: tasks.code,
      title: tasks.title,
      content: tasks.content,
      planId: tasks.planId,
    })
    .from(tasks)
    .where(eq(tasks.id, report.taskId));
  const contributions = await reportViews(db, report.contributionIds);
  return { report: view, task, contributions };
}

/**
 * A task's history at a glance for the office: its assignments and deadlines, each unit's latest
 * report, the periods with their report counts, the reports of one period (the latest with reports
 * unless asked) with their reviews and evidence, the supervision notices, and the audit trail of
 * the task, its notices and that period's reports. A province-wide task gathers hundreds of
 * reports over a year: the page shows one period at a time.
 */
export async function taskHistory(db: Db, actor: Actor, taskId: number, period?: string) {
  // The reads of this page are prepared (built once per connection pool).
  const id$ = sql.placeholder("id");
  const [task] = await prepared(db, "history.task", () =>
    db.select().from(tasks).where(eq(tasks.id, id$)).prepare("historyTask"),
  ).execute({ id: taskId });
  if (!task) throw notFound("任务");
  const plan = await requirePlanInScope(db, actor, task.planId);
  // In scope: the rest is one round of independent statements sent together. The period shown is
  // the one asked for, or the latest with reports — chosen by PostgreSQL, so that the period's
  // reports and its audit trail need not wait for the period list.
  const period$ = sql`coalesce(${sql.placeholder("period")}::text, (
    select p.period from progress_reports p where p.task_id = ${id$}
    order by p.period_start desc, p.id desc limit 1))`;
  const [{ assignmentsByTask, deadlinesByTask }, [summary], notices, [section], trail, reports] =
    await Promise.all([
      loadTaskParts(db, [taskId]),
      // The period list and each unit's latest report, as JSON: a busy task has hundreds of reports.
      prepared(db, "history.summary", () =>
        db
          .select({
            periods: sql<{ period: string; reports: number; submitted: number }[]>`(
              select coalesce(json_agg(json_build_object(
                'period', x.period, 'reports', x.reports, 'submitted', x.submitted
              ) order by x.start desc), '[]')
              from (
                select p.period, min(p.period_start) as start, count(*)::int as reports,
                  (count(*) filter (where p.state = 'submitted'))::int as submitted
                from progress_reports p where p.task_id = ${id$} group by p.period
              ) x)`,
            latest: sql<
              { id: number; unitId: number; period: string; state: ReportState; percent: number }[]
            >`(
              select coalesce(json_agg(json_build_object(
                'id', l.id, 'unitId', l.unit_id, 'period', l.period, 'state', l.state, 'percent', l.percent
              ) order by l.unit_id), '[]')
              from (
                select distinct on (p.unit_id) p.id, p.unit_id, p.period, p.state, p.percent
                from progress_reports p where p.task_id = ${id$}
                order by p.unit_id, p.period_start desc, p.id desc
              ) l)`,
            shown: sql<string | null>`${period$}`,
          })
          .from(sql`(select 1) as one`)
          .prepare("historySummary"),
      ).execute({ id: taskId, period: period ?? null }),
      prepared(db, "history.notices", () =>
        db
          .select({ notice: supervisionNotices, unitName: units.name })
          .from(supervisionNotices)
          .innerJoin(units, eq(units.id, supervisionNotices.unitId))
          .where(eq(supervisionNotices.taskId, id$))
          .orderBy(asc(supervisionNotices.issuedAt))
          .prepare("historyNotices"),
      ).execute({ id: taskId }),
      task.sectionId
        ? prepared(db, "history.section", () =>
            db.select().from(sections).where(eq(sections.id, id$)).prepare("historySection"),
          ).execute({ id: task.sectionId })
        : [],
      // The audit trail of the task, its notices and the period's reports: one index lookup per
      // entity kind (audit_log_entity_idx), merged, the first 500 by id. (One OR-ed condition made
      // the planner walk the whole log in id order.)
      prepared(db, "history.trail", () => {
        const trailOf = (entityType: string, keys: SQL) =>
          db
            .select({
              id: auditLog.id,
              at: auditLog.at,
              action: auditLog.action,
              actor: displayNameOf('"audit_log"."actor_id"').as("actor"),
            })
            .from(auditLog)
            .where(and(eq(auditLog.entityType, entityType), sql`${auditLog.entityId} = any(${keys})`));
        return unionAll(
          trailOf("task", sql`array[${id$}::text]`),
          trailOf(
            "report",
            sql`array(select p.id::text from progress_reports p where p.task_id = ${id$} and p.period = ${period$})`,
          ),
          trailOf(
            "notice",
            sql`array(select n.id::text from supervision_notices n where n.task_id = ${id$})`,
          ),
        )
          .orderBy(asc(auditLog.id))
          .limit(500)
          .prepare("historyTrail");
      }).execute({ id: taskId, period: period ?? null }),
      prepared(db, "history.reports", () =>
        reportViewQuery(
          db,
          and(eq(progressReports.taskId, id$), sql`${progressReports.period} = ${period$}`) as SQL,
        ).prepare("historyReports"),
      ).execute({ id: taskId, period: period ?? null }),
    ]);
  const periods = summary?.periods ?? [];
  if (period !== undefined && periods.length > 0 && !periods.some((p) => p.period === period))
    throw invalid(`该任务在「${period}」没有进展报告,请从列出的期次中选择。`, "period");
  return {
    task: { ...task, planTitle: plan.title, year: plan.year, sectionTitle: section?.title ?? null },
    assignments: assignmentsByTask.get(taskId) ?? [],
    deadlines: deadlinesByTask.get(taskId) ?? [],
    /** Each unit's latest report, by period. */
    latest: summary?.latest ?? [],
    /** The periods that have reports, latest first, with how many await review. */
    periods,
    /** The period whose reports follow (null while nobody has reported). */
    period: periods.length > 0 ? (summary?.shown ?? null) : null,
    reports: reports.map(reportView),
    notices: notices.map(({ notice, unitName }) => ({ ...notice, unitName })),
    trail,
  };
}

/**
 * Record when the event of an `after` deadline happened (文件印发, 决策出台…): the due date follows.
 * The office may record it; so may a lead unit of the task.
 */
export async function recordEventDate(
  db: Db,
  actor: Actor,
  input: { deadlineId: number; eventDate: string },
  dueOf: (rule: (typeof deadlines.$inferSelect)["rule"], eventDate: string) => string | null,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(deadlines).where(eq(deadlines.id, input.deadlineId));
    if (!row) throw notFound("时限");
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, row.taskId));
    if (!task) throw notFound("时限");
    if (actor.role === "unit") {
      const [lead] = await tx
        .select({ id: taskAssignments.id })
        .from(taskAssignments)
        .innerJoin(plans, eq(plans.id, task.planId))
        .where(
          and(
            eq(taskAssignments.taskId, task.id),
            eq(taskAssignments.unitId, actor.unitId ?? -1),
            eq(taskAssignments.role, "lead"),
            inArray(plans.status, ["published", "archived"]),
          ),
        );
      if (!lead) throw notFound("时限");
    } else {
      await requirePlanInScope(tx, actor, task.planId);
    }
    if (row.rule.kind !== "after")
      throw invalid("只有「某事件发生后N日内」这类时限需要登记事件日期。", "deadlineId");
    const dueDate = dueOf(row.rule, input.eventDate);
    const [updated] = await tx
      .update(deadlines)
      .set({ eventDate: input.eventDate, dueDate })
      .where(eq(deadlines.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "deadline.event",
      entityType: "task",
      entityId: task.id,
      before: { deadlineId: row.id, eventDate: row.eventDate, dueDate: row.dueDate },
      after: { deadlineId: row.id, eventDate: input.eventDate, dueDate },
      regionCode: task.regionCode,
    });
    return updated;
  });
}
