/**
 * Grade bands by score and by share (issue 18, item 2). Every expected grade is worked out by hand
 * from the rule in grades.ts: quota = floor(percent × ranked units); ties never split.
 */
import { describe, expect, it } from "vitest";
import {
  type GradeBand,
  gradeRuleText,
  parseIndicatorSystem,
  rankUnits,
  type UnitScore,
} from "../../src/index.ts";

const score = (unit: string, total: number, vetoed = false): UnitScore => ({
  unit,
  complete: true,
  missing: [],
  vetoed,
  vetoedBy: vetoed ? ["V"] : [],
  base: total,
  bonusEarned: 0,
  bonus: 0,
  total,
  partialTotal: total,
  indicators: {},
});
const units = (totals: number[]) => totals.map((t, i) => score(`单位${String(i + 1).padStart(2, "0")}`, t));
const gradesOf = (totals: number[], grades: GradeBand[], precision?: number) => {
  const byUnit = new Map(rankUnits(units(totals), { grades, precision }).map((u) => [u.unit, u.grade]));
  return units(totals).map((u) => byUnit.get(u.unit));
};

describe("grade bands by share", () => {
  it("优秀 = the top 20% by rank, whatever the score; the rest by score", () => {
    const grades: GradeBand[] = [
      { name: "良好", min: 80 },
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
      { name: "优秀", quotaPercent: 20 }, // listed last, still tried first: it has no score floor
    ];
    // 10 units → 2 优秀; 91 is third, so 良好 although 91 would be 优秀 in a 90-point scheme.
    expect(gradesOf([95, 92, 91, 85, 80, 79.99, 70, 65, 59, 40], grades)).toEqual([
      "优秀",
      "优秀",
      "良好",
      "良好",
      "良好",
      "合格",
      "合格",
      "合格",
      "不合格",
      "不合格",
    ]);
  });

  it("a share band without a floor takes the top unit even at 50 points; 20% of 4 units is nobody", () => {
    const grades: GradeBand[] = [
      { name: "先进", quotaPercent: 20 },
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
    ];
    expect(gradesOf([50, 40, 30, 20, 10], grades)).toEqual(["先进", "不合格", "不合格", "不合格", "不合格"]);
    expect(gradesOf([99, 98, 97, 96], grades)).toEqual(["合格", "合格", "合格", "合格"]);
  });

  it("a vetoed unit gets the lowest band even with the highest total", () => {
    const grades: GradeBand[] = [
      { name: "优秀", quotaPercent: 50 },
      { name: "合格", min: 0 },
    ];
    const ranked = rankUnits([score("甲", 99, true), score("乙", 80), score("丙", 70), score("丁", 60)], {
      grades,
    });
    expect(Object.fromEntries(ranked.map((u) => [u.unit, u.grade]))).toEqual({
      乙: "优秀",
      丙: "优秀",
      丁: "合格",
      甲: "合格",
    });
  });
});

describe("ties at the quota's boundary", () => {
  // 10 units, 优秀 needs 90 and at most 20% (2 units); 95 and 95 tie for the second place.
  const totals = [98, 95, 95, 93, 91, 85, 84, 70, 60, 50];

  it("down (the default): the tied pair would make 3, so both go down and the band closes", () => {
    const grades: GradeBand[] = [
      { name: "优秀", min: 90, quotaPercent: 20 },
      { name: "良好", min: 0 },
    ];
    expect(gradesOf(totals, grades).slice(0, 5)).toEqual(["优秀", "良好", "良好", "良好", "良好"]);
    const stated: GradeBand[] = [{ ...grades[0], quotaTies: "down" } as GradeBand, grades[1] as GradeBand];
    expect(gradesOf(totals, stated)).toEqual(gradesOf(totals, grades));
  });

  it("include: the tied pair starts inside the quota, so both enter (3 优秀) and the band closes", () => {
    const grades: GradeBand[] = [
      { name: "优秀", min: 90, quotaPercent: 20, quotaTies: "include" },
      { name: "良好", min: 0 },
    ];
    expect(gradesOf(totals, grades).slice(0, 5)).toEqual(["优秀", "优秀", "优秀", "良好", "良好"]);
  });

  it("include: a tie that starts once the quota is full does not enter", () => {
    const grades: GradeBand[] = [
      { name: "优秀", min: 90, quotaPercent: 20, quotaTies: "include" },
      { name: "良好", min: 0 },
    ];
    expect(gradesOf([98, 97, 95, 95, 91, 85, 84, 70, 60, 50], grades).slice(0, 5)).toEqual([
      "优秀",
      "优秀",
      "良好",
      "良好",
      "良好",
    ]);
  });

  it("ties are on the rounded total: 90.04 and 90.01 tie at 1 decimal, not at 2", () => {
    const grades: GradeBand[] = [
      { name: "优秀", quotaPercent: 20 },
      { name: "合格", min: 0 },
    ];
    const t = [99, 90.04, 90.01, 80, 79, 78, 77, 76, 75, 74];
    expect(gradesOf(t, grades, 1).slice(0, 3)).toEqual(["优秀", "合格", "合格"]);
    expect(gradesOf(t, grades, 2).slice(0, 3)).toEqual(["优秀", "优秀", "合格"]);
  });
});

describe("grade bands in a scheme", () => {
  const base = {
    name: "等次",
    indicators: [{ code: "A", name: "公开", points: 100, rule: { type: "manual" } }],
  };

  it("accepts a share band and states the rule in words", () => {
    const system = parseIndicatorSystem({
      ...base,
      grades: [
        { name: "良好", min: 80 },
        { name: "优秀", min: 90, quotaPercent: 20, quotaTies: "include" },
        { name: "先进", quotaPercent: 10 },
        { name: "不合格", min: 0 },
      ],
    });
    expect(gradeRuleText(system.grades ?? [])).toBe(
      "等次:先进:排名前 10%(名额向下取整,并列超出名额的一并降入下一等次);" +
        "优秀:90 分及以上,且不超过参评单位的 20%(名额向下取整,并列的一并评入,可超出名额);" +
        "良好:80 分及以上;不合格:0 分及以上",
    );
  });

  it("refuses a band with neither min nor quota, quotaTies without a quota, and an unknown tie rule", () => {
    expect(() => parseIndicatorSystem({ ...base, grades: [{ name: "优秀" }] })).toThrow(
      /等次「优秀」既没有最低分\(min\)也没有名额比例\(quotaPercent\)/,
    );
    expect(() =>
      parseIndicatorSystem({ ...base, grades: [{ name: "优秀", min: 90, quotaTies: "include" }] }),
    ).toThrow(/没有名额比例\(quotaPercent\),名额边界并列规则\(quotaTies\)无从适用/);
    expect(() =>
      parseIndicatorSystem({
        ...base,
        grades: [{ name: "优秀", min: 90, quotaPercent: 20, quotaTies: "up" }],
      }),
    ).toThrow(/名额边界并列规则\(quotaTies\)必须是 down\(并列超出名额的一并降入下一等次\)、include/);
  });
});
