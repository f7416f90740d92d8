import { randomUUID } from "node:crypto";
import { invalid, localDate, notFound } from "@gongkai/core";
import {
  dashboard,
  getAssessmentVersion,
  getOfficeSettings,
  getPublishedEvaluation,
  getReportDetail,
  getUnit,
  inScope,
  listAssessmentSchemes,
  listAssessmentVersions,
  listPublishedEvaluations,
  loadCalendar,
  onceForKey,
  saveReport,
  schema,
  submitReport,
  taskHistory,
} from "@gongkai/db";
import {
  planTasksPage,
  publishedPlansPage,
  requirePublishedPlan,
  requirePublishedTask,
} from "@gongkai/db/integration";
import { id, reportPeriodKey, year } from "@gongkai/validators";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiProcedure, router } from "../trpc.ts";
import {
  assessmentResultsOutput,
  assessmentSchemeOutput,
  evaluationRankingOutput,
  evaluationRankingSummary,
  lightsOutput,
  pageInput,
  planOutput,
  planPageOutput,
  reportOutput,
  submitReportBody,
  taskPageOutput,
  taskReportsOutput,
} from "./schemas.ts";

/**
 * The open REST API, version 1 (/api/v1): procedures of the same tRPC instance and middleware as
 * the dashboard's, over the same queries, each with `meta.openapi` (its method and path) and an
 * output schema. The OpenAPI document is generated from them (document.ts) and the HTTP layer
 * calls them (apps/api/src/rest-v1). Callers are other systems with an API token; a token reads
 * what its government's office reads, only plans published to units.
 */

const read = apiProcedure("read");
const write = apiProcedure("write");

/** The document's error answers, in the words the caller will read. A GET reads; a POST writes. */
const readErrors: Record<number, string> = {
  400: "请求参数有误",
  401: "缺少接口令牌,或令牌无效、已吊销",
  404: "不存在,或不在令牌所属政府的范围内",
  429: "请求过于频繁",
};

const openapi = (
  method: "GET" | "POST",
  path: `/${string}`,
  operationId: string,
  summary: string,
  tags: string[],
  extra: { description?: string; errorResponses?: Record<number, string> } = {},
) => ({
  roles: method === "GET" ? ("apiRead" as const) : ("apiWrite" as const),
  openapi: {
    method,
    path,
    operationId,
    summary,
    tags,
    errorResponses: readErrors,
    successDescription: method === "GET" ? "成功" : "已报送,返回报告",
    ...extra,
  },
});

// ---------------------------------------------------------------- cursors

const cursorError = () => invalid("分页参数 cursor 无效:请使用上一页返回的 nextCursor。", "cursor");
const encodeCursor = (value: Record<string, number>) =>
  Buffer.from(JSON.stringify(value)).toString("base64url");
function decodeCursor<K extends string>(
  cursor: string | undefined,
  keys: K[],
): Record<K, number> | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw cursorError();
  }
  if (typeof value !== "object" || value === null) throw cursorError();
  const v = value as Record<string, unknown>;
  for (const k of keys) if (!Number.isInteger(v[k])) throw cursorError();
  return v as Record<K, number>;
}

// ---------------------------------------------------------------- the procedures

type PlanLike = Pick<
  typeof schema.plans.$inferSelect,
  "id" | "year" | "title" | "docNumber" | "status" | "publishDate" | "issuerUnitId" | "updatedAt"
>;
const planView = <P extends PlanLike>(p: P & { issuerName?: string | null; taskCount?: number }) => ({
  ...p,
  issuerName: p.issuerName ?? null,
});

