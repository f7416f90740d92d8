import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { plans } from "./plans.ts";
import { tasks } from "./tasks.ts";
import { users } from "./users.ts";

/**
 * A plan implements the plans of the levels above it (a town's 要点 the district's, the city's, the
 * State Council's): one row per upper plan. The lower office links; the upper office reads down.
 */
export const planLinks = pgTable(
  "plan_links",
  {
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    upperPlanId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    /** How the lower plan's preamble cites it, when the link came from a citation. */
    citedAs: text(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    regionCode: text(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.upperPlanId] }),
    index("plan_links_upper_idx").on(t.upperPlanId),
    check("plan_links_not_self", sql`${t.planId} <> ${t.upperPlanId}`),
  ],
);

/**
 * The office's decision for a lower task: the upper task it carries out, or none (`upperTaskId`
 * null: "no upper task", decided — a task without a row is not decided yet). Kept by task id, so a
 * task edited keeps its link; a task split gets new ids and is asked again. An upper task deleted
 * takes its links with it (the lower tasks are asked again, not marked "none").
 */
export const taskLinks = pgTable(
  "task_links",
  {
    taskId: integer()
      .primaryKey()
      .references(() => tasks.id, { onDelete: "cascade" }),
    upperTaskId: integer().references(() => tasks.id, { onDelete: "cascade" }),
    decidedBy: integer().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    regionCode: text(),
  },
  (t) => [index("task_links_upper_idx").on(t.upperTaskId)],
);
