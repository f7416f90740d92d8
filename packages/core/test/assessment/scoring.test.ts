import { describe, expect, it } from "vitest";
import {
  type AssessmentScheme,
  assess,
  compileScheme,
  contribution,
  type IndicatorSystem,
  placeUnits,
  rankUnits,
  scoreLeaf,
  scoreLeafNode,
  scoreUnits,
  type UnitScore,
} from "../../src/index.ts";
import { county, countyLeaves, rows, websiteLeaves, websites2019 } from "./fixtures.ts";

/** A website with no veto, no deduction, 用户体验 at `ux`, and the given deduction counts. */
const site = (
  unit: string,
  ux: number,
  counts: Record<string, number> = {},
  bonus?: Record<string, number>,
) =>
  rows(unit, {
    ...Object.fromEntries(websiteLeaves.veto.map((c) => [c, 0])),
    ...Object.fromEntries(websiteLeaves.deduction.map((c) => [c, 0])),
    D4b: ux,
    ...counts,
    ...(bonus ?? {}),
  });

const byUnit = <T extends { unit: string }>(list: T[]) => new Map(list.map((u) => [u.unit, u]));

describe("2019 national inspection of government websites", () => {
  // D1 (发布解读, 40) emptied: D1a 15 × 1 = 15 > 10 stops at 0, D1b 5 × 2 = 10, D1c 5 × 2 = 10, D1d 2 × 5 = 10.
  const d1Empty = { D1a: 15, D1b: 5, D1c: 5, D1d: 2 };
  // D1 at 20: D1a and D1d full (10 + 10), D1b and D1c emptied.
  const d1At20 = { D1b: 5, D1c: 5 };
  const allBonus = { B1: 10, B2: 10, B3: 10, B4: 10 };
  const { units } = assess(websites2019, [
    ...site("59.99站", 9.99, d1Empty), // 0 + 25 + 15 + 10 + 9.99 = 59.99
    ...site("60站", 10, d1Empty), // 0 + 25 + 15 + 10 + 10 = 60
    ...site("79.99站", 9.99, d1At20, allBonus), // 20 + 25 + 15 + 10 + 9.99 = 79.99, bonus not reached
    ...site("80站", 10, d1At20, { B1: 10, B2: 5, B3: 0, B4: 0 }), // 80, bonus 15 → 95
    ...site("满分站", 10, {}, allBonus), // 100, bonus 40 capped at 30 → 130
    ...site("否决站", 10, { V3: 1 }, allBonus), // 100 but 首页不更新: fails
  ]);
  const u = byUnit(units);

  it("scores deductions down to each indicator's points and no further (扣完为止)", () => {
    const s = u.get("59.99站");
    expect(s?.indicators.D1a).toBe(0); // 10 − 15 × 1 stops at 0, not −5
    expect(s?.indicators.D1).toBe(0);
    expect(s?.indicators.D).toBeCloseTo(59.99, 9);
    expect(compileScheme(websites2019).max).toBe(100); // 扣分指标 total 100
  });

  it("fails a site below 60 and passes one at 60 (boundaries 59.99 / 60)", () => {
    expect(u.get("59.99站")?.total).toBeCloseTo(59.99, 9);
    expect(u.get("59.99站")?.grade).toBe("不合格");
    expect(u.get("60站")?.total).toBeCloseTo(60, 9);
    expect(u.get("60站")?.grade).toBe("合格");
  });

  it("scores bonus indicators only from 80 on, 80 included (boundaries 79.99 / 80)", () => {
    const below = u.get("79.99站");
    expect(below?.base).toBeCloseTo(79.99, 9);
    expect(below?.bonusEarned).toBe(30); // 40 earned, capped by 加分指标's own 30
    expect(below?.bonus).toBe(0);
    expect(below?.total).toBeCloseTo(79.99, 9);
    const at = u.get("80站");
    expect(at?.base).toBeCloseTo(80, 9);
    expect(at?.bonus).toBe(15);
    expect(at?.total).toBeCloseTo(95, 9);
  });

  it("does not require bonus scores from a site below 80 (they are never scored)", () => {
    expect(u.get("59.99站")?.complete).toBe(true);
    expect(u.get("59.99站")?.rank).toBe(5);
  });

  it("caps bonus points at 30: a perfect site scores 130 = 100 + 30", () => {
    const top = u.get("满分站");
    expect(top?.bonusEarned).toBe(30);
    expect(top?.bonus).toBe(30);
    expect(top?.total).toBe(130);
  });

  it("fails a site with any veto item whatever it scored, and ranks it last", () => {
    const v = u.get("否决站");
    expect(v?.vetoed).toBe(true);
    expect(v?.vetoedBy).toEqual(["V3"]);
    expect(v?.bonus).toBe(0);
    expect(v?.grade).toBe("不合格");
    expect(units.map((x) => [x.unit, x.rank])).toEqual([
      ["满分站", 1],
      ["80站", 2],
      ["79.99站", 3],
      ["60站", 4],
      ["59.99站", 5],
      ["否决站", 6],
    ]);
  });
});

