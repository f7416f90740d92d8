import { dueDateOf, parseDeadlinePhrase } from "@gongkai/core";
import {
  createTask,
  deleteTask,
  getTaskForUnit,
  listTasksForUnit,
  loadCalendar,
  setTaskUnits,
  updateTask,
} from "@gongkai/db";
import {
  byId,
  byYear,
  keyed,
  parseDeadlineInput,
  setTaskUnitsInput,
  taskInput,
  updateTaskInput,
} from "@gongkai/validators";
import { once } from "../once.ts";
import { officeProcedure, router, unitProcedure } from "../trpc.ts";

export const tasksRouter = router({
  create: officeProcedure
    .input(keyed(taskInput))
    .mutation(({ ctx, input: { planId, requestKey, ...input } }) =>
      once(ctx, "tasks.create", requestKey, (db) => createTask(db, ctx.actor, planId, input)),
    ),
  update: officeProcedure
    .input(updateTaskInput)
    .mutation(({ ctx, input: { id, ...input } }) => updateTask(ctx.db, ctx.actor, id, input)),
  /** 批量设置单位: lead and/or cooperating units of many tasks of a plan at once, all or none. */
  setUnits: officeProcedure
    .meta({ roles: ["admin", "office"], idempotent: true })
    .input(setTaskUnitsInput)
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "tasks.setUnits", requestKey, (db) => setTaskUnits(db, ctx.actor, input)),
    ),
  delete: officeProcedure.input(byId).mutation(({ ctx, input }) => deleteTask(ctx.db, ctx.actor, input.id)),

  /** What a typed deadline phrase means, for the editor to show before saving. */
  parseDeadline: officeProcedure.input(parseDeadlineInput).query(async ({ ctx, input }) => {
    const parsed = parseDeadlinePhrase(input.phrase, { year: input.year });
    return { ...parsed, due: dueDateOf(parsed.rule, { calendar: await loadCalendar(ctx.db) }) };
  }),

  /** A unit's own tasks: those it leads, cooperates on or is responsible for, in published plans. */
  mine: unitProcedure.input(byYear).query(({ ctx, input }) => listTasksForUnit(ctx.db, ctx.unitId, input)),
  get: unitProcedure.input(byId).query(({ ctx, input }) => getTaskForUnit(ctx.db, ctx.unitId, input.id)),
});
