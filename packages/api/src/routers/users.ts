import { createUser, listUsers, updateUser } from "@gongkai/db";
import { createUserInput, updateUserInput } from "@gongkai/validators";
import { adminProcedure, router } from "../trpc.ts";

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure
    .input(createUserInput)
    .mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  update: adminProcedure
    .input(updateUserInput)
    .mutation(({ ctx, input: { id, ...input } }) => updateUser(ctx.db, ctx.actor, id, input)),
});
