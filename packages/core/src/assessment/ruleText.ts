/**
 * How results are ranked and graded, in the words results pages, the unit's own result page and
 * the public CSV print beside them (one text for all of them).
 */

import { gradeRuleText } from "./grades.ts";
import { DEFAULT_PRECISION } from "./rounding.ts";
import type { GradeBand, RankingConvention } from "./scheme.ts";

/**
 * A scheme's (or an evaluation's indicator system's) ranking keys as JSON states them: each may be
 * absent, and then the default applies (竞争排名, 2 decimals) — see ranking.ts.
 */
export type RankingKeys = {
  ranking?: RankingConvention | undefined;
  precision?: number | undefined;
  tieBreak?: string | undefined;
};

export const conventionNames: Record<RankingConvention, string> = {
  competition: "竞争排名",
  dense: "密集排名",
  ordinal: "顺序排名",
};
export const conventionNotes: Record<RankingConvention, string> = {
  competition: "并列占位",
  dense: "并列不占位",
  ordinal: "不并列",
};

/**
 * One line saying how results are ranked: 排名规则:密集排名(并列不占位),总分保留 1 位小数.
 * Without a stated precision the totals are shown whole and compared at 2 decimals.
 */
export function rankingRuleText(keys: RankingKeys, indicatorName?: (code: string) => string | undefined) {
  const convention = keys.ranking ?? "competition";
  let rule = `${conventionNames[convention]}(${conventionNotes[convention]}`;
  if (convention === "ordinal") {
    const name = keys.tieBreak === undefined ? undefined : (indicatorName?.(keys.tieBreak) ?? keys.tieBreak);
    rule += name ? `;总分相同先比「${name}」得分,再按单位名称拼音` : ";总分相同按单位名称拼音";
  }
  const digits =
    keys.precision === undefined
      ? `总分按 ${DEFAULT_PRECISION} 位小数比较`
      : keys.precision === 0
        ? "总分取整数"
        : `总分保留 ${keys.precision} 位小数`;
  return `排名规则:${rule}),${digits}`;
}

/** The ranking rule and, when there are grade bands, the grade rule: what a unit's result is read by. */
export const resultRuleText = (
  keys: RankingKeys,
  grades: readonly GradeBand[] | null | undefined,
  indicatorName?: (code: string) => string | undefined,
) => [rankingRuleText(keys, indicatorName), ...(grades?.length ? [gradeRuleText(grades)] : [])].join("。");
