/**
 * Which task of an upper plan does a lower plan's task carry out? A lower government rewrites the
 * upper task in its own words but keeps its terms (政策解读, 依申请公开, 基层政务公开标准化), so the
 * upper tasks are ranked by BM25 over character bigrams of the two texts — no word segmenter, no
 * model, and the same on Traditional text (compared through the parser's Simplified mirror).
 * The office sees the suggestions side by side with the shared terms marked and decides.
 */
import { matchingMirror } from "../parser/normalize.ts";

export type LinkableTask = { key: string; code: string; title: string; content: string };
/** Half-open character ranges in a task's title and content. */
export type TaskMarks = { title: [number, number][]; content: [number, number][] };
export type UpperSuggestion = {
  key: string;
  score: number;
  /** The runs of text the two tasks share, most telling first (as the lower task writes them). */
  terms: string[];
  marks: { lower: TaskMarks; upper: TaskMarks };
  /**
   * The two titles share a phrase (a run of 4 characters or more that the upper plan does not use
   * everywhere: 重大行政决策事项目录, 基层政务公开标准化), not just words or a phrase of the
   * content: worth accepting in bulk. A weaker suggestion is for a person to look at.
   */
  strong: boolean;
};

type Gram = { gram: string; at: number };
type Field = "title" | "content";
type Doc = { task: LinkableTask; grams: Record<Field, Gram[]>; tf: Map<string, number>; length: number };

// BM25's usual constants; a title counts twice as much as its content: it says what the task is.
const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 2;
const STRONG_RUN = 4;

const isHan = (c: string) => c >= "\u4e00" && c <= "\u9fff";
const isWordChar = (c: string) => /[0-9A-Za-z]/.test(c);

/** Character bigrams of each run of Han characters, and whole Latin words and numbers, with offsets. */
export function grams(text: string): Gram[] {
  const mirror = matchingMirror(text);
  const out: Gram[] = [];
  let i = 0;
  while (i < mirror.length) {
    const c = mirror[i] as string;
    if (isHan(c)) {
      let j = i;
      while (j < mirror.length && isHan(mirror[j] as string)) j++;
      if (j - i === 1) out.push({ gram: c, at: i });
      for (let k = i; k + 1 < j; k++) out.push({ gram: mirror.slice(k, k + 2), at: k });
      i = j;
    } else if (isWordChar(c)) {
      let j = i;
      while (j < mirror.length && isWordChar(mirror[j] as string)) j++;
      out.push({ gram: mirror.slice(i, j).toLowerCase(), at: i });
      i = j;
    } else i++;
  }
  return out;
}

function doc(task: LinkableTask): Doc {
  const g = { title: grams(task.title), content: grams(task.content) };
  const tf = new Map<string, number>();
  for (const { gram } of g.title) tf.set(gram, (tf.get(gram) ?? 0) + TITLE_WEIGHT);
  for (const { gram } of g.content) tf.set(gram, (tf.get(gram) ?? 0) + 1);
  return { task, grams: g, tf, length: g.title.length * TITLE_WEIGHT + g.content.length };
}

export type UpperIndex = {
  suggest(lower: { title: string; content: string }, limit?: number): UpperSuggestion[];
};

/** Index an upper plan's tasks once, then rank them for each lower task. */
export function indexUpperTasks(upper: readonly LinkableTask[]): UpperIndex {
  const docs = upper.map(doc);
  const df = new Map<string, number>();
  for (const d of docs) for (const gram of d.tf.keys()) df.set(gram, (df.get(gram) ?? 0) + 1);
  const n = docs.length;
  const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(n, 1) || 1;
  const idf = (gram: string) => {
    const f = df.get(gram) ?? 0;
    return Math.log(1 + (n - f + 0.5) / (f + 0.5));
  };
  // A term most upper tasks share (政务公开, 工作) ranks nothing and is not worth marking.
  const telling = (gram: string) => (df.get(gram) ?? 0) <= Math.max(1, n / 2);

  return {
    suggest(lower, limit = 3) {
      const q = doc({ key: "", code: "", ...lower });
      const scored: { d: Doc; score: number }[] = [];
      for (const d of docs) {
        let score = 0;
        const norm = K1 * (1 - B + (B * d.length) / avgLength);
        for (const [gram, qtf] of q.tf) {
          const tf = d.tf.get(gram);
          if (!tf) continue;
          score += Math.min(qtf, 3) * idf(gram) * ((tf * (K1 + 1)) / (tf + norm));
        }
        if (score > 0) scored.push({ d, score });
      }
      scored.sort((a, b) => b.score - a.score || a.d.task.code.localeCompare(b.d.task.code));
      return scored.slice(0, limit).map(({ d, score }) => {
        const shared = new Set([...q.tf.keys()].filter((g) => d.tf.has(g)));
        const mark = (list: Gram[]) => runs(list, shared, telling);
        const lowerMarks = { title: mark(q.grams.title), content: mark(q.grams.content) };
        const common = longestCommon(matchingMirror(lower.title), matchingMirror(d.task.title));
        const strong = common.length >= STRONG_RUN && grams(common).some((g) => telling(g.gram));
        return {
          key: d.task.key,
          score: Math.round(score * 1000) / 1000,
          terms: termsOf(lower, lowerMarks),
          strong,
          marks: {
            lower: lowerMarks,
            upper: { title: mark(d.grams.title), content: mark(d.grams.content) },
          },
        };
      });
    },
  };
}

/** The upper tasks most like the lower one, best first (at most `limit`). */
export function suggestUpperTasks(
  lower: { title: string; content: string },
  upper: readonly LinkableTask[],
  limit = 3,
): UpperSuggestion[] {
  return indexUpperTasks(upper).suggest(lower, limit);
}

/**
 * Merge the positions of shared grams into ranges of text (overlapping bigrams join up), keeping a
 * range only when it holds a telling gram: 政策 alone is no evidence, 深化政策集成式发布 is.
 */
function runs(list: Gram[], shared: Set<string>, telling: (gram: string) => boolean): [number, number][] {
  const out: { range: [number, number]; telling: boolean }[] = [];
  for (const { gram, at } of list) {
    if (!shared.has(gram)) continue;
    const end = at + gram.length;
    const last = out.at(-1);
    if (last && at <= last.range[1]) {
      last.range[1] = Math.max(last.range[1], end);
      last.telling ||= telling(gram);
    } else out.push({ range: [at, end], telling: telling(gram) });
  }
  return out.filter((r) => r.telling).map((r) => r.range);
}

/** The longest run of characters two short texts (titles) both hold. */
function longestCommon(a: string, b: string): string {
  let best = "";
  let row: number[] = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const next: number[] = new Array(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] !== b[j - 1]) continue;
      const n = (row[j - 1] ?? 0) + 1;
      next[j] = n;
      if (n > best.length) best = a.slice(i - n, i);
    }
    row = next;
  }
  return best;
}

/** The shared runs as the lower task writes them, longest first, each once. */
function termsOf(lower: { title: string; content: string }, marks: TaskMarks): string[] {
  const all = [
    ...marks.title.map(([s, e]) => lower.title.slice(s, e)),
    ...marks.content.map(([s, e]) => lower.content.slice(s, e)),
  ];
  return [...new Set(all)].sort((a, b) => b.length - a.length).slice(0, 12);
}
