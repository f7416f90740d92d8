import { randomUUID } from "node:crypto";
import {
  afterQuietHours,
  chinaDateTime,
  invalid,
  localDate,
  notFound,
  type OutboxChannel,
  type OutboxStatus,
  outboxChannelLabels,
  retryDelayMs,
  type WebhookEvent,
  webhookEventLabels,
} from "@gongkai/core";
import { and, asc, desc, eq, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  notificationPreferences,
  type notifications,
  outbox,
  robotChannels,
  unitGroupMembers,
  units,
  users,
  webhooks,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { rawRows } from "./any.ts";
import { recordAudit } from "./audit.ts";
import { inScope } from "./units.ts";

export type OutboxRow = typeof outbox.$inferSelect;
type NotificationRow = typeof notifications.$inferSelect;

/** 138****8000: enough for the office to tell numbers apart, not the whole number. */
export const maskPhone = (phone: string) =>
  phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : "****";

// ───────────────────────────── writing: in the transaction that causes the message ─────────────────────────────

/**
 * The outside messages of one in-app notification, written in the caller's transaction: an email
 * and an SMS to each person (of the addressed unit, or the addressed user) who asked for this kind
 * by those channels — held for their daily digest if they chose one, SMS not before 08:00 China
 * time — and a message to each group robot the office set for the unit or a group it belongs to.
 * `groupKey` names an event that reaches many units at once (results published): a group robot
 * posts it once, not once per member unit.
 */
export async function enqueueNotification(
  db: Db,
  n: NotificationRow,
  now: Date,
  groupKey: string | null = null,
): Promise<number> {
  const people = await db
    .select({
      userId: users.id,
      name: users.displayName,
      unitId: users.unitId,
      email: notificationPreferences.email,
      emailKinds: notificationPreferences.emailKinds,
      phone: notificationPreferences.phone,
      smsKinds: notificationPreferences.smsKinds,
      digest: notificationPreferences.digest,
    })
    .from(users)
    .innerJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
    .where(
      and(
        eq(users.active, true),
        or(n.userId ? eq(users.id, n.userId) : undefined, n.unitId ? eq(users.unitId, n.unitId) : undefined),
      ),
    );
  const robots = n.unitId
    ? await db
        .select()
        .from(robotChannels)
        .where(
          and(
            eq(robotChannels.active, true),
            sql`${n.kind} = any(${robotChannels.kinds})`,
            or(
              eq(robotChannels.unitId, n.unitId),
              inArray(
                robotChannels.groupId,
                db
                  .select({ id: unitGroupMembers.groupId })
                  .from(unitGroupMembers)
                  .where(eq(unitGroupMembers.unitId, n.unitId)),
              ),
            ),
          ),
        )
    : [];
  const message = {
    kind: n.kind,
    notificationId: n.id,
    title: n.title,
    body: n.body,
    link: n.link,
    createdAt: now,
  };
  const rows: (typeof outbox.$inferInsert)[] = [];
  for (const p of people) {
    const held = p.digest ? ("held" as const) : ("pending" as const);
    const base = { ...message, userId: p.userId, scopeUnitId: p.unitId ?? n.unitId, status: held };
    if (p.email && p.emailKinds.includes(n.kind))
      rows.push({
        ...base,
        channel: "email",
        address: p.email,
        recipient: `${p.name} <${p.email}>`,
        nextAttemptAt: now,
      });
    if (p.phone && p.smsKinds.includes(n.kind))
      rows.push({
        ...base,
        channel: "sms",
        address: p.phone,
        recipient: `${p.name} ${maskPhone(p.phone)}`,
        nextAttemptAt: afterQuietHours(now),
      });
  }
  for (const r of robots)
    rows.push({
      ...message,
      channel: r.provider,
      status: "pending",
      robotId: r.id,
      scopeUnitId: n.unitId,
      recipient: r.name,
      nextAttemptAt: now,
      dedupeKey: `robot:${r.id}:${groupKey ?? `n${n.id}`}`,
    });
  if (rows.length === 0) return 0;
  const written = await db.insert(outbox).values(rows).onConflictDoNothing().returning({ id: outbox.id });
  return written.length;
}

/**
 * A webhook call for each active webhook of the office the event belongs to (its government or one
 * above it) that subscribed to the event — of this plan, or of every plan (results belong to no
 * plan: only webhooks of every plan get them). `body` is the JSON text sent and signed, computed
 * by the database for the row it is about; `guard` is a condition the insert also needs (in a
 * statement that wrote the change first). Returns the statement, to run alone or inside another.
 */
export function webhookInsert(p: {
  event: WebhookEvent;
  planId: SQL | number | null;
  ownerUnitId: SQL | number;
  body: SQL;
  eventId: string;
  now: Date;
  guard?: SQL;
}): SQL {
  const at = p.now.toISOString();
  return sql`insert into outbox (channel, kind, status, webhook_id, scope_unit_id, recipient, title, body, meta, next_attempt_at, created_at)
    select 'webhook', ${p.event}, 'pending', w.id, w.owner_unit_id, w.name, ${webhookEventLabels[p.event]}, ${p.body},
           jsonb_build_object('eventId', ${p.eventId}::text), ${at}::timestamptz, ${at}::timestamptz
    from webhooks w join units o on o.id = w.owner_unit_id
    where w.active and ${p.event} = any(w.events)
      and (w.plan_id is null or w.plan_id = ${p.planId})
      and exists (select 1 from units e where e.id = ${p.ownerUnitId} and e.path like o.path || '%')
      ${p.guard ? sql`and ${p.guard}` : sql``}`;
}

/** The envelope every webhook body has: `{ id, event, occurredAt, data }` (id: the event's, for deduplication). */
const envelope = (eventId: string, event: WebhookEvent, now: Date, data: SQL) =>
  sql`json_build_object('id', ${eventId}::text, 'event', ${event}::text, 'occurredAt', ${now.toISOString()}::text, 'data', ${data})::text`;

/**
 * The webhook calls of a report event (submitted, approved, returned). `state`, `revision` and
 * `reason` are given, since inside the statement that changes the report the row still reads as before.
 */
export function reportWebhookInsert(p: {
  event: "report.submitted" | "report.approved" | "report.returned";
  reportId: number;
  taskId: number;
  state: string;
  revision: number;
  reason?: string | null;
  now: Date;
  guard?: SQL;
}): SQL {
  const eventId = randomUUID();
  const data = sql`(select json_build_object(
      'planId', p.id, 'planTitle', p.title, 'taskId', t.id, 'taskCode', t.code, 'taskTitle', t.title,
      'unitId', u.id, 'unitName', u.name, 'reportId', r.id, 'period', r.period, 'revision', ${p.revision}::int,
      'state', ${p.state}::text, 'status', r.status, 'percent', r.percent, 'reason', ${p.reason ?? null}::text)
    from progress_reports r join tasks t on t.id = r.task_id join plans p on p.id = t.plan_id
      join units u on u.id = r.unit_id
    where r.id = ${p.reportId})`;
  const planId = sql`(select t.plan_id from tasks t where t.id = ${p.taskId})`;
  return webhookInsert({
    event: p.event,
    planId,
    ownerUnitId: sql`(select pl.issuer_unit_id from plans pl where pl.id = ${planId})`,
    body: envelope(eventId, p.event, p.now, data),
    eventId,
    now: p.now,
    ...(p.guard ? { guard: p.guard } : {}),
  });
}

/** Webhook calls of an event whose data the caller has (a task gone overdue, results published). */
export async function enqueueWebhookEvent(
  db: Db,
  p: {
    event: WebhookEvent;
    planId: number | null;
    ownerUnitId: number;
    data: Record<string, unknown>;
    now: Date;
  },
) {
  const eventId = randomUUID();
  const body = JSON.stringify({ id: eventId, event: p.event, occurredAt: p.now.toISOString(), data: p.data });
  await db.execute(
    webhookInsert({
      event: p.event,
      planId: p.planId,
      ownerUnitId: p.ownerUnitId,
      body: sql`${body}::text`,
      eventId,
      now: p.now,
    }),
  );
}

// ───────────────────────────── the worker's side ─────────────────────────────

/**
 * A claimed message with where it goes (a robot's URL and secret, a webhook's), read at sending,
 * and the name of the unit it is about (a group robot's message says which unit).
 */
export type OutboxMessage = OutboxRow & {
  target: { url: string; secret: string | null; active: boolean } | null;
  unitName: string | null;
};

/**
 * Claims up to `limit` due messages of one channel for `workerId`, in one transaction: the rows are
 * picked `FOR UPDATE SKIP LOCKED` (two workers never pick the same row) and leased until
 * `now + leaseMs` (a worker that dies mid-send leaves rows another worker retakes once the lease
 * has passed). The per-channel rate limit: attempts of the last minute, across every process, are
 * counted under a transaction-scoped advisory lock on the channel, so two claims cannot both see
 * room for the same slot.
 */
export async function claimOutbox(
  db: Db,
  p: {
    channel: OutboxChannel;
    workerId: string;
    now: Date;
    leaseMs: number;
    limit: number;
    perMinute: number;
  },
): Promise<OutboxMessage[]> {
  const at = p.now;
  const claimed = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`gongkai.outbox.${p.channel}`}))`);
    const [recent] = await rawRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from outbox
          where channel = ${p.channel} and last_attempt_at > ${new Date(at.getTime() - 60_000).toISOString()}::timestamptz`,
    );
    const room = Math.min(p.limit, p.perMinute - (recent?.n ?? 0));
    if (room <= 0) return [];
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.channel, p.channel),
          lte(outbox.nextAttemptAt, at),
          or(
            inArray(outbox.status, ["pending", "retrying"]),
            and(eq(outbox.status, "sending"), lt(outbox.lockedUntil, at)),
          ),
        ),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(room)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outbox)
      .set({
        status: "sending",
        lockedBy: p.workerId,
        lockedUntil: new Date(at.getTime() + p.leaseMs),
        lastAttemptAt: at,
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(
        inArray(
          outbox.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
  if (claimed.length === 0) return [];
  const robotIds = claimed.flatMap((r) => (r.robotId ? [r.robotId] : []));
  const webhookIds = claimed.flatMap((r) => (r.webhookId ? [r.webhookId] : []));
  const robots = robotIds.length
    ? await db.select().from(robotChannels).where(inArray(robotChannels.id, robotIds))
    : [];
  const hooks = webhookIds.length
    ? await db.select().from(webhooks).where(inArray(webhooks.id, webhookIds))
    : [];
  const unitIds = [...new Set(claimed.flatMap((r) => (r.scopeUnitId ? [r.scopeUnitId] : [])))];
  const names = unitIds.length
    ? await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds))
    : [];
  return claimed
    .sort((a, b) => a.id - b.id)
    .map((row) => {
      const robot = row.robotId ? robots.find((r) => r.id === row.robotId) : undefined;
      const hook = row.webhookId ? hooks.find((w) => w.id === row.webhookId) : undefined;
      const target = robot ?? hook;
      return {
        ...row,
        target: target ? { url: target.url, secret: target.secret, active: target.active } : null,
        unitName: names.find((u) => u.id === row.scopeUnitId)?.name ?? null,
      };
    });
}

/** Marks a message sent, if this worker still holds it. */
export async function completeOutbox(db: Db, id: number, workerId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ status: "sent", sentAt: now, lockedBy: null, lockedUntil: null, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.lockedBy, workerId), eq(outbox.status, "sending")))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

