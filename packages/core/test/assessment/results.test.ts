import { describe, expect, it } from "vitest";
import { assess, canonicalJson, resultsHashInput } from "../../src/index.ts";
import { county, countyLeaves, rows } from "./fixtures.ts";

describe("content hash input", () => {
  it("writes JSON with sorted keys, whatever the insertion order", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(-0)).toBe("0");
    expect(() => canonicalJson({ x: Number.NaN })).toThrow("有限");
    expect(() => canonicalJson(new Map())).toThrow("普通对象");
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
