import {
  createGroup,
  createUnit,
  deleteGroup,
  deleteUnit,
  importUnits,
  listGroups,
  listUnits,
  updateGroup,
  updateUnit,
} from "@gongkai/db";
import {
  byId,
  groupInput,
  importUnitsInput,
  keyed,
  unitInput,
  updateGroupInput,
  updateUnitInput,
} from "@gongkai/validators";
import { readDirectoryFile } from "../files.ts";
import { once } from "../once.ts";
import { officeProcedure, router } from "../trpc.ts";

export const unitsRouter = router({
  list: officeProcedure.query(({ ctx }) => listUnits(ctx.db, ctx.actor.scopePath)),
  create: officeProcedure
    .input(keyed(unitInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "units.create", requestKey, (db) => createUnit(db, ctx.actor, input)),
    ),
  update: officeProcedure
    .input(updateUnitInput)
    .mutation(({ ctx, input: { id, ...input } }) => updateUnit(ctx.db, ctx.actor, id, input)),
  delete: officeProcedure.input(byId).mutation(({ ctx, input }) => deleteUnit(ctx.db, ctx.actor, input.id)),
  import: officeProcedure
    .input(importUnitsInput)
    .mutation(async ({ ctx, input }) => importUnits(ctx.db, ctx.actor, await readDirectoryFile(input))),

  groups: router({
    list: officeProcedure.query(({ ctx }) => listGroups(ctx.db, ctx.actor.scopePath)),
    create: officeProcedure
      .input(keyed(groupInput))
      .mutation(({ ctx, input: { requestKey, ...input } }) =>
        once(ctx, "units.groups.create", requestKey, (db) => createGroup(db, ctx.actor, input)),
      ),
    update: officeProcedure
      .input(updateGroupInput)
      .mutation(({ ctx, input: { id, ...input } }) => updateGroup(ctx.db, ctx.actor, id, input)),
    delete: officeProcedure
      .input(byId)
      .mutation(({ ctx, input }) => deleteGroup(ctx.db, ctx.actor, input.id)),
  }),
});
