/**
 * Parse speed (issue 3: a 30,000-character document must parse in under 50 ms). Cases: the
 * largest seed (003, Traditional, 29 KB of UTF-8), generated plans of 30,000 characters and of
 * 300 KB, a 500-row task table, and resolving 10,000 unit names against 2,000 units.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createUnitResolver, parsePlanDocument, parseTaskTable } from "../src/index.ts";
import { type BenchResult, measure } from "./harness.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));

const CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const cn = (n: number): string =>
  n < 10 ? (CN[n] as string) : `${n >= 20 ? CN[Math.floor(n / 10)] : ""}十${CN[n % 10]}`;

/** A plausible plan of about `size` characters: sections of ten tasks with units and deadlines. */
export function generatedPlan(size: number): string {
  let seed = 42;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return xs[seed % xs.length] as T;
  };
  const verbs = ["推进", "加强", "深化", "规范", "完善", "做好"];
  const topics = [
    "决策公开",
    "政策解读",
    "重点领域信息公开",
    "政务新媒体管理",
    "依申请公开办理",
    "基层政务公开标准化",
  ];
  const units = [
    "县政府办公室",
    "县发展和改革局",
    "县财政局",
    "县司法局",
    "各乡（镇）人民政府",
    "县直各部门",
    "县融媒体中心",
  ];
  const deadlines = ["6月底前", "年底前", "每季度", "印发后5个工作日内", "每年至少开展1次", "持续推进"];
  const body = [
    "围绕年度重点工作，及时公开政策文件和解读材料，确保内容准确、发布及时。",
    "建立健全工作机制，明确责任分工，定期开展自查，发现问题及时整改。",
    "通过政府网站、政务新媒体等渠道发布信息，扩大公众知晓度和参与度。",
  ];
  let out = "XX县2024年政务公开工作要点\n为进一步做好全县政务公开工作，结合实际，制定本要点。\n";
  let section = 0;
  let task = 0;
  while (out.length < size) {
    if (task % 10 === 0) out += `${cn(++section % 100 || 1)}、${pick(verbs)}${pick(topics)}\n`;
    task++;
    const d = pick(deadlines);
    out += `（${cn(((task - 1) % 10) + 1)}）${pick(verbs)}${pick(topics)}。${pick(body)}${pick(body)}${d === "持续推进" ? "" : `${d}完成相关工作。`}`;
    out += `（牵头单位：${pick(units)}；配合单位：${pick(units)}、${pick(units)}）\n`;
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const seed003 = readFileSync(`${root}seeds/003_33391eb50aacad12.txt`, "utf8");
  const doc30k = generatedPlan(30_000);
  const doc300k = generatedPlan(300 * 1024);
  const rows = [["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限"]];
  for (let i = 1; i <= 500; i++)
    rows.push([
      String(i),
      `任务${i}`,
      "公开相关信息，每季度更新一次。",
      "县政府办公室",
      "县直各部门、各乡镇",
      "2024年6月底前",
    ]);
  const directory = {
    units: Array.from({ length: 2000 }, (_, i) => ({
      id: i,
      name: `第${i}镇人民政府办公室`,
      shortName: `第${i}镇政府办`,
      aliases: [],
    })),
    groups: [{ id: 1, name: "各村(社区)", aliases: [] }],
  };
  const names = Array.from({ length: 10_000 }, (_, i) =>
    i % 2 ? `第${i % 2000}镇政府办` : `第${i % 2000}镇人民政府辦公室`,
  );
  // A task table as a web page leaves it: one cell a line, | lines between, merged cells left out.
  const flattened = (size: number) => {
    let out = "某局政务公开重点任务清单\n工作任务\n|\n具体要求\n|\n责任科室\n|\n时限要求\n|\n";
    for (let i = 1; out.length < size; i++) {
      if (i % 3 === 1) out += `第${i}组任务\n|\n`;
      out += `${i}\n|\n公开第${i}项相关信息，定期更新并接受社会监督。\n|\n${i % 2 ? "办公室" : "各科室"}\n|\n${i % 4 ? "持续推进" : "年底前"}\n|\n`;
    }
    return out;
  };
  const table30k = flattened(30_000);
  const table1m = flattened(1 << 20);
  return [
    await measure("parse seed 003 (29 KB, Traditional)", () => parsePlanDocument(seed003), { n: 30 }),
    await measure(
      `parse a flattened web table of ${table30k.length} chars (target < 50 ms)`,
      () => parsePlanDocument(table30k),
      { n: 30 },
    ),
    await measure(
      `parse a flattened web table of ${Math.round(table1m.length / 1024)} K chars (linear: ~35x the 30K)`,
      () => parsePlanDocument(table1m),
      { n: 3, warmup: 1 },
    ),
    await measure(
      `parse generated plan ${doc30k.length} chars (target < 50 ms)`,
      () => parsePlanDocument(doc30k),
      { n: 30 },
    ),
    await measure(
      `parse generated plan ${Math.round(doc300k.length / 1024)} K chars`,
      () => parsePlanDocument(doc300k),
      {
        n: 10,
        warmup: 2,
      },
    ),
    await measure("parse 500-row task table", () => parseTaskTable(rows), { n: 20 }),
    await measure(
      "resolve 10,000 unit names (index built each time)",
      () => {
        const r = createUnitResolver(directory);
        for (const n of names) r.resolve(n);
      },
      { n: 5, warmup: 1 },
    ),
    // Bad input: a megabyte of one character must parse in under a second (no backtracking).
    ...(await Promise.all(
      [
        ["（", "brackets"],
        ["〔〕", "paired brackets"],
        ["、", "enumeration commas"],
        ["牵头单位:", "unit labels"],
      ].map(([unit, name]) =>
        measure(
          `parse 1 MB of ${name} (target < 1000 ms)`,
          () => parsePlanDocument((unit ?? "").repeat((1 << 20) / (unit ?? " ").length)),
          {
            n: 3,
            warmup: 1,
          },
        ),
      ),
    )),
  ];
}
