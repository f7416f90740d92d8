import { outboxChannels, outboxStatuses, robotProviders } from "@gongkai/core";
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamps } from "./columns.ts";
import { plans } from "./plans.ts";
import { notifications } from "./supervision.ts";
import { unitGroups, units } from "./units.ts";
import { users } from "./users.ts";

export const outboxChannelEnum = pgEnum("outbox_channel", outboxChannels);
export const outboxStatusEnum = pgEnum("outbox_status", outboxStatuses);
export const robotProviderEnum = pgEnum("robot_provider", robotProviders);

/** How a person wants to hear of things outside the app (账号 → 通知方式). */
export const notificationPreferences = pgTable("notification_preferences", {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  email: text(),
  /** Notification kinds sent by email. */
  emailKinds: text().array().notNull().default(sql`'{}'::text[]`),
  /** A mainland mobile number, 11 digits. */
  phone: text(),
  smsKinds: text().array().notNull().default(sql`'{}'::text[]`),
  /** One message a day (after the daily job) instead of one per event. */
  digest: boolean().notNull().default(false),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * A 企业微信 or 钉钉 group robot the office set for one unit or one unit group: the unit's (or the
 * group's members') notifications of the chosen kinds are posted to the group. The URL carries the
 * robot's key and the 钉钉 signing secret is a secret: neither is ever sent back to the browser.
 */
export const robotChannels = pgTable(
  "robot_channels",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The government whose office set it (its scope). */
    ownerUnitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    provider: robotProviderEnum().notNull(),
    name: text().notNull(),
    url: text().notNull(),
    /** 钉钉 加签 secret (SEC…); null: the robot checks keywords or addresses instead. */
    secret: text(),
    unitId: integer().references(() => units.id, { onDelete: "cascade" }),
    groupId: integer().references(() => unitGroups.id, { onDelete: "cascade" }),
    kinds: text().array().notNull().default(sql`'{}'::text[]`),
    active: boolean().notNull().default(true),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    check("robot_channels_one_target", sql`(${t.unitId} is null) <> (${t.groupId} is null)`),
    index("robot_channels_owner_idx").on(t.ownerUnitId),
    index("robot_channels_unit_idx").on(t.unitId),
    index("robot_channels_group_idx").on(t.groupId),
  ],
);

/** An outbound webhook an office registered: events of its plans (or of one plan) POSTed, signed. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ownerUnitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    /** Only this plan's events; null: every plan in the office's scope (and results). */
    planId: integer().references(() => plans.id, { onDelete: "cascade" }),
    name: text().notNull(),
    url: text().notNull(),
    /** HMAC-SHA256 key of `X-Gongkai-Signature`; write-only. */
    secret: text().notNull(),
    events: text().array().notNull().default(sql`'{}'::text[]`),
    active: boolean().notNull().default(true),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [index("webhooks_owner_idx").on(t.ownerUnitId)],
);

/**
 * The outbox: one row per message to send outside the app (an email, an SMS, a group robot's
 * message, a webhook call), written in the transaction that caused it and delivered by a worker
 * (apps/api/src/channels/worker.ts): claimed `FOR UPDATE SKIP LOCKED` under a lease, retried with
 * backoff, per-channel rate limited. The rows are also the 发送记录 the office reads.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    channel: outboxChannelEnum().notNull(),
    /** A notification kind, a webhook event, or `digest`. */
    kind: text().notNull(),
    status: outboxStatusEnum().notNull().default("pending"),
    notificationId: integer().references(() => notifications.id, { onDelete: "set null" }),
    /** The unit the message is about (the addressee's unit, or the webhook's office): who may see it. */
    scopeUnitId: integer().references(() => units.id, { onDelete: "set null" }),
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    robotId: integer().references(() => robotChannels.id, { onDelete: "set null" }),
    webhookId: integer().references(() => webhooks.id, { onDelete: "set null" }),
    /** To whom, as the 发送记录 shows it (never a robot's key or a secret). */
    recipient: text().notNull(),
    /** Email address or phone number; robots and webhooks are looked up at sending. */
    address: text(),
    title: text().notNull(),
    /** Plain text (email, robots); for a webhook, the exact JSON body that is signed and sent. */
    body: text().notNull().default(""),
    /** The page in the app, relative (the worker puts PUBLIC_BASE_URL in front). */
    link: text(),
    /** Makes a robot's message about one event single (a publication reaching many units). */
    dedupeKey: text(),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(10),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    lockedBy: text(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastAttemptAt: timestamp({ withTimezone: true }),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    /** The digest this row went out in. */
    digestId: integer().references((): AnyPgColumn => outbox.id, { onDelete: "set null" }),
    /** What a digest or a webhook carried besides the text (the held rows' ids, the event's id). */
    meta: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("outbox_dedupe_uq").on(t.dedupeKey),
    // The worker's claim: due rows of a channel, oldest first.
    index("outbox_due_idx")
      .on(t.channel, t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'retrying', 'sending')`),
    // The per-channel rate limit counts the last minute's attempts.
    index("outbox_attempts_idx").on(t.channel, t.lastAttemptAt),
    index("outbox_scope_idx").on(t.scopeUnitId, t.id),
    index("outbox_held_idx").on(t.userId, t.channel).where(sql`${t.status} = 'held'`),
  ],
);
