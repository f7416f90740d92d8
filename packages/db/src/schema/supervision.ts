import { noticeLevels, noticeStates } from "@gongkai/core";
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamps, versioned } from "./columns.ts";
import { plans } from "./plans.ts";
import { tasks } from "./tasks.ts";
import { units } from "./units.ts";
import { users } from "./users.ts";

/** 提醒 → 督办 → 通报 */
export const noticeLevelEnum = pgEnum("notice_level", noticeLevels);
export const noticeStateEnum = pgEnum("notice_state", noticeStates);

/** 督办单: a formal notice from the office to a unit about a task, with a reply deadline. */
export const supervisionNotices = pgTable(
  "supervision_notices",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    taskId: integer()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    level: noticeLevelEnum().notNull(),
    content: text().notNull(),
    replyDueDate: date({ mode: "string" }).notNull(),
    state: noticeStateEnum().notNull().default("open"),
    issuedBy: integer().references(() => users.id, { onDelete: "set null" }),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    reply: text(),
    repliedAt: timestamp({ withTimezone: true }),
    repliedBy: integer().references(() => users.id, { onDelete: "set null" }),
    /**
     * Sent down the levels (督办下级): from an upper government's office to the office of the
     * government below (`unitId`) about a task of its plan that carries out one of the upper
     * plan's; the lower office answers it and chases its own units.
     */
    toOffice: boolean().notNull().default(false),
    /** The notice this one escalated from. */
    parentNoticeId: integer().references((): AnyPgColumn => supervisionNotices.id, { onDelete: "set null" }),
    regionCode: text(),
    ...timestamps,
    ...versioned,
  },
  (t) => [
    index("supervision_notices_unit_idx").on(t.unitId, t.state),
    index("supervision_notices_task_idx").on(t.taskId),
    index("supervision_notices_due_idx").on(t.state, t.replyDueDate),
  ],
);

/** In-app messages to a user or to every user of a unit; other channels go through a notifier. */
export const notifications = pgTable(
  "notifications",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer().references(() => units.id, { onDelete: "cascade" }),
    userId: integer().references(() => users.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    title: text().notNull(),
    body: text().notNull().default(""),
    link: text(),
    /** Makes a reminder idempotent: the same reminder is never sent twice. */
    dedupeKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("notifications_unit_idx").on(t.unitId, t.createdAt),
    index("notifications_user_idx").on(t.userId, t.createdAt),
    uniqueIndex("notifications_dedupe_uq").on(t.dedupeKey),
  ],
);

/** A scheduled job's run for a day: the primary key makes "once a day" hold across processes. */
export const jobRuns = pgTable(
  "job_runs",
  {
    job: text().notNull(),
    runDate: date({ mode: "string" }).notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    result: jsonb(),
  },
  (t) => [primaryKey({ columns: [t.job, t.runDate] })],
);

/** The office's settings for its scope (the government unit it works for). */
export const officeSettings = pgTable("office_settings", {
  unitId: integer()
    .primaryKey()
    .references(() => units.id, { onDelete: "cascade" }),
  /** Traffic light turns yellow this many working days before a due date. */
  dueSoonWorkingDays: integer().notNull().default(5),
  /** Reminders go out this many working days before a due date. */
  remindBeforeWorkingDays: integer().notNull().default(3),
  /** Working days a unit has to answer a notice, and before it escalates. */
  noticeReplyWorkingDays: integer().notNull().default(5),
  ...timestamps,
});

/**
 * The light counts of a plan's trend on a past day (or of one unit's assignments in it: `unitId`,
 * 0 for the whole plan), as the dashboard first judged them with `dueSoonWorkingDays`. A day past is
 * kept, not judged again on every view: the trend reads twelve days and only today is live.
 */
export const lightDays = pgTable(
  "light_days",
  {
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    unitId: integer().notNull(),
    day: date({ mode: "string" }).notNull(),
    dueSoonWorkingDays: integer().notNull(),
    done: integer().notNull(),
    onTrack: integer().notNull(),
    dueSoon: integer().notNull(),
    overdue: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.unitId, t.dueSoonWorkingDays, t.day] })],
);

/** 通报: a bulletin for a plan as of a date, with the figures it published. */
export const bulletins = pgTable(
  "bulletins",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    asOf: date({ mode: "string" }).notNull(),
    title: text().notNull(),
    figures: jsonb().notNull(),
    published: boolean().notNull().default(false),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("bulletins_plan_idx").on(t.planId, t.asOf)],
);
