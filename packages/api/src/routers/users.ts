import { invalid } from "@gongkai/core";
import { passwordProblems } from "@gongkai/core/identity";
import { createUser, listUsers, setTotp, updateUser } from "@gongkai/db";
import { byId, createUserInput, keyed, updateUserInput } from "@gongkai/validators";
import { once } from "../once.ts";
import { adminProcedure, router } from "../trpc.ts";

/** The password policy (core) for a password an administrator sets: its owner changes it at first sign-in. */
function checkPassword(password: string | undefined, account: { username: string; displayName: string }) {
  if (password === undefined) return;
  const problems = passwordProblems(password, account);
  if (problems.length > 0) throw invalid(problems.join(""), "password");
}

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure
    .input(keyed(createUserInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) => {
      checkPassword(input.password, input);
      return once(ctx, "users.create", requestKey, (db) =>
        createUser(db, ctx.actor, { ...input, mustChangePassword: true }),
      );
    }),
  update: adminProcedure.input(updateUserInput).mutation(({ ctx, input: { id, ...input } }) => {
    checkPassword(input.password, input);
    return updateUser(ctx.db, ctx.actor, id, input);
  }),
  /** Removes a user's second factor (a lost phone); they sign in with the password and may enrol again. */
  resetTotp: adminProcedure
    .input(byId)
    .mutation(({ ctx, input }) =>
      setTotp(ctx.db, ctx.actor, input.id, null, null).then(() => ({ ok: true })),
    ),
});
