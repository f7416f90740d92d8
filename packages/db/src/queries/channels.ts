import {
  invalid,
  type NotificationKind,
  notFound,
  type RobotProvider,
  type WebhookEvent,
} from "@gongkai/core";
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  notificationPreferences,
  plans,
  robotChannels,
  unitGroups,
  units,
  webhooks,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { requirePlanInScope } from "./plans.ts";
import { inScope } from "./units.ts";

// ───────────────────────────── a person's own choice (账号 → 通知方式) ─────────────────────────────

export type NotificationPreferences = {
  email: string | null;
  emailKinds: NotificationKind[];
  phone: string | null;
  smsKinds: NotificationKind[];
  digest: boolean;
};

const noPreferences: NotificationPreferences = {
  email: null,
  emailKinds: [],
  phone: null,
  smsKinds: [],
  digest: false,
};

export async function getNotificationPreferences(db: Db, userId: number): Promise<NotificationPreferences> {
  const [row] = await db
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  if (!row) return noPreferences;
  return {
    email: row.email,
    emailKinds: row.emailKinds as NotificationKind[],
    phone: row.phone,
    smsKinds: row.smsKinds as NotificationKind[],
    digest: row.digest,
  };
}

export async function saveNotificationPreferences(
  db: Db,
  actor: Actor,
  p: NotificationPreferences,
  now: Date,
): Promise<NotificationPreferences> {
  if (p.emailKinds.length > 0 && !p.email) throw invalid("请填写接收通知的邮箱,或不勾选邮件通知。", "email");
  if (p.smsKinds.length > 0 && !p.phone)
    throw invalid("请填写接收短信的手机号码,或不勾选短信通知。", "phone");
  return db.transaction(async (tx) => {
    const before = await getNotificationPreferences(tx, actor.userId);
    const values = { ...p, updatedAt: now };
    await tx
      .insert(notificationPreferences)
      .values({ userId: actor.userId, ...values })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: values });
    await recordAudit(tx, actor, {
      action: "account.notificationPreferences",
      entityType: "user",
      entityId: actor.userId,
      before,
      after: p,
    });
    return getNotificationPreferences(tx, actor.userId);
  });
}

// ───────────────────────────── the office's group robots and webhooks ─────────────────────────────

/**
 * A secret-bearing URL as the office may see it again: scheme, host and path, and of the query
 * (a 企业微信 `key`, a 钉钉 `access_token`) only the last four characters of each value.
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const params = [...u.searchParams.entries()].map(([k, v]) => `${k}=…${v.slice(-4)}`);
    return `${u.origin}${u.pathname}${params.length ? `?${params.join("&")}` : ""}`;
  } catch {
    return "(网址无效)";
  }
}

/** The government the office works for: settings belong to it. */
function ownerOf(actor: Actor): number {
  if (actor.unitId === null)
    throw invalid("系统管理员账号没有所属政府,请用政务公开办账号设置通知渠道。", "ownerUnitId");
  return actor.unitId;
}

/** Settings whose owner is in the actor's scope (an administrator: all). */
async function ownedInScope(db: Db, actor: Actor, ownerUnitId: number) {
  if (actor.scopePath === null) return true;
  const [owner] = await db.select({ path: units.path }).from(units).where(eq(units.id, ownerUnitId));
  return owner ? inScope(actor.scopePath, owner.path) : false;
}

export type RobotInput = {
  id?: number | null | undefined;
  provider: RobotProvider;
  name: string;
  /** Empty on an update: keep the URL set before (it is never shown again). */
  url?: string | null | undefined;
  /** 钉钉 加签 secret; empty on an update keeps it, `clearSecret` removes it. */
  secret?: string | null | undefined;
  clearSecret?: boolean | undefined;
  unitId?: number | null | undefined;
  groupId?: number | null | undefined;
  kinds: NotificationKind[];
  active: boolean;
};

