import { date, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps, versioned } from "./columns.ts";
import { planStatusEnum, reportingCycleEnum } from "./enums.ts";
import { units } from "./units.ts";
import { users } from "./users.ts";

/** One year's 工作要点 / 实施方案, issued by one unit. */
export const plans = pgTable(
  "plans",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    year: integer().notNull(),
    title: text().notNull(),
    /** 文号, e.g. 徐府〔2023〕32号 */
    docNumber: text(),
    issuerUnitId: integer().references(() => units.id, { onDelete: "restrict" }),
    publishDate: date({ mode: "string" }),
    status: planStatusEnum().notNull().default("draft"),
    sourceText: text(),
    /** How often units report progress on this plan's tasks. */
    reportingCycle: reportingCycleEnum().notNull().default("quarter"),
    /** Region key of the issuer (行政区划代码): the distribution key at national scale. */
    regionCode: text(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
    ...versioned,
  },
  (t) => [index("plans_year_idx").on(t.year), index("plans_issuer_idx").on(t.issuerUnitId)],
);

/** 一、二、: the top-level headings of a plan. */
export const sections = pgTable(
  "sections",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    code: text().notNull().default(""),
    title: text().notNull(),
    sortOrder: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [index("sections_plan_idx").on(t.planId, t.sortOrder)],
);