describe("county table: 组织保障 6, 载体建设 15, 政府信息公开 79", () => {
  it("stops deductions at each indicator's points", () => {
    const [s] = scoreUnits(county, rows("甲镇", { A: 1, B1: 2, B2: 5, B3: 4, C1: 3, C2: 5, C3: 0 }));
    // 组织保障 6 − 2 × 1 = 4
    // 载体建设: 门户网站 6 − 1 × 2 = 4; 新闻发布会 3 − 1.5 × 5 = −4.5 → 0; 新媒体 6 − 2 × 4 = −2 → 0; = 4
    //   (not 15 − 2 − 7.5 − 8 = −2.5: the deductions of one indicator never spill into another)
    // 政府信息公开: 40 − 2 × 3 = 34; 20 − 5 × 5 = −5 → 0; 19 − 0 = 19; = 53
    expect(s?.indicators).toMatchObject({ A: 4, B1: 4, B2: 0, B3: 0, B: 4, C1: 34, C2: 0, C3: 19, C: 53 });
    expect(s?.total).toBe(61);
    expect(compileScheme(county).max).toBe(100);
  });
});

describe("missing scores", () => {
  it("leaves a unit with a missing leaf incomplete and unranked: a missing score is not a zero", () => {
    const full = { A: 0, B1: 0, B2: 0, B3: 0, C1: 0, C2: 0, C3: 0 };
    const { C2: _omit, ...partial } = full;
    const { units } = assess(county, [
      ...rows("缺项镇", partial),
      ...rows("零分镇", { ...full, C2: 4 }), // 依申请公开 20 − 5 × 4 = 0: a real zero
    ]);
    const u = byUnit(units);
    const gap = u.get("缺项镇");
    expect(gap?.complete).toBe(false);
    expect(gap?.missing).toEqual(["C2"]);
    expect(gap?.total).toBeNull();
    expect(gap?.rank).toBeNull();
    expect(gap?.grade).toBeNull();
    expect(gap?.indicators.C2).toBeUndefined();
    expect(gap?.indicators.C).toBeUndefined(); // its parent cannot be known either
    expect(gap?.indicators.B).toBe(15);
    expect(gap?.partialTotal).toBe(6 + 15 + 40 + 19);
    const zero = u.get("零分镇");
    expect(zero?.indicators.C2).toBe(0);
    expect(zero?.total).toBe(80);
    expect(zero?.rank).toBe(1);
    expect(units.map((x) => x.unit)).toEqual(["零分镇", "缺项镇"]);
  });

  it("reports a listed unit with no scores at all as incomplete", () => {
    const [s] = scoreUnits(county, [], { units: ["未评镇"] });
    expect(s?.complete).toBe(false);
    expect(s?.missing).toEqual(countyLeaves);
  });
});

