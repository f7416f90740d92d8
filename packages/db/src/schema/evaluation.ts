import type { IndicatorSystem } from "@gongkai/core";
import {
  boolean,
  doublePrecision,
  foreignKey,
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
import { storedFiles } from "./files.ts";
import { units } from "./units.ts";
import { users } from "./users.ts";

/** setup → scoring → reconciling → review (units see their scores, may appeal) → published */
export const evaluationStatusEnum = pgEnum("evaluation_status", [
  "setup",
  "scoring",
  "reconciling",
  "review",
  "published",
]);
export const appealStateEnum = pgEnum("appeal_state", ["open", "accepted", "rejected"]);

/** 第三方评估项目: an outside organisation's evaluation with its own indicator system. */
export const evaluationProjects = pgTable(
  "evaluation_projects",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    year: integer().notNull(),
    name: text().notNull(),
    /** 评估机构 */
    organisation: text().notNull(),
    ownerUnitId: integer().references(() => units.id, { onDelete: "restrict" }),
    /** The evaluator who leads the project (assigns, reconciles, publishes) besides the office. */
    leadUserId: integer().references(() => users.id, { onDelete: "set null" }),
    indicatorSystem: jsonb().$type<IndicatorSystem>().notNull(),
    /** Two evaluators' scores differing by more than this are flagged for reconciliation. */
    disagreementThreshold: doublePrecision().notNull().default(1),
    /** Days units have to appeal once results are shown to them. */
    appealDays: integer().notNull().default(7),
    resultsShownAt: timestamp({ withTimezone: true }),
    status: evaluationStatusEnum().notNull().default("setup"),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
    ...versioned,
  },
  (t) => [index("evaluation_projects_year_idx").on(t.year)],
);

/** The units evaluated, each in a tier ranked apart (省直部门 / 市 / 县区). */
export const evaluationUnits = pgTable(
  "evaluation_units",
  {
    projectId: integer()
      .notNull()
      .references(() => evaluationProjects.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    tier: text().notNull().default(""),
    /**
     * Raised by triggers (migration 0010) on every change to what the unit's results are computed
     * from: its ratings, final scores and assignments, and the project's indicator system and
     * disagreement threshold. A kept result counts only while it was computed at this revision.
     */
    revision: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.unitId] })],
);

/** Which evaluator scores which unit; a unit may have two, scoring independently. */
export const evaluationAssignments = pgTable(
  "evaluation_assignments",
  {
    projectId: integer()
      .notNull()
      .references(() => evaluationProjects.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    evaluatorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    /** When the evaluator submitted all its scores for this unit (then hidden scores are shown). */
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.unitId, t.evaluatorId] }),
    index("evaluation_assignments_evaluator_idx").on(t.evaluatorId, t.projectId),
  ],
);

/** One evaluator's score of one cell (unit × leaf indicator), with its evidence. */
export const evaluationScores = pgTable(
  "evaluation_scores",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => evaluationProjects.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    indicatorCode: text().notNull(),
    evaluatorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    value: doublePrecision().notNull(),
    evidenceUrl: text(),
    evidenceFileId: integer().references(() => storedFiles.id, { onDelete: "set null" }),
    observedAt: timestamp({ withTimezone: true }),
    note: text(),
    regionCode: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // INCLUDE ("value") is added by migration 0004 (drizzle's builder has none): index-only reads of a project's values.
    uniqueIndex("evaluation_scores_cell_uq").on(t.projectId, t.unitId, t.indicatorCode, t.evaluatorId),
    index("evaluation_scores_project_idx").on(t.projectId, t.indicatorCode),
    // An evaluator's own cells: how many each of its units has filled (the grid's roster).
    index("evaluation_scores_evaluator_idx").on(t.projectId, t.evaluatorId, t.unitId, t.indicatorCode),
  ],
);

/** The score that counts for a cell once reconciled or changed on appeal, with the reason. */
export const evaluationFinalScores = pgTable(
  "evaluation_final_scores",
  {
    projectId: integer()
      .notNull()
      .references(() => evaluationProjects.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    indicatorCode: text().notNull(),
    value: doublePrecision().notNull(),
    reason: text().notNull(),
    decidedBy: integer().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.unitId, t.indicatorCode] })],
);

/** 申诉: a unit disputes an indicator's score within the appeal window. */
export const evaluationAppeals = pgTable(
  "evaluation_appeals",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => evaluationProjects.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    indicatorCode: text().notNull(),
    reason: text().notNull(),
    state: appealStateEnum().notNull().default("open"),
    response: text(),
    newValue: doublePrecision(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("evaluation_appeals_project_idx").on(t.projectId, t.state)],
);

/**
 * The agreement between a project's evaluators as last computed, with what it was computed from
 * (`basis`: the indicator system and each unit at its revision, which triggers raise on every change
 * to its ratings, decisions and assignments). The report holds until the basis changes.
 */
export const evaluationAgreements = pgTable("evaluation_agreements", {
  projectId: integer()
    .primaryKey()
    .references(() => evaluationProjects.id, { onDelete: "cascade" }),
  basis: text().notNull(),
  report: jsonb().notNull(),
  computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Each unit's score as the live ranking last computed it (first-level indicators), kept with the
 * unit's `revision` it was computed at: the ranking reads 3,000 rows instead of scoring 900,000
 * ratings on every view, and computes again only the units whose revision moved on.
 */
export const evaluationUnitResults = pgTable(
  "evaluation_unit_results",
  {
    projectId: integer().notNull(),
    unitId: integer().notNull(),
    revision: integer().notNull(),
    complete: boolean().notNull(),
    vetoed: boolean().notNull(),
    total: doublePrecision(),
    /** First-level indicator code → points, for those whose leaves all have final values. */
    indicators: jsonb().$type<Record<string, number>>().notNull(),
    /** Cells whose ratings differ beyond the threshold, and those of them not decided yet. */
    flagged: integer().notNull(),
    pending: integer().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.unitId] }),
    foreignKey({
      name: "evaluation_unit_results_unit_fk",
      columns: [t.projectId, t.unitId],
      foreignColumns: [evaluationUnits.projectId, evaluationUnits.unitId],
    }).onDelete("cascade"),
  ],
);

/** Published rankings, frozen with a content hash; a correction is a new version with a reason. */
export const evaluationResults = pgTable(
  "evaluation_results",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => evaluationProjects.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    /** What the content hash is over: every unit × every indicator (the downloads). */
    results: jsonb().notNull(),
    /**
     * The same results with each unit's first-level indicators only: what the public ranking page
     * shows (a province's 3,000 units × 150 indicators is megabytes the page does not draw).
     */
    summary: jsonb().notNull(),
    contentHash: text().notNull(),
    reason: text(),
    publishedBy: integer().references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("evaluation_results_version_uq").on(t.projectId, t.version)],
);
