import { DomainError } from "@gongkai/core";
import {
  closeNotice,
  getNoticeFile,
  getOfficeSettings,
  issueNotice,
  issueNoticeDown,
  listNotices,
  listNotifications,
  listUnitNotices,
  markNotificationsRead,
  replyNotice,
  saveOfficeSettings,
} from "@gongkai/db";
import { writeNoticeDocx } from "@gongkai/files/notice";
import {
  byId,
  issueNoticeDownInput,
  issueNoticeInput,
  issueNoticesInput,
  keyed,
  listNoticesInput,
  markReadInput,
  officeSettingsInput,
  replyNoticeInput,
} from "@gongkai/validators";
import { once } from "../once.ts";
import { authedProcedure, officeProcedure, roleProcedure, router, unitProcedure } from "../trpc.ts";

export const supervisionRouter = router({
  issue: officeProcedure
    .input(keyed(issueNoticeInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "supervision.issue", requestKey, (db) => issueNotice(db, ctx.actor, input, ctx.now())),
    ),
  /** One notice to many units (or tasks) at once: each gets its own, tracked separately; all or none. */
  issueMany: officeProcedure
    .input(keyed(issueNoticesInput))
    .mutation(({ ctx, input: { requestKey, targets, ...notice } }) =>
      once(ctx, "supervision.issueMany", requestKey, async (db) => {
        const issued = [];
        for (const t of targets)
          issued.push(await issueNotice(db, ctx.actor, { ...notice, ...t }, ctx.now()));
        return issued;
      }),
    ),
  /** 督办下级: to a lower government's office, about its task that carries out one of ours. */
  issueDown: officeProcedure
    .input(keyed(issueNoticeDownInput))
    .mutation(({ ctx, input: { requestKey, ...input } }) =>
      once(ctx, "supervision.issueDown", requestKey, (db) =>
        issueNoticeDown(db, ctx.actor, input, ctx.now()),
      ),
    ),
  /** The lower office answers what its upper office sent down to it. */
  replyUpper: officeProcedure.input(replyNoticeInput).mutation(({ ctx, input }) => {
    if (ctx.actor.unitId === null)
      throw new DomainError("INVALID_INPUT", "系统管理员账号没有所属政府,请用政务公开办账号回复。");
    return replyNotice(ctx.db, ctx.actor, ctx.actor.unitId, input, ctx.now(), true);
  }),
  list: officeProcedure
    .input(listNoticesInput)
    .query(({ ctx, input }) => listNotices(ctx.db, ctx.actor, input)),
  close: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => closeNotice(ctx.db, ctx.actor, input.id, ctx.now())),
  /** The notice as a printable 督办通知单 (.docx, base64): the office's in its scope, a unit its own. */
  noticeDocx: roleProcedure("admin", "office", "unit")
    .input(byId)
    .query(async ({ ctx, input }) => {
      const unitId = ctx.actor.role === "unit" ? (ctx.actor.unitId ?? 0) : null;
      const file = await getNoticeFile(ctx.db, ctx.actor, input.id, unitId);
      return {
        fileName: `${file.docNumber} 督办通知单(${file.unitName}).docx`,
        contentBase64: Buffer.from(await writeNoticeDocx(file)).toString("base64"),
      };
    }),
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
