import {
  carryForward,
  carryPreview,
  createPlan,
  createSection,
  deletePlan,
  deleteSection,
  getPlanDetail,
  listPlans,
  listPlanYears,
  setPlanStatus,
  updatePlan,
  updateSection,
} from "@gongkai/db";
import {
  byId,
  carryForwardInput,
  keyed,
  listPlansInput,
  planInput,
  sectionInput,
  setPlanStatusInput,
  updatePlanInput,
  updateSectionInput,
} from "@gongkai/validators";
import { once } from "../once.ts";
import { officeProcedure, router } from "../trpc.ts";

export const plansRouter = router({
  list: officeProcedure.input(listPlansInput).query(({ ctx, input }) => listPlans(ctx.db, ctx.actor, input)),
  years: officeProcedure.query(({ ctx }) => listPlanYears(ctx.db, ctx.actor)),
  get: officeProcedure.input(byId).query(({ ctx, input }) => getPlanDetail(ctx.db, ctx.actor, input.id)),
  create: officeProcedure
    .input(keyed(planInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "plans.create", requestKey, (db) => createPlan(db, ctx.actor, input)),
    ),
  /** What carrying the plan into the next year would make: unfinished tasks, finished ones for 回头看. */
  carryPreview: officeProcedure
    .input(byId)
    .query(({ ctx, input }) => carryPreview(ctx.db, ctx.actor, input.id, ctx.now())),
  carryForward: officeProcedure
    .input(keyed(carryForwardInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "plans.carryForward", requestKey, (db) => carryForward(db, ctx.actor, input)),
    ),
  update: officeProcedure
    .input(updatePlanInput)
    .mutation(({ ctx, input: { id, ...input } }) => updatePlan(ctx.db, ctx.actor, id, input)),
  setStatus: officeProcedure
    .input(setPlanStatusInput)
    .mutation(({ ctx, input }) => setPlanStatus(ctx.db, ctx.actor, input.id, input.status)),
  delete: officeProcedure.input(byId).mutation(({ ctx, input }) => deletePlan(ctx.db, ctx.actor, input.id)),

  sections: router({
    create: officeProcedure
      .input(sectionInput)
      .mutation(({ ctx, input: { planId, ...input } }) => createSection(ctx.db, ctx.actor, planId, input)),
    update: officeProcedure
      .input(updateSectionInput)
      .mutation(({ ctx, input: { id, ...input } }) => updateSection(ctx.db, ctx.actor, id, input)),
    delete: officeProcedure
      .input(byId)
      .mutation(({ ctx, input }) => deleteSection(ctx.db, ctx.actor, input.id)),
  }),
});
