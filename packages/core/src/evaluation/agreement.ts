/**
 * Agreement between evaluators (评估人员) who score the same cells (unit × indicator).
 *
 * - exact agreement: the share of cells rated by two or more raters on which every rater gave the
 *   same value (within 1e-9); for two raters this is the usual percent agreement;
 * - Krippendorff's alpha (interval and nominal), after Krippendorff (2011) "Computing Krippendorff's
 *   Alpha-Reliability": α = 1 − D_o / D_e over pairable values (cells with ≥ 2 values), any number
 *   of raters, missing values allowed; null when there is no variation at all (D_e = 0);
 * - intraclass correlations after Shrout & Fleiss (1979): ICC(1,1) when every cell has the same
 *   number k of raters; ICC(2,1) (absolute agreement, raters random) and ICC(3,1) (consistency,
 *   raters fixed) only when the same k raters rated every cell — otherwise null.
 * Per indicator, the units are that indicator's cells. Overall, every cell counts as a unit; pass
 * `scale` (e.g. each indicator's points) to pool values as fractions of their indicator's scale,
 * otherwise big indicators dominate.
 */
import { invalid } from "../errors.ts";

export type Rating = { unit: string; indicator: string; rater: string; value: number };

export type AgreementStats = {
  /** Cells rated by two raters or more. */
  cells: number;
  /** Values in those cells (Krippendorff's n). */
  values: number;
  exactAgreement: number | null;
  alphaInterval: number | null;
  alphaNominal: number | null;
  icc11: number | null;
  icc21: number | null;
  icc31: number | null;
};

export type AgreementReport = { overall: AgreementStats; byIndicator: Record<string, AgreementStats> };

const SAME = 1e-9;

/**
 * Cells as flat arrays: the values of cell c are `values[start[c] .. start[c + 1])`, their raters
 * `raters[…]` (interned ids). Kept flat so 900,000 ratings do not become 450,000 small arrays.
 */
type Flat = { values: Float64Array; raters: Int32Array; start: Int32Array };

/** Krippendorff's alpha over the given cells (each with ≥ 2 values), values divided by `scale[c]`. */
function alphaOf(
  f: Flat,
  cells: Int32Array,
  scale: Float64Array | null,
  metric: "interval" | "nominal",
): number | null {
  let n = 0;
  for (const c of cells) n += (f.start[c + 1] as number) - (f.start[c] as number);
  if (n < 2) return null;
  const v = (c: number, i: number) => (f.values[i] as number) / (scale ? (scale[c] as number) : 1);
  // Σ over ordered pairs i ≠ j of δ²: interval 2·m·Σ(v − mean)²; nominal m² − Σ_c n_c².
  let observed = 0;
  if (metric === "interval") {
    let sum = 0;
    for (const c of cells)
      for (let i = f.start[c] as number; i < (f.start[c + 1] as number); i++) sum += v(c, i);
    const mean = sum / n;
    let ss = 0;
    for (const c of cells) {
      const a = f.start[c] as number;
      const b = f.start[c + 1] as number;
      let us = 0;
      for (let i = a; i < b; i++) us += v(c, i);
      const um = us / (b - a);
      let uss = 0;
      for (let i = a; i < b; i++) {
        const x = v(c, i);
        uss += (x - um) ** 2;
        ss += (x - mean) ** 2;
      }
      observed += (2 * (b - a) * uss) / (b - a - 1);
    }
    const expected = 2 * n * ss;
    return expected <= SAME * n ? null : 1 - ((n - 1) * observed) / expected;
  }
  const all = new Map<number, number>();
  for (const c of cells) {
    const a = f.start[c] as number;
    const b = f.start[c + 1] as number;
    let same = 0; // Σ_c n_uc² as ordered pairs (i, j) with equal values, i = j included
    for (let i = a; i < b; i++) {
      const x = v(c, i);
      all.set(x, (all.get(x) ?? 0) + 1);
      for (let j = a; j < b; j++) if (v(c, j) === x) same++;
    }
    observed += ((b - a) * (b - a) - same) / (b - a - 1);
  }
  let sq = 0;
  for (const k of all.values()) sq += k * k;
  const expected = n * n - sq;
  return expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
}

