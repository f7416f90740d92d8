/**
 * The year-end assessment (年度考核): schemes for a year and a unit group, units' self-assessments
 * (自评), the office's final scores, results computed by the core rules, and published versions
 * frozen with a content hash.
 *
 * Stages: draft → selfAssessment (units fill 自评 until the due date, inclusive) → review (the office
 * sets final scores) → published. Publishing again is a correction: a new version with a reason;
 * every version stays readable. Rules the code keeps:
 * - a leaf's value is the office's final value; for a leaf the system computes (a `proportion` or
 *   `deduction` rule with a data source, an `evaluation` rule with a project) it is the computed
 *   value unless the office overrides it with a note. A unit's own 自评 never counts by itself;
 * - a missing value is not a zero: the unit is 未完成 and unranked;
 * - a unit sees only its own self-assessment and, once published, its own scores and the ranking;
 *   anything else is NOT_FOUND.
 */

export * from "./results.ts";
export * from "./schemes.ts";
export * from "./scores.ts";
export * from "./self.ts";
export * from "./state.ts";
export * from "./unitScores.ts";