/**
 * Records a failed attempt: the message is tried again after the backoff (an SMS not at night),
 * or, with its attempts used up or nothing to send it to (`final`), marked failed for the office.
 */
export async function failOutbox(
  db: Db,
  row: Pick<OutboxRow, "id" | "attempts" | "maxAttempts" | "channel">,
  workerId: string,
  now: Date,
  error: string,
  opts: { final?: boolean; baseDelayMs?: number } = {},
): Promise<OutboxStatus | null> {
  const giveUp = opts.final || row.attempts >= row.maxAttempts;
  const later = new Date(now.getTime() + retryDelayMs(row.attempts, opts.baseDelayMs));
  const status = giveUp ? "failed" : "retrying";
  const rows = await db
    .update(outbox)
    .set({
      status,
      lastError: error.slice(0, 1000),
      nextAttemptAt: giveUp ? now : row.channel === "sms" ? afterQuietHours(later) : later,
      lockedBy: null,
      lockedUntil: null,
    })
    .where(and(eq(outbox.id, row.id), eq(outbox.lockedBy, workerId), eq(outbox.status, "sending")))
    .returning({ id: outbox.id });
  return rows.length === 1 ? status : null;
}

// ───────────────────────────── the daily digest ─────────────────────────────

/**
 * Turns the messages held for people who chose a daily digest into one message per person and
 * channel (run by the daily job, once a day across processes). The held rows point at their digest.
 */