const flatten = (units: readonly (readonly number[])[]) => {
  const pairable = units.filter((u) => u.length >= 2);
  const start = new Int32Array(pairable.length + 1);
  pairable.forEach((u, i) => {
    start[i + 1] = (start[i] as number) + u.length;
  });
  const f: Flat = { values: Float64Array.from(pairable.flat()), raters: new Int32Array(0), start };
  return { f, cells: Int32Array.from(pairable.keys()) };
};

/**
 * Krippendorff's alpha over units of values (each inner array: the values one unit received, missing
 * ones left out). Units with fewer than two values are not pairable and are ignored.
 */
export function krippendorffAlpha(
  units: readonly (readonly number[])[],
  metric: "interval" | "nominal",
): number | null {
  const { f, cells } = flatten(units);
  return alphaOf(f, cells, null, metric);
}

type Iccs = {
  icc11: number | null;
  icc21: number | null;
  icc31: number | null;
  icc1k: number | null;
  icc2k: number | null;
  icc3k: number | null;
};

/** Two-way ANOVA on an n × k row-major matrix read through `at(row, col)`. */
function iccOf(n: number, k: number, at: (row: number, col: number) => number): Iccs {
  if (n < 2 || k < 2) return { icc11: null, icc21: null, icc31: null, icc1k: null, icc2k: null, icc3k: null };
  let grand = 0;
  const colSums = new Float64Array(k);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < k; c++) {
      const x = at(r, c);
      grand += x;
      colSums[c] = (colSums[c] as number) + x;
    }
  grand /= n * k;
  let sst = 0;
  let ssr = 0;
  for (let r = 0; r < n; r++) {
    let rs = 0;
    for (let c = 0; c < k; c++) {
      const x = at(r, c);
      rs += x;
      sst += (x - grand) ** 2;
    }
    ssr += k * (rs / k - grand) ** 2;
  }
  let ssc = 0;
  for (const s of colSums) ssc += n * (s / n - grand) ** 2;
  const sse = sst - ssr - ssc;
  const bms = ssr / (n - 1);
  const jms = ssc / (k - 1);
  const ems = sse / ((n - 1) * (k - 1));
  const wms = (ssc + sse) / (n * (k - 1));
  const ratio = (num: number, den: number) => (Math.abs(den) < 1e-12 ? null : num / den);
  return {
    icc11: ratio(bms - wms, bms + (k - 1) * wms),
    icc21: ratio(bms - ems, bms + (k - 1) * ems + (k * (jms - ems)) / n),
    icc31: ratio(bms - ems, bms + (k - 1) * ems),
    icc1k: ratio(bms - wms, bms),
    icc2k: ratio(bms - ems, bms + (jms - ems) / n),
    icc3k: ratio(bms - ems, bms),
  };
}

/**
 * Intraclass correlations of a complete targets × judges matrix (Shrout & Fleiss 1979): single-rater
 * ICC(1,1), ICC(2,1), ICC(3,1) and their k-rater averages. Null when undefined (fewer than two
 * targets or judges, or no variance).
 */
export function icc(matrix: readonly (readonly number[])[]): Iccs {
  const k = matrix[0]?.length ?? 0;
  if (matrix.some((row) => row.length !== k)) {
    throw invalid("计算组内相关系数(ICC)需要完整的评分矩阵:每个对象的评分人数必须相同。");
  }
  return iccOf(matrix.length, k, (r, c) => matrix[r]?.[c] as number);
}

