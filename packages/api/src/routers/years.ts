import { localDate } from "@gongkai/core";
import { unitYears, yearsOverview } from "@gongkai/db";
import { myYearsInput, unitYearsInput, yearsOverviewInput } from "@gongkai/validators";
import { officeProcedure, router, unitProcedure } from "../trpc.ts";

/** Year over year: this year beside earlier ones (issue 17, item 7). */
export const yearsRouter = router({
  /** The office's scope (admin: everything), year by year, with each unit and tier. */
  overview: officeProcedure
    .input(yearsOverviewInput)
    .query(({ ctx }) => yearsOverview(ctx.db, ctx.actor, localDate(ctx.now()))),
  /** One unit in the office's scope, year by year. */
  unit: officeProcedure
    .input(unitYearsInput)
    .query(({ ctx, input }) => unitYears(ctx.db, ctx.actor, input.unitId, localDate(ctx.now()))),
  /** A unit's own years. */
  mine: unitProcedure
    .input(myYearsInput)
    .query(({ ctx }) => unitYears(ctx.db, ctx.actor, ctx.unitId, localDate(ctx.now()))),
});
