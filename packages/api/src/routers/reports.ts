import { dueDateOf, localDate } from "@gongkai/core";
import {
  dashboard,
  getOfficeSettings,
  getReportDetail,
  getReportForm,
  loadCalendar,
  planLights,
  recordEventDate,
  requirePlanInScope,
  reviewQueue,
  reviewReport,
  reviewReports,
  saveReport,
  setReportingCycle,
  submitReport,
  taskHistory,
  unitLights,
} from "@gongkai/db";
import {
  byId,
  byYear,
  keyed,
  planScopedInput,
  recordEventInput,
  reportFormInput,
  reportingCycleInput,
  reviewQueueInput,
  reviewReportInput,
  reviewReportsInput,
  saveReportInput,
  submitReportInput,
  taskHistoryInput,
  unitDashboardInput,
} from "@gongkai/validators";
import { once } from "../once.ts";
import { officeProcedure, roleProcedure, router, unitProcedure } from "../trpc.ts";

export const reportsRouter = router({
  // ------------------------------------------------------------ a unit's reporting
  /** The report form for a task and period: the task, periods, the unit's report, contributions. */
  form: unitProcedure
    .input(reportFormInput)
    .query(({ ctx, input }) => getReportForm(ctx.db, ctx.unitId, input, ctx.now())),
  save: unitProcedure
    .meta({ roles: ["unit"], idempotent: true })
    .input(saveReportInput)
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "reports.save", requestKey, (db) => saveReport(db, ctx.actor, ctx.unitId, input, ctx.now())),
    ),
  submit: unitProcedure
    .meta({ roles: ["unit"], idempotent: true })
    .input(submitReportInput)
    .mutation(({ ctx, input }) => submitReport(ctx.db, ctx.actor, ctx.unitId, input, ctx.now())),
  /** The unit's assignments with their traffic lights. */
  myLights: unitProcedure
    .input(byYear)
    .query(({ ctx, input }) => unitLights(ctx.db, ctx.unitId, ctx.now(), input.year)),
  /** The unit's own dashboard for a plan (its latest published plan when none is given). */
  myDashboard: unitProcedure.input(unitDashboardInput).query(async ({ ctx, input }) => {
    const lights = await unitLights(ctx.db, ctx.unitId, ctx.now());
    const planId = input.planId ?? lights.at(-1)?.planId;
    const year = lights.find((l) => l.planId === planId)?.year;
    if (!planId || !year) return null;
    const today = localDate(ctx.now());
    return dashboard(
      ctx.db,
      { planId, unitId: ctx.unitId },
      {
        today,
        calendar: await loadCalendar(ctx.db),
        dueSoonWorkingDays: 5,
        trendFrom: `${year}-01-01`,
        trendTo: `${year}-12-31`,
      },
    );
  }),

  /** Record when an `after` deadline's event happened: the office, or a lead unit of the task. */
  recordEvent: roleProcedure("admin", "office", "unit")
    .input(recordEventInput)
    .mutation(async ({ ctx, input }) => {
      const calendar = await loadCalendar(ctx.db);
      return recordEventDate(ctx.db, ctx.actor, input, (rule, eventDate) =>
        dueDateOf(rule, { eventDate, calendar }),
      );
    }),

  // ------------------------------------------------------------ the office's review
  queue: officeProcedure
    .input(reviewQueueInput)
    .query(({ ctx, input }) => reviewQueue(ctx.db, ctx.actor, input)),
  detail: officeProcedure.input(byId).query(({ ctx, input }) => getReportDetail(ctx.db, ctx.actor, input.id)),
  review: officeProcedure
    .input(reviewReportInput)
    .mutation(({ ctx, input }) => reviewReport(ctx.db, ctx.actor, input, ctx.now())),
  /** 批量通过: many reports at once, all or none, once per request key. */
  reviewMany: officeProcedure
    .meta({ roles: ["admin", "office"], idempotent: true })
    .input(keyed(reviewReportsInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "reports.reviewMany", requestKey, (db) => reviewReports(db, ctx.actor, input, ctx.now())),
    ),
  taskHistory: officeProcedure
    .input(taskHistoryInput)
    .query(({ ctx, input }) => taskHistory(ctx.db, ctx.actor, input.id, input.period)),
  lights: officeProcedure
    .input(planScopedInput)
    .query(({ ctx, input }) => planLights(ctx.db, ctx.actor, input.planId, ctx.now())),
  dashboard: officeProcedure.input(planScopedInput).query(async ({ ctx, input }) => {
    const plan = await requirePlanInScope(ctx.db, ctx.actor, input.planId);
    const settings = await getOfficeSettings(ctx.db, plan.issuerUnitId);
    const today = localDate(ctx.now());
    return dashboard(
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
  }),
  setReportingCycle: officeProcedure
    .input(reportingCycleInput)
    .mutation(({ ctx, input }) => setReportingCycle(ctx.db, ctx.actor, input.planId, input.reportingCycle)),
});
