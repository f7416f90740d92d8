import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { notifications } from "../schema/index.ts";

export type NewNotification = {
  unitId?: number | null;
  userId?: number | null;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  /** Same key, same notification: a reminder is never sent twice. */
  dedupeKey?: string | null;
};

/**
 * Other channels (SMS, mail) plug in here; the default logs. In-app notifications are always
 * written to the notifications table first.
 */
export interface Notifier {
  send(message: NewNotification & { id: number }): Promise<void>;
}
export const logNotifier: Notifier = {
  async send(m) {
    console.log(`[notify] ${m.unitId ? `unit ${m.unitId}` : `user ${m.userId}`}: ${m.title}`);
  },
};

/** Writes an in-app notification; returns it, or null when its dedupe key was already used. */
export async function notify(db: Db, n: NewNotification) {
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
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
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
