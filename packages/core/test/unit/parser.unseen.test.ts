/**
 * Accuracy on documents the parser was not tuned to (fixtures/unseen/, see its README for how
 * they were written and what the first, untuned runs scored).
 */
import { describe, expect, it } from "vitest";
import { parsePlanDocument, toParseOutput } from "../../src/index.ts";
import { type Score, score, unseenExpected, unseenNames, unseenText } from "./fixtures.ts";

describe("documents in layouts nobody tuned the parser to", () => {
  it("gets at least 98% of fields right", () => {
    const total: Score = { right: 0, total: 0, misses: [] };
    for (const name of unseenNames()) {
      const s = score(toParseOutput(parsePlanDocument(unseenText(name))), unseenExpected(name));
      total.right += s.right;
      total.total += s.total;
      total.misses.push(...s.misses.map((m) => `${name}: ${m}`));
    }
    const accuracy = total.right / total.total;
    console.info(
      `[parser] field accuracy on ${unseenNames().length} unseen documents: ${total.right}/${total.total} = ${(accuracy * 100).toFixed(1)}%`,
    );
    for (const m of total.misses) console.info(`[parser]   miss ${m}`);
    expect(unseenNames().length).toBeGreaterThanOrEqual(6);
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
  });
});
