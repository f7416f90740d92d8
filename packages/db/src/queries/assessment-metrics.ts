/**
 * What the year-end assessment can compute from the year's task data, per unit (系统计算值). The
 * office never types these; scoring rules with a `source` take them (see core `ScoringRule`).
 *
 * The year's tasks are those of published (or archived) plans of that year issued within the
 * scheme owner's scope. Definitions, with `asOf` = the day the values are computed for:
 * - onTimeRate (任务按时完成率): among the tasks the unit leads or is responsible for whose due date
 *   — the latest `by` deadline of the task — is on or before `asOf`, the fraction with an approved
 *   report of status 已完成 (done) submitted on or before that due date (Asia/Shanghai day; a report
 *   on the due day is on time). Tasks without a `by` deadline (ongoing, after-event, recurring) are
 *   not counted. Cooperating units are not counted: they report through the lead.
 * - overdueTasks (逾期任务数): of those tasks, the ones whose due date has passed (before `asOf`)
 *   with no approved done report submitted by the due date.
 * - approvedRate (审核通过率), counted per reviewed submission: approvals / (approvals + returns +
 *   submissions still waiting for review) over the unit's reports on the year's tasks. A report
 *   returned once and then approved counts 1 of 2.
 * - evidenceCoverage (佐证覆盖率): approved reports with at least one evidence row not removed /
 *   approved reports.
 * - returnedReports (被退回次数): 退回 decisions on the unit's reports on the year's tasks.
 * - supervisionNotices (督办单数): notices to the unit about the year's tasks.
 * A missing figure is not a zero: a unit with no applicable tasks (or no reports, for the report
 * rates) gets `null` with a note saying why, and the office scores that indicator by hand.
 */
import type { CountSource, RateSource } from "@gongkai/core";
import { and, eq, inArray, isNull, like, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  deadlines,
  evidence,
  plans,
  progressReports,
  reportReviews,
  supervisionNotices,
  taskAssignments,
  tasks,
  units,
} from "../schema/index.ts";

export type AssessmentMetricSource = RateSource | CountSource;

export type AssessmentMetric = {
  /** A fraction 0..1 for rates, a count for counts; null when nothing applies. */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** How the value came about, in Chinese (shown next to it). */
  note: string;
};

export type AssessmentMetrics = Record<AssessmentMetricSource, AssessmentMetric>;

const shanghaiDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day (YYYY-MM-DD) of an instant in China. */
export const chinaDate = (at: Date): string => shanghaiDay.format(at);

const pct = (n: number, d: number) => `${Math.round((n / d) * 1000) / 10}%`;

/**
 * The metrics of each unit for a year, as of a day. `scopePath` limits the plans to those issued
 * within it (the scheme owner's government); null counts every plan.
 */
