import { getPublishedEvaluation, listPublishedEvaluations } from "@gongkai/db";
import { publicEvaluationInput } from "@gongkai/validators";
import { publicProcedure, router } from "../trpc.ts";

/**
 * Procedures anyone may call without signing in: published rankings only. Everything here reads
 * `evaluation_results` (frozen versions), never the live scores of a project.
 */
export const publicRouter = router({
  evaluations: publicProcedure.query(({ ctx }) => listPublishedEvaluations(ctx.db)),
  /**
   * A published version as the public page draws it: each unit's first-level indicators only. The
   * downloads (/api/public/…/results.json and .csv) carry every indicator, and the content hash
   * is over those.
   */
  evaluation: publicProcedure
    .input(publicEvaluationInput)
    .query(({ ctx, input }) => getPublishedEvaluation(ctx.db, input.projectId, input.version, "firstLevel")),
});
