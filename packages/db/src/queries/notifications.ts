import type { NotificationKind } from "@gongkai/core";
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { notifications } from "../schema/index.ts";
import { enqueueNotification, enqueueWebhookEvent } from "./outbox.ts";

export type NewNotification = {
  unitId?: number | null;
  userId?: number | null;
  kind: NotificationKind;
  title: string;
  body?: string;
  link?: string | null;
  /** Same key, same notification: a reminder is never sent twice. */
  dedupeKey?: string | null;
  /** One event reaching many units (results published): a group robot posts it once. */
  groupKey?: string | null;
};

/**
 * Writes an in-app notification and, in the same transaction, its messages by email, SMS and
 * group robot to the outbox (outbox.ts: the people's and the office's channel choices), which a
 * worker delivers later: a channel that is down never fails or undoes the write that caused the
 * notification. Call it inside the transaction of that write. Returns the notification, or null
 * when its dedupe key was already used (nothing is written then, no message either).
 */
export async function notify(db: Db, n: NewNotification, now: Date) {
  const [row] = await db
    .insert(notifications)
    .values({
      unitId: n.unitId ?? null,
      userId: n.userId ?? null,
      kind: n.kind,
      title: n.title,
      body: n.body ?? "",
      link: n.link ?? null,
      dedupeKey: n.dedupeKey ?? null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  await enqueueNotification(db, row, now, n.groupKey ?? null);
  return row;
}

/** A user's notifications: addressed to them or to their unit, newest first. */
export async function listNotifications(db: Db, user: { id: number; unitId: number | null }, limit = 50) {
  const mine = or(
    eq(notifications.userId, user.id),
    user.unitId ? eq(notifications.unitId, user.unitId) : undefined,
  );
  const rows = await db.select().from(notifications).where(mine).orderBy(desc(notifications.id)).limit(limit);
  const [unread] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  return { items: rows, unread: unread?.n ?? 0 };
}

export async function markNotificationsRead(
  db: Db,
  user: { id: number; unitId: number | null },
  ids: number[],
  now: Date,
) {
  if (ids.length === 0) return 0;
  const mine = or(
    eq(notifications.userId, user.id),
    user.unitId ? eq(notifications.unitId, user.unitId) : undefined,
  );
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(inArray(notifications.id, ids), mine, isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

/**
 * Results published (an assessment's, an evaluation's, a correction too): each unit ranked hears
 * of it — a group robot once, the publication being one event — and the office's webhooks get
 * `results.published`. In the publishing transaction.
 */
export async function announceResults(
  db: Db,
  p: {
    unitIds: number[];
    title: string;
    link: string;
    /** The publication, e.g. `assessment:3:v2`. */
    key: string;
    ownerUnitId: number | null;
    data: Record<string, unknown>;
  },
  now: Date,
) {
  for (const unitId of new Set(p.unitIds))
    await notify(
      db,
      { unitId, kind: "results.published", title: p.title, link: p.link, groupKey: p.key },
      now,
    );
  if (p.ownerUnitId)
    await enqueueWebhookEvent(db, {
      event: "results.published",
      planId: null,
      ownerUnitId: p.ownerUnitId,
      data: p.data,
      now,
    });
}
