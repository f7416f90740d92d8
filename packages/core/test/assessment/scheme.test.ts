import { describe, expect, it } from "vitest";
import {
  type AssessmentScheme,
  assessmentSchemeSchema,
  type DomainError,
  type Indicator,
  indicatorSystemSchema,
  parseAssessmentScheme,
} from "../../src/index.ts";
import { county, websites2019 } from "./fixtures.ts";

const withIndicators = (indicators: Indicator[]): AssessmentScheme => ({ ...county, indicators });
const problems = (input: unknown) => {
  const r = assessmentSchemeSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("assessment scheme validation", () => {
  it("accepts the shared fixtures", () => {
    expect(parseAssessmentScheme(websites2019).name).toBe(websites2019.name);
    expect(parseAssessmentScheme(county).share).toBe(4);
  });

  it("refuses a share under 4%, quoting the rule", () => {
    const msgs = problems({ ...county, share: 3.5 });
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain("3.5%");
    expect(msgs[0]).toContain("政务公开分值权重不应低于4%");
    expect(msgs[0]).toContain("所佔分值權重不應低於4%");
    expect(() => parseAssessmentScheme({ ...county, share: 3.99 })).toThrow("不應低於4%");
    expect(problems({ ...county, share: 4 })).toEqual([]);
  });

  it("throws INVALID_INPUT with the field of the first problem", () => {
    try {
      parseAssessmentScheme({ ...county, share: 2 });
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe("INVALID_INPUT");
      expect((e as DomainError).field).toBe("share");
    }
  });

  it("needs sibling weights to sum to 1 (± 1e-6), naming the indicators", () => {
    const scheme = withIndicators([
      { code: "A", name: "甲", weight: 0.5, rule: { type: "manual" } },
      { code: "B", name: "乙", weight: 0.4, rule: { type: "manual" } },
    ]);
    expect(problems(scheme)).toEqual([expect.stringMatching(/权重合计为 0.9,应为 1.*A、B/)]);
    const close = withIndicators([
      { code: "A", name: "甲", weight: 1 / 3, rule: { type: "manual" } },
      { code: "B", name: "乙", weight: 1 / 3, rule: { type: "manual" } },
      { code: "C", name: "丙", weight: 0.3333333, rule: { type: "manual" } },
    ]);
    expect(problems(close)).toEqual([]);
  });

  it("refuses siblings mixing weights and points", () => {
    const scheme = withIndicators([
      { code: "A", name: "甲", weight: 1, rule: { type: "manual" } },
      { code: "B", name: "乙", points: 10, rule: { type: "manual" } },
    ]);
    expect(problems(scheme)[0]).toContain("B 缺少权重");
  });

  it("refuses children whose points cannot reach their parent's", () => {
    const scheme = withIndicators([
      {
        code: "B",
        name: "载体建设",
        points: 15,
        children: [
          { code: "B1", name: "门户网站", points: 6, rule: { type: "manual" } },
          { code: "B2", name: "新闻发布会", points: 3, rule: { type: "manual" } },
        ],
      },
    ]);
    expect(problems(scheme)).toEqual([
      expect.stringContaining("指标 B「载体建设」的下级指标分值合计 9 分,少于其分值 15 分"),
    ]);
    // Children adding up to more than their parent are capped by it: allowed.
    const capped = withIndicators([
      {
        code: "B",
        name: "载体建设",
        points: 5,
        children: [
          { code: "B1", name: "门户网站", points: 6, rule: { type: "manual" } },
          { code: "B2", name: "新闻发布会", points: 3, rule: { type: "manual" } },
        ],
      },
    ]);
    expect(problems(capped)).toEqual([]);
  });

  it("refuses levels outside 0..1, duplicate codes, leaves without rules and rules on parents", () => {
    const scheme = withIndicators([
      { code: "A", name: "甲", points: 10, rule: { type: "levels", levels: [0, 0.5, 1.5] } },
      { code: "A", name: "乙", points: 10 },
      {
        code: "C",
        name: "丙",
        points: 10,
        rule: { type: "manual" },
        children: [{ code: "C1", name: "丁", points: 10, rule: { type: "manual" } }],
      },
    ]);
    const msgs = problems(scheme).join("\n");
    expect(msgs).toContain("指标 A「甲」的分档 1.5 不在 0 到 1 之间");
    expect(msgs).toContain("指标编码 A 重复");
    expect(msgs).toContain("缺少评分规则");
    expect(msgs).toContain("指标 C「丙」有下级指标,不能设评分规则");
  });

  it("refuses bonus items without a bonus rule, and bonus mixed into a scored group", () => {
    const scheme = withIndicators([
      { code: "A", name: "甲", points: 10, rule: { type: "manual" } },
      { code: "X", name: "加分", points: 5, rule: { type: "bonus" } },
    ]);
    expect(problems({ ...scheme, bonus: null }).join()).toContain("没有设置加分规则");
    expect(problems({ ...scheme, bonus: { threshold: 0, cap: 5 } })).toEqual([]);
    const mixed = withIndicators([
      {
        code: "A",
        name: "甲",
        points: 10,
        children: [
          { code: "A1", name: "计分", points: 10, rule: { type: "manual" } },
          { code: "A2", name: "加分", points: 2, rule: { type: "bonus" } },
        ],
      },
    ]);
    expect(problems({ ...mixed, bonus: { threshold: 0, cap: 2 } }).join()).toContain(
      "同时包含加分项和计分指标",
    );
  });

  it("names the indicator in shape errors too", () => {
    const scheme = withIndicators([{ code: "A", name: "甲", points: 10, rule: { type: "score" } as never }]);
    expect(() => parseAssessmentScheme(scheme)).toThrow(/指标 A:评分规则 type 必须是 manual/);
  });

  it("validates an evaluation system without a share", () => {
    const { share: _share, ...system } = county;
    expect(indicatorSystemSchema.safeParse(system).success).toBe(true);
    expect(assessmentSchemeSchema.safeParse(system).success).toBe(false);
  });
});
