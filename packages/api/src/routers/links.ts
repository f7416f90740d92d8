import { linkCoverage, setTaskLinks, setUpperPlans, taskLinkBoard, upperPlanChoices } from "@gongkai/db";
import { byId, setTaskLinksInput, setUpperPlansInput } from "@gongkai/validators";
import { officeProcedure, router } from "../trpc.ts";

/** Plans linked across levels: upper plans, task links, coverage (issue 17, items 1–3). */
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
});