export async function computeAssessmentMetrics(
  db: Db,
  params: { year: number; unitIds: number[]; asOf: string; scopePath: string | null },
): Promise<Map<number, AssessmentMetrics>> {
  const { year, unitIds, asOf } = params;
  const out = new Map<number, AssessmentMetrics>();
  if (unitIds.length === 0) return out;

  const yearTasks = await db
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .leftJoin(units, eq(units.id, plans.issuerUnitId))
    .where(
      and(
        eq(plans.year, year),
        inArray(plans.status, ["published", "archived"]),
        params.scopePath ? like(units.path, `${params.scopePath}%`) : undefined,
      ),
    );
  const taskIds = yearTasks.map((t) => t.id);
  const none = <T>(): T[] => [];

  const assignments = taskIds.length
    ? await db
        .select({
          taskId: taskAssignments.taskId,
          unitId: taskAssignments.unitId,
          role: taskAssignments.role,
        })
        .from(taskAssignments)
        .where(and(inArray(taskAssignments.taskId, taskIds), inArray(taskAssignments.unitId, unitIds)))
    : none<{ taskId: number; unitId: number; role: "lead" | "cooperating" | "responsible" }>();
  const dueRows = taskIds.length
    ? await db
        .select({ taskId: deadlines.taskId, due: sql<string>`max(${deadlines.dueDate})` })
        .from(deadlines)
        .where(
          and(
            inArray(deadlines.taskId, taskIds),
            eq(deadlines.kind, "by"),
            sql`${deadlines.dueDate} is not null`,
          ),
        )
        .groupBy(deadlines.taskId)
    : none<{ taskId: number; due: string }>();
  const dueOf = new Map(dueRows.map((d) => [d.taskId, String(d.due)]));

  const reports = taskIds.length
    ? await db
        .select({
          id: progressReports.id,
          taskId: progressReports.taskId,
          unitId: progressReports.unitId,
          state: progressReports.state,
          status: progressReports.status,
          submittedAt: progressReports.submittedAt,
        })
        .from(progressReports)
        .where(and(inArray(progressReports.taskId, taskIds), inArray(progressReports.unitId, unitIds)))
    : [];
  const reportIds = reports.map((r) => r.id);
  const reviews = reportIds.length
    ? await db
        .select({ reportId: reportReviews.reportId, decision: reportReviews.decision })
        .from(reportReviews)
        .where(inArray(reportReviews.reportId, reportIds))
    : [];
  const withEvidence = reportIds.length
    ? await db
        .selectDistinct({ reportId: evidence.reportId })
        .from(evidence)
        .where(and(inArray(evidence.reportId, reportIds), isNull(evidence.removedAt)))
    : [];
  const evidenced = new Set(withEvidence.map((e) => e.reportId));
  const notices = taskIds.length
    ? await db
        .select({ unitId: supervisionNotices.unitId, n: sql<number>`count(*)::int` })
        .from(supervisionNotices)
        .where(and(inArray(supervisionNotices.taskId, taskIds), inArray(supervisionNotices.unitId, unitIds)))
        .groupBy(supervisionNotices.unitId)
    : [];
  const noticeCount = new Map(notices.map((n) => [n.unitId, Number(n.n)]));
  const unitOfReport = new Map(reports.map((r) => [r.id, r.unitId]));

  for (const unitId of unitIds) {
    const mine = assignments.filter((a) => a.unitId === unitId);
    const owned = [...new Set(mine.filter((a) => a.role !== "cooperating").map((a) => a.taskId))];
    const due = owned
      .map((taskId) => ({ taskId, due: dueOf.get(taskId) }))
      .filter((t): t is { taskId: number; due: string } => t.due !== undefined && t.due <= asOf);
    const myReports = reports.filter((r) => r.unitId === unitId);
    const onTime = due.filter((t) =>
      myReports.some(
        (r) =>
          r.taskId === t.taskId &&
          r.state === "approved" &&
          r.status === "done" &&
          r.submittedAt !== null &&
          chinaDate(r.submittedAt) <= t.due,
      ),
    );
    const onTimeIds = new Set(onTime.map((t) => t.taskId));
    const overdue = due.filter((t) => t.due < asOf && !onTimeIds.has(t.taskId));
    const noDue = `截至 ${asOf} 没有到期的牵头或责任任务(有明确完成时限的),不计算,请人工评分`;

    const myReviews = reviews.filter((r) => unitOfReport.get(r.reportId) === unitId);
    const approvals = myReviews.filter((r) => r.decision === "approve").length;
    const returns = myReviews.length - approvals;
    const pending = myReports.filter((r) => r.state === "submitted").length;
    const outcomes = approvals + returns + pending;
    const approved = myReports.filter((r) => r.state === "approved");
    const covered = approved.filter((r) => evidenced.has(r.id)).length;
    const noTasks = `${year} 年度没有承担任务,不计算,请人工评分`;
    const hasTasks = mine.length > 0;
    const notices = noticeCount.get(unitId) ?? 0;

    out.set(unitId, {
      onTimeRate:
        due.length === 0
          ? { value: null, numerator: null, denominator: null, note: noDue }
          : {
              value: onTime.length / due.length,
              numerator: onTime.length,
              denominator: due.length,
              note: `到期任务 ${due.length} 项,按时完成并审核通过 ${onTime.length} 项(${pct(onTime.length, due.length)})`,
            },
      overdueTasks:
        due.length === 0
          ? { value: null, numerator: null, denominator: null, note: noDue }
          : {
              value: overdue.length,
              numerator: overdue.length,
              denominator: due.length,
              note: `到期任务 ${due.length} 项,逾期未完成 ${overdue.length} 项`,
            },
      approvedRate:
        outcomes === 0
          ? {
              value: null,
              numerator: null,
              denominator: null,
              note: `${year} 年度没有提交过进展报告,不计算,请人工评分`,
            }
          : {
              value: approvals / outcomes,
              numerator: approvals,
              denominator: outcomes,
              note: `提交审核 ${outcomes} 次:通过 ${approvals} 次、退回 ${returns} 次、待审核 ${pending} 次(${pct(approvals, outcomes)})`,
            },
      evidenceCoverage:
        approved.length === 0
          ? {
              value: null,
              numerator: null,
              denominator: null,
              note: `${year} 年度没有审核通过的进展报告,不计算,请人工评分`,
            }
          : {
              value: covered / approved.length,
              numerator: covered,
              denominator: approved.length,
              note: `审核通过的报告 ${approved.length} 份,附有佐证材料 ${covered} 份(${pct(covered, approved.length)})`,
            },
      returnedReports: hasTasks
        ? { value: returns, numerator: returns, denominator: null, note: `进展报告被退回 ${returns} 次` }
        : { value: null, numerator: null, denominator: null, note: noTasks },
      supervisionNotices: hasTasks
        ? { value: notices, numerator: notices, denominator: null, note: `收到督办单 ${notices} 份` }
        : { value: null, numerator: null, denominator: null, note: noTasks },
    });
  }
  return out;
}
