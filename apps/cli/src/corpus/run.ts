/**
 * `pnpm corpus`: every document in corpus/documents parsed the way `pnpm --silent cli parse` parses
 * a file, scored field by field against its expectation (./score.ts, corpus/README.md). Prints
 * accuracy per field and per document, every miss, the coverage (levels, years, scripts, layouts),
 * and ends with one JSON line {"documents","fields","correct","share"}.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFileBytes } from "../commands/parse.ts";
import { CliError } from "../io.ts";
import { linksReport, linksSummary, scoreLinks } from "./links.ts";
import {
  type DocScore,
  type Expected,
  type Field,
  type Got,
  PLAN_FIELDS,
  scoreDocument,
  TASK_FIELDS,
} from "./score.ts";

export const corpusDir = fileURLToPath(new URL("../../../../corpus/documents/", import.meta.url));

export type CorpusEntry = { id: string; file: string; expected: Expected };

export function corpusEntries(dir = corpusDir): CorpusEntry[] {
  const files = readdirSync(dir);
  return files
    .filter((f) => f.endsWith(".expected.json"))
    .sort()
    .map((f) => {
      const id = f.replace(/\.expected\.json$/, "");
      const file = files.find((g) => g !== f && g.startsWith(`${id}.`) && !g.endsWith(".json"));
      if (!file) throw new Error(`corpus: ${f} has no document beside it`);
      return {
        id,
        file: join(dir, file),
        expected: JSON.parse(readFileSync(join(dir, f), "utf8")) as Expected,
      };
    });
}

export type CorpusResult = {
  documents: { id: string; expected: Expected; score: DocScore; error: string | null }[];
  fields: number;
  correct: number;
};

export async function runCorpus(entries = corpusEntries()): Promise<CorpusResult> {
  const out: CorpusResult = { documents: [], fields: 0, correct: 0 };
  for (const e of entries) {
    let got: Got;
    let error: string | null = null;
    try {
      got = await parseFileBytes(new Uint8Array(readFileSync(e.file)), e.file);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      error = err.message;
      got = { plans: [] };
    }
    const score = scoreDocument(got, e.expected);
    out.documents.push({ id: e.id, expected: e.expected, score, error });
    out.fields += score.fields;
    out.correct += score.correct;
  }
  return out;
}

const pct = (c: number, f: number) => (f === 0 ? "—" : `${((100 * c) / f).toFixed(1)}%`);
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export function report(r: CorpusResult): string {
  const lines: string[] = [];
  lines.push(`语料库 / corpus: ${r.documents.length} 份文件`);
  lines.push("");
  lines.push("按字段 / by field:");
  const fields: Field[] = [...TASK_FIELDS, ...PLAN_FIELDS, "notPlan", "extra"];
  for (const f of fields) {
    let n = 0;
    let c = 0;
    for (const d of r.documents) {
      const x = d.score.byField[f];
      if (x) {
        n += x.fields;
        c += x.correct;
      }
    }
    if (n > 0) lines.push(`  ${f.padEnd(15)} ${String(c).padStart(5)}/${String(n).padEnd(5)} ${pct(c, n)}`);
  }
  lines.push("");
  lines.push("按文件 / by document:");
  for (const d of r.documents) {
    const e = d.expected;
    const tag = `${e.kind === "notPlan" ? "非计划" : e.level} ${e.year ?? "—"} ${e.script}`;
    lines.push(
      `  ${d.id.padEnd(52)} ${tag.padEnd(14)} ${String(d.score.correct).padStart(4)}/${String(d.score.fields).padEnd(4)} ${pct(d.score.correct, d.score.fields).padStart(6)}  ${e.layouts.join(",")}`,
    );
  }
  const misses = r.documents.flatMap((d) => [
    ...(d.error ? [`  ${d.id}: 读取失败 ${d.error}`] : []),
    ...d.score.misses.map(
      (m) =>
        `  ${d.id} ${m.task ? `[${m.task}] ` : ""}${m.field}: 得到 ${show(m.got)} ≠ 应为 ${show(m.want)}`,
    ),
  ]);
  lines.push("");
  lines.push(`未命中 / misses (${misses.length}):`);
  lines.push(...misses);
  lines.push("");
  lines.push("覆盖 / coverage:");
  const tally = (key: (e: Expected) => string[]) => {
    const m = new Map<string, number>();
    for (const d of r.documents) for (const k of key(d.expected)) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(" · ");
  };
  lines.push(`  级别: ${tally((e) => [e.kind === "notPlan" ? "非计划" : e.level])}`);
  lines.push(`  年份: ${tally((e) => [e.year === null ? "未知" : String(e.year)])}`);
  lines.push(`  字体: ${tally((e) => [e.script])}`);
  lines.push(`  版式: ${tally((e) => e.layouts)}`);
  return lines.join("\n");
}

async function main() {
  const r = await runCorpus();
  process.stdout.write(`${report(r)}\n\n`);
  const summary = {
    documents: r.documents.length,
    fields: r.fields,
    correct: r.correct,
    share: Number((r.correct / r.fields).toFixed(4)),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  const links = scoreLinks();
  process.stdout.write(`\n${linksReport(links)}\n\n`);
  process.stdout.write(`${JSON.stringify(linksSummary(links))}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
