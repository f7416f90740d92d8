import {
  linkCoverage,
  planRollup,
  setTaskLinks,
  setUpperPlans,
  taskLinkBoard,
  upperPlanChoices,
} from "@gongkai/db";
import { byId, planRollupInput, setTaskLinksInput, setUpperPlansInput } from "@gongkai/validators";
import { officeProcedure, router } from "../trpc.ts";

/** Plans linked across levels: upper plans, task links, coverage (issue 17, items 1–4). */
export const linksRouter = router({
  /** The plan's upper plans, what its document cites (matched to plans in the system), and the others it may name. */
  upperChoices: officeProcedure
    .input(byId)
    .query(({ ctx, input }) => upperPlanChoices(ctx.db, ctx.actor, input.id)),
  setUpper: officeProcedure
    .input(setUpperPlansInput)
    .mutation(({ ctx, input }) => setUpperPlans(ctx.db, ctx.actor, input)),
  /** Each task with its decision and the three upper tasks most like it. */
  board: officeProcedure.input(byId).query(({ ctx, input }) => taskLinkBoard(ctx.db, ctx.actor, input.id)),
  setTasks: officeProcedure
    .input(setTaskLinksInput)
    .mutation(({ ctx, input }) => setTaskLinks(ctx.db, ctx.actor, input)),
  /** 对标对表: who below took up each task (gaps first), and what this plan left out of its upper plans. */
  coverage: officeProcedure.input(byId).query(({ ctx, input }) => linkCoverage(ctx.db, ctx.actor, input.id)),
  /** Roll-up (item 4): the lights of the tasks below that carry out each task, per region, approved work only. */
  rollup: officeProcedure
    .input(planRollupInput)
    .query(({ ctx, input }) => planRollup(ctx.db, ctx.actor, input, ctx.now())),
});
