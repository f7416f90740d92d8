import { reportStates, reportStatuses } from "@gongkai/core";
import {
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamps, versioned } from "./columns.ts";
import { assignmentRoleEnum } from "./enums.ts";
import { storedFiles } from "./files.ts";
import { tasks } from "./tasks.ts";
import { units } from "./units.ts";
import { users } from "./users.ts";

/** 未启动 / 推进中 / 已完成 / 无法按期完成 */
export const reportStatusEnum = pgEnum("report_status", reportStatuses);
/** Where a report is in the office's review. */
export const reportStateEnum = pgEnum("report_state", reportStates);
export const reviewDecisionEnum = pgEnum("review_decision", ["approve", "return"]);
export const evidenceKindEnum = pgEnum("evidence_kind", ["link", "file"]);

/**
 * A unit's progress report on a task for one reporting period (进展情况). One row per
 * (task, unit, period), edited as a draft and submitted; each submission is kept as a revision.
 */
export const progressReports = pgTable(
  "progress_reports",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    taskId: integer()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    /** The unit's role on the task when it reported. */
    role: assignmentRoleEnum().notNull(),
    /** Reporting period key, e.g. 2023-Q3, 2023-07, 2023-H2, 2023. */
    period: text().notNull(),
    periodStart: date({ mode: "string" }).notNull(),
    periodEnd: date({ mode: "string" }).notNull(),
    status: reportStatusEnum().notNull().default("inProgress"),
    percent: integer().notNull().default(0),
    summary: text().notNull().default(""),
    /** Why the task cannot be finished on time (status blocked). */
    blockedReason: text(),
    /** When the reported work happened (for 每年至少N次 counts); defaults to submission day. */
    occurredOn: date({ mode: "string" }),
    state: reportStateEnum().notNull().default("draft"),
    /** Number of submissions so far (revision 1 is the first submission). */
    revision: integer().notNull().default(0),
    /** Cooperating units' reports the lead included in its own. */
    contributionIds: integer().array().notNull().default([]),
    submittedAt: timestamp({ withTimezone: true }),
    submittedBy: integer().references(() => users.id, { onDelete: "set null" }),
    reviewedAt: timestamp({ withTimezone: true }),
    reviewedBy: integer().references(() => users.id, { onDelete: "set null" }),
    reviewNote: text(),
    updatedBy: integer().references(() => users.id, { onDelete: "set null" }),
    regionCode: text(),
    ...timestamps,
    ...versioned,
  },
  (t) => [
    uniqueIndex("progress_reports_task_unit_period_uq").on(t.taskId, t.unitId, t.period),
    index("progress_reports_unit_idx").on(t.unitId, t.taskId),
    index("progress_reports_task_idx").on(t.taskId, t.period),
    index("progress_reports_queue_idx").on(t.state, t.submittedAt),
    // The global search: `ILIKE '%…%'` on what the unit wrote (pg_trgm).
    index("progress_reports_summary_trgm_idx").using("gin", t.summary.op("gin_trgm_ops")),
  ],
);

/** Each submission as it was: the report and its evidence, for comparing versions. */
export const reportRevisions = pgTable(
  "report_revisions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    reportId: integer()
      .notNull()
      .references(() => progressReports.id, { onDelete: "cascade" }),
    revision: integer().notNull(),
    snapshot: jsonb().notNull(),
    /** The client's key for this submission: a retried request finds it and creates nothing. */
    submissionKey: text().notNull(),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
    submittedBy: integer().references(() => users.id, { onDelete: "set null" }),
    /** The report's region key (distribution column, colocated with the report). */
    regionCode: text(),
  },
  (t) => [
    uniqueIndex("report_revisions_report_rev_uq").on(t.reportId, t.revision),
    uniqueIndex("report_revisions_key_uq").on(t.reportId, t.submissionKey),
  ],
);

/** 审核: the office approves a submission or returns it with a reason. */
export const reportReviews = pgTable(
  "report_reviews",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    reportId: integer()
      .notNull()
      .references(() => progressReports.id, { onDelete: "cascade" }),
    revision: integer().notNull(),
    decision: reviewDecisionEnum().notNull(),
    reason: text(),
    reviewerId: integer().references(() => users.id, { onDelete: "set null" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The report's region key (distribution column, colocated with the report). */
    regionCode: text(),
  },
  (t) => [index("report_reviews_report_idx").on(t.reportId)],
);

/** 佐证材料: a link to a published page or an uploaded file. Removing keeps the row for history. */
export const evidence = pgTable(
  "evidence",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    reportId: integer()
      .notNull()
      .references(() => progressReports.id, { onDelete: "cascade" }),
    kind: evidenceKindEnum().notNull(),
    url: text(),
    title: text().notNull().default(""),
    fileId: integer().references(() => storedFiles.id, { onDelete: "restrict" }),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp({ withTimezone: true }),
    /** The report's region key (distribution column, colocated with the report). */
    regionCode: text(),
  },
  (t) => [index("evidence_report_idx").on(t.reportId)],
);
