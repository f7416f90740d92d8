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

const byName = (a: { unit: string }, b: { unit: string }) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);

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

export function rankUnits(
  scores: readonly UnitScore[],
  opts: { grades?: readonly GradeBand[] | null } = {},
): RankedUnit[] {
  const seen = new Set<string>();
  for (const s of scores) {
    if (seen.has(s.unit))
      throw invalid(`单位「${s.unit}」出现了两次:每个单位只能排名一次,请合并重复的单位。`);
    seen.add(s.unit);
  }
  const grades = opts.grades ?? null;
  const lowest = lowestGrade(grades);
  const complete = scores.filter((s) => s.total !== null);
  const keyed = complete
    .map((s) => ({ s, key: rankKey(s.total ?? 0) }))
    .sort((a, b) => Number(a.s.vetoed) - Number(b.s.vetoed) || b.key - a.key || byName(a.s, b.s));

  const ranked: RankedUnit[] = [];
  let i = 0;
  while (i < keyed.length) {
    const first = keyed[i] as (typeof keyed)[number];
    let j = i + 1;
    while (j < keyed.length && keyed[j]?.key === first.key && keyed[j]?.s.vetoed === first.s.vetoed) j++;
    // Object.assign, not `{ ...s, rank }`: on Node 20 a spread followed by new keys makes a slow
    // object (~2 µs each, 6 ms for 3,000 units); assign is some ten times faster.
    for (const { s } of keyed.slice(i, j)) ranked.push(Object.assign({}, s, { rank: i + 1, grade: null }));
    i = j;
  }
  assignGrades(ranked, grades, lowest);

  const unranked = scores
    .filter((s) => s.total === null)
    .sort(byName)
    .map((s): RankedUnit => Object.assign({}, s, { rank: null, grade: s.vetoed ? lowest : null }));
  return [...ranked, ...unranked];
}

function assignGrades(ranked: RankedUnit[], grades: readonly GradeBand[] | null, lowest: string | null) {
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
    const first = ranked[i] as RankedUnit;
    let j = i + 1;
    while (j < ranked.length && ranked[j]?.rank === first.rank) j++;
    const size = j - i;
    let grade: string | null = null;
    if (first.vetoed) grade = lowest;
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
        grade = band.name;
        break;
      }
    }
    for (let k = i; k < j; k++) (ranked[k] as RankedUnit).grade = grade;
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
