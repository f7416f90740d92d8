/**
 * How results are ranked, as a scheme's (or an evaluation's indicator system's) JSON states it:
 * the keys, what saving keeps of them, and the one line results pages show.
 */

import { DEFAULT_PRECISION } from "@gongkai/core/rounding";
import type { RankingKeys } from "@gongkai/core/rule-text";

export { conventionNames, conventionNotes, type RankingKeys, rankingRuleText } from "@gongkai/core/rule-text";

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