describe("ranking", () => {
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

  it("lets ties share a rank and skips the next: 1, 2, 2, 4", () => {
    const ranked = rankUnits([
      score("丁", 80),
      score("乙", 85),
      score("戊", null),
      score("丙", 85),
      score("甲", 90),
    ]);
    expect(ranked.map((r) => [r.unit, r.rank])).toEqual([
      ["甲", 1],
      ["丙", 2],
      ["乙", 2],
      ["丁", 4],
      ["戊", null],
    ]);
  });

  it("places units by input index without copying them (what the results page ranks 3,000 rows by)", () => {
    const input = [
      score("丁", 80),
      score("乙", 85),
      score("戊", null, true),
      score("丙", 85),
      score("甲", 90),
    ];
    const before = structuredClone(input);
    const grades = [
      { name: "优秀", min: 88 },
      { name: "合格", min: 0 },
    ];
    const { order, rank, grade } = placeUnits(input, { grades });
    // 甲 (index 4) first; 丙 and 乙 tie at 2 and are listed by name; the vetoed, incomplete 戊 last.
    expect(order).toEqual([4, 3, 1, 0, 2]);
    expect(rank).toEqual([4, 2, null, 2, 1]);
    expect(grade).toEqual(["合格", "合格", "合格", "合格", "优秀"]);
    expect(input).toEqual(before);
  });

  it("treats totals equal up to floating-point noise as ties", () => {
    const ranked = rankUnits([score("甲", 0.1 + 0.2), score("乙", 0.3)]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 1]);
  });

  it("ranks vetoed units after every other unit, ties among them shared", () => {
    const grades = [
      { name: "合格", min: 60 },
      { name: "不合格", min: 0 },
    ];
    const ranked = rankUnits(
      [score("甲", 99, true), score("乙", 61), score("丙", 99, true), score("丁", 70)],
      { grades },
    );
    expect(ranked.map((r) => [r.unit, r.rank, r.grade])).toEqual([
      ["丁", 1, "合格"],
      ["乙", 2, "合格"],
      ["丙", 3, "不合格"],
      ["甲", 3, "不合格"],
    ]);
  });

  it("grades by threshold with min inclusive (80分以上 includes 80)", () => {
    const grades = county.grades;
    const ranked = rankUnits(
      [score("a", 90), score("b", 89.99), score("c", 80), score("d", 79.99), score("e", 60)],
      {
        grades,
      },
    );
    expect(ranked.map((r) => r.grade)).toEqual(["优秀", "良好", "良好", "合格", "合格"]);
  });

  it("grades by quota: at most 20% 优秀, a tie that would overflow goes down together", () => {
    const grades = [
      { name: "优秀", min: 90, quotaPercent: 20 },
      { name: "良好", min: 80 },
      { name: "一般", min: 0 },
    ];
    // 10 units → at most floor(20% × 10) = 2 优秀.
    const totals = [98, 95, 95, 93, 91, 85, 84, 70, 60, 50];
    const ranked = rankUnits(
      totals.map((t, i) => score(`u${i}`, t)),
      { grades },
    );
    // 98 is 优秀 (1 of 2); the two 95s would make 3 > 2, so both are 良好 and 优秀 closes; 93 and
    // 91 reach 90 but rank below them, so they cannot be 优秀 either.
    expect(ranked.map((r) => r.grade)).toEqual([
      "优秀",
      "良好",
      "良好",
      "良好",
      "良好",
      "良好",
      "良好",
      "一般",
      "一般",
      "一般",
    ]);
  });

  it("gives a vetoed unit the lowest grade even while incomplete, but no rank", () => {
    const ranked = rankUnits([score("甲", null, true)], { grades: county.grades });
    expect(ranked[0]).toMatchObject({ rank: null, grade: "不合格" });
  });
});

