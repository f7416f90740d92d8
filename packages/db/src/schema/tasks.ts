import type { DeadlineFlag, DeadlineRule } from "@gongkai/core";
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamps, versioned } from "./columns.ts";
import { assignmentRoleEnum, carryKindEnum, categoryEnum, deadlineKindEnum } from "./enums.ts";
import { plans, sections } from "./plans.ts";
import { unitGroups, units } from "./units.ts";

/** One key point of a plan: code as written, a short title, the full content. */
export const tasks = pgTable(
  "tasks",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    sectionId: integer().references(() => sections.id, { onDelete: "set null" }),
    /** A milestone of a larger task (任务细化). */
    parentTaskId: integer().references((): AnyPgColumn => tasks.id, { onDelete: "cascade" }),
    code: text().notNull().default(""),
    title: text().notNull(),
    content: text().notNull().default(""),
    category: categoryEnum(),
    sortOrder: integer().notNull().default(0),
    /** Last year's task this one carries on (接续), and how: continued unfinished, or 回头看. */
    carriedFromTaskId: integer().references((): AnyPgColumn => tasks.id, { onDelete: "set null" }),
    carryKind: carryKindEnum(),
    regionCode: text(),
    /**
     * The tasks this one carries out, nearest first, followed up the task links to the top, and
     * their plans (same order): kept by the database (migration 0022) so that an upper plan's
     * roll-up finds every task below it through one index instead of walking the links.
     */
    upperTaskIds: integer().array().notNull().default([]),
    upperPlanIds: integer().array().notNull().default([]),
    ...timestamps,
    ...versioned,
  },
  (t) => [
    index("tasks_plan_idx").on(t.planId, t.sortOrder),
    index("tasks_carried_from_idx").on(t.carriedFromTaskId),
    index("tasks_section_idx").on(t.sectionId),
    index("tasks_upper_plans_idx").using("gin", t.upperPlanIds),
    // The global search (queries/search.ts): `ILIKE '%…%'` on the code and the title (pg_trgm).
    index("tasks_code_trgm_idx").using("gin", t.code.op("gin_trgm_ops")),
    index("tasks_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
  ],
);

/**
 * A unit's role on a task. A group picked as a whole is stored expanded to its members, each row
 * remembering the group (`viaGroupId`), so a unit's task list is one index lookup and the editor can
 * still show the group as one tag.
 */
export const taskAssignments = pgTable(
  "task_assignments",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    taskId: integer()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    role: assignmentRoleEnum().notNull(),
    viaGroupId: integer().references(() => unitGroups.id, { onDelete: "set null" }),
    regionCode: text(),
    // What the assignment's light depends on, kept by the database from the unit's reports and the
    // task's deadlines (triggers of migration 0020) so that the upper office's roll-up over a
    // province reads these instead of the reports. Only approved and submitted reports count: a
    // unit's drafts and notes never reach the level above. Never written by the application.
    /** An approved report with status 已完成. */
    done: boolean().notNull().default(false),
    /** A report submitted and awaiting review. */
    awaitingReview: boolean().notNull().default(false),
    /** The earliest due date of the task's fixed deadlines (by, after with its event recorded). */
    firstDue: date({ mode: "string" }),
    /**
     * Per recurring deadline of the task, its first period short of approved reports (start and
     * end, sorted by end; empty when every period of the year is met). A light needs no more: a
     * period is missed when the first gap's end is past, and the open period is the earliest gap
     * already begun.
     */
    gapStarts: date({ mode: "string" }).array().notNull().default([]),
    gapEnds: date({ mode: "string" }).array().notNull().default([]),
  },
  (t) => [
    uniqueIndex("task_assignments_task_unit_role_uq").on(t.taskId, t.unitId, t.role),
    index("task_assignments_unit_idx").on(t.unitId, t.taskId),
  ],
);

/** A deadline: the phrase as written, the rule it means, and its due date when it has one. */
export const deadlines = pgTable(
  "deadlines",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    taskId: integer()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    phrase: text().notNull(),
    kind: deadlineKindEnum().notNull(),
    rule: jsonb().$type<DeadlineRule>().notNull(),
    dueDate: date({ mode: "string" }),
    /** For `after` rules: the date the event happened, once recorded. */
    eventDate: date({ mode: "string" }),
    flags: jsonb().$type<DeadlineFlag[]>().notNull().default([]),
    sortOrder: integer().notNull().default(0),
    /** The task's region key (distribution column, colocated with the task). */
    regionCode: text(),
  },
  (t) => [index("deadlines_task_idx").on(t.taskId), index("deadlines_due_idx").on(t.dueDate)],
);

/**
 * A task's lead and responsible assignments counted by what their light depends on (the columns
 * kept on each assignment): what the roll-up adds up, one to four rows a task instead of one per
 * unit. Kept by the database with the assignments (migration 0022); never written by the application.
 */
export const taskLightGroups = pgTable(
  "task_light_groups",
  {
    taskId: integer()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    done: boolean().notNull(),
    firstDue: date({ mode: "string" }),
    gapStarts: date({ mode: "string" }).array().notNull(),
    gapEnds: date({ mode: "string" }).array().notNull(),
    assignments: integer().notNull(),
    /** Of those, how many have a report awaiting review. */
    awaitingReview: integer().notNull(),
  },
  (t) => [index("task_light_groups_task_idx").on(t.taskId)],
);
