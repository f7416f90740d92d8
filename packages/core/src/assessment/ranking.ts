/**
 * Ranking and grade bands. Edge rules:
 * - ties share a rank and the next rank skips (1, 2, 2, 4); totals equal to 1e-6 are ties, so
 *   floating-point noise from weighted sums never breaks a tie people see as one;
 * - incomplete units are not ranked (`rank` null) and come last, by unit name;
 * - a vetoed unit ranks after every unit that is not vetoed (among themselves by total) and gets
 *   the lowest grade, even while incomplete (a veto fails the unit whatever else it scores);
 * - the order never depends on the input order: ties are listed by unit name;
 * - grades: the highest band whose `min` the total reaches (inclusive: 80分以上 includes 80). A band
 *   with `quotaPercent` holds at most floor(quotaPercent% × ranked units); a group of tied units that
 *   would overflow it goes down a band together (nobody tied is favoured) and the band closes, so a
 *   lower-ranked unit never gets a better grade than a higher-ranked one.
 * Units are ranked within one comparable group (departments apart from towns): call once per group,
 * or use `rankWithinGroups`.
 */
import { invalid } from "../errors.ts";
import type { GradeBand } from "./scheme.ts";
import type { UnitScore } from "./scoring.ts";

export type RankedUnit = UnitScore & { rank: number | null; grade: string | null };

const TIE_SCALE = 1e6;
const EPS = 1e-9;

/** The integer a total is compared by: totals within 1e-6 of each other tie. */
export const rankKey = (total: number) => Math.round(total * TIE_SCALE);

/** Bands from the highest `min` down (stable for equal mins). */
const ordered = (grades: readonly GradeBand[]) =>
  grades
    .map((g, i) => ({ g, i }))
    .sort((a, b) => b.g.min - a.g.min || a.i - b.i)
    .map(({ g }) => g);

/** The lowest grade band (smallest `min`), given to vetoed units. */
export const lowestGrade = (grades: readonly GradeBand[] | null | undefined): string | null =>
  grades && grades.length > 0 ? (ordered(grades).at(-1)?.name ?? null) : null;

/** The band a total reaches by threshold alone (no quota); `min` is inclusive. */
export function gradeFor(total: number, grades: readonly GradeBand[] | null | undefined): string | null {
  if (!grades) return null;
  for (const g of ordered(grades)) if (total >= g.min - EPS * Math.max(1, Math.abs(g.min))) return g.name;
  return null;
}

/** What ranking reads of a unit. */
export type Rankable = Pick<UnitScore, "unit" | "total" | "vetoed">;

/**
 * Where each unit places, without copying the units: `order` lists the input indices in ranking
 * order (ranked units, then the unranked); `rank[i]` and `grade[i]` are input `i`'s. The rules are
 * those of the module comment; `rankUnits` gives the same as ranked copies.
 */
export type Placing = { order: number[]; rank: (number | null)[]; grade: (string | null)[] };

export function placeUnits(
  scores: readonly Rankable[],
  opts: { grades?: readonly GradeBand[] | null } = {},
): Placing {
  const seen = new Set<string>();
  for (const s of scores) {
    if (seen.has(s.unit))
      throw invalid(`单位「${s.unit}」出现了两次:每个单位只能排名一次,请合并重复的单位。`);
    seen.add(s.unit);
  }
  const grades = opts.grades ?? null;
  const lowest = lowestGrade(grades);
  const n = scores.length;
  const rank: (number | null)[] = new Array(n).fill(null);
  const grade: (string | null)[] = new Array(n).fill(null);
  // What the order compares, read once per unit (the sort compares some 35,000 pairs at 3,000).
  const names: string[] = new Array(n);
  const vetoed = new Uint8Array(n);
  const keys = new Float64Array(n);
  const complete: number[] = [];
  const unranked: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i] as Rankable;
    names[i] = s.unit;
    vetoed[i] = s.vetoed ? 1 : 0;
    if (s.total === null) unranked.push(i);
    else {
      keys[i] = rankKey(s.total);
      complete.push(i);
    }
  }
  const byNameAt = (a: number, b: number) => {
    const x = names[a] as string;
    const y = names[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  complete.sort(
    (a, b) =>
      (vetoed[a] as number) - (vetoed[b] as number) ||
      (keys[b] as number) - (keys[a] as number) ||
      byNameAt(a, b),
  );
  let i = 0;
  while (i < complete.length) {
    const first = complete[i] as number;
    let j = i + 1;
    while (
      j < complete.length &&
      keys[complete[j] as number] === keys[first] &&
      vetoed[complete[j] as number] === vetoed[first]
    )
      j++;
    for (let k = i; k < j; k++) rank[complete[k] as number] = i + 1;
    i = j;
  }
  assignGrades(complete, scores, rank, grade, grades, lowest);
  unranked.sort(byNameAt);
  for (const u of unranked) grade[u] = vetoed[u] ? lowest : null;
  return { order: [...complete, ...unranked], rank, grade };
}

export function rankUnits(
  scores: readonly UnitScore[],
  opts: { grades?: readonly GradeBand[] | null } = {},
): RankedUnit[] {
  const { order, rank, grade } = placeUnits(scores, opts);
  // Object.assign, not `{ ...s, rank }`: on Node 20 a spread followed by new keys makes a slow
  // object (~2 µs each, 6 ms for 3,000 units); assign is some ten times faster.
  return order.map((i) =>
    Object.assign({}, scores[i] as UnitScore, {
      rank: rank[i] as number | null,
      grade: grade[i] as string | null,
    }),
  );
}

/** Grades of the ranked units (`ranked`: input indices in ranking order, ties adjacent). */
function assignGrades(
  ranked: readonly number[],
  scores: readonly Rankable[],
  rank: readonly (number | null)[],
  grade: (string | null)[],
  grades: readonly GradeBand[] | null,
  lowest: string | null,
) {
  if (!grades || grades.length === 0) return;
  const bands = ordered(grades);
  const capacity = bands.map((g) =>
    g.quotaPercent === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor((g.quotaPercent / 100) * ranked.length + EPS),
  );
  const used = bands.map(() => 0);
  const closed = bands.map(() => false);
  let i = 0;
  while (i < ranked.length) {
    const first = scores[ranked[i] as number] as Rankable;
    const firstRank = rank[ranked[i] as number];
    let j = i + 1;
    while (j < ranked.length && rank[ranked[j] as number] === firstRank) j++;
    const size = j - i;
    let g: string | null = null;
    if (first.vetoed) g = lowest;
    else {
      const total = first.total ?? 0;
      for (let b = 0; b < bands.length; b++) {
        const band = bands[b] as GradeBand;
        if (closed[b] || total < band.min - EPS * Math.max(1, Math.abs(band.min))) continue;
        if ((used[b] as number) + size > (capacity[b] as number)) {
          closed[b] = true;
          continue;
        }
        used[b] = (used[b] as number) + size;
        g = band.name;
        break;
      }
    }
    for (let k = i; k < j; k++) grade[ranked[k] as number] = g;
    i = j;
  }
}

/** Ranks each comparable group apart (e.g. departments, towns; evaluation tiers). */
export function rankWithinGroups(
  scores: readonly UnitScore[],
  groupOf: (unit: string) => string,
  opts: { grades?: readonly GradeBand[] | null } = {},
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
