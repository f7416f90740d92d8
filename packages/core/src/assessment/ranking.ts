/**
 * Ranking and grade bands. Edge rules:
 * - totals are first rounded to the scheme's `precision` (decimals, default 2; half up on the
 *   decimal value, see rounding.ts) and ranked by the rounded totals, compared exactly: at
 *   precision 1, 80.04 and 80.01 are both 80.0 and tie; at 2 they do not. The rounded total is the
 *   total a ranked unit is shown with (`rankUnits` returns it as `total`);
 * - ties by the scheme's `ranking` convention: `competition` (default) shares the rank and skips
 *   the next (1, 2, 2, 4; 并列占位); `dense` shares it without skipping (1, 2, 2, 3; 并列不占位);
 *   `ordinal` gives every unit its own rank (1, 2, 3, 4), ties broken by the `tieBreak`
 *   indicator's score (higher first, rounded to the same precision; a unit without that score
 *   after those with it), then by unit name in Chinese collation (zh-Hans-CN, pinyin order);
 * - incomplete units are not ranked (`rank` null) and come last, by unit name;
 * - a vetoed unit ranks after every unit that is not vetoed (among themselves by total, under the
 *   same convention) and gets the lowest grade, even while incomplete (a veto fails the unit);
 * - the order never depends on the input order: ties are listed by unit name (code point order;
 *   under `ordinal`, the tie-break order);
 * - grades by score and by share: see grades.ts (a vetoed unit gets the lowest band).
 * Units are ranked within one comparable group (departments apart from towns): call once per group,
 * or use `rankWithinGroups`.
 */
import { invalid } from "../errors.ts";
import { assignGrades, lowestGrade } from "./grades.ts";
import { DEFAULT_PRECISION, MAX_PRECISION, roundedKey, roundHalfUp } from "./rounding.ts";
import type { GradeBand, IndicatorSystem, RankingConvention } from "./scheme.ts";
import type { UnitScore } from "./scoring.ts";

export type RankedUnit = UnitScore & { rank: number | null; grade: string | null };

/** How units are ranked: a scheme's grade bands and ranking keys (see the module comment). */
export type RankingOptions = {
  grades?: readonly GradeBand[] | null | undefined;
  ranking?: RankingConvention | undefined;
  precision?: number | undefined;
  tieBreak?: string | null | undefined;
};

/** The ranking options a scheme states (grades, ranking, precision, tieBreak). */
export const rankingOptionsOf = (system: IndicatorSystem): RankingOptions => ({
  grades: system.grades,
  ranking: system.ranking,
  precision: system.precision,
  tieBreak: system.tieBreak,
});

/** What ranking reads of a unit (`indicators` only for an `ordinal` tie-break). */
export type Rankable = Pick<UnitScore, "unit" | "total" | "vetoed"> & {
  indicators?: Readonly<Record<string, number>> | undefined;
};

/**
 * Where each unit places, without copying the units: `order` lists the input indices in ranking
 * order (ranked units, then the unranked); `rank[i]`, `grade[i]` and `total[i]` (the rounded total
 * that was ranked, null for an incomplete unit) are input `i`'s. The rules are those of the module
 * comment; `rankUnits` gives the same as ranked copies.
 */
export type Placing = {
  order: number[];
  rank: (number | null)[];
  grade: (string | null)[];
  total: (number | null)[];
};

let collator: Intl.Collator | null = null;
const zhCollator = () => {
  collator ??= new Intl.Collator("zh-Hans-CN");
  return collator;
};

