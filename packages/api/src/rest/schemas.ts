import { assignmentRoles, categories, planStatuses, reportStates, reportStatuses } from "@gongkai/core";
import { lights } from "@gongkai/core/reports";
import { id, isoDate } from "@gongkai/validators";
import { z } from "zod";

/**
 * What the open REST API (/api/v1) answers, as zod schemas: each procedure's `.output()`, parsed on
 * every answer (so nothing the schema does not name leaves the server) and turned into the OpenAPI
 * document's response schemas. Ids given here become the document's component names.
 */

const timestamp = z.date().meta({ override: { type: "string", format: "date-time" } });

// ---------------------------------------------------------------- requests

/** Pages: `limit` items after `cursor` (the `nextCursor` of the page before; absent: the first page). */
export const pageInput = {
  limit: z.number().int().min(1).max(200).default(50).meta({ description: "每页条数(1–200,默认 50)" }),
  cursor: z.string().max(200).meta({ description: "上一页返回的 nextCursor;不传则从第一页开始" }).optional(),
};
const nextCursor = z.string().nullable().meta({ description: "下一页的 cursor;为 null 表示已是最后一页" });

// ---------------------------------------------------------------- plans and tasks

export const planOutput = z
  .object({
    id: z.number().int(),
    year: z.number().int(),
    title: z.string(),
    docNumber: z.string().nullable().meta({ description: "文号,如 徐府〔2023〕32号" }),
    status: z.enum(planStatuses).meta({ description: "published 已发布;archived 已归档(草稿不对外提供)" }),
    publishDate: z.string().nullable(),
    issuerUnitId: z.number().int().nullable(),
    issuerName: z.string().nullable(),
    reportingCycle: z.enum(["month", "quarter", "halfYear", "year"]).optional(),
    taskCount: z.number().int().optional(),
    updatedAt: timestamp,
  })
  .meta({ id: "Plan", description: "工作要点" });

export const planPageOutput = z.object({ items: z.array(planOutput), nextCursor }).meta({ id: "PlanPage" });

const deadlineRule = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("by"),
      date: z.string().meta({ description: "YYYY-MM-DD;年度未定时为 --MM-DD" }),
      precision: z.enum(["day", "month", "year"]),
    }),
    z.object({
      kind: z.literal("after"),
      event: z.string(),
      amount: z.number(),
      unit: z.enum(["workingDays", "days", "hours"]),
    }),
    z.object({
      kind: z.literal("recurring"),
      period: z.enum(["year", "halfYear", "quarter", "month", "week"]),
      times: z.number(),
    }),
    z.object({
      kind: z.literal("duration"),
      amount: z.number(),
      unit: z.enum(["days", "workingDays", "hours"]),
    }),
    z.object({ kind: z.literal("ongoing") }),
  ])
  .meta({
    id: "DeadlineRule",
    description:
      "时限规则:by 某日前;after 事件后若干(工作)日;recurring 每期至少几次;duration 最短期限;ongoing 持续",
  });

