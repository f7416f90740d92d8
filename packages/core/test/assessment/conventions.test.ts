/**
 * Ranking conventions (issue 18): competition / dense / ordinal, totals rounded to the scheme's
 * precision before ranking. Every expected rank is written by hand from the convention.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AssessmentScheme,
  assess,
  placeUnits,
  type RankingConvention,
  rankUnits,
  roundHalfUp,
  type ScoreRow,
  type UnitScore,
} from "../../src/index.ts";

const score = (unit: string, total: number | null, vetoed = false): UnitScore => ({
  unit,
  complete: total !== null,
  missing: total === null ? ["X"] : [],
  vetoed,
  vetoedBy: vetoed ? ["V"] : [],
  base: total ?? 0,
  bonusEarned: 0,
  bonus: 0,
  total,
  partialTotal: total ?? 0,
  indicators: {},
});

/** Two first-level indicators, A (60) and B (40): the total is A + B, ties broken on A. */
const scheme = (extra: Partial<AssessmentScheme> = {}): AssessmentScheme => ({
  name: "排名方式",
  share: 5,
  bonus: null,
  grades: null,
  indicators: [
    { code: "A", name: "信息公开", points: 60, rule: { type: "manual" } },
    { code: "B", name: "政策解读", points: 40, rule: { type: "manual" } },
  ],
  ...extra,
});
const rows = (table: [string, number, number][]): ScoreRow[] =>
  table.flatMap(([unit, a, b]) => [
    { unit, indicator: "A", value: a },
    { unit, indicator: "B", value: b },
  ]);

