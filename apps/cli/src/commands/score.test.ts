/**
 * The `score` command through the real CLI, as other tools call it:
 * `pnpm --silent cli score <scheme.json|scheme.xlsx> <scores.csv>` from the repo root.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSchemeXlsx } from "@gongkai/files/scheme-xlsx";
import { describe, expect, it } from "vitest";
import { round2 } from "./score.ts";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");
const dir = mkdtempSync(join(tmpdir(), "gongkai-score-"));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Exactly as other tools call it. */
function cli(...args: string[]) {
  const r = spawnSync("pnpm", ["--silent", "cli", "score", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same entry point without pnpm's start-up, for the many error cases. */
function main(...args: string[]) {
  const tsx = join(root, "node_modules/.bin/tsx");
  const r = spawnSync(tsx, ["apps/cli/src/main.ts", "score", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** County table: 组织保障 6, 载体建设 15 (门户网站 6, 新闻发布会 3, 新媒体 6), 政府信息公开 79; a veto; bonus. */
const scheme = {
  name: "县政务公开考核",
  share: 5,
  bonus: { threshold: 90, cap: 3 },
  grades: [
    { name: "优秀", min: 90 },
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    { code: "A", name: "组织保障", points: 6, rule: { type: "deduction", per: 2 } },
    {
      code: "B",
      name: "载体建设",
      points: 15,
      children: [
        { code: "B1", name: "门户网站", points: 6, rule: { type: "levels", levels: [0, 0.5, 1] } },
        { code: "B2", name: "新闻发布会", points: 3, rule: { type: "yesno" } },
        { code: "B3", name: "新媒体", points: 6, rule: { type: "deduction", per: 1.5 } },
      ],
    },
    { code: "C", name: "政府信息公开", points: 79, rule: { type: "manual" } },
    { code: "V", name: "泄密", rule: { type: "veto" } },
    { code: "X", name: "创新", points: 5, rule: { type: "bonus" } },
  ],
};

const csv = [
  "unit,indicator,value",
  // 甲镇: 6 + (6 + 3 + 6) + 75.555 = 96.555, bonus 4 capped at 3 → 99.555 → 99.56 in the output
  ..."A:0 B1:1 B2:1 B3:0 C:75.555 V:0 X:4".split(" ").map((kv) => `甲镇,${kv.replace(":", ",")}`),
  // 乙镇: (6 − 2) + (3 + 0 + (6 − 4.5)) + 70 = 4 + 4.5 + 70 = 78.5
  ..."A:1 B1:0.5 B2:0 B3:3 C:70 V:0 X:".split(" ").map((kv) => `乙镇,${kv.replace(":", ",")}`),
  // "丙镇": same as 乙镇 → tie at rank 2; quoted to test CSV quoting
  ..."A:1 B1:0.5 B2:0 B3:3 C:70 V:0".split(" ").map((kv) => `"丙镇",${kv.replace(":", ",")}`),
  // 丁镇: full marks but vetoed → ranks after every unit that is not vetoed
  ..."A:0 B1:1 B2:1 B3:0 C:79 V:1 X:5".split(" ").map((kv) => `丁镇,${kv.replace(":", ",")}`),
  // 戊镇: C left empty → not scored yet, unranked
  ..."A:0 B1:1 B2:1 B3:0 C: V:0".split(" ").map((kv) => `戊镇,${kv.replace(":", ",")}`),
].join("\r\n");

const expected = {
  units: [
    {
      unit: "甲镇",
      total: 99.56,
      rank: 1,
      grade: "优秀",
      vetoed: false,
      indicators: { A: 6, B: 15, B1: 6, B2: 3, B3: 6, C: 75.56, V: 0, X: 4 },
    },
    {
      unit: "丙镇",
      total: 78.5,
      rank: 2,
      grade: "合格",
      vetoed: false,
      indicators: { A: 4, B: 4.5, B1: 3, B2: 0, B3: 1.5, C: 70, V: 0 },
    },
    {
      unit: "乙镇",
      total: 78.5,
      rank: 2,
      grade: "合格",
      vetoed: false,
      indicators: { A: 4, B: 4.5, B1: 3, B2: 0, B3: 1.5, C: 70, V: 0 },
    },
    {
      unit: "丁镇",
      total: 100,
      rank: 4,
      grade: "不合格",
      vetoed: true,
      indicators: { A: 6, B: 15, B1: 6, B2: 3, B3: 6, C: 79, V: 0, X: 5 },
    },
    {
      unit: "戊镇",
      total: 21, // scored so far: 6 + 15
      rank: null,
      grade: null,
      vetoed: false,
      indicators: { A: 6, B: 15, B1: 6, B2: 3, B3: 6, V: 0 },
    },
  ],
};

describe("pnpm --silent cli score", { timeout: 300_000 }, () => {
  const scores = file("scores.csv", `\uFEFF${csv}\r\n`);

  it("scores a JSON scheme: sorted by rank, ties shared, vetoed last of the ranked, unranked at the end", () => {
    const r = cli(file("scheme.json", JSON.stringify(scheme)), scores);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it("scores the same scheme read from a .xlsx 评分细则 table", async () => {
    const xlsx = file("scheme.xlsx", await writeSchemeXlsx(scheme as Parameters<typeof writeSchemeXlsx>[0]));
    const r = cli(xlsx, scores);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it.each([
    [
      "a missing scheme file",
      () => [join(dir, "nope.json"), scores],
      /找不到方案文件.*\/ scheme file not found/,
    ],
    ["a scheme that is not JSON", () => [file("bad.json", "{name:"), scores], /不是有效的 JSON/],
    ["a scheme of another type", () => [file("scheme.txt", "x"), scores], /须为 \.json 或 \.xlsx/],
    [
      "a share under 4%",
      () => [file("low.json", JSON.stringify({ ...scheme, share: 3 })), scores],
      /不應低於4%/,
    ],
    [
      "a scheme with weights not summing to 1",
      () => [
        file(
          "w.json",
          JSON.stringify({
            ...scheme,
            indicators: [{ code: "A", name: "甲", weight: 0.5, rule: { type: "manual" } }],
          }),
        ),
        scores,
      ],
      /权重合计为 0.5/,
    ],
    [
      "a wrong CSV header",
      () => [file("s.json", JSON.stringify(scheme)), file("h.csv", "单位,指标,得分\n甲,A,1\n")],
      /表头须为 unit,indicator,value/,
    ],
    [
      "a value that is not a number",
      () => [file("s.json", JSON.stringify(scheme)), file("v.csv", "unit,indicator,value\n甲,A,两次\n")],
      /第 2 行的得分“两次”不是数字/,
    ],
    [
      "an unknown indicator",
      () => [file("s.json", JSON.stringify(scheme)), file("u.csv", "unit,indicator,value\n甲,Z,1\n")],
      /不存在的指标 Z/,
    ],
    [
      "a value the rule does not allow",
      () => [file("s.json", JSON.stringify(scheme)), file("y.csv", "unit,indicator,value\n甲,B2,2\n")],
      /是否类指标填 1/,
    ],
    [
      "a CSV that is not UTF-8",
      () => [
        file("s.json", JSON.stringify(scheme)),
        file("g.csv", Buffer.from([0x75, 0x6e, 0x69, 0x74, 0x0a, 0xd6, 0xd0, 0xff])),
      ],
      /不是 UTF-8 编码/,
    ],
    ["missing arguments", () => [file("s.json", JSON.stringify(scheme))], /用法/],
    [
      "a misspelt key deep in the scheme",
      () => {
        const typo = structuredClone(scheme) as { indicators: { children?: Record<string, unknown>[] }[] };
        const b1 = typo.indicators[1]?.children?.[0] as Record<string, unknown>;
        b1.weihgt = b1.points;
        return [file("typo.json", JSON.stringify(typo)), scores];
      },
      /未知的键 indicators\[1\]\.children\[0\]\.weihgt.* \/ invalid scheme .*typo\.json: unknown key indicators\[1\]\.children\[0\]\.weihgt\n?$/,
    ],
    [
      "an unknown ranking convention",
      () => [file("r.json", JSON.stringify({ ...scheme, ranking: "pinyin" })), scores],
      /排名方式\(ranking\)必须是 competition/,
    ],
    [
      "a scheme nested 3,000 levels deep",
      () => {
        const open = Array.from(
          { length: 2999 },
          (_, i) => `{"code":"L${i}","name":"级","points":10,"children":[`,
        );
        const tree = `${open.join("")}{"code":"L","name":"级","points":10,"rule":{"type":"manual"}}${"]}".repeat(2999)}`;
        const text = `{"name":"深","share":5,"bonus":null,"grades":null,"indicators":[${tree}]}`;
        return [file("deep.json", text), scores];
      },
      /指标体系最多 12 级.* \/ invalid scheme .*: indicators nested deeper than 12 levels/,
    ],
    ...(
      [
        ["hex", "0x2D"],
        ["an exponent", "1e2"],
        ["Infinity", "Infinity"],
        ["a plus sign", "+5"],
        ["a bare decimal point", ".5"],
        ["a thousands separator", '"1,000"'],
      ] as const
    ).map(
      ([what, raw]) =>
        [
          `a value written with ${what}`,
          () => [
            file("s.json", JSON.stringify(scheme)),
            file(`n-${what.replace(/\W/g, "")}.csv`, `unit,indicator,value\n甲,C,70\n甲,A,${raw}\n`),
          ],
          new RegExp(
            `第 3 行的得分“${raw.replace(/"/g, "").replace(/[.+]/g, "\\$&")}”不是数字\\(第 3 列 value,单位 甲,指标 A\\):只接受十进制写法.* / line 3, column 3 \\(value\\)`,
          ),
        ] as [string, () => string[], RegExp],
    ),
    [
      "a CSV with only its header",
      () => [file("s.json", JSON.stringify(scheme)), file("head.csv", "unit,indicator,value\r\n")],
      /只有表头,没有得分行.* \/ the scores file .* has a header but no rows/,
    ],
    [
      "an empty CSV",
      () => [file("s.json", JSON.stringify(scheme)), file("empty.csv", "")],
      /得分文件 .* 是空的.* \/ the scores file .* is empty/,
    ],
  ] as [string, () => string[], RegExp][])(
    "exits 2 with a message on stderr for %s",
    (_what, args, message) => {
      const r = main(...args());
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    },
  );
});

describe("cli score with the ranking keys", { timeout: 300_000 }, () => {
  // The county scheme ranked dense on whole points (precision 0): totals rounded half up first.
  it("rounds totals to the scheme's precision before ranking, ties by its convention", () => {
    const ranked = { ...scheme, ranking: "dense", precision: 0 };
    const table = [
      "unit,indicator,value",
      // 甲镇 as above: 99.555 → 100
      ..."A:0 B1:1 B2:1 B3:0 C:75.555 V:0 X:4".split(" ").map((kv) => `甲镇,${kv.replace(":", ",")}`),
      // 乙镇: 78.5 → 79 (half up); the value " 70 " with spaces is read as 70
      ..."A:1 B1:0.5 B2:0 B3:3 V:0".split(" ").map((kv) => `乙镇,${kv.replace(":", ",")}`),
      "乙镇,C, 70 ",
      // 丙镇: 4 + 4.5 + 70.4 = 78.9 → 79, ties with 乙镇
      ..."A:1 B1:0.5 B2:0 B3:3 C:70.4 V:0".split(" ").map((kv) => `丙镇,${kv.replace(":", ",")}`),
      // 丁镇: 4 + 4.5 + 69.99 = 78.49 → 78: dense rank 3 (competition would give 4)
      ..."A:1 B1:0.5 B2:0 B3:3 C:69.99 V:0".split(" ").map((kv) => `丁镇,${kv.replace(":", ",")}`),
    ].join("\n");
    const r = main(file("dense.json", JSON.stringify(ranked)), file("dense.csv", table));
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as {
      units: { unit: string; total: number; rank: number; grade: string }[];
    };
    expect(out.units.map((u) => [u.unit, u.total, u.rank, u.grade])).toEqual([
      ["甲镇", 100, 1, "优秀"],
      ["丙镇", 79, 2, "合格"],
      ["乙镇", 79, 2, "合格"],
      ["丁镇", 78, 3, "合格"],
    ]);
  });
});

describe("round2 (output only)", () => {
  it("rounds half away from zero on the decimal text and drops float noise", () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(100 - 40.01)).toBe(59.99);
    expect(round2(0.1 + 0.2)).toBe(0.3);
    expect(round2(2 / 3)).toBe(0.67);
    expect(round2(-0)).toBe(0);
    expect(round2(1e-7)).toBe(0);
  });
});
