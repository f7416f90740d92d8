/**
 * Grade bands (等次): by score, by share of the ranked units, or both. Edge rules:
 * - a band with `min` takes totals from `min` up (inclusive: 90分以上 includes 90), compared on the
 *   *rounded* total that was ranked; a band without `min` has no score floor and must state
 *   `quotaPercent` (优秀 = 排名前 20%);
 * - bands are tried from the best down: those without `min` first, in the order listed, then by
 *   `min` from the highest (bands with equal `min` in the order listed); a unit gets the first
 *   band it reaches that still has room;
 * - `quotaPercent` caps a band at floor(quotaPercent% × ranked units) units (20% of 12 is 2;
 *   名额向下取整, as 不超过 20% requires). Units with equal rounded totals are never split: with
 *   `quotaTies` "down" (the default, 并列超额一并降档) a tied group that would overflow the band goes
 *   down a band together and the band closes; with "include" (并列一并评入) a tied group that starts
 *   inside the quota enters together, even past it, and the band closes after it. Either way a
 *   lower-ranked unit never gets a better grade than a higher-ranked one;
 * - a vetoed unit gets the lowest band (the last tried), whatever its total.
 */
import type { GradeBand } from "./scheme.ts";

/** Where units tied at a quota's boundary go (see the module comment). */
export const quotaTiesRules = ["down", "include"] as const;
export type QuotaTies = (typeof quotaTiesRules)[number];
export const quotaTiesLabels: Record<QuotaTies, string> = {
  down: "并列超出名额的一并降入下一等次",
  include: "并列的一并评入本等次(可超出名额)",
};

const EPS = 1e-9;

/** Bands in the order they are tried (see the module comment). */
export const orderedBands = (grades: readonly GradeBand[]): GradeBand[] =>
  grades
    .map((g, i) => ({ g, i, min: g.min ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => (a.min === b.min ? a.i - b.i : b.min - a.min))
    .map(({ g }) => g);

const reaches = (total: number, band: GradeBand) =>
  band.min === undefined || total >= band.min - EPS * Math.max(1, Math.abs(band.min));

/** The lowest grade band (the last tried), given to vetoed units. */
export const lowestGrade = (grades: readonly GradeBand[] | null | undefined): string | null =>
  grades && grades.length > 0 ? (orderedBands(grades).at(-1)?.name ?? null) : null;

/** How many units a band may hold among `ranked` (Infinity without a quota). */
export const bandCapacity = (band: GradeBand, ranked: number): number =>
  band.quotaPercent === undefined
    ? Number.POSITIVE_INFINITY
    : Math.floor((band.quotaPercent / 100) * ranked + EPS);

/**
 * Grades of the ranked units (`ranked`: input indices in ranking order; `tied` says whether two
 * share a rounded total and veto status, which sit next to each other in that order), written
 * into `grade` by input index.
 */
export function assignGrades(
  ranked: readonly number[],
  tied: (a: number, b: number) => boolean,
  total: readonly (number | null)[],
  vetoed: Uint8Array,
  grade: (string | null)[],
  grades: readonly GradeBand[] | null,
) {
  if (!grades || grades.length === 0) return;
  const bands = orderedBands(grades);
  const lowest = bands.at(-1)?.name ?? null;
  const capacity = bands.map((g) => bandCapacity(g, ranked.length));
  const used = bands.map(() => 0);
  const closed = bands.map(() => false);
  let i = 0;
  while (i < ranked.length) {
    const first = ranked[i] as number;
    let j = i + 1;
    while (j < ranked.length && tied(first, ranked[j] as number)) j++;
    const size = j - i;
    let g: string | null = null;
    if (vetoed[first]) g = lowest;
    else {
      const t = total[first] ?? 0;
      for (let b = 0; b < bands.length; b++) {
        const band = bands[b] as GradeBand;
        if (closed[b] || !reaches(t, band)) continue;
        const room = (capacity[b] as number) - (used[b] as number);
        const fits = band.quotaTies === "include" ? room > 0 : size <= room;
        if (!fits) {
          closed[b] = true;
          continue;
        }
        used[b] = (used[b] as number) + size;
        if ((used[b] as number) >= (capacity[b] as number)) closed[b] = true;
        g = band.name;
        break;
      }
    }
    for (let k = i; k < j; k++) grade[ranked[k] as number] = g;
    i = j;
  }
}

const num = (x: number) => String(Number(x.toFixed(6)));

/** One band in words: 优秀:90 分及以上,且不超过参评单位的 20%(名额向下取整,并列超出名额的一并降入下一等次). */
export function gradeBandText(band: GradeBand): string {
  const parts: string[] = [];
  if (band.min !== undefined) parts.push(`${num(band.min)} 分及以上`);
  if (band.quotaPercent !== undefined) {
    const share =
      band.min === undefined
        ? `排名前 ${num(band.quotaPercent)}%`
        : `不超过参评单位的 ${num(band.quotaPercent)}%`;
    const ties = band.quotaTies === "include" ? "并列的一并评入,可超出名额" : quotaTiesLabels.down;
    parts.push(`${share}(名额向下取整,${ties})`);
  }
  return `${band.name}:${parts.join(",且")}`;
}

/** The grade rule in one line, bands from the best down: 等次:优秀:…;良好:80 分及以上;… */
export const gradeRuleText = (grades: readonly GradeBand[]): string =>
  `等次:${orderedBands(grades).map(gradeBandText).join(";")}`;
