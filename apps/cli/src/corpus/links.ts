/**
 * Upper-task suggestions on real plan pairs (issue #17, corpus/README.md "Links"): for every lower
 * task that a reader linked to an upper task, ask `suggestUpperTasks` for three candidates and count
 * whether the linked task (or one the reader accepted as well, `also`) comes first / in the three.
 * The links were read by hand from both documents; nothing here tunes them to the function's output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LinkableTask, suggestUpperTasks } from "@gongkai/core";

export const linksDir = fileURLToPath(new URL("../../../../corpus/links/", import.meta.url));

export type LinkDoc = { source: string; title: string; excerpt: boolean };
export type LinkTask = { code: string; title: string; content: string };
export type LowerLinkTask = LinkTask & { upper: string | null; why?: string; also?: string[] };
export type LinkFile = {
  upper: LinkDoc;
  lower: LinkDoc;
  found: string;
  upperTasks: LinkTask[];
  lowerTasks: LowerLinkTask[];
};
export type LinkPair = { id: string; dir: string; links: LinkFile };

export function linkPairs(dir = linksDir): LinkPair[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((id) => ({
      id,
      dir: join(dir, id),
      links: JSON.parse(readFileSync(join(dir, id, "links.json"), "utf8")) as LinkFile,
    }));
}

export type LinkMiss = { code: string; title: string; expected: string[]; got: string[] };
// `candidates`: how many upper tasks the excerpt holds; with 2–5 of them a top-3 hit is cheap, so
// read the shares beside it.
export type PairScore = {
  id: string;
  candidates: number;
  n: number;
  top1: number;
  top3: number;
  misses: LinkMiss[];
};
export type LinkResult = { pairs: PairScore[]; n: number; top1: number; top3: number };

export function scoreLinks(pairs = linkPairs()): LinkResult {
  const out: LinkResult = { pairs: [], n: 0, top1: 0, top3: 0 };
  for (const p of pairs) {
    const upper: LinkableTask[] = p.links.upperTasks.map((t) => ({
      key: t.code,
      code: t.code,
      title: t.title,
      content: t.content,
    }));
    const s: PairScore = { id: p.id, candidates: upper.length, n: 0, top1: 0, top3: 0, misses: [] };
    for (const t of p.links.lowerTasks) {
      // A lower task whose upper task the excerpt cut off has no right answer to rank.
      if (t.upper === null) continue;
      const expected = [t.upper, ...(t.also ?? [])];
      const got = suggestUpperTasks({ title: t.title, content: t.content }, upper, 3).map((x) => x.key);
      s.n += 1;
      const first = got[0] !== undefined && expected.includes(got[0]);
      const inThree = got.slice(0, 3).some((k) => expected.includes(k));
      if (first) s.top1 += 1;
      if (inThree) s.top3 += 1;
      if (!first) s.misses.push({ code: t.code, title: t.title, expected, got });
    }
    out.pairs.push(s);
    out.n += s.n;
    out.top1 += s.top1;
    out.top3 += s.top3;
  }
  return out;
}

const pct = (c: number, n: number) => (n === 0 ? "—" : `${((100 * c) / n).toFixed(1)}%`);

export function linksReport(r: LinkResult): string {
  const lines: string[] = [];
  lines.push(`上级任务推荐 / upper-task suggestions: ${r.pairs.length} 对计划, ${r.n} 项已链接的下级任务`);
  lines.push("");
  lines.push(
    `  ${"计划对 / pair".padEnd(40)} ${"候选".padStart(4)} ${"n".padStart(4)} ${"首位".padStart(7)} ${"前三".padStart(7)}`,
  );
  for (const p of r.pairs) {
    lines.push(
      `  ${p.id.padEnd(40)} ${String(p.candidates).padStart(4)} ${String(p.n).padStart(4)} ${pct(p.top1, p.n).padStart(7)} ${pct(p.top3, p.n).padStart(7)}`,
    );
  }
  lines.push(
    `  ${"合计 / overall".padEnd(40)} ${"".padStart(4)} ${String(r.n).padStart(4)} ${pct(r.top1, r.n).padStart(7)} ${pct(r.top3, r.n).padStart(7)}`,
  );
  const misses = r.pairs.flatMap((p) =>
    p.misses.map(
      (m) =>
        `  ${p.id} [${m.code}] ${m.title.slice(0, 30)}: 应为 ${m.expected.join("/")},得到 ${m.got.join(", ") || "无"}`,
    ),
  );
  lines.push("");
  lines.push(`首位未命中 / not first (${misses.length}):`);
  lines.push(...misses);
  return lines.join("\n");
}

export function linksSummary(r: LinkResult) {
  const share = (c: number) => (r.n === 0 ? 0 : Number((c / r.n).toFixed(4)));
  return { linkPairs: r.pairs.length, linkTasks: r.n, top1: share(r.top1), top3: share(r.top3) };
}
