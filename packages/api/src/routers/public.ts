import { getPublishedEvaluation, listPublishedEvaluations } from "@gongkai/db";
import { publicEvaluationInput } from "@gongkai/validators";
import { publicProcedure, router } from "../trpc.ts";

/**
 * Procedures anyone may call without signing in: published rankings only. Everything here reads
 * `evaluation_results` (frozen versions), never the live scores of a project.
 */
export const publicRouter = router({
  evaluations: publicProcedure.query(({ ctx }) => listPublishedEvaluations(ctx.db)),
  evaluation: publicProcedure
    .input(publicEvaluationInput)
    .query(({ ctx, input }) => getPublishedEvaluation(ctx.db, input.projectId, input.version)),
});