describe("weighted nodes", () => {
  it("scores a weighted parent 0..100 from its children's percentages; a weighted leaf takes 0..100", () => {
    const system: IndicatorSystem = {
      name: "加权",
      bonus: null,
      grades: null,
      indicators: [
        {
          code: "P",
          name: "公开",
          weight: 0.6,
          children: [
            { code: "P1", name: "主动公开", weight: 0.75, rule: { type: "manual" } },
            { code: "P2", name: "依申请", weight: 0.25, points: 10, rule: { type: "deduction", per: 2 } },
          ],
        },
        { code: "Q", name: "解读", weight: 0.4, rule: { type: "yesno" } },
      ],
    };
    const [s] = scoreUnits(system, rows("甲", { P1: 80, P2: 1, Q: 1 }));
    // P2 = 10 − 2 = 8 of 10 = 80%; P = 0.75 × 80 + 0.25 × 80 = 80; Q = 100%; total = 0.6 × 80 + 0.4 × 100 = 88
    expect(s?.indicators.P2).toBe(8);
    expect(s?.indicators.P).toBeCloseTo(80, 9);
    expect(s?.total).toBeCloseTo(88, 9);
  });

  it("scales proportion and evaluation rules into the indicator's points", () => {
    const system: AssessmentScheme = {
      name: "数据",
      share: 4,
      bonus: null,
      grades: null,
      indicators: [
        { code: "R", name: "按时完成率", points: 20, rule: { type: "proportion", source: "onTimeRate" } },
        { code: "E", name: "第三方评估", points: 30, rule: { type: "evaluation" } },
        { code: "L", name: "分档", points: 10, rule: { type: "levels", levels: [0, 0.5, 1] } },
      ],
    };
    const [s] = scoreUnits(system, rows("甲", { R: 0.9, E: 85, L: 0.5 }));
    // 0.9 × 20 = 18; 85 / 100 × 30 = 25.5; 0.5 × 10 = 5
    expect(s?.indicators).toMatchObject({ R: 18, E: 25.5, L: 5 });
    expect(s?.total).toBeCloseTo(48.5, 9);
  });
});

describe("values a rule does not allow", () => {
  it.each([
    ["D4b", 10.5, "0 到 10"],
    ["D1a", 1.5, "非负整数"],
    ["V1", 2, "单项否决"],
  ])("refuses %s = %s with a message saying what to enter", (code, value, hint) => {
    expect(() => scoreUnits(websites2019, [{ unit: "甲", indicator: code, value }])).toThrow(hint);
  });

  it("refuses a score for an unknown code or a parent", () => {
    expect(() => scoreUnits(county, [{ unit: "甲", indicator: "Z9", value: 1 }])).toThrow("不存在的指标 Z9");
    expect(() => scoreUnits(county, [{ unit: "甲", indicator: "B", value: 1 }])).toThrow("只给末级指标打分");
  });
});

describe("contribution to the performance score", () => {
  it("is score / max × share% × performance total, the share given as a percent", () => {
    // 85 of 100, share 4 (= 4%), performance total 1000: 0.85 × 0.04 × 1000 = 34
    expect(contribution(85, 100, 4, 1000)).toBeCloseTo(34, 12);
    // 45 of 60, share 10%, performance total 100: 0.75 × 0.1 × 100 = 7.5
    expect(contribution(45, 60, 10, 100)).toBeCloseTo(7.5, 12);
    expect(() => contribution(50, 0, 4, 100)).toThrow("满分");
    expect(() => contribution(50, 100, 400, 100)).toThrow("百分数");
  });
});

describe("scoring one leaf", () => {
  it("gives a looked-up leaf the points scoreLeaf gives it by code, and refuses the same values", () => {
    for (const system of [websites2019, county]) {
      const compiled = compileScheme(system);
      for (const node of compiled.nodes.filter((n) => n.children.length === 0)) {
        for (const value of [0, 0.5, 1, 2, 3, 7.5, -1, 1000]) {
          const byCode = (() => {
            try {
              return scoreLeaf(compiled, "单位", node.code, value);
            } catch (e) {
              return (e as Error).message;
            }
          })();
          const byNode = (() => {
            try {
              return scoreLeafNode("单位", node, value);
            } catch (e) {
              return (e as Error).message;
            }
          })();
          expect(byNode).toEqual(byCode);
        }
      }
      const parent = compiled.nodes.find((n) => n.children.length > 0);
      expect(() => scoreLeafNode("单位", parent as (typeof compiled.nodes)[number], 1)).toThrow(
        "只给末级指标打分",
      );
    }
  });
});
