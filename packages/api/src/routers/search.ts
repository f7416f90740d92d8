import { search } from "@gongkai/db";
import { searchInput } from "@gongkai/validators";
import { roleProcedure, router } from "../trpc.ts";

export const searchRouter = router({
  /** The header's search box: tasks, units and reports the caller may see, up to 10 of each. */
  all: roleProcedure("admin", "office", "unit")
    .input(searchInput)
    .query(({ ctx, input }) => search(ctx.db, ctx.actor, input)),
});