function statsOf(f: Flat, cells: Int32Array, scale: Float64Array | null): AgreementStats {
  let values = 0;
  let agreeing = 0;
  for (const c of cells) {
    const a = f.start[c] as number;
    const b = f.start[c + 1] as number;
    values += b - a;
    const first = f.values[a] as number;
    let same = true;
    for (let i = a + 1; i < b && same; i++)
      same = Math.abs((f.values[i] as number) - first) <= SAME * Math.max(1, Math.abs(first));
    if (same) agreeing++;
  }
  let iccs = { icc11: null as number | null, icc21: null as number | null, icc31: null as number | null };
  const c0 = cells[0] ?? 0;
  const k = cells.length > 0 ? (f.start[c0 + 1] as number) - (f.start[c0] as number) : 0;
  let sameK = cells.length >= 2;
  for (const c of cells) if ((f.start[c + 1] as number) - (f.start[c] as number) !== k) sameK = false;
  if (sameK) {
    // Ratings are stored in rater-id order within a cell, so column j is the same rater in every
    // row exactly when every cell has the first cell's raters; otherwise only ICC(1,1) holds.
    const a0 = f.start[c0] as number;
    let sameRaters = true;
    for (const c of cells) {
      const a = f.start[c] as number;
      for (let j = 0; j < k && sameRaters; j++) sameRaters = f.raters[a + j] === f.raters[a0 + j];
      if (!sameRaters) break;
    }
    const all = iccOf(cells.length, k, (r, j) => {
      const c = cells[r] as number;
      return (f.values[(f.start[c] as number) + j] as number) / (scale ? (scale[c] as number) : 1);
    });
    iccs = { icc11: all.icc11, icc21: sameRaters ? all.icc21 : null, icc31: sameRaters ? all.icc31 : null };
  }
  return {
    cells: cells.length,
    values,
    exactAgreement: cells.length > 0 ? agreeing / cells.length : null,
    alphaInterval: alphaOf(f, cells, scale, "interval"),
    alphaNominal: alphaOf(f, cells, scale, "nominal"),
    ...iccs,
  };
}

/**
 * Rated cells, flat: cell c belongs to indicator `indicators[cellIndicator[c]]`; its values are
 * `values[start[c] .. start[c + 1])`, given by `raters[…]` (any integer ids) in strictly increasing
 * rater order. A store that already holds its ratings cell by cell hands them over like this, with no
 * object per rating (900,000 at province scale).
 */
export type RatedCells = {
  indicators: readonly string[];
  cellIndicator: Int32Array;
  start: Int32Array;
  values: Float64Array;
  raters: Int32Array;
};

/**
 * Agreement per indicator and overall. A rater rating the same cell twice is refused.
 * `opts.scale(indicator)` divides values before pooling them in `overall` (per-indicator statistics
 * do not change under a common scale).
 */
export function agreement(
  ratings: readonly Rating[],
  opts: { scale?: (indicator: string) => number } = {},
): AgreementReport {
  // Intern indicators, units-within-indicator (cells) and raters.
  const indicatorIds = new Map<string, number>();
  const indicatorNames: string[] = [];
  const cellIds: Map<string, number>[] = [];
  const raterIds = new Map<string, number>();
  const raterNames: string[] = [];
  const cellIndicator: number[] = [];
  const cellOf = new Int32Array(ratings.length);
  const raterOf = new Int32Array(ratings.length);
  ratings.forEach((r, i) => {
    if (!Number.isFinite(r.value))
      throw invalid(`评估人员「${r.rater}」给单位「${r.unit}」指标 ${r.indicator} 的得分不是有效数字。`);
    let ind = indicatorIds.get(r.indicator);
    if (ind === undefined) {
      ind = indicatorNames.length;
      indicatorIds.set(r.indicator, ind);
      indicatorNames.push(r.indicator);
      cellIds.push(new Map());
    }
    const cells = cellIds[ind] as Map<string, number>;
    let cell = cells.get(r.unit);
    if (cell === undefined) {
      cell = cellIndicator.length;
      cells.set(r.unit, cell);
      cellIndicator.push(ind);
    }
    let rater = raterIds.get(r.rater);
    if (rater === undefined) {
      rater = raterNames.length;
      raterIds.set(r.rater, rater);
      raterNames.push(r.rater);
    }
    cellOf[i] = cell;
    raterOf[i] = rater;
  });
  // Counting sort of ratings by cell, then by rater id within a cell.
  const cellCount = cellIndicator.length;
  const start = new Int32Array(cellCount + 1);
  for (const c of cellOf) start[c + 1] = (start[c + 1] as number) + 1;
  for (let c = 0; c < cellCount; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, cellCount);
  const values = new Float64Array(ratings.length);
  const raters = new Int32Array(ratings.length);
  ratings.forEach((r, i) => {
    const c = cellOf[i] as number;
    const at = fill[c] as number;
    fill[c] = at + 1;
    // insertion into rater order (cells hold a handful of ratings)
    let j = at;
    const rid = raterOf[i] as number;
    while (j > (start[c] as number) && (raters[j - 1] as number) > rid) {
      raters[j] = raters[j - 1] as number;
      values[j] = values[j - 1] as number;
      j--;
    }
    if (j > (start[c] as number) && raters[j - 1] === rid) {
      throw invalid(
        `评估人员「${r.rater}」给单位「${r.unit}」指标 ${r.indicator} 评了两次分:每人每格只保留一个得分。`,
      );
    }
    raters[j] = rid;
    values[j] = r.value;
  });
  return agreementOfCells(
    { indicators: indicatorNames, cellIndicator: Int32Array.from(cellIndicator), start, values, raters },
    opts,
  );
}