export const taskOutput = z
  .object({
    id: z.number().int(),
    planId: z.number().int(),
    code: z.string(),
    title: z.string(),
    content: z.string(),
    category: z.enum(categories).nullable(),
    sectionTitle: z.string().nullable(),
    parentTaskId: z.number().int().nullable(),
    units: z
      .array(
        z.object({
          unitId: z.number().int(),
          unitName: z.string(),
          role: z.enum(assignmentRoles).meta({ description: "lead 牵头;cooperating 配合;responsible 责任" }),
          groupName: z.string().nullable().meta({ description: "按分组(如 各村(居))指定时的分组名" }),
        }),
      )
      .meta({ description: "责任分工:各单位及其角色" }),
    deadlines: z.array(
      z.object({
        phrase: z.string().meta({ description: "时限原文,如 6月底前" }),
        rule: deadlineRule,
        dueDate: z.string().nullable(),
        eventDate: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "Task", description: "任务及其责任单位和完成时限" });

export const taskPageOutput = z
  .object({ planId: z.number().int(), items: z.array(taskOutput), nextCursor })
  .meta({ id: "TaskPage" });

// ---------------------------------------------------------------- lights and figures

const counts = {
  done: z.number().int(),
  onTrack: z.number().int(),
  dueSoon: z.number().int(),
  overdue: z.number().int(),
};

export const lightsOutput = z
  .object({
    planId: z.number().int(),
    asOf: isoDate.meta({ description: "判定红绿灯的日期(北京时间)" }),
    totals: z.object(counts).meta({ description: "牵头、责任单位的红绿灯计数(配合单位随牵头单位,不重复计)" }),
    byCategory: z.array(z.object({ category: z.string(), ...counts, completionRate: z.number() })),
    byUnit: z.array(
      z.object({ unitId: z.number().int(), unitName: z.string(), ...counts, completionRate: z.number() }),
    ),
    reportStates: z.object({
      draft: z.number().int(),
      submitted: z.number().int(),
      approved: z.number().int(),
      returned: z.number().int(),
    }),
    trend: z.array(
      z.object({
        date: z.string(),
        overdue: z.number().int(),
        dueSoon: z.number().int(),
        done: z.number().int(),
      }),
    ),
    lights: z
      .array(
        z.object({
          taskId: z.number().int(),
          code: z.string(),
          title: z.string(),
          unitId: z.number().int(),
          unitName: z.string(),
          role: z.enum(assignmentRoles),
          light: z
            .enum(lights)
            .meta({ description: "done 已完成;onTrack 正常推进;dueSoon 临期;overdue 逾期" }),
          dueDate: z.string().nullable(),
          reason: z.string(),
          reportState: z.enum(reportStates).nullable(),
          percent: z.number().int().nullable(),
        }),
      )
      .meta({ description: "每项任务 × 每个单位的红绿灯" }),
  })
  .meta({ id: "PlanLights", description: "工作要点的红绿灯与统计数字" });

// ---------------------------------------------------------------- reports

const evidenceOutput = z.object({
  kind: z.enum(["link", "file"]),
  url: z.string().nullable(),
  title: z.string().nullable(),
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
});

export const reportOutput = z
  .object({
    id: z.number().int(),
    taskId: z.number().int(),
    unitId: z.number().int(),
    unitName: z.string(),
    role: z.enum(assignmentRoles),
    period: z.string(),
    status: z.enum(reportStatuses),
    percent: z.number().int(),
    summary: z.string(),
    blockedReason: z.string().nullable(),
    occurredOn: z.string().nullable(),
    state: z.enum(reportStates),
    revision: z.number().int(),
    submittedAt: timestamp.nullable(),
    reviewedAt: timestamp.nullable(),
    reviewNote: z.string().nullable(),
    evidence: z.array(evidenceOutput),
  })
  .meta({ id: "Report", description: "单位的进展报告" });

export const taskReportsOutput = z
  .object({
    taskId: z.number().int(),
    periods: z.array(
      z.object({ period: z.string(), reports: z.number().int(), submitted: z.number().int() }),
    ),
    period: z.string().nullable().meta({ description: "本次返回的报送周期;尚无报告时为 null" }),
    reports: z.array(reportOutput),
  })
  .meta({ id: "TaskReports" });

export const submitReportBody = z
  .object({
    unitId: id.meta({ description: "报送单位(须是该任务的牵头、责任或配合单位)" }),
    period: z
      .string()
      .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, "报送周期格式应为 2023-Q3、2023-07、2023-H2 或 2023"),
    status: z.enum(reportStatuses, { error: "请选择进展状态:notStarted、inProgress、done 或 blocked" }),
    percent: z.number().int().min(0).max(100),
    summary: z.string().trim().min(1, "请填写工作进展情况").max(10_000),
    blockedReason: z.string().trim().max(2000).nullable().optional(),
    occurredOn: isoDate.nullable().optional(),
    links: z
      .array(z.object({ url: z.string().max(2000), title: z.string().max(200).default("") }))
      .max(50)
      .default([])
      .meta({ description: "佐证材料:已公开页面的链接" }),
  })
  .meta({ id: "SubmitReport" });

// ---------------------------------------------------------------- assessment and evaluation

export const assessmentSchemeOutput = z
  .object({
    id: z.number().int(),
    year: z.number().int(),
    name: z.string(),
    groupName: z.string().nullable(),
    latestVersion: z.number().int(),
  })
  .meta({ id: "AssessmentScheme", description: "已发布结果的考核方案" });

export const assessmentResultsOutput = z
  .object({
    schemeId: z.number().int(),
    year: z.number().int(),
    name: z.string(),
    version: z.number().int(),
    publishedAt: timestamp.nullable(),
    contentHash: z.string().nullable(),
    max: z.number(),
    units: z.array(
      z.object({
        unitId: z.number().int(),
        unit: z.string(),
        rank: z.number().int().nullable(),
        grade: z.string().nullable(),
        total: z.number().nullable(),
        contribution: z.number().nullable().meta({ description: "计入绩效考核的分值" }),
        complete: z.boolean(),
      }),
    ),
  })
  .meta({ id: "AssessmentResults", description: "年度考核的已发布结果(排名)" });

export const evaluationRankingSummary = z
  .object({
    projectId: z.number().int(),
    year: z.number().int(),
    name: z.string(),
    organisation: z.string(),
    latestVersion: z.number().int(),
    contentHash: z.string(),
    publishedAt: z.string(),
    unitCount: z.number().int(),
  })
  .meta({ id: "EvaluationRankingSummary", description: "已公开发布的第三方评估排名" });

export const evaluationRankingOutput = z
  .object({
    projectId: z.number().int(),
    version: z.number().int(),
    publishedAt: z.string(),
    contentHash: z.string(),
    name: z.string(),
    organisation: z.string(),
    year: z.number().int(),
    indicators: z.array(z.object({ code: z.string(), name: z.string(), level: z.number().int() })),
    units: z.array(
      z.object({
        unitId: z.number().int(),
        unitName: z.string(),
        tier: z.string(),
        rank: z.number().int().nullable(),
        grade: z.string().nullable(),
        total: z.number().nullable(),
        indicators: z.record(z.string(), z.number()).meta({ description: "一级指标得分,按指标编号" }),
      }),
    ),
  })
  .meta({ id: "EvaluationRanking", description: "第三方评估的一个已发布版本(一级指标)" });
