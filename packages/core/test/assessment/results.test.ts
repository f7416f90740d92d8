import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assess, canonicalJson, type RankedUnit, resultsHashInput } from "../../src/index.ts";
import { county, countyLeaves, rows } from "./fixtures.ts";

/** The hash input as first specified: the canonical JSON of the results, numbers to 6 decimals. */
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const resultsHashInputGeneric = (system: Parameters<typeof resultsHashInput>[0], units: RankedUnit[]) =>
  canonicalJson({
    scheme: system,
    units: units.map((u) => ({
      unit: u.unit,
      rank: u.rank,
      grade: u.grade,
      vetoed: u.vetoed,
      complete: u.complete,
      total: u.total === null ? null : r6(u.total),
      base: r6(u.base),
      bonus: r6(u.bonus),
      indicators: Object.fromEntries(Object.entries(u.indicators).map(([k, v]) => [k, r6(v)])),
    })),
  });

describe("content hash input", () => {
  it("writes JSON with sorted keys, whatever the insertion order", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(-0)).toBe("0");
    expect(() => canonicalJson({ x: Number.NaN })).toThrow("有限");
    expect(() => canonicalJson(new Map())).toThrow("普通对象");
  });

  it("writes by hand exactly the text the generic canonical form gives, so published hashes still verify", () => {
    const score = fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constant(-0), fc.integer());
    const unit = fc.record({
      unit: fc.string({ unit: "grapheme" }),
      rank: fc.option(fc.integer({ min: 1, max: 3000 })),
      grade: fc.option(fc.constantFrom("优秀", "良好", 'a"b\\c')),
      vetoed: fc.boolean(),
      complete: fc.boolean(),
      total: fc.option(score),
      base: score,
      bonus: score,
      indicators: fc.dictionary(fc.constantFrom("1", "1.1", "1.10", "1.2", "2", "10", "A", "b", "中"), score),
    });
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 8 }), (units) => {
        const ranked = units as unknown as RankedUnit[];
        expect(resultsHashInput(county, ranked)).toBe(resultsHashInputGeneric(county, ranked));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same text for the same results however the scores came in", () => {
    const values = [
      ...rows("甲", Object.fromEntries(countyLeaves.map((c) => [c, 1]))),
      ...rows("乙", Object.fromEntries(countyLeaves.map((c) => [c, 0]))),
    ];
    const a = assess(county, values).units;
    const b = assess(county, [...values].reverse()).units;
    expect(resultsHashInput(county, a)).toBe(resultsHashInput(county, b));
    // 乙 lost nothing (100) and ranks first; 甲 lost 2 + 1 + 1.5 + 2 + 2 + 5 + 1 = 14.5 (85.5).
    const parsed = JSON.parse(resultsHashInput(county, a)) as {
      units: { unit: string; rank: number; total: number }[];
    };
    expect(parsed.units.map((u) => [u.unit, u.rank, u.total])).toEqual([
      ["乙", 1, 100],
      ["甲", 2, 85.5],
    ]);
  });
});
