/**
 * Bad input never breaks the parser: random text, random bytes decoded, a megabyte of one
 * character. The time limits are a generous safety net against catastrophic backtracking; the
 * benchmark (bench/parse.bench.ts) reports the real speed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseDeadlinePhrase,
  parseDeadlinePhrases,
  parsePlanDocument,
  parseTaskTable,
} from "../../src/index.ts";

const MB = 1 << 20;
const LIMIT_MS = 1000;
const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const timed = (text: string) => {
  const t0 = performance.now();
  const r = parsePlanDocument(text);
  return { r, ms: performance.now() - t0 };
};

/** Characters the parser reacts to, so random text often looks like a plan. */
const vocabulary = [
  ..."一二三四五六七八九十（）()〔〕【】、，,；;：:。\n\t|0123456789年月日底前内后每次",
  "牵头单位",
  "责任单位",
  "配合单位",
  "完成时限",
  "工作要点",
  "个工作日内",
  "小时内",
  "不少于",
  "各村(社区)",
  "等部门",
  "序号",
  "工作任务",
  "一是",
  "(一)",
  "1、",
  "关于印发《",
  "》的通知",
];
const planLike = fc.array(fc.constantFrom(...vocabulary), { maxLength: 400 }).map((xs) => xs.join(""));

describe("the parser never throws", { timeout: 120_000 }, () => {
  it("on random text and plan-like noise", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 2000 }), fc.string({ unit: "grapheme", maxLength: 500 }), planLike),
        (text) => {
          const r = parsePlanDocument(text);
          for (const plan of r.plans) {
            for (const t of plan.tasks)
              for (const m of t.marks) expect(text.slice(m.start, m.end)).toBe(m.text);
          }
          parseDeadlinePhrases(text, { year: 2024 });
          parseDeadlinePhrase(text, { year: 2024 });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("on random bytes decoded as UTF-8", () => {
    const decoder = new TextDecoder("utf-8");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        parsePlanDocument(decoder.decode(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it("on random tables", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string({ maxLength: 20 }), planLike), { maxLength: 8 }), {
          maxLength: 30,
        }),
        (rows) => {
          parseTaskTable(rows);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ["brackets", fill("（")],
    ["paired brackets", fill("〔〕")],
    ["nested brackets", fill("(((牵头单位:")],
    ["、", fill("、")],
    ["unit labels", fill("牵头单位:")],
    ["deadline words", fill("每年年内6月前后1个工作日内")],
    ["digits", fill("1")],
    ["one long sentence", fill("推进政府信息公开规范化建设")],
  ])("on a megabyte of %s, in linear time (under a second on an idle machine)", (_name, text) => {
    // Timing on a shared CI machine is noisy, so the test checks the growth, not the clock: a
    // quarter of the input must take about a quarter of the time (catastrophic backtracking
    // grows far faster). The bench reports the real speed of a megabyte.
    const quarter = timed(text.slice(0, MB / 4)).ms;
    const { ms } = timed(text);
    expect(
      ms < LIMIT_MS || ms / Math.max(quarter, 1) < 10,
      `1 MB ${ms.toFixed(0)} ms, 256 KB ${quarter.toFixed(0)} ms`,
    ).toBe(true);
  });

  it("on a megabyte of item numbers (175,000 tasks), in linear time", () => {
    // The output alone is large here; the limit only catches quadratic work (which took minutes).
    const quarter = timed(fill("(一)\n1、", MB / 4)).ms;
    const { r, ms } = timed(fill("(一)\n1、"));
    expect(r.plans[0]?.tasks.length).toBeGreaterThan(170_000);
    // Quadratic work took minutes; a loaded 2-core machine does the linear work well inside 30 s.
    expect(
      ms < 30_000 || ms / Math.max(quarter, 1) < 12,
      `1 MB ${ms.toFixed(0)} ms, 256 KB ${quarter.toFixed(0)} ms`,
    ).toBe(true);
  });
});
