/**
 * Third-party evaluation (issue 6): weighted totals, rater agreement, reconciliation.
 */
import { describe, expect, it } from "vitest";
import {
  agreement,
  agreementOfCells,
  assess,
  cellsOf,
  disagreement,
  disagreementOfRange,
  flagDisagreements,
  type IndicatorSystem,
  icc,
  krippendorffAlpha,
  type Rating,
  reconcile,
} from "../../src/index.ts";
import { rows } from "./fixtures.ts";

describe("weighted totals with unequal weights at two levels", () => {
  const system: IndicatorSystem = {
    name: "政务公开第三方评估",
    bonus: null,
    grades: null,
    indicators: [
      {
        code: "1",
        name: "信息公开",
        weight: 0.5,
        children: [
          { code: "1.1", name: "主动公开", weight: 0.6, rule: { type: "manual" } },
          { code: "1.2", name: "依申请公开", weight: 0.4, points: 20, rule: { type: "manual" } },
        ],
      },
      {
        code: "2",
        name: "政策解读",
        weight: 0.3,
        children: [
          { code: "2.1", name: "解读数量", weight: 0.7, rule: { type: "manual" } },
          { code: "2.2", name: "解读质量", weight: 0.3, rule: { type: "manual" } },
        ],
      },
      { code: "3", name: "回应关切", weight: 0.2, rule: { type: "manual" } },
    ],
  };

  it("matches hand-computed totals, and ranks follow totals with ties sharing a rank", () => {
    const { units } = assess(system, [
      // 信息公开 = 0.6 × 90 + 0.4 × (14 / 20 = 70%) = 54 + 28 = 82
      // 政策解读 = 0.7 × 80 + 0.3 × 60 = 56 + 18 = 74
      // total = 0.5 × 82 + 0.3 × 74 + 0.2 × 50 = 41 + 22.2 + 10 = 73.2
      ...rows("甲市", { "1.1": 90, "1.2": 14, "2.1": 80, "2.2": 60, "3": 50 }),
      // 信息公开 = 0.6 × 70 + 0.4 × 90 = 42 + 36 = 78; 政策解读 = 0.7 × 60 + 0.3 × 80 = 42 + 24 = 66
      // total = 0.5 × 78 + 0.3 × 66 + 0.2 × 80 = 39 + 19.8 + 16 = 74.8
      ...rows("乙市", { "1.1": 70, "1.2": 18, "2.1": 60, "2.2": 80, "3": 80 }),
      ...rows("丙市", { "1.1": 90, "1.2": 14, "2.1": 80, "2.2": 60, "3": 50 }),
    ]);
    const view = units.map((u) => [u.unit, u.rank, Number(u.total?.toFixed(9))]);
    expect(view).toEqual([
      ["乙市", 1, 74.8],
      ["丙市", 2, 73.2],
      ["甲市", 2, 73.2],
    ]);
    expect(units[2]?.indicators["1"]).toBeCloseTo(82, 9);
    expect(units[2]?.indicators["2"]).toBeCloseTo(74, 9);
  });
});