/** The robots the office set, as the browser may see them: no key, no secret. */
export async function listRobots(db: Db, actor: Actor) {
  const rows = await db
    .select({
      robot: robotChannels,
      ownerPath: units.path,
    })
    .from(robotChannels)
    .innerJoin(units, eq(units.id, robotChannels.ownerUnitId))
    .orderBy(asc(robotChannels.id));
  const mine = rows.filter((r) => actor.scopePath === null || inScope(actor.scopePath, r.ownerPath));
  const unitIds = mine.flatMap((r) => (r.robot.unitId ? [r.robot.unitId] : []));
  const groupIds = mine.flatMap((r) => (r.robot.groupId ? [r.robot.groupId] : []));
  const unitNames = unitIds.length
    ? await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds))
    : [];
  const groupNames = groupIds.length
    ? await db
        .select({ id: unitGroups.id, name: unitGroups.name })
        .from(unitGroups)
        .where(inArray(unitGroups.id, groupIds))
    : [];
  return mine.map(({ robot: r }) => ({
    id: r.id,
    provider: r.provider,
    name: r.name,
    urlMasked: maskUrl(r.url),
    secretSet: r.secret !== null,
    unitId: r.unitId,
    groupId: r.groupId,
    targetName: r.unitId
      ? (unitNames.find((u) => u.id === r.unitId)?.name ?? "")
      : (groupNames.find((g) => g.id === r.groupId)?.name ?? ""),
    kinds: r.kinds as NotificationKind[],
    active: r.active,
    updatedAt: r.updatedAt,
  }));
}

async function requireTargetInScope(db: Db, actor: Actor, input: Pick<RobotInput, "unitId" | "groupId">) {
  if ((input.unitId ? 1 : 0) + (input.groupId ? 1 : 0) !== 1)
    throw invalid("请选择一个单位或一个单位分组。", "unitId");
  if (input.unitId) {
    const [unit] = await db.select({ path: units.path }).from(units).where(eq(units.id, input.unitId));
    if (!unit || !inScope(actor.scopePath, unit.path))
      throw invalid("单位不存在或不在您的管理范围内,请重新选择。", "unitId");
    return;
  }
  const [group] = await db
    .select({ ownerPath: units.path })
    .from(unitGroups)
    .leftJoin(units, eq(units.id, unitGroups.ownerUnitId))
    .where(eq(unitGroups.id, input.groupId ?? 0));
  if (!group || (actor.scopePath !== null && !(group.ownerPath && inScope(actor.scopePath, group.ownerPath))))
    throw invalid("单位分组不存在或不在您的管理范围内,请重新选择。", "groupId");
}

/** Adds a robot, or changes one (a blank URL or secret keeps what was set). */
export async function saveRobot(db: Db, actor: Actor, input: RobotInput, now: Date) {
  return db.transaction(async (tx) => {
    await requireTargetInScope(tx, actor, input);
    const target = { unitId: input.unitId ?? null, groupId: input.groupId ?? null };
    const common = {
      provider: input.provider,
      name: input.name,
      kinds: input.kinds,
      active: input.active,
      ...target,
      updatedAt: now,
    };
    let id: number;
    if (input.id) {
      const [before] = await tx.select().from(robotChannels).where(eq(robotChannels.id, input.id));
      if (!before || !(await ownedInScope(tx, actor, before.ownerUnitId))) throw notFound("群机器人");
      const secret = input.clearSecret ? null : input.secret ? input.secret : before.secret;
      await tx
        .update(robotChannels)
        .set({ ...common, url: input.url || before.url, secret })
        .where(eq(robotChannels.id, input.id));
      id = input.id;
      await recordAudit(tx, actor, {
        action: "channels.robot.update",
        entityType: "robot_channel",
        entityId: id,
        before: {
          ...common,
          ...pickTarget(before),
          url: maskUrl(before.url),
          secretSet: before.secret !== null,
        },
        after: { ...common, url: maskUrl(input.url || before.url), secretSet: secret !== null },
      });
    } else {
      if (!input.url) throw invalid("请填写群机器人的 Webhook 地址。", "url");
      const [row] = await tx
        .insert(robotChannels)
        .values({
          ...common,
          ownerUnitId: ownerOf(actor),
          url: input.url,
          secret: input.secret || null,
          createdBy: actor.userId > 0 ? actor.userId : null,
          createdAt: now,
        })
        .returning({ id: robotChannels.id });
      if (!row) throw new Error("insert returned nothing");
      id = row.id;
      await recordAudit(tx, actor, {
        action: "channels.robot.create",
        entityType: "robot_channel",
        entityId: id,
        after: { ...common, url: maskUrl(input.url), secretSet: Boolean(input.secret) },
      });
    }
    return { id };
  });
}