export function placeUnits(scores: readonly Rankable[], opts: RankingOptions = {}): Placing {
  const seen = new Set<string>();
  for (const s of scores) {
    if (seen.has(s.unit))
      throw invalid(`单位「${s.unit}」出现了两次:每个单位只能排名一次,请合并重复的单位。`);
    seen.add(s.unit);
  }
  const precision = opts.precision ?? DEFAULT_PRECISION;
  if (!Number.isInteger(precision) || precision < 0 || precision > MAX_PRECISION)
    throw invalid(`排名精度(precision)${precision} 无效:应为 0 到 ${MAX_PRECISION} 的整数(小数位数)。`);
  const convention = opts.ranking ?? "competition";
  const tieBreak = convention === "ordinal" ? (opts.tieBreak ?? null) : null;
  const grades = opts.grades ?? null;
  const lowest = lowestGrade(grades);
  const n = scores.length;
  const rank: (number | null)[] = new Array(n).fill(null);
  const grade: (string | null)[] = new Array(n).fill(null);
  const total: (number | null)[] = new Array(n).fill(null);
  // What the order compares, read once per unit (the sort compares some 35,000 pairs at 3,000).
  const names: string[] = new Array(n);
  const vetoed = new Uint8Array(n);
  const keys = new Float64Array(n);
  const second = new Float64Array(n); // the tie-break indicator's key (ordinal only)
  const complete: number[] = [];
  const unranked: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i] as Rankable;
    names[i] = s.unit;
    vetoed[i] = s.vetoed ? 1 : 0;
    if (s.total === null) unranked.push(i);
    else {
      const rounded = roundHalfUp(s.total, precision);
      total[i] = rounded;
      keys[i] = roundedKey(rounded, precision);
      complete.push(i);
    }
    if (tieBreak !== null) {
      const v = s.indicators?.[tieBreak];
      second[i] =
        v === undefined || !Number.isFinite(v)
          ? Number.NEGATIVE_INFINITY
          : roundedKey(roundHalfUp(v, precision), precision);
    }
  }
  const byNameAt = (a: number, b: number) => {
    const x = names[a] as string;
    const y = names[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const tieOrder =
    convention === "ordinal"
      ? (a: number, b: number) =>
          (second[b] as number) - (second[a] as number) ||
          zhCollator().compare(names[a] as string, names[b] as string) ||
          byNameAt(a, b)
      : byNameAt;
  complete.sort(
    (a, b) =>
      (vetoed[a] as number) - (vetoed[b] as number) ||
      (keys[b] as number) - (keys[a] as number) ||
      tieOrder(a, b),
  );
  const tied = (a: number, b: number) => keys[a] === keys[b] && vetoed[a] === vetoed[b];
  let dense = 0;
  for (let i = 0; i < complete.length; i++) {
    const at = complete[i] as number;
    const startsGroup = i === 0 || !tied(complete[i - 1] as number, at);
    if (startsGroup) dense++;
    rank[at] =
      convention === "ordinal"
        ? i + 1
        : convention === "dense"
          ? dense
          : startsGroup
            ? i + 1
            : (rank[complete[i - 1] as number] as number);
  }
  assignGrades(complete, tied, total, vetoed, grade, grades);
  unranked.sort(byNameAt);
  for (const u of unranked) grade[u] = vetoed[u] ? lowest : null;
  return { order: [...complete, ...unranked], rank, grade, total };
}

/** Ranked copies of the units in ranking order, each `total` the rounded total that was ranked. */
export function rankUnits(scores: readonly UnitScore[], opts: RankingOptions = {}): RankedUnit[] {
  const { order, rank, grade, total } = placeUnits(scores, opts);
  // Object.assign, not `{ ...s, rank }`: on Node 20 a spread followed by new keys makes a slow
  // object (~2 µs each, 6 ms for 3,000 units); assign is some ten times faster.
  return order.map((i) =>
    Object.assign({}, scores[i] as UnitScore, {
      total: total[i] as number | null,
      rank: rank[i] as number | null,
      grade: grade[i] as string | null,
    }),
  );
}

/** Ranks each comparable group apart (e.g. departments, towns; evaluation tiers). */
export function rankWithinGroups(
  scores: readonly UnitScore[],
  groupOf: (unit: string) => string,
  opts: RankingOptions = {},
): Map<string, RankedUnit[]> {
  const groups = new Map<string, UnitScore[]>();
  for (const s of scores) {
    const g = groupOf(s.unit);
    const list = groups.get(g);
    if (list) list.push(s);
    else groups.set(g, [s]);
  }
  return new Map([...groups].map(([g, list]) => [g, rankUnits(list, opts)]));
}