describe("Krippendorff's alpha", () => {
  /**
   * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
   * Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43 —
   * example C: 4 observers × 12 units, values 1..5, missing values (".").
   */
  const M = Number.NaN;
  const observers = {
    A: [1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M],
    B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3],
    C: [M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M],
    D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M],
  };
  const units = Array.from({ length: 12 }, (_, u) =>
    Object.values(observers)
      .map((row) => row[u] as number)
      .filter((v) => !Number.isNaN(v)),
  );

  // By hand: unit 12 has a single value and is not pairable, so n = 3 + 8 × 4 + 3 + 2 = 40 values.
  // Counts over them: n₁ = 9, n₂ = 13, n₃ = 10, n₄ = 5, n₅ = 3. Only units 2 (2,2,3,2), 6 (1,2,3,4)
  // and 8 (1,1,2,1) disagree.
  it("gives nominal α = 0.743 on the paper's example", () => {
    // D_o·n = Σ_u (m_u² − Σ_c n_uc²)/(m_u − 1) = (16 − 10)/3 + (16 − 4)/3 + (16 − 10)/3 = 8
    // D_e·n(n − 1) = n² − Σ_c n_c² = 1600 − (81 + 169 + 100 + 25 + 9) = 1216
    // α = 1 − (n − 1)·8 / 1216 = 1 − 312/1216 = 904/1216
    const hand = 904 / 1216;
    expect(hand).toBeCloseTo(0.743, 3); // the value printed in the paper
    expect(krippendorffAlpha(units, "nominal")).toBeCloseTo(hand, 12);
  });

  it("gives interval α = 0.849 on the paper's example", () => {
    // Σ within units over ordered pairs of (c − k)², each unit / (m_u − 1):
    //   unit 2: 3 pairs at distance 1 → 6/3 = 2; unit 6: 2 × (1+4+9+1+4+1) = 40 → 40/3; unit 8: 2.
    //   total 52/3.
    // Σ over all ordered pairs: 2 Σ_{c<k} n_c n_k (c − k)² = 2 × (117 + 360 + 405 + 432 + 130 + 260
    //   + 351 + 50 + 120 + 15) = 2 × 2240 = 4480.
    // α = 1 − (n − 1)(52/3) / 4480 = 1 − 676/4480
    const hand = 1 - 676 / 4480;
    expect(hand).toBeCloseTo(0.849, 3); // the value printed in the paper
    expect(krippendorffAlpha(units, "interval")).toBeCloseTo(hand, 12);
  });

  it("gives the same through agreement(), observers as raters", () => {
    const ratings: Rating[] = Object.entries(observers).flatMap(([rater, row]) =>
      row.flatMap((value, u) =>
        Number.isNaN(value) ? [] : [{ unit: `u${u + 1}`, indicator: "x", rater, value }],
      ),
    );
    const report = agreement(ratings);
    expect(report.byIndicator.x?.alphaNominal).toBeCloseTo(904 / 1216, 12);
    expect(report.byIndicator.x?.alphaInterval).toBeCloseTo(1 - 676 / 4480, 12);
    expect(report.byIndicator.x?.cells).toBe(11);
    expect(report.byIndicator.x?.values).toBe(40);
    // Units 1, 3, 4, 5, 7, 9, 10, 11 are unanimous: 8 of 11.
    expect(report.byIndicator.x?.exactAgreement).toBeCloseTo(8 / 11, 12);
    // Cells have 2, 3 or 4 raters: no ICC.
    expect(report.byIndicator.x?.icc11).toBeNull();
    expect(report.overall.alphaInterval).toBeCloseTo(1 - 676 / 4480, 12);
  });
});

describe("intraclass correlation", () => {
  /**
   * Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
   * reliability. Psychological Bulletin 86(2), 420–428. Table 2: 6 targets × 4 judges; Table 4
   * gives ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71.
   */
  const table2 = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  // By hand: Σx = 127, Σx² = 841, row sums 24 12 26 16 30 19, column sums 46 15 26 40.
  // CF = 127²/24 = 16129/24; SS_targets = 2913/4 − CF = 1349/24; SS_judges = 4617/6 − CF = 2339/24;
  // SS_total = 841 − CF = 4055/24; SS_error = (4055 − 1349 − 2339)/24 = 367/24.
  const BMS = 1349 / 24 / 5;
  const JMS = 2339 / 24 / 3;
  const EMS = 367 / 24 / 15;
  const WMS = (2339 + 367) / 24 / 18;
  const n = 6;
  const k = 4;

  it("reproduces Shrout & Fleiss Table 2: ICC(2,1) = .29, ICC(3,1) = .71", () => {
    const icc21 = (BMS - EMS) / (BMS + (k - 1) * EMS + (k * (JMS - EMS)) / n);
    const icc31 = (BMS - EMS) / (BMS + (k - 1) * EMS);
    const icc11 = (BMS - WMS) / (BMS + (k - 1) * WMS);
    expect(icc21).toBeCloseTo(0.29, 2);
    expect(icc31).toBeCloseTo(0.71, 2);
    expect(icc11).toBeCloseTo(0.17, 2);
    const got = icc(table2);
    expect(got.icc21).toBeCloseTo(icc21, 12);
    expect(got.icc31).toBeCloseTo(icc31, 12);
    expect(got.icc11).toBeCloseTo(icc11, 12);
    expect(got.icc2k).toBeCloseTo(0.62, 2);
    expect(got.icc3k).toBeCloseTo(0.91, 2);
  });

  it("gives ICC(2,1) and ICC(3,1) through agreement() when the same judges rate every cell", () => {
    const ratings: Rating[] = table2.flatMap((row, t) =>
      row.map((value, j) => ({ unit: `t${t}`, indicator: "x", rater: `judge${j}`, value })),
    );
    const stats = agreement([...ratings].reverse()).byIndicator.x;
    expect(stats?.icc21).toBeCloseTo(0.2898, 4);
    expect(stats?.icc31).toBeCloseTo(0.7148, 4);
  });

  it("gives only ICC(1,1) when each cell has its own pair of raters", () => {
    const ratings: Rating[] = [
      { unit: "a", indicator: "x", rater: "张", value: 8 },
      { unit: "a", indicator: "x", rater: "李", value: 7 },
      { unit: "b", indicator: "x", rater: "王", value: 4 },
      { unit: "b", indicator: "x", rater: "赵", value: 5 },
      { unit: "c", indicator: "x", rater: "张", value: 9 },
      { unit: "c", indicator: "x", rater: "王", value: 9 },
    ];
    const stats = agreement(ratings).byIndicator.x;
    expect(stats?.icc11).not.toBeNull();
    expect(stats?.icc21).toBeNull();
    expect(stats?.icc31).toBeNull();
  });
});

