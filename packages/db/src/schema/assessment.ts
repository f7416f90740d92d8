import type { AssessmentScheme } from "@gongkai/core";
import {
  boolean,
  date,
  doublePrecision,
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
import { unitGroups, units } from "./units.ts";
import { users } from "./users.ts";

/** draft → selfAssessment (units fill 自评) → review (office sets final scores) → published */
export const assessmentStatusEnum = pgEnum("assessment_status", [
  "draft",
  "selfAssessment",
  "review",
  "published",
]);

/**
 * 考核方案: an indicator scheme for a year and a group of comparable units, with its share of the
 * performance assessment (≥ 4%). The indicator tree is the core `AssessmentScheme`.
 */
export const assessmentSchemes = pgTable(
  "assessment_schemes",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    year: integer().notNull(),
    name: text().notNull(),
    /** The office's government: the scope the scheme belongs to. */
    ownerUnitId: integer().references(() => units.id, { onDelete: "restrict" }),
    /** The units scored, ranked together (departments apart from towns). */
    unitGroupId: integer().references(() => unitGroups.id, { onDelete: "restrict" }),
    /** Points of the whole performance assessment (绩效考核总分), for contributions. */
    performanceTotal: doublePrecision().notNull().default(100),
    definition: jsonb().$type<AssessmentScheme>().notNull(),
    selfAssessmentDue: date({ mode: "string" }),
    status: assessmentStatusEnum().notNull().default("draft"),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
    ...versioned,
  },
  (t) => [index("assessment_schemes_year_idx").on(t.year)],
);

/** One unit's value for one leaf: what it claimed (自评), what the data gave, what the office set. */
export const assessmentScores = pgTable(
  "assessment_scores",
  {
    schemeId: integer()
      .notNull()
      .references(() => assessmentSchemes.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    indicatorCode: text().notNull(),
    selfValue: doublePrecision(),
    selfNote: text(),
    /** Links and file ids offered as evidence for the self-assessment. */
    selfEvidence: jsonb().$type<{ url?: string; fileId?: number; title?: string }[]>().notNull().default([]),
    /** Computed from the year's task data (on-time rate, returns…); shown, never typed. */
    computedValue: doublePrecision(),
    finalValue: doublePrecision(),
    reviewNote: text(),
    updatedBy: integer().references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schemeId, t.unitId, t.indicatorCode] })],
);

/**
 * A unit's score as the core gives it from the unit's values now (first-level indicators only),
 * kept so that the results page ranks 3,000 stored rows instead of scoring 450,000 values on every
 * view. Written in the transaction that changes the values (final scores set, computed values
 * refreshed, rules changed); a trigger (migration 0006) deletes the row of a unit whose values
 * change any other way, and the results then score that unit from its values.
 */
export const assessmentUnitScores = pgTable(
  "assessment_unit_scores",
  {
    schemeId: integer()
      .notNull()
      .references(() => assessmentSchemes.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    complete: boolean().notNull(),
    missing: text().array().notNull(),
    vetoed: boolean().notNull(),
    vetoedBy: text().array().notNull(),
    base: doublePrecision().notNull(),
    bonus: doublePrecision().notNull(),
    bonusEarned: doublePrecision().notNull(),
    total: doublePrecision(),
    partialTotal: doublePrecision().notNull(),
    /** First-level indicator code → score, for those whose leaves all have values. */
    indicators: jsonb().$type<Record<string, number>>().notNull(),
    scoredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schemeId, t.unitId] })],
);

/** A unit's self-assessment as a whole: submitted or not. */
export const assessmentParticipants = pgTable(
  "assessment_participants",
  {
    schemeId: integer()
      .notNull()
      .references(() => assessmentSchemes.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    selfSubmittedAt: timestamp({ withTimezone: true }),
    selfSubmittedBy: integer().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.schemeId, t.unitId] })],
);

/**
 * Published results, frozen: each publication is a version with its content hash; a correction
 * is a new version with a reason, and older versions stay readable.
 */
export const assessmentResults = pgTable(
  "assessment_results",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    schemeId: integer()
      .notNull()
      .references(() => assessmentSchemes.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    results: jsonb().notNull(),
    contentHash: text().notNull(),
    reason: text(),
    publishedBy: integer().references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("assessment_results_version_uq").on(t.schemeId, t.version)],
);
