import {
  deleteRobot,
  deleteWebhook,
  getNotificationPreferences,
  listRobots,
  listWebhooks,
  saveNotificationPreferences,
  saveRobot,
  saveWebhook,
} from "@gongkai/db/channels";
import { listDeliveries, retryDelivery } from "@gongkai/db/outbox";
import {
  byId,
  listDeliveriesInput,
  notificationPreferencesInput,
  robotInput,
  webhookInput,
} from "@gongkai/validators";
import { authedProcedure, officeProcedure, router } from "../trpc.ts";

/**
 * Notification channels: one's own (账号 → 通知方式: email, SMS, daily digest), the office's group
 * robots and outbound webhooks (secrets go in, never out), and the 发送记录 of its scope.
 */
export const channelsRouter = router({
  myPreferences: authedProcedure.query(({ ctx }) => getNotificationPreferences(ctx.db, ctx.user.id)),
  savePreferences: authedProcedure.input(notificationPreferencesInput).mutation(({ ctx, input }) =>
    saveNotificationPreferences(
      ctx.db,
      { userId: ctx.user.id, role: ctx.user.role, unitId: ctx.user.unitId, scopePath: ctx.user.unitPath },
      {
        email: input.email ?? null,
        emailKinds: input.emailKinds,
        phone: input.phone ?? null,
        smsKinds: input.smsKinds,
        digest: input.digest,
      },
      ctx.now(),
    ),
  ),
  robots: officeProcedure.query(({ ctx }) => listRobots(ctx.db, ctx.actor)),
  saveRobot: officeProcedure
    .input(robotInput)
    .mutation(({ ctx, input }) => saveRobot(ctx.db, ctx.actor, input, ctx.now())),
  deleteRobot: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => deleteRobot(ctx.db, ctx.actor, input.id)),
  webhooks: officeProcedure.query(({ ctx }) => listWebhooks(ctx.db, ctx.actor)),
  saveWebhook: officeProcedure
    .input(webhookInput)
    .mutation(({ ctx, input }) => saveWebhook(ctx.db, ctx.actor, input, ctx.now())),
  deleteWebhook: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.db, ctx.actor, input.id)),
  /** 发送记录: what left (or did not) by email, SMS, robot and webhook, about units in the office's scope. */
  deliveries: officeProcedure
    .input(listDeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.actor, input)),
  retryDelivery: officeProcedure
    .input(byId)
    .mutation(({ ctx, input }) => retryDelivery(ctx.db, ctx.actor, input.id, ctx.now())),
});