describe("agreement per indicator and overall", () => {
  it("reports exact agreement per indicator and pools scaled values overall", () => {
    const r = (unit: string, indicator: string, rater: string, value: number): Rating => ({
      unit,
      indicator,
      rater,
      value,
    });
    const ratings = [
      r("甲", "p", "A", 10),
      r("甲", "p", "B", 10),
      r("乙", "p", "A", 8),
      r("乙", "p", "B", 6),
      r("甲", "q", "A", 1),
      r("甲", "q", "B", 1),
      r("乙", "q", "A", 0),
      r("乙", "q", "B", 0),
      r("丙", "q", "A", 1), // rated once: not pairable
    ];
    const report = agreement(ratings, { scale: (i) => (i === "p" ? 10 : 1) });
    expect(report.byIndicator.p?.exactAgreement).toBe(0.5);
    expect(report.byIndicator.q?.exactAgreement).toBe(1);
    expect(report.byIndicator.q?.cells).toBe(2);
    expect(report.overall.exactAgreement).toBe(0.75);
    expect(report.overall.cells).toBe(4);
    // Pooled on 0..1, the pairable cells are (1,1) (0.8,0.6) (1,1) (0,0): n = 8, Σv = 5.4, mean 0.675,
    // Σv² = 5, Σ(v − mean)² = 5 − 8 × 0.675² = 1.355. Within cells only (0.8,0.6) differs:
    // 2·m·Σ(v − 0.7)²/(m − 1) = 2·2·0.02 = 0.08. Across all: 2·n·1.355 = 16 × 1.355.
    // α = 1 − (n − 1) × 0.08 / (16 × 1.355)
    expect(report.overall.alphaInterval).toBeCloseTo(1 - (7 * 0.08) / (16 * 1.355), 12);
  });

  it("reports no alpha when nobody varies (undefined, not perfect)", () => {
    const ratings: Rating[] = ["A", "B"].flatMap((rater) =>
      ["甲", "乙"].map((unit) => ({ unit, indicator: "x", rater, value: 5 })),
    );
    const stats = agreement(ratings).byIndicator.x;
    expect(stats?.exactAgreement).toBe(1);
    expect(stats?.alphaInterval).toBeNull();
  });

  it("refuses a rater scoring the same cell twice", () => {
    const twice: Rating[] = [
      { unit: "甲", indicator: "x", rater: "A", value: 1 },
      { unit: "甲", indicator: "x", rater: "A", value: 2 },
    ];
    expect(() => agreement(twice)).toThrow("评了两次分");
  });

  it("gives the same statistics from flat cells as from rating objects", () => {
    // p: 甲 (10, 10), 乙 (8, 6); q: 甲 (1, 1), 乙 (0, 0), 丙 (1) alone — by raters 1 and 2.
    const flat = agreementOfCells(
      {
        indicators: ["p", "q"],
        cellIndicator: Int32Array.from([0, 0, 1, 1, 1]),
        start: Int32Array.from([0, 2, 4, 6, 8, 9]),
        values: Float64Array.from([10, 10, 8, 6, 1, 1, 0, 0, 1]),
        raters: Int32Array.from([1, 2, 1, 2, 1, 2, 1, 2, 1]),
      },
      { scale: (i) => (i === "p" ? 10 : 1) },
    );
    expect(flat.overall.cells).toBe(4);
    expect(flat.overall.exactAgreement).toBe(0.75);
    expect(flat.overall.alphaInterval).toBeCloseTo(1 - (7 * 0.08) / (16 * 1.355), 12);
    expect(flat.byIndicator.p?.exactAgreement).toBe(0.5);
    expect(flat.byIndicator.q?.cells).toBe(2);
    // Two raters on every pairable cell: ICC(2,1) is defined, as through agreement().
    expect(flat.byIndicator.p?.icc21).toBe(
      agreement([
        { unit: "甲", indicator: "p", rater: "A", value: 10 },
        { unit: "甲", indicator: "p", rater: "B", value: 10 },
        { unit: "乙", indicator: "p", rater: "A", value: 8 },
        { unit: "乙", indicator: "p", rater: "B", value: 6 },
      ]).byIndicator.p?.icc21,
    );
  });

  it("refuses flat cells with a rater twice, a value that is not a number, or counts that do not add up", () => {
    const cells = (values: number[], raters: number[], start = [0, values.length]) => ({
      indicators: ["x"],
      cellIndicator: Int32Array.from([0]),
      start: Int32Array.from(start),
      values: Float64Array.from(values),
      raters: Int32Array.from(raters),
    });
    expect(() => agreementOfCells(cells([1, 2], [7, 7]))).toThrow("评了两次分");
    expect(() => agreementOfCells(cells([1, Number.NaN], [1, 2]))).toThrow("不是有效数字");
    expect(() => agreementOfCells(cells([1, 2], [1, 2], [0, 1]))).toThrow("数量对不上");
  });
});

