/**
 * Reconciliation (复核) of cells scored by two or more evaluators. Edge rules:
 * - a cell is flagged when its highest and lowest scores differ by MORE than the threshold
 *   (a difference equal to the threshold is accepted; 1e-9 absorbs floating-point noise);
 * - an unflagged cell's final score is the mean of its scores (the score itself when all agree or
 *   when only one evaluator scored it);
 * - a flagged cell needs the lead's decision, with a reason; a decision may also override an
 *   unflagged cell. Cells without a final score are returned as `pending`.
 */
import { invalid } from "../errors.ts";
import type { Rating } from "./agreement.ts";

export type RatedCell = { unit: string; indicator: string; ratings: { rater: string; value: number }[] };
export type Disagreement = RatedCell & { spread: number };
export type LeadDecision = { unit: string; indicator: string; value: number; reason: string };
export type FinalScore = {
  unit: string;
  indicator: string;
  value: number;
  source: "agreed" | "lead";
  reason: string | null;
};

const key = (unit: string, indicator: string) => `${unit}\u0000${indicator}`;

/** Groups ratings into cells (first-seen order); a rater rating the same cell twice is refused. */
export function cellsOf(ratings: readonly Rating[]): RatedCell[] {
  const cells = new Map<string, RatedCell>();
  for (const r of ratings) {
    const k = key(r.unit, r.indicator);
    let cell = cells.get(k);
    if (!cell) {
      cell = { unit: r.unit, indicator: r.indicator, ratings: [] };
      cells.set(k, cell);
    }
    if (cell.ratings.some((x) => x.rater === r.rater)) {
      throw invalid(
        `评估人员「${r.rater}」给单位「${r.unit}」指标 ${r.indicator} 评了两次分:每人每格只保留一个得分。`,
      );
    }
    cell.ratings.push({ rater: r.rater, value: r.value });
  }
  return [...cells.values()];
}

const spreadOf = (values: readonly number[]) =>
  values.length ? Math.max(...values) - Math.min(...values) : 0;
/** The one rule: more than the threshold apart (float noise forgiven), with two ratings at least. */
const apart = (count: number, spread: number, threshold: number) => count >= 2 && spread > threshold + 1e-9;
const exceeds = (values: readonly number[], threshold: number) =>
  apart(values.length, spreadOf(values), threshold);
const valuesOf = (cell: RatedCell) => cell.ratings.map((r) => r.value);

/** Cells whose evaluators differ by more than `threshold` points. */
export function flagDisagreements(cells: readonly RatedCell[], threshold: number): Disagreement[] {
  checkThreshold(threshold);
  return cells
    .filter((c) => exceeds(valuesOf(c), threshold))
    .map((c) => Object.assign({}, c, { spread: spreadOf(valuesOf(c)) }));
}

/**
 * One cell's spread when its ratings disagree by more than the threshold (the rule of
 * `flagDisagreements`), else null: for callers that hold many cells in their own shape.
 */
export function disagreement(values: readonly number[], threshold: number): number | null {
  checkThreshold(threshold);
  return exceeds(values, threshold) ? spreadOf(values) : null;
}

/**
 * `disagreement` of a cell held as its number of ratings and its lowest and highest score (the
 * same rule): for callers that keep hundreds of thousands of cells in typed arrays.
 */
export function disagreementOfRange(
  count: number,
  low: number,
  high: number,
  threshold: number,
): number | null {
  checkThreshold(threshold);
  return apart(count, high - low, threshold) ? high - low : null;
}

function checkThreshold(threshold: number) {
  if (!(threshold >= 0))
    throw invalid(`分歧阈值 ${threshold} 无效:应为非负数,如 1 表示相差超过 1 分即标记。`, "threshold");
}

/** Final scores of every cell: agreed ones by mean, flagged ones by the lead's decision. */
export function reconcile(
  cells: readonly RatedCell[],
  opts: { threshold: number; decisions?: readonly LeadDecision[] },
): { scores: FinalScore[]; pending: Disagreement[] } {
  const decided = new Map<string, LeadDecision>();
  for (const d of opts.decisions ?? []) {
    if (d.reason.trim() === "") {
      throw invalid(
        `单位「${d.unit}」指标 ${d.indicator} 的复核结果缺少理由:请写明采用该得分的理由。`,
        "reason",
      );
    }
    if (!Number.isFinite(d.value))
      throw invalid(`单位「${d.unit}」指标 ${d.indicator} 的复核得分不是有效数字。`, "value");
    decided.set(key(d.unit, d.indicator), d);
  }
  const flagged = new Set(flagDisagreements(cells, opts.threshold).map((c) => key(c.unit, c.indicator)));
  const scores: FinalScore[] = [];
  const pending: Disagreement[] = [];
  for (const cell of cells) {
    const k = key(cell.unit, cell.indicator);
    const d = decided.get(k);
    if (d)
      scores.push({
        unit: cell.unit,
        indicator: cell.indicator,
        value: d.value,
        source: "lead",
        reason: d.reason,
      });
    else if (flagged.has(k)) pending.push(Object.assign({}, cell, { spread: spreadOf(valuesOf(cell)) }));
    else if (cell.ratings.length > 0) {
      const mean = cell.ratings.reduce((s, r) => s + r.value, 0) / cell.ratings.length;
      scores.push({
        unit: cell.unit,
        indicator: cell.indicator,
        value: mean,
        source: "agreed",
        reason: null,
      });
    }
  }
  return { scores, pending };
}
