import { issueApiToken, listApiTokens, revokeApiToken } from "@gongkai/db/api-tokens";
import { byId, id, requiredText } from "@gongkai/validators";
import { z } from "zod";
import { adminProcedure, router } from "../trpc.ts";

const issueApiTokenInput = z.object({
  name: requiredText(100),
  unitId: id,
  scope: z.enum(["read", "write"], { error: "请选择权限:只读(read)或可提交(write)" }),
});

/** 接口令牌: the administrator issues a token per system and government, lists and revokes them. */
export const apiTokensRouter = router({
  list: adminProcedure.query(({ ctx }) => listApiTokens(ctx.db)),
  /**
   * The answer carries the token itself, once: it is stored nowhere (so no request key either —
   * a replayed answer would have to keep it). A double click issues two; revoke the spare one.
   */
  create: adminProcedure
    .input(issueApiTokenInput)
    .mutation(({ ctx, input }) => issueApiToken(ctx.db, ctx.actor, input)),
  revoke: adminProcedure
    .input(byId)
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, input.id, ctx.now())),
});
