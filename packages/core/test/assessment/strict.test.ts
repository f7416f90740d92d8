/**
 * Strict scheme input (issue 18): unknown keys named with their path, the ranking keys checked,
 * the tree's depth limited (a 3,000-deep tree gets the message, not a stack overflow).
 */
import { describe, expect, it } from "vitest";
import {
  type AssessmentScheme,
  compileScheme,
  type DomainError,
  type Indicator,
  MAX_INDICATOR_DEPTH,
  parseAssessmentScheme,
  parseIndicatorSystem,
  resultsHashInput,
} from "../../src/index.ts";
import { county } from "./fixtures.ts";

const failure = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error("expected a DomainError");
};

const base: AssessmentScheme = {
  name: "严格校验",
  share: 5,
  bonus: null,
  grades: [{ name: "合格", min: 60 }],
  indicators: [
    { code: "A", name: "组织保障", points: 10, rule: { type: "manual" } },
    { code: "B", name: "平台建设", points: 10, rule: { type: "manual" } },
    {
      code: "C",
      name: "信息公开",
      points: 80,
      children: [
        { code: "C1", name: "主动公开", points: 50, rule: { type: "manual" } },
        { code: "C2", name: "依申请公开", points: 30, rule: { type: "manual" } },
      ],
    },
  ],
};

/** A chain of `depth` levels: each parent worth 10 with one child, the last a manual leaf. */
function chain(depth: number): Indicator {
  const leaf: Indicator = { code: `L${depth}`, name: `第${depth}级`, points: 10, rule: { type: "manual" } };
  let node = leaf;
  for (let level = depth - 1; level >= 1; level--)
    node = { code: `L${level}`, name: `第${level}级`, points: 10, children: [node] };
  return node;
}

describe("unknown keys", () => {
  it("names a misspelt key deep in the tree by its path, in Chinese and in English", () => {
    const input = structuredClone(base) as unknown as {
      indicators: { children: Record<string, unknown>[] }[];
    };
    const c1 = input.indicators[2]?.children[0] as Record<string, unknown>;
    c1.weihgt = 0.5;
    const e = failure(() => parseAssessmentScheme(input));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("未知的键 indicators[2].children[0].weihgt");
    expect(e.message).toContain("可用的键为 code、name、points、weight");
    expect(e.details?.en).toBe("unknown key indicators[2].children[0].weihgt");
    expect(e.field).toBe("indicators.2.children.0.weihgt");
  });

  it("refuses unknown keys at the top, in a rule, a grade band and the bonus rule", () => {
    const cases: [unknown, string][] = [
      [{ ...base, rankin: "dense" }, "未知的键 rankin(在 方案顶层)"],
      [
        {
          ...base,
          indicators: [
            { ...base.indicators[0], rule: { type: "manual", max: 5 } },
            ...base.indicators.slice(1),
          ],
        },
        "未知的键 indicators[0].rule.max",
      ],
      [{ ...base, grades: [{ name: "合格", min: 60, quota: 20 }] }, "未知的键 grades[0].quota"],
      [{ ...base, bonus: { threshold: 80, cap: 5, max: 5 } }, "未知的键 bonus.max"],
    ];
    for (const [input, message] of cases)
      expect(failure(() => parseAssessmentScheme(input)).message).toContain(message);
  });

  it("refuses `share` in an evaluation's indicator system, but scores a scheme that has one", () => {
    expect(failure(() => parseIndicatorSystem(base)).message).toContain("未知的键 share");
    expect(compileScheme(base).system).not.toHaveProperty("share");
  });
});

describe("ranking keys", () => {
  it("carries ranking, precision and tieBreak through, and leaves them out when absent", () => {
    const parsed = parseAssessmentScheme({ ...base, ranking: "ordinal", precision: 1, tieBreak: "C" });
    expect(parsed).toMatchObject({ ranking: "ordinal", precision: 1, tieBreak: "C" });
    const plain = parseAssessmentScheme(base);
    expect(Object.keys(plain)).not.toContain("ranking");
    expect(Object.keys(plain)).not.toContain("precision");
    // So the hash of a scheme without them is what it was, and one with them hashes them.
    expect(resultsHashInput(plain, [])).not.toContain("ranking");
    const hashed = resultsHashInput(parsed, []);
    expect(hashed).toContain('"precision":1,"ranking":"ordinal"');
    expect(hashed).toContain('"tieBreak":"C"');
    expect(parseAssessmentScheme(county)).toEqual(county);
  });

  it("refuses a ranking that is not one of the three, and a precision that is not 0..6 decimals", () => {
    expect(failure(() => parseAssessmentScheme({ ...base, ranking: "pinyin" })).message).toMatch(
      /排名方式\(ranking\)必须是 competition.*dense.*ordinal/,
    );
    expect(failure(() => parseAssessmentScheme({ ...base, precision: 7 })).message).toContain(
      "最多 6 位小数",
    );
    expect(failure(() => parseAssessmentScheme({ ...base, precision: 1.5 })).message).toContain("必须是整数");
    expect(failure(() => parseAssessmentScheme({ ...base, precision: -1 })).message).toContain("不能为负数");
    expect(failure(() => parseAssessmentScheme({ ...base, precision: "2" })).message).toContain("必须是数字");
  });

  it("needs tieBreak to go with ordinal and to name a scored first-level indicator", () => {
    expect(failure(() => parseAssessmentScheme({ ...base, tieBreak: "A" })).message).toContain(
      '决胜指标(tieBreak)只用于不并列的排名(ranking 为 "ordinal")',
    );
    expect(
      failure(() => parseAssessmentScheme({ ...base, ranking: "ordinal", tieBreak: "Z" })).message,
    ).toContain("决胜指标(tieBreak)Z 不在指标体系中:请填写一个计分的一级指标编码(A、B、C)");
    expect(
      failure(() => parseAssessmentScheme({ ...base, ranking: "ordinal", tieBreak: "C1" })).message,
    ).toContain("决胜指标(tieBreak)C1 不是计分的一级指标");
  });
});

describe("depth", () => {
  it(`accepts a tree ${MAX_INDICATOR_DEPTH} levels deep and refuses one more`, () => {
    expect(MAX_INDICATOR_DEPTH).toBe(12);
    expect(compileScheme({ ...base, indicators: [chain(12)] }).nodes).toHaveLength(12);
    const e = failure(() => parseAssessmentScheme({ ...base, indicators: [chain(13)] }));
    expect(e.message).toContain("指标 L12:指标体系最多 12 级");
    expect(e.details?.en).toMatch(
      /^indicators nested deeper than 12 levels at indicators\[0\](\.children\[0\]){11}\.children$/,
    );
  });

  it("refuses a tree 3,000 levels deep with the same message, not a stack overflow", () => {
    const e = failure(() => parseAssessmentScheme({ ...base, indicators: [chain(3000)] }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("指标体系最多 12 级");
    expect(e.message).not.toMatch(/call stack/i);
    // Read from JSON text as a file would be (written out by hand: JSON.stringify itself recurses),
    // through scoring as well.
    const open = Array.from(
      { length: 2999 },
      (_, i) => `{"code":"L${i + 1}","name":"级","points":10,"children":[`,
    );
    const leaf = '{"code":"L3000","name":"级","points":10,"rule":{"type":"manual"}}';
    const tree = `${open.join("")}${leaf}${"]}".repeat(2999)}`;
    const json = JSON.parse(`{"name":"深","share":5,"bonus":null,"grades":null,"indicators":[${tree}]}`);
    expect(() => compileScheme(json)).toThrow(/指标体系最多 12 级/);
  });
});
