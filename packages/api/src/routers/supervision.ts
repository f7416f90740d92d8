import { DomainError } from "@gongkai/core";
import {
  closeNotice,
  getOfficeSettings,
  issueNotice,
  listNotices,
  listNotifications,
  listUnitNotices,
  markNotificationsRead,
  replyNotice,
  saveOfficeSettings,
} from "@gongkai/db";
import {
  byId,
  issueNoticeInput,
  listNoticesInput,
  markReadInput,
  officeSettingsInput,
  replyNoticeInput,
} from "@gongkai/validators";
import { authedProcedure, officeProcedure, router, unitProcedure } from "../trpc.ts";

export const supervisionRouter = router({
  issue: officeProcedure
    .input(issueNoticeInput)
    .mutation(({ ctx, input }) => issueNotice(ctx.db, ctx.actor, input, ctx.now())),
  list: officeProcedure
    .input(listNoticesInput)
    .query(({ ctx, input }) => listNotices(ctx.db, ctx.actor, input)),
  close: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => closeNotice(ctx.db, ctx.actor, input.id, ctx.now())),
  mine: unitProcedure.query(({ ctx }) => listUnitNotices(ctx.db, ctx.unitId)),
  reply: unitProcedure
    .input(replyNoticeInput)
    .mutation(({ ctx, input }) => replyNotice(ctx.db, ctx.actor, ctx.unitId, input, ctx.now())),
  /** The office's thresholds: due-soon days, reminder days, notice reply days. */
  settings: officeProcedure.query(({ ctx }) => getOfficeSettings(ctx.db, ctx.actor.unitId)),
  saveSettings: officeProcedure.input(officeSettingsInput).mutation(({ ctx, input }) => {
    if (ctx.actor.unitId === null) {
      throw new DomainError("INVALID_INPUT", "系统管理员账号没有所属政府,请用政务公开办账号设置。");
    }
    return saveOfficeSettings(ctx.db, ctx.actor.unitId, input);
  }),
});

export const notificationsRouter = router({
  list: authedProcedure.query(({ ctx }) => listNotifications(ctx.db, ctx.user)),
  markRead: authedProcedure
    .input(markReadInput)
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, ctx.user, input.ids, ctx.now())),
});
