/**
 * How results are ranked, as a scheme's (or an evaluation's indicator system's) JSON states it:
 * the keys, what saving keeps of them, and the one line results pages show.
 */
import type { RankingConvention } from "@gongkai/core";
import { DEFAULT_PRECISION } from "@gongkai/core/rounding";

/**
 * A scheme's (or an evaluation's indicator system's) ranking keys as JSON states them: each may be
 * absent, and then the default applies (竞争排名, 2 decimals) — see the core's ranking.ts.
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
/** The ranking keys a scheme states, and only those (absent keys stay absent). */
export const rankingKeysOf = (s: RankingKeys): RankingKeys => ({
  ...(s.ranking !== undefined ? { ranking: s.ranking } : {}),
  ...(s.precision !== undefined ? { precision: s.precision } : {}),
  ...(s.tieBreak !== undefined ? { tieBreak: s.tieBreak } : {}),
});

/**
 * The keys to save after editing: a key the scheme did not state stays absent while it holds the
 * default (so saving an unchanged scheme keeps its content and hash); a tie-break only for 顺序排名.
 */
export function rankingKeysToSave(original: RankingKeys, edited: RankingKeys): RankingKeys {
  const out: RankingKeys = {};
  const ranking = edited.ranking ?? "competition";
  if (original.ranking !== undefined || ranking !== "competition") out.ranking = ranking;
  const precision = edited.precision ?? DEFAULT_PRECISION;
  if (original.precision !== undefined || precision !== DEFAULT_PRECISION) out.precision = precision;
  if (ranking === "ordinal" && edited.tieBreak) out.tieBreak = edited.tieBreak;
  return out;
}

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