describe("tie conventions on a published-style table", () => {
  // Ten units; places 6–10 hold two ties: 90, 90, 89, 89, 88.
  const totals = [95, 94, 93, 92, 91, 90, 90, 89, 89, 88];
  const units = totals.map((t, i) => score(`单位${String(i + 1).padStart(2, "0")}`, t));
  const ranks = (ranking: RankingConvention) => rankUnits(units, { ranking }).map((u) => u.rank);

  it("competition (并列占位, the default): the tied share a place and the next is skipped", () => {
    expect(ranks("competition")).toEqual([1, 2, 3, 4, 5, 6, 6, 8, 8, 10]);
    expect(rankUnits(units).map((u) => u.rank)).toEqual([1, 2, 3, 4, 5, 6, 6, 8, 8, 10]);
  });

  it("dense (并列不占位): the tied share a place and the next follows on", () => {
    expect(ranks("dense")).toEqual([1, 2, 3, 4, 5, 6, 6, 7, 7, 8]);
  });

  it("ordinal: every unit its own place", () => {
    expect(ranks("ordinal")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("keeps vetoed units after the others under each convention, and unranked units last", () => {
    const list = [
      score("甲", 90),
      score("乙", 90),
      score("丙", 85),
      score("丁", 99, true),
      score("戊", 99, true),
      score("己", null),
    ];
    const by = (ranking: RankingConvention) => rankUnits(list, { ranking }).map((u) => [u.unit, u.rank]);
    // Ties are listed in code-point order: 乙 U+4E59 before 甲 U+7532, 丁 U+4E01 before 戊 U+620A.
    expect(by("competition")).toEqual([
      ["乙", 1],
      ["甲", 1],
      ["丙", 3],
      ["丁", 4],
      ["戊", 4],
      ["己", null],
    ]);
    expect(by("dense")).toEqual([
      ["乙", 1],
      ["甲", 1],
      ["丙", 2],
      ["丁", 3],
      ["戊", 3],
      ["己", null],
    ]);
    // Ordinal: names in Chinese collation (pinyin): 甲 jiǎ before 乙 yǐ; 丁 dīng before 戊 wù.
    expect(by("ordinal")).toEqual([
      ["甲", 1],
      ["乙", 2],
      ["丙", 3],
      ["丁", 4],
      ["戊", 5],
      ["己", null],
    ]);
  });
});

describe("ordinal tie-break: the named indicator, then the name in Chinese collation", () => {
  const table: [string, number, number][] = [
    ["北镇", 50, 40], // 90: A 50
    ["安镇", 50, 40], // 90: A 50, same as 北镇 → by name: 安 ān before 北 běi (code point: 北 < 安)
    ["城关镇", 55, 35], // 90: A 55 → first of the three
    ["东镇", 60, 35], // 95
  ];

  it("ranks the higher tie-break score first, then by pinyin, not by code point", () => {
    const { units } = assess(scheme({ ranking: "ordinal", tieBreak: "A" }), rows(table));
    expect(units.map((u) => [u.unit, u.rank, u.total])).toEqual([
      ["东镇", 1, 95],
      ["城关镇", 2, 90],
      ["安镇", 3, 90],
      ["北镇", 4, 90],
    ]);
  });

  it("without a tie-break indicator, by name alone", () => {
    const { units } = assess(scheme({ ranking: "ordinal" }), rows(table));
    // 安 ān, 北 běi, 城 chéng
    expect(units.map((u) => [u.unit, u.rank])).toEqual([
      ["东镇", 1],
      ["安镇", 2],
      ["北镇", 3],
      ["城关镇", 4],
    ]);
  });

  it("the competition convention shares the place and lists the tied by code point", () => {
    const { units } = assess(scheme(), rows(table));
    // 北 U+5317 < 城 U+57CE < 安 U+5B89
    expect(units.map((u) => [u.unit, u.rank])).toEqual([
      ["东镇", 1],
      ["北镇", 2],
      ["城关镇", 2],
      ["安镇", 2],
    ]);
  });
});

describe("precision: totals rounded before ranking", () => {
  const pair = [score("甲", 80.04), score("乙", 80.01)];

  it("at precision 1, 80.04 and 80.01 are both 80.0 and tie; the total shown is the rounded one", () => {
    const ranked = rankUnits(pair, { precision: 1 });
    expect(ranked.map((u) => [u.unit, u.rank, u.total])).toEqual([
      ["乙", 1, 80],
      ["甲", 1, 80],
    ]);
  });

  it("at precision 2 (the default) they do not tie", () => {
    for (const ranked of [rankUnits(pair, { precision: 2 }), rankUnits(pair)]) {
      expect(ranked.map((u) => [u.unit, u.rank, u.total])).toEqual([
        ["甲", 1, 80.04],
        ["乙", 2, 80.01],
      ]);
    }
  });

  it("rounds 80.045 to 80.05 at precision 2, so it ties with 80.05 and beats 80.04", () => {
    const ranked = rankUnits([score("甲", 80.045), score("乙", 80.05), score("丙", 80.04)]);
    expect(ranked.map((u) => [u.unit, u.rank, u.total])).toEqual([
      ["乙", 1, 80.05],
      ["甲", 1, 80.05],
      ["丙", 3, 80.04],
    ]);
  });

  it("rounds a total computed by sums (40.045 + 40 is 80.04499999999999 in binary) as written", () => {
    const { units } = assess(
      scheme({ precision: 2 }),
      rows([
        ["甲", 40.045, 40],
        ["乙", 40.05, 40],
      ]),
    );
    expect(units.map((u) => [u.unit, u.rank, u.total])).toEqual([
      ["乙", 1, 80.05],
      ["甲", 1, 80.05],
    ]);
  });

  it("precision 0 ranks whole points: 89.5 is 90 and ties with 90", () => {
    const ranked = rankUnits([score("甲", 89.5), score("乙", 90), score("丙", 89.49)], { precision: 0 });
    expect(ranked.map((u) => [u.unit, u.rank, u.total])).toEqual([
      ["乙", 1, 90],
      ["甲", 1, 90],
      ["丙", 3, 89],
    ]);
  });

  it("grades compare the rounded total: 89.996 is 优秀 at 90 with precision 2, not with 3", () => {
    const grades = [
      { name: "优秀", min: 90 },
      { name: "良好", min: 0 },
    ];
    expect(rankUnits([score("甲", 89.996)], { grades })[0]?.grade).toBe("优秀");
    expect(rankUnits([score("甲", 89.996)], { grades, precision: 3 })[0]?.grade).toBe("良好");
  });

  it("a quota band sends units tied on the rounded total down together, under ordinal too", () => {
    const grades = [
      { name: "优秀", min: 90, quotaPercent: 20 },
      { name: "良好", min: 0 },
    ];
    // 10 units, at most 2 优秀; 96.01 and 95.99 are both 96.0 at precision 1: with 97 they would be 3.
    const list = [97, 96.01, 95.99, 93, 91, 85, 84, 70, 60, 50].map((t, i) => score(`u${i}`, t));
    const ranked = rankUnits(list, { grades, precision: 1, ranking: "ordinal" });
    expect(ranked.map((u) => u.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ranked.map((u) => u.grade).slice(0, 4)).toEqual(["优秀", "良好", "良好", "良好"]);
  });

  it("refuses a precision outside 0..6", () => {
    expect(() => placeUnits(pair, { precision: 7 })).toThrow(/排名精度\(precision\)7 无效/);
    expect(() => placeUnits(pair, { precision: 1.5 })).toThrow(/0 到 6 的整数/);
  });
});

describe("roundHalfUp", () => {
  it("rounds half up on the decimal value, whatever the binary double", () => {
    expect(roundHalfUp(80.045, 2)).toBe(80.05);
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(2.675, 2)).toBe(2.68);
    expect(roundHalfUp(80.04, 1)).toBe(80);
    expect(roundHalfUp(80.05, 1)).toBe(80.1);
    expect(roundHalfUp(0.5, 0)).toBe(1);
    expect(roundHalfUp(2.5, 0)).toBe(3);
    expect(roundHalfUp(-2.5, 0)).toBe(-3);
    expect(roundHalfUp(-0.004, 2)).toBe(0);
    expect(Object.is(roundHalfUp(-0, 2), 0)).toBe(true);
    expect(roundHalfUp(0.1 + 0.2, 6)).toBe(0.3);
    expect(roundHalfUp(100 - 40.01, 2)).toBe(59.99);
    expect(roundHalfUp(1e-7, 6)).toBe(0);
    expect(roundHalfUp(5e-7, 6)).toBe(0.000001);
    expect(roundHalfUp(99.9995, 3)).toBe(100);
    expect(roundHalfUp(123456.7895, 3)).toBe(123456.79);
    expect(roundHalfUp(7, 2)).toBe(7);
  });

  it("agrees with rounding the decimal text by hand, for any number written with up to 11 digits", () => {
    const decimal = fc.record({
      int: fc.nat(999),
      frac: fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 8 }),
      decimals: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(decimal, ({ int, frac, decimals }) => {
        const text = frac === "" ? String(int) : `${int}.${frac}`;
        // By hand: keep `decimals` digits, add one unit in the last place when the next digit is ≥ 5.
        const padded = frac.padEnd(decimals + 1, "0");
        let kept = BigInt(`${int}${padded.slice(0, decimals)}`);
        if (Number(padded[decimals]) >= 5) kept += 1n;
        const expected = Number(kept) / 10 ** decimals;
        expect(roundHalfUp(Number(text), decimals)).toBe(Number(expected.toFixed(decimals)));
      }),
    );
  });
});

describe("properties of the conventions", () => {
  const table = fc.array(
    fc.record({ total: fc.integer({ min: 0, max: 8 }).map((x) => 80 + x / 4), vetoed: fc.boolean() }),
    { minLength: 1, maxLength: 30 },
  );
  const unitsOf = (t: { total: number; vetoed: boolean }[]) =>
    t.map((r, i) => score(`u${i}`, r.total, r.vetoed));
  const rankOf = (units: UnitScore[], ranking: RankingConvention) => placeUnits(units, { ranking }).rank;

  it("dense ≤ competition; equal when no two totals tie; ordinal is a permutation of 1..n", () => {
    fc.assert(
      fc.property(table, (t) => {
        const units = unitsOf(t);
        const competition = rankOf(units, "competition") as number[];
        const dense = rankOf(units, "dense") as number[];
        const ordinal = rankOf(units, "ordinal") as number[];
        dense.forEach((d, i) => {
          expect(d).toBeLessThanOrEqual(competition[i] as number);
        });
        const groups = new Set(t.map((r) => `${r.vetoed}:${r.total}`));
        if (groups.size === t.length) expect(dense).toEqual(competition);
        expect([...ordinal].sort((a, b) => a - b)).toEqual(t.map((_, i) => i + 1));
      }),
    );
  });

  it("competition is 1 + the units ahead; dense is 1 + the distinct places ahead", () => {
    fc.assert(
      fc.property(table, (t) => {
        const units = unitsOf(t);
        const competition = rankOf(units, "competition");
        const dense = rankOf(units, "dense");
        const ahead = (a: { total: number; vetoed: boolean }, b: { total: number; vetoed: boolean }) =>
          (!a.vetoed && b.vetoed) || (a.vetoed === b.vetoed && a.total > b.total);
        t.forEach((me, i) => {
          const before = t.filter((other) => ahead(other, me));
          expect(competition[i]).toBe(1 + before.length);
          expect(dense[i]).toBe(1 + new Set(before.map((o) => `${o.vetoed}:${o.total}`)).size);
        });
      }),
    );
  });
});