export const v1Router = router({
  plans: router({
    list: read
      .meta(openapi("GET", "/plans", "listPlans", "工作要点列表(分页)", ["工作要点"]))
      .input(z.object({ year: year.optional(), ...pageInput }))
      .output(planPageOutput)
      .query(async ({ ctx, input }) => {
        const after = decodeCursor(input.cursor, ["year", "id"]);
        const page = await publishedPlansPage(ctx.db, ctx.actor, {
          year: input.year,
          limit: input.limit,
          after,
        });
        const last = page.items.at(-1);
        return {
          items: page.items.map(planView),
          nextCursor: page.more && last ? encodeCursor({ year: last.year, id: last.id }) : null,
        };
      }),
    get: read
      .meta(openapi("GET", "/plans/{id}", "getPlan", "一份工作要点", ["工作要点"]))
      .input(z.object({ id }))
      .output(planOutput)
      .query(async ({ ctx, input }) => {
        const plan = await requirePublishedPlan(ctx.db, ctx.actor, input.id);
        const issuer = plan.issuerUnitId ? await getUnit(ctx.db, plan.issuerUnitId) : undefined;
        return planView({ ...plan, issuerName: issuer?.name ?? null });
      }),
    tasks: read
      .meta(
        openapi("GET", "/plans/{id}/tasks", "listPlanTasks", "工作要点的任务:责任单位与完成时限(分页)", [
          "工作要点",
        ]),
      )
      .input(z.object({ id, ...pageInput }))
      .output(taskPageOutput)
      .query(async ({ ctx, input }) => {
        const after = decodeCursor(input.cursor, ["sortOrder", "id"]);
        const page = await planTasksPage(ctx.db, ctx.actor, input.id, { limit: input.limit, after });
        const last = page.items.at(-1);
        return {
          planId: page.plan.id,
          items: page.items.map((t) => ({
            ...t,
            units: t.assignments.map((a) => ({
              unitId: a.unitId,
              unitName: a.unitName,
              role: a.role,
              groupName: a.groupName,
            })),
          })),
          nextCursor: page.more && last ? encodeCursor({ sortOrder: last.sortOrder, id: last.id }) : null,
        };
      }),
    lights: read
      .meta(
        openapi("GET", "/plans/{id}/lights", "getPlanLights", "工作要点的红绿灯与统计数字", ["工作要点"], {
          description:
            "每项任务 × 每个单位的红绿灯(今天,北京时间),按类别、单位的完成情况,报告状态和逾期趋势。",
        }),
      )
      .input(z.object({ id }))
      .output(lightsOutput)
      .query(async ({ ctx, input }) => {
        const plan = await requirePublishedPlan(ctx.db, ctx.actor, input.id);
        const settings = await getOfficeSettings(ctx.db, plan.issuerUnitId);
        const today = localDate(ctx.now());
        const d = await dashboard(
          ctx.db,
          { planId: plan.id },
          {
            today,
            calendar: await loadCalendar(ctx.db),
            dueSoonWorkingDays: settings.dueSoonWorkingDays,
            trendFrom: plan.publishDate ?? `${plan.year}-01-01`,
            trendTo: `${plan.year}-12-31`,
          },
        );
        return { planId: plan.id, asOf: today, ...d, lights: d.rows };
      }),
  }),

  reports: router({
    list: read
      .meta(
        openapi("GET", "/tasks/{id}/reports", "listTaskReports", "任务的进展报告(按报送周期)", ["进展报告"], {
          description: "一次返回一个报送周期的报告(默认最近有报告的周期);periods 列出所有有报告的周期。",
        }),
      )
      .input(z.object({ id, period: reportPeriodKey.optional() }))
      .output(taskReportsOutput)
      .query(async ({ ctx, input }) => {
        await requirePublishedTask(ctx.db, ctx.actor, input.id);
        const h = await taskHistory(ctx.db, ctx.actor, input.id, input.period);
        return { taskId: input.id, periods: h.periods, period: h.period, reports: h.reports };
      }),
    submit: write
      .meta({
        ...openapi("POST", "/tasks/{id}/reports", "submitTaskReport", "为单位报送任务进展", ["进展报告"], {
          description:
            "以所给单位的名义保存并提交该周期的进展报告(已退回或草稿的报告被更新),等待政务公开办审核。" +
            "请求头 Idempotency-Key 相同的重复请求只报送一次,返回同一份报告。需要可写(write)令牌。",
          errorResponses: { ...readErrors, 403: "令牌只读,不能提交", 409: "报告已被他人修改" },
        }),
        idempotent: true,
      })
      .input(submitReportBody.extend({ id }))
      .output(reportOutput)
      .mutation(async ({ ctx, input: { id: taskId, unitId, links, ...report } }) => {
        const key = ctx.api?.idempotencyKey ?? null;
        const now = ctx.now();
        const { result } = await ctx.db.transaction((tx) =>
          onceForKey(
            tx,
            { userId: ctx.actor.userId, kind: `v1.reports.submit:${ctx.token.id}`, key: key ?? undefined },
            async () => {
              const { task } = await requirePublishedTask(tx, ctx.actor, taskId);
              const unit = await getUnit(tx, unitId);
              if (!unit || !inScope(ctx.actor.scopePath, unit.path)) throw notFound("单位");
              const { progressReports, evidence } = schema;
              const [existing] = await tx
                .select()
                .from(progressReports)
                .where(
                  and(
                    eq(progressReports.taskId, task.id),
                    eq(progressReports.unitId, unit.id),
                    eq(progressReports.period, report.period),
                  ),
                );
              // Files the unit attached in the dashboard stay; the links become the ones sent.
              const files = existing
                ? await tx
                    .select({ fileId: evidence.fileId })
                    .from(evidence)
                    .where(and(eq(evidence.reportId, existing.id), isNull(evidence.removedAt)))
                : [];
              const saved = await saveReport(
                tx,
                ctx.actor,
                unit.id,
                {
                  ...report,
                  taskId: task.id,
                  contributionIds: existing?.contributionIds ?? [],
                  evidence: {
                    links: links.map((l) => ({ url: l.url.trim(), title: l.title.trim() })),
                    fileIds: files.flatMap((f) => (f.fileId === null ? [] : [f.fileId])),
                  },
                  ...(existing ? { version: existing.version } : {}),
                },
                now,
              );
              const submitted = await submitReport(
                tx,
                ctx.actor,
                unit.id,
                { reportId: saved.id, version: saved.version, submissionKey: key ?? randomUUID() },
                now,
              );
              return { reportId: submitted.id };
            },
          ),
        );
        const { report: view } = await getReportDetail(ctx.db, ctx.actor, result.reportId);
        if (!view) throw notFound("报告");
        return view;
      }),
  }),

  assessment: router({
    schemes: read
      .meta(
        openapi("GET", "/assessment/schemes", "listAssessmentSchemes", "已发布结果的年度考核方案", [
          "考核与评估",
        ]),
      )
      .input(z.object({ year: year.optional() }))
      .output(z.array(assessmentSchemeOutput))
      .query(async ({ ctx, input }) => {
        const rows = await listAssessmentSchemes(ctx.db, ctx.actor, { year: input.year });
        return rows.flatMap((s) =>
          s.latestVersion === null
            ? []
            : [
                {
                  id: s.id,
                  year: s.year,
                  name: s.name,
                  groupName: s.groupName,
                  latestVersion: s.latestVersion,
                },
              ],
        );
      }),
    results: read
      .meta(
        openapi(
          "GET",
          "/assessment/schemes/{id}/results",
          "getAssessmentResults",
          "年度考核的已发布结果(排名)",
          ["考核与评估"],
        ),
      )
      .input(z.object({ id, version: z.number().int().positive().optional() }))
      .output(assessmentResultsOutput)
      .query(async ({ ctx, input }) => {
        const versions = await listAssessmentVersions(ctx.db, ctx.actor, input.id);
        const version = input.version ?? versions[0]?.version;
        if (version === undefined) throw notFound("已发布的考核结果");
        const r = await getAssessmentVersion(ctx.db, ctx.actor, input.id, version);
        return { ...r, version };
      }),
  }),

  evaluation: router({
    rankings: read
      .meta(
        openapi("GET", "/evaluation/rankings", "listEvaluationRankings", "已公开发布的第三方评估排名", [
          "考核与评估",
        ]),
      )
      .input(z.object({}))
      .output(z.array(evaluationRankingSummary))
      .query(({ ctx }) => listPublishedEvaluations(ctx.db)),
    ranking: read
      .meta(
        openapi(
          "GET",
          "/evaluation/rankings/{id}",
          "getEvaluationRanking",
          "第三方评估的已发布排名(一级指标)",
          ["考核与评估"],
        ),
      )
      .input(z.object({ id, version: z.number().int().positive().optional() }))
      .output(evaluationRankingOutput)
      .query(async ({ ctx, input }) => {
        const p = await getPublishedEvaluation(ctx.db, input.id, input.version, "firstLevel");
        const { project, indicators, units } = p.results;
        return {
          projectId: p.projectId,
          version: p.version.version,
          publishedAt: p.version.publishedAt,
          contentHash: p.version.contentHash,
          name: project.name,
          organisation: project.organisation,
          year: project.year,
          indicators,
          units,
        };
      }),
  }),
});

export type V1Router = typeof v1Router;