describe("reconciliation", () => {
  const cells = cellsOf([
    { unit: "甲", indicator: "1.1", rater: "A", value: 8 },
    { unit: "甲", indicator: "1.1", rater: "B", value: 6 }, // differs by exactly 2
    { unit: "乙", indicator: "1.1", rater: "A", value: 9 },
    { unit: "乙", indicator: "1.1", rater: "B", value: 6.5 }, // differs by 2.5
    { unit: "丙", indicator: "1.1", rater: "A", value: 0.1 + 0.2 },
    { unit: "丙", indicator: "1.1", rater: "B", value: 2.3 }, // 2.3 − 0.3 = 2 up to float noise
    { unit: "丁", indicator: "1.1", rater: "A", value: 5 }, // one evaluator only
  ]);

  it("flags cells whose evaluators differ by more than the threshold, not by exactly it", () => {
    const flagged = flagDisagreements(cells, 2);
    expect(flagged.map((c) => [c.unit, c.spread])).toEqual([["乙", 2.5]]);
    expect(flagDisagreements(cells, 0).map((c) => c.unit)).toEqual(["甲", "乙", "丙"]);
  });

  it("gives the same verdict one cell at a time (disagreement) as over the list", () => {
    const one = (threshold: number) =>
      cells.map((c) => [
        c.unit,
        disagreement(
          c.ratings.map((r) => r.value),
          threshold,
        ),
      ]);
    expect(one(2)).toEqual([
      ["甲", null],
      ["乙", 2.5],
      ["丙", null],
      ["丁", null],
    ]);
    expect(
      one(0)
        .filter(([, s]) => s !== null)
        .map(([u]) => u),
    ).toEqual(["甲", "乙", "丙"]);
    expect(() => disagreement([1, 2], -1)).toThrow("分歧阈值");
    // Held as count, lowest and highest: the same answers.
    for (const threshold of [0, 2])
      expect(
        cells.map((c) => {
          const v = c.ratings.map((r) => r.value);
          return [c.unit, disagreementOfRange(v.length, Math.min(...v), Math.max(...v), threshold)];
        }),
      ).toEqual(one(threshold));
    expect(disagreementOfRange(1, 0, 10, 0)).toBeNull();
    expect(() => disagreementOfRange(2, 1, 2, -1)).toThrow("分歧阈值");
  });

  it("takes the mean of agreed cells and the lead's decision, with its reason, for flagged ones", () => {
    const open = reconcile(cells, { threshold: 2 });
    expect(open.pending.map((c) => c.unit)).toEqual(["乙"]);
    expect(open.scores.find((s) => s.unit === "甲")).toMatchObject({ value: 7, source: "agreed" });
    expect(open.scores.find((s) => s.unit === "丁")).toMatchObject({ value: 5, source: "agreed" });
    const done = reconcile(cells, {
      threshold: 2,
      decisions: [{ unit: "乙", indicator: "1.1", value: 9, reason: "复核页面截图,栏目按时更新" }],
    });
    expect(done.pending).toEqual([]);
    expect(done.scores.find((s) => s.unit === "乙")).toMatchObject({ value: 9, source: "lead" });
    expect(() =>
      reconcile(cells, {
        threshold: 2,
        decisions: [{ unit: "乙", indicator: "1.1", value: 9, reason: " " }],
      }),
    ).toThrow("缺少理由");
  });
});
