import { describe, expect, it } from "vitest";
import { rankingKeysToSave } from "./ranking.ts";

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
});
