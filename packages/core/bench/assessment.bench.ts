/**
 * Assessment and evaluation benchmarks (issue 5: scoring and ranking 3,000 units × 150 indicators
 * should take under 500 ms; issue 6: agreement over 3,000 units × 150 indicators × 2 raters).
 * Data is generated from a fixed seed so runs compare.
 */
import {
  agreement,
  agreementOfCells,
  type IndicatorSystem,
  type Rating,
  rankUnits,
  scoreUnits,
} from "../src/index.ts";
import { type BenchResult, measure } from "./harness.ts";

const UNITS = 3000;
const LEAVES = 150;

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 10 first-level × 3 second-level × 5 leaves = 150 leaves, mixed rules, plus a veto and a bonus. */
function scheme(): IndicatorSystem {
  const rules = ["manual", "deduction", "yesno", "levels", "proportion"] as const;
  return {
    name: "bench",
    bonus: { threshold: 60, cap: 5 },
    grades: [
      { name: "优秀", min: 90, quotaPercent: 20 },
      { name: "良好", min: 80 },
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
    ],
    indicators: [
      ...Array.from({ length: 10 }, (_, i) => ({
        code: `${i + 1}`,
        name: `一级${i + 1}`,
        points: 10,
        children: Array.from({ length: 3 }, (_, j) => ({
          code: `${i + 1}.${j + 1}`,
          name: `二级${i + 1}.${j + 1}`,
          weight: j === 2 ? 0.4 : 0.3,
          children: Array.from({ length: 5 }, (_, k) => {
            const type = rules[k] ?? "manual";
            const code = `${i + 1}.${j + 1}.${k + 1}`;
            const rule =
              type === "deduction"
                ? { type, per: 0.5 }
                : type === "levels"
                  ? { type, levels: [0, 0.5, 1] }
                  : { type };
            return { code, name: code, points: 2, rule };
          }),
        })),
      })),
      { code: "V", name: "否决", rule: { type: "veto" } },
      { code: "X", name: "加分", points: 5, rule: { type: "bonus" } },
    ],
  } as IndicatorSystem;
}

function values(next: () => number): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (let u = 0; u < UNITS; u++) {
    const m = new Map<string, number>();
    for (let i = 1; i <= 10; i++)
      for (let j = 1; j <= 3; j++)
        for (let k = 1; k <= 5; k++) {
          const r = next();
          const v =
            k === 1
              ? Math.round(r * 200) / 100
              : k === 2
                ? Math.floor(r * 4)
                : k === 3
                  ? r < 0.8
                    ? 1
                    : 0
                  : k === 4
                    ? ([0, 0.5, 1][Math.floor(r * 3)] ?? 1)
                    : r;
          m.set(`${i}.${j}.${k}`, v);
        }
    m.set("V", next() < 0.01 ? 1 : 0);
    m.set("X", Math.round(next() * 5));
    if (u % 100 === 7) m.delete("3.2.1"); // a few incomplete units
    out.set(`单位${u}`, m);
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const next = random(20240601);
  const system = scheme();
  const data = values(next);
  const scoring = await measure(
    "assessment: score + rank 3000 units × 150 indicators",
    () => rankUnits(scoreUnits(system, data), { grades: system.grades }),
    { n: 20, warmup: 3 },
  );
  // The same values as a matrix (what the database hands over), first-level indicators only (what
  // the live ranking shows).
  const units = [...data.keys()];
  const codes = [...new Set([...data.values()].flatMap((m) => [...m.keys()]))];
  const matrix = new Float64Array(units.length * codes.length).fill(Number.NaN);
  units.forEach((u, r) => {
    codes.forEach((code, j) => {
      const v = data.get(u)?.get(code);
      if (v !== undefined) matrix[r * codes.length + j] = v;
    });
  });
  const scoringMatrix = await measure(
    "assessment: score + rank 3000 units × 150 indicators, matrix, first level",
    () =>
      rankUnits(scoreUnits(system, { units, codes, values: matrix }, { indicators: "firstLevel" }), {
        grades: system.grades,
      }),
    { n: 20, warmup: 3 },
  );
  // Built after the scoring run, so its 900,000 objects do not weigh on that run's garbage collection.
  const ratings: Rating[] = [];
  for (let u = 0; u < UNITS; u++)
    for (let l = 0; l < LEAVES; l++) {
      const truth = Math.floor(next() * 11);
      const noise = next() < 0.7 ? 0 : next() < 0.5 ? 1 : -1;
      ratings.push({ unit: `单位${u}`, indicator: `i${l}`, rater: `A${u % 7}`, value: truth });
      ratings.push({
        unit: `单位${u}`,
        indicator: `i${l}`,
        rater: `B${u % 5}`,
        value: Math.max(0, truth + noise),
      });
    }
  const objects = await measure(
    "evaluation: agreement 3000 units × 150 indicators × 2 raters",
    () => agreement(ratings),
    { n: 10, warmup: 2 },
  );
  // The same ratings flat, cell by cell (what the database hands over): cell = unit × indicator.
  const raterIds = new Map<string, number>();
  const start = new Int32Array(UNITS * LEAVES + 1);
  const flatValues = new Float64Array(ratings.length);
  const flatRaters = new Int32Array(ratings.length);
  ratings.forEach((r, i) => {
    if (!raterIds.has(r.rater))
      raterIds.set(r.rater, r.rater.startsWith("A") ? raterIds.size : 1000 + raterIds.size);
    flatValues[i] = r.value;
    flatRaters[i] = raterIds.get(r.rater) as number;
  });
  for (let c = 0; c <= UNITS * LEAVES; c++) start[c] = 2 * c;
  const cells = {
    indicators: Array.from({ length: LEAVES }, (_, l) => `i${l}`),
    cellIndicator: Int32Array.from({ length: UNITS * LEAVES }, (_, c) => c % LEAVES),
    start,
    values: flatValues,
    raters: flatRaters,
  };
  const flat = await measure(
    "evaluation: agreement 3000 units × 150 indicators × 2 raters, flat cells",
    () => agreementOfCells(cells),
    { n: 10, warmup: 2 },
  );
  return [scoring, scoringMatrix, objects, flat];
}