export async function buildDigests(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const held = await tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, "held"), lte(outbox.createdAt, now)))
      .orderBy(asc(outbox.userId), asc(outbox.channel), asc(outbox.id))
      .for("update", { skipLocked: true });
    const groups = new Map<string, OutboxRow[]>();
    for (const row of held) {
      const key = `${row.userId}:${row.channel}:${row.address}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const day = localDate(now);
    for (const rows of groups.values()) {
      const first = rows[0];
      if (!first) continue;
      const items = rows.map((r) => ({
        title: r.title,
        body: r.body,
        link: r.link,
        at: chinaDateTime(r.createdAt),
      }));
      const [digest] = await tx
        .insert(outbox)
        .values({
          channel: first.channel,
          kind: "digest",
          status: "pending",
          userId: first.userId,
          scopeUnitId: first.scopeUnitId,
          recipient: first.recipient,
          address: first.address,
          title: `政务公开工作每日汇总(${day}):${rows.length} 条消息`,
          body: items.map((i, n) => `${n + 1}. ${i.title}${i.body ? `\n   ${i.body}` : ""}`).join("\n"),
          link: "/",
          meta: { items, count: rows.length },
          nextAttemptAt: first.channel === "sms" ? afterQuietHours(now) : now,
          createdAt: now,
        })
        .returning({ id: outbox.id });
      await tx
        .update(outbox)
        .set({ status: "digested", digestId: digest?.id ?? null })
        .where(
          inArray(
            outbox.id,
            rows.map((r) => r.id),
          ),
        );
    }
    return groups.size;
  });
}

// ───────────────────────────── 发送记录: what the office reads ─────────────────────────────

/** Messages about units in the office's scope, newest first, optionally of one status; with counts by status. */
export async function listDeliveries(
  db: Db,
  actor: Actor,
  params: { status?: OutboxStatus | undefined; beforeId?: number | undefined; limit: number },
) {
  const scope = actor.scopePath
    ? sql`exists (select 1 from ${units} u where u.id = ${outbox.scopeUnitId} and u.path like ${`${actor.scopePath}%`})`
    : undefined;
  const items = await db
    .select({
      id: outbox.id,
      channel: outbox.channel,
      kind: outbox.kind,
      status: outbox.status,
      recipient: outbox.recipient,
      title: outbox.title,
      attempts: outbox.attempts,
      maxAttempts: outbox.maxAttempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      lastAttemptAt: outbox.lastAttemptAt,
      sentAt: outbox.sentAt,
      createdAt: outbox.createdAt,
      digestId: outbox.digestId,
    })
    .from(outbox)
    .where(
      and(
        scope,
        params.status ? eq(outbox.status, params.status) : undefined,
        params.beforeId ? lt(outbox.id, params.beforeId) : undefined,
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(params.limit);
  const counts = await db
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(scope)
    .groupBy(outbox.status);
  return {
    items: items.map((i) => ({ ...i, channelLabel: outboxChannelLabels[i.channel] })),
    counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<OutboxStatus, number>>,
  };
}

/** 重新发送: a failed (or still retrying) message in the office's scope is tried again now, its attempts anew. */
export async function retryDelivery(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ row: outbox, path: units.path })
      .from(outbox)
      .leftJoin(units, eq(units.id, outbox.scopeUnitId))
      .where(eq(outbox.id, id));
    if (!row || (actor.scopePath !== null && !(row.path && inScope(actor.scopePath, row.path))))
      throw notFound("发送记录");
    if (row.row.status !== "failed" && row.row.status !== "retrying")
      throw invalid("只有发送失败或重试中的消息可以重新发送。", "id");
    const [updated] = await tx
      .update(outbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now })
      .where(and(eq(outbox.id, id), inArray(outbox.status, ["failed", "retrying"])))
      .returning({ id: outbox.id, status: outbox.status });
    if (!updated) throw invalid("这条消息刚刚已在发送,请刷新。", "id");
    await recordAudit(tx, actor, {
      action: "outbox.retry",
      entityType: "outbox",
      entityId: id,
      before: { status: row.row.status, attempts: row.row.attempts, lastError: row.row.lastError },
      after: { status: "pending" },
    });
    return updated;
  });
}
