import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { auditRouter, calendarRouter } from "./routers/admin.ts";
import { apiTokensRouter } from "./routers/apiTokens.ts";
import { assessmentRouter } from "./routers/assessment.ts";
import { authRouter } from "./routers/auth.ts";
import { bulletinsRouter } from "./routers/bulletins.ts";
import { channelsRouter } from "./routers/channels.ts";
import { evaluationRouter } from "./routers/evaluation.ts";
import { importsRouter } from "./routers/imports.ts";
import { linksRouter } from "./routers/links.ts";
import { plansRouter } from "./routers/plans.ts";
import { publicRouter } from "./routers/public.ts";
import { reportsRouter } from "./routers/reports.ts";
import { searchRouter } from "./routers/search.ts";
import { notificationsRouter, supervisionRouter } from "./routers/supervision.ts";
import { tasksRouter } from "./routers/tasks.ts";
import { unitsRouter } from "./routers/units.ts";
import { usersRouter } from "./routers/users.ts";
import { yearsRouter } from "./routers/years.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  units: unitsRouter,
  plans: plansRouter,
  tasks: tasksRouter,
  users: usersRouter,
  audit: auditRouter,
  calendar: calendarRouter,
  imports: importsRouter,
  reports: reportsRouter,
  supervision: supervisionRouter,
  notifications: notificationsRouter,
  bulletins: bulletinsRouter,
  assessment: assessmentRouter,
  evaluation: evaluationRouter,
  public: publicRouter,
  search: searchRouter,
  apiTokens: apiTokensRouter,
  channels: channelsRouter,
  links: linksRouter,
  years: yearsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