/**
 * `agreement` over cells already flat (see `RatedCells`): the same statistics and the same refusals
 * (a value that is not a number, a rater twice in one cell, a scale that is not positive). An
 * indicator is reported when it has a cell.
 */
export function agreementOfCells(
  rated: RatedCells,
  opts: { scale?: (indicator: string) => number } = {},
): AgreementReport {
  const { indicators, cellIndicator, start, values, raters } = rated;
  const cellCount = cellIndicator.length;
  if (start.length !== cellCount + 1 || raters.length !== values.length || start[cellCount] !== values.length)
    throw invalid("评分数据不完整:单元格与得分的数量对不上,请重新读取后再计算一致性。");
  const cellsOf = new Int32Array(indicators.length);
  for (let c = 0; c < cellCount; c++) {
    const ind = cellIndicator[c] as number;
    cellsOf[ind] = (cellsOf[ind] as number) + 1;
    for (let i = start[c] as number; i < (start[c + 1] as number); i++) {
      if (!Number.isFinite(values[i] as number))
        throw invalid(`指标 ${indicators[ind]} 有一个得分不是有效数字:请检查评估人员 ${raters[i]} 的评分。`);
      if (i > (start[c] as number) && (raters[i] as number) <= (raters[i - 1] as number))
        throw invalid(
          `评估人员 ${raters[i]} 在指标 ${indicators[ind]} 的同一格评了两次分(或评分未按评估人员排序):每人每格只保留一个得分。`,
        );
    }
  }
  const f: Flat = { values, raters, start };

  // Pairable cells in indicator order (a counting sort): indicator i's are `order[at[i] .. at[i + 1])`.
  const at = new Int32Array(indicators.length + 1);
  for (let c = 0; c < cellCount; c++) {
    if ((start[c + 1] as number) - (start[c] as number) >= 2) {
      const ind = cellIndicator[c] as number;
      at[ind + 1] = (at[ind + 1] as number) + 1;
    }
  }
  for (let i = 0; i < indicators.length; i++) at[i + 1] = (at[i + 1] as number) + (at[i] as number);
  const order = new Int32Array(at[indicators.length] as number);
  const next = at.slice(0, indicators.length);
  for (let c = 0; c < cellCount; c++) {
    if ((start[c + 1] as number) - (start[c] as number) >= 2) {
      const ind = cellIndicator[c] as number;
      order[next[ind] as number] = c;
      next[ind] = (next[ind] as number) + 1;
    }
  }
  const scaleOf = indicators.map((name) => {
    const s = opts.scale ? opts.scale(name) : 1;
    if (!(s > 0 && Number.isFinite(s))) throw invalid(`指标 ${name} 的分值尺度 ${s} 无效:应大于 0。`);
    return s;
  });
  const scale = opts.scale ? Float64Array.from(cellIndicator, (i) => scaleOf[i] as number) : null;
  const byIndicator: Record<string, AgreementStats> = {};
  indicators.forEach((name, i) => {
    if (cellsOf[i] === 0) return;
    byIndicator[name] = statsOf(f, order.subarray(at[i] as number, at[i + 1] as number), null);
  });
  return { overall: statsOf(f, order, scale), byIndicator };
}
