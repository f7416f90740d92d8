/**
 * Third-party evaluation (第三方评估): projects, evaluators scoring cells (unit × leaf indicator)
 * with evidence, reconciliation of two evaluators, appeals, and published (frozen, hashed) results.
 *
 * Access (checked by the API's project middleware through `projectAccess`):
 * - the office owning the project (its owner unit lies in the office's scope; an admin everywhere)
 *   and the project's lead evaluator manage it;
 * - an evaluator assigned to units sees the project and only those units;
 * - everyone else gets NOT_FOUND: the project's existence is not revealed.
 *
 * Values. An evaluator enters a cell's value as its rule reads it (points for 人工评分, 1/0 for 是否,
 * a level, a count of problems for 扣分 …). Everything after that — disagreement, final scores,
 * totals — is in points on the leaf's scale (a 单项否决 leaf keeps 1/0): the final scores are scored
 * by the same tree with every scored leaf read as points (`pointsSystem`).
 *
 * Edge rules:
 * - a unit is *ready* once every evaluator assigned to it has submitted it; before that no one sees
 *   one evaluator's values next to another's (not even the lead, who may score too);
 * - a cell of a ready unit is flagged when its evaluators differ by more than the threshold in
 *   points (a veto cell whenever they differ); the lead's decision (or an accepted appeal) sets it,
 *   otherwise it is the mean of its evaluators' points;
 * - a published version is frozen: its `results` are stored as published and hashed as
 *   sha256(canonicalJson(results)); a correction is version N+1 with a reason.
 */

export * from "./appeals.ts";
export * from "./public.ts";
export * from "./results.ts";
export * from "./scoring.ts";
export * from "./setup.ts";
export * from "./state.ts";
