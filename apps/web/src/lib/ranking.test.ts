import { describe, expect, it } from "vitest";
import { rankingKeysToSave, rankingRuleText } from "./ranking.ts";

describe("ranking keys in the editors", () => {
  it("keeps a scheme without keys without them while they hold the defaults (its hash stays)", () => {
    expect(rankingKeysToSave({}, {})).toEqual({});
    expect(rankingKeysToSave({}, { ranking: "competition", precision: 2 })).toEqual({});
  });

  it("saves what was chosen, keeps keys the scheme stated, and a tie-break only for 顺序排名", () => {
    expect(rankingKeysToSave({}, { ranking: "dense", precision: 1 })).toEqual({
      ranking: "dense",
      precision: 1,
    });
    expect(rankingKeysToSave({ ranking: "competition", precision: 2 }, {})).toEqual({
      ranking: "competition",
      precision: 2,
    });
    expect(rankingKeysToSave({}, { ranking: "dense", tieBreak: "A" })).toEqual({ ranking: "dense" });
    expect(rankingKeysToSave({}, { ranking: "ordinal", tieBreak: "A" })).toEqual({
      ranking: "ordinal",
      tieBreak: "A",
    });
  });

  it("says in one line how results are ranked", () => {
    expect(rankingRuleText({ ranking: "dense", precision: 1 })).toBe(
      "排名规则:密集排名(并列不占位),总分保留 1 位小数",
    );
    expect(rankingRuleText({})).toBe("排名规则:竞争排名(并列占位),总分按 2 位小数比较");
    expect(rankingRuleText({ ranking: "ordinal", precision: 0, tieBreak: "A" }, () => "组织保障")).toBe(
      "排名规则:顺序排名(不并列;总分相同先比「组织保障」得分,再按单位名称拼音),总分取整数",
    );
  });
});
