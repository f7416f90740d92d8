import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalid } from "../../src/errors.ts";
import { compileScheme, rankUnits, type ScoreRow, scoreUnits } from "../../src/index.ts";
import { county, countyLeaves, websiteLeaves, websites2019 } from "./fixtures.ts";

/** Random complete values for a website; deduction counts up to 12, so some indicators empty. */
const websiteValues = fc.record({
  veto: fc.array(fc.constantFrom(0, 0, 0, 0, 0, 1), { minLength: 6, maxLength: 6 }),
  deduction: fc.array(fc.nat(12), { minLength: 8, maxLength: 8 }),
  ux: fc.integer({ min: 0, max: 1000 }).map((x) => x / 100),
  bonus: fc.array(fc.nat(10), { minLength: 4, maxLength: 4 }),
});
type WebsiteValues = typeof websiteValues extends fc.Arbitrary<infer T> ? T : never;

const websiteRows = (unit: string, v: WebsiteValues): ScoreRow[] => [
  ...websiteLeaves.veto.map((indicator, i) => ({ unit, indicator, value: v.veto[i] ?? 0 })),
  ...websiteLeaves.deduction.map((indicator, i) => ({ unit, indicator, value: v.deduction[i] ?? 0 })),
  { unit, indicator: "D4b", value: v.ux },
  ...websiteLeaves.bonus.map((indicator, i) => ({ unit, indicator, value: v.bonus[i] ?? 0 })),
];

const countyRows = (unit: string, counts: number[]): ScoreRow[] =>
  countyLeaves.map((indicator, i) => ({ unit, indicator, value: counts[i] ?? 0 }));
const countyCounts = fc.array(fc.nat(25), { minLength: 7, maxLength: 7 });

describe("properties", () => {
  it("never gives a total above the scheme's maximum plus its bonus cap", () => {
    const max = compileScheme(websites2019).max + (websites2019.bonus?.cap ?? 0);
    fc.assert(
      fc.property(websiteValues, (v) => {
        const [s] = scoreUnits(websites2019, websiteRows("甲", v));
        expect(s?.total).not.toBeNull();
        expect(s?.total ?? 0).toBeLessThanOrEqual(max + 1e-9);
        expect(s?.total ?? 0).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("ranks the same whatever order the units and rows come in", () => {
    // Few distinct counts so that ties are common; some units miss a score.
    const unitArb = fc.record({
      counts: fc.array(fc.nat(3), { minLength: 7, maxLength: 7 }),
      drop: fc.nat(10),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
        fc.array(unitArb, { minLength: 12, maxLength: 12 }),
        fc.infiniteStream(fc.nat()),
        (names, units, seeds) => {
          const all = names.flatMap((name, i) => {
            const u = units[i] ?? { counts: [], drop: 10 };
            return countyRows(name, u.counts).filter((_, j) => j !== u.drop);
          });
          const shuffled = all
            .map((r) => ({ r, k: seeds.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map(({ r }) => r);
          const a = rankUnits(scoreUnits(county, all), { grades: county.grades });
          const b = rankUnits(scoreUnits(county, shuffled), { grades: county.grades });
          const view = (list: typeof a) => list.map((x) => [x.unit, x.rank, x.grade, x.total]);
          expect(view(b)).toEqual(view(a));
        },
      ),
    );
  });

  it("never raises a score for more deductions", () => {
    // Website: one more occurrence at one deduction leaf can also cost the bonus (below 80).
    fc.assert(
      fc.property(websiteValues, fc.integer({ min: 1, max: 20 }), fc.nat(7), (v, extra, at) => {
        const more = { ...v, deduction: v.deduction.map((c, i) => (i === at ? c + extra : c)) };
        const [before] = scoreUnits(websites2019, websiteRows("甲", v));
        const [after] = scoreUnits(websites2019, websiteRows("甲", more));
        expect(after?.total ?? 0).toBeLessThanOrEqual((before?.total ?? 0) + 1e-9);
        for (const [code, s] of Object.entries(after?.indicators ?? {})) {
          if (!code.startsWith("B")) expect(s).toBeLessThanOrEqual((before?.indicators[code] ?? 0) + 1e-9);
        }
      }),
    );
    fc.assert(
      fc.property(countyCounts, fc.integer({ min: 1, max: 20 }), fc.nat(6), (counts, extra, at) => {
        const [before] = scoreUnits(county, countyRows("甲", counts));
        const [after] = scoreUnits(
          county,
          countyRows(
            "甲",
            counts.map((c, i) => (i === at ? c + extra : c)),
          ),
        );
        expect(after?.total ?? 0).toBeLessThanOrEqual((before?.total ?? 0) + 1e-9);
      }),
    );
  });

  it("scores a matrix of values as it scores the same values given row by row", () => {
    const leaves = [...websiteLeaves.veto, ...websiteLeaves.deduction, "D4b", ...websiteLeaves.bonus];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(websiteValues, fc.nat(leaves.length + 5)), { minLength: 1, maxLength: 6 }),
        fc.shuffledSubarray(leaves, { minLength: leaves.length }),
        (units, codes) => {
          // Unit i misses the leaf at `drop` (none when it is past the end).
          const rows = units.flatMap(([v, drop], i) =>
            websiteRows(`单位${i}`, v).filter((r) => r.indicator !== leaves[drop]),
          );
          const names = units.map((_, i) => `单位${i}`);
          const values = new Float64Array(names.length * codes.length).fill(Number.NaN);
          for (const r of rows)
            values[names.indexOf(r.unit) * codes.length + codes.indexOf(r.indicator)] = r.value;
          const fromMatrix = scoreUnits(websites2019, { units: names, codes, values });
          expect(fromMatrix).toEqual(scoreUnits(websites2019, rows, { units: names }));
          // The first level only: the same scores, nothing below.
          const tops = compileScheme(websites2019).tops.map(
            (i) => compileScheme(websites2019).nodes[i]?.code,
          );
          const firstLevel = scoreUnits(
            websites2019,
            { units: names, codes, values },
            { indicators: "firstLevel" },
          );
          firstLevel.forEach((u, i) => {
            const all = fromMatrix[i]?.indicators ?? {};
            expect(u.indicators).toEqual(
              Object.fromEntries(Object.entries(all).filter(([code]) => tops.includes(code))),
            );
            expect({ ...u, indicators: null }).toEqual({ ...fromMatrix[i], indicators: null });
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses a matrix with a value for a parent indicator or an unknown code, naming the unit", () => {
    const values = Float64Array.from([1, 5]);
    expect(() => scoreUnits(county, { units: ["甲"], codes: ["A", "B"], values })).toThrow(
      invalid("单位「甲」给指标 B「载体建设」直接打了分,但它有下级指标:只给末级指标打分。").message,
    );
    expect(() => scoreUnits(county, { units: ["甲"], codes: ["A", "Z9"], values })).toThrow(
      "不存在的指标 Z9",
    );
    // A column with no value in any row refuses nothing: it names no score.
    const empty = Float64Array.from([1, Number.NaN]);
    expect(scoreUnits(county, { units: ["甲"], codes: ["A", "Z9"], values: empty })[0]?.complete).toBe(false);
    expect(() => scoreUnits(county, { units: ["甲"], codes: ["A"], values })).toThrow("对不上");
  });
});
