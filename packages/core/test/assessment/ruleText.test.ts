import { describe, expect, it } from "vitest";
import { rankingRuleText, resultRuleText } from "../../src/index.ts";

describe("the rule a result is read by, in words", () => {
  it("says in one line how results are ranked", () => {
    expect(rankingRuleText({ ranking: "dense", precision: 1 })).toBe(
      "排名规则:密集排名(并列不占位),总分保留 1 位小数",
    );
    expect(rankingRuleText({})).toBe("排名规则:竞争排名(并列占位),总分按 2 位小数比较");
    expect(rankingRuleText({ ranking: "ordinal", precision: 0, tieBreak: "A" }, () => "组织保障")).toBe(
      "排名规则:顺序排名(不并列;总分相同先比「组织保障」得分,再按单位名称拼音),总分取整数",
    );
  });

  it("adds the grade rule when there are grade bands", () => {
    expect(resultRuleText({}, null)).toBe("排名规则:竞争排名(并列占位),总分按 2 位小数比较");
    expect(
      resultRuleText({ ranking: "dense" }, [
        { name: "合格", min: 60 },
        { name: "优秀", min: 90, quotaPercent: 20 },
      ]),
    ).toBe(
      "排名规则:密集排名(并列不占位),总分按 2 位小数比较。等次:优秀:90 分及以上,且不超过参评单位的 20%(名额向下取整,并列超出名额的一并降入下一等次);合格:60 分及以上",
    );
  });
});