const pickTarget = (r: { unitId: number | null; groupId: number | null }) => ({
  unitId: r.unitId,
  groupId: r.groupId,
});

export async function deleteRobot(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(robotChannels).where(eq(robotChannels.id, id));
    if (!before || !(await ownedInScope(tx, actor, before.ownerUnitId))) throw notFound("群机器人");
    await tx.delete(robotChannels).where(eq(robotChannels.id, id));
    await recordAudit(tx, actor, {
      action: "channels.robot.delete",
      entityType: "robot_channel",
      entityId: id,
      before: {
        name: before.name,
        provider: before.provider,
        ...pickTarget(before),
        url: maskUrl(before.url),
      },
    });
  });
}

export type WebhookInput = {
  id?: number | null | undefined;
  name: string;
  /** Empty on an update keeps the URL set before (its query is never shown again). */
  url?: string | null | undefined;
  /** Empty on an update keeps the secret set before. */
  secret?: string | null | undefined;
  planId?: number | null | undefined;
  events: WebhookEvent[];
  active: boolean;
};

/** Webhooks of the office, as the browser may see them: the URL's query masked, no secret. */
export async function listWebhooks(db: Db, actor: Actor) {
  const rows = await db
    .select({ hook: webhooks, ownerPath: units.path, planTitle: plans.title })
    .from(webhooks)
    .innerJoin(units, eq(units.id, webhooks.ownerUnitId))
    .leftJoin(plans, eq(plans.id, webhooks.planId))
    .orderBy(asc(webhooks.id));
  return rows
    .filter((r) => actor.scopePath === null || inScope(actor.scopePath, r.ownerPath))
    .map(({ hook: w, planTitle }) => ({
      id: w.id,
      name: w.name,
      urlMasked: maskUrl(w.url),
      secretSet: true,
      planId: w.planId,
      planTitle,
      events: w.events as WebhookEvent[],
      active: w.active,
      updatedAt: w.updatedAt,
    }));
}

export async function saveWebhook(db: Db, actor: Actor, input: WebhookInput, now: Date) {
  return db.transaction(async (tx) => {
    if (input.planId) await requirePlanInScope(tx, actor, input.planId);
    const common = {
      name: input.name,
      planId: input.planId ?? null,
      events: input.events,
      active: input.active,
      updatedAt: now,
    };
    if (input.id) {
      const [before] = await tx.select().from(webhooks).where(eq(webhooks.id, input.id));
      if (!before || !(await ownedInScope(tx, actor, before.ownerUnitId))) throw notFound("Webhook");
      await tx
        .update(webhooks)
        .set({ ...common, url: input.url || before.url, secret: input.secret || before.secret })
        .where(eq(webhooks.id, input.id));
      await recordAudit(tx, actor, {
        action: "channels.webhook.update",
        entityType: "webhook",
        entityId: input.id,
        before: { name: before.name, planId: before.planId, events: before.events, url: maskUrl(before.url) },
        after: { ...common, url: maskUrl(input.url || before.url), secretChanged: Boolean(input.secret) },
      });
      return { id: input.id };
    }
    if (!input.url) throw invalid("请填写接收方的网址(https://…)。", "url");
    if (!input.secret) throw invalid("请填写签名密钥(至少 16 个字符),并把它告诉接收方用于验签。", "secret");
    const [row] = await tx
      .insert(webhooks)
      .values({
        ...common,
        ownerUnitId: ownerOf(actor),
        url: input.url,
        secret: input.secret,
        createdBy: actor.userId > 0 ? actor.userId : null,
        createdAt: now,
      })
      .returning({ id: webhooks.id });
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "channels.webhook.create",
      entityType: "webhook",
      entityId: row.id,
      after: { ...common, url: maskUrl(input.url) },
    });
    return { id: row.id };
  });
}

export async function deleteWebhook(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhooks).where(eq(webhooks.id, id));
    if (!before || !(await ownedInScope(tx, actor, before.ownerUnitId))) throw notFound("Webhook");
    await tx.delete(webhooks).where(eq(webhooks.id, id));
    await recordAudit(tx, actor, {
      action: "channels.webhook.delete",
      entityType: "webhook",
      entityId: id,
      before: { name: before.name, url: maskUrl(before.url), events: before.events },
    });
  });
}
