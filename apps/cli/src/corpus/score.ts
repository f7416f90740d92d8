/**
 * Field-level scoring of a parse against a corpus expectation (corpus/README.md).
 *
 * - Tasks are aligned in order (a longest common subsequence over pairs whose code matches or
 *   whose titles are alike), so one missed task does not shift every later one.
 * - Each expected task has six fields: code, title, lead, cooperating, responsible, deadline.
 *   A task the parser did not find misses all six; a task the parser made up is one miss
 *   ("extra"). A plan has three more: its title, year and 文号. A document that is not a plan has
 *   one: the importer gave no task and said why.
 * - Comparison is on the matching mirror (Traditional = Simplified, full-width = half-width, any
 *   bracket style), without spaces and trailing punctuation; units as sets per role; deadlines as
 *   sets of rules (`by` with its date, others by kind).
 */
import { nameKey, type ParseOutput, withoutPinyin } from "@gongkai/core";

export type ExpectedDeadline = { kind: string; due: string | null; ambiguous?: boolean };
export type ExpectedTask = {
  code: string | null;
  title: string;
  lead: string[];
  cooperating: string[];
  responsible: string[];
  deadlines: ExpectedDeadline[];
};
export type Expected = {
  source: string;
  kind: "plan" | "notPlan";
  level: string;
  year: number | null;
  script: string;
  layouts: string[];
  excerpt?: boolean;
  plan: { title: string | null; year: number | null; docNumber: string | null } | null;
  /** The documents the plan says it implements, hand-read (issue 17); scored when present. */
  cites?: { title: string; docNumber: string | null }[];
  tasks: ExpectedTask[];
  why?: string | null;
};

export const TASK_FIELDS = ["code", "title", "lead", "cooperating", "responsible", "deadline"] as const;
export const PLAN_FIELDS = ["plan.title", "plan.year", "plan.docNumber", "plan.cites"] as const;
export type Field = (typeof TASK_FIELDS)[number] | (typeof PLAN_FIELDS)[number] | "notPlan" | "extra";

export type Miss = { field: Field; task: string | null; got: unknown; want: unknown };
export type DocScore = {
  fields: number;
  correct: number;
  byField: Partial<Record<Field, { fields: number; correct: number }>>;
  misses: Miss[];
};

type GotTask = ParseOutput["plans"][number]["tasks"][number];

/** The placeholder the parser gives a plan whose document shows no title. */
export const NO_TITLE = "未命名计划";

/** Both sides as a reader sees them: a mirror's pinyin out, 〈〉 the same quotes as 《》. */
const key = (s: string) =>
  nameKey(withoutPinyin(s, { always: true }))
    .replace(/〈/g, "《")
    .replace(/〉/g, "》");
const strip = (s: string) => key(s).replace(/^[、.:,;。]+|[、.:,;。!?]+$/g, "");
const codeKey = (s: string) => strip(s).replace(/[、.]$/, "");
const docKey = (s: string) => key(s).replace(/[()]/g, "");

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Dice similarity of two titles' character bigrams (0..1). */
function similarity(a: string, b: string): number {
  const x = bigrams(strip(a));
  const y = bigrams(strip(b));
  if (x.size === 0 || y.size === 0) return strip(a) === strip(b) ? 1 : 0;
  let common = 0;
  for (const g of x) if (y.has(g)) common++;
  return (2 * common) / (x.size + y.size);
}

function pairScore(want: ExpectedTask, got: GotTask): number {
  const sim = similarity(want.title, got.title);
  const codeSame = want.code !== null && codeKey(want.code) === codeKey(got.code);
  if (!codeSame && sim < 0.5) return 0;
  return (codeSame ? 1 : 0) + sim + 0.01;
}

/** Pairs (i, j) of expected and parsed tasks, in order, maximising the summed pair score. */
export function align(want: ExpectedTask[], got: GotTask[]): [number, number][] {
  const n = want.length;
  const m = got.length;
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = pairScore(want[i] as ExpectedTask, got[j] as GotTask);
      const row = best[i] as number[];
      const below = best[i + 1] as number[];
      row[j] = Math.max(below[j] as number, row[j + 1] as number, s > 0 ? s + (below[j + 1] as number) : 0);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const s = pairScore(want[i] as ExpectedTask, got[j] as GotTask);
    const here = (best[i] as number[])[j] as number;
    if (s > 0 && Math.abs(here - (s + ((best[i + 1] as number[])[j + 1] as number))) < 1e-9) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (Math.abs(here - ((best[i + 1] as number[])[j] as number)) < 1e-9) i++;
    else j++;
  }
  return pairs;
}

const unitKeys = (xs: string[]) => [...new Set(xs.map(key))].sort();
const sameList = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);

/** Month end of the month after a date: the other reading of `6月前`. */
function nextMonthEnd(iso: string): string | null {
  const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const month = Number(m[2]) + 1;
  if (month > 12) return null;
  const year = m[1] === "-" ? 2001 : Number(m[1]);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${m[1]}-${String(month).padStart(2, "0")}-${String(last).padStart(2, "0")}`;
}

type GotDeadline = GotTask["deadlines"][number] & { monthDay?: string | null };

const gotKey = (d: GotDeadline): string => {
  if (d.kind !== "by") return d.kind;
  if (d.due) return `by:${d.due}`;
  if (d.monthDay) return `by:--${d.monthDay}`;
  return "by:?";
};

/** Expected deadlines as sets of accepted keys (one set per rule; `6月前` accepts two dates). */
function wantKeys(ds: ExpectedDeadline[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const d of ds) {
    const keys = d.kind === "by" ? [`by:${d.due}`] : [d.kind];
    if (d.kind === "by" && d.ambiguous && d.due) {
      const other = nextMonthEnd(d.due);
      if (other) keys.push(`by:${other}`);
    }
    const id = keys.join("|");
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(keys);
  }
  return out;
}

function deadlinesMatch(want: ExpectedDeadline[], got: GotDeadline[]): boolean {
  const wanted = wantKeys(want);
  const have = [...new Set(got.map(gotKey))];
  if (wanted.length !== have.length) return false;
  const left = new Set(have);
  for (const keys of wanted) {
    const hit = keys.find((k) => left.has(k));
    if (!hit) return false;
    left.delete(hit);
  }
  return left.size === 0;
}

export type Got = ParseOutput & { warnings?: string[] };

export function scoreDocument(got: Got, want: Expected): DocScore {
  const s: DocScore = { fields: 0, correct: 0, byField: {}, misses: [] };
  const count = (field: Field, ok: boolean, task: string | null, g: unknown, w: unknown) => {
    s.fields++;
    const f = s.byField[field] ?? { fields: 0, correct: 0 };
    f.fields++;
    if (ok) {
      s.correct++;
      f.correct++;
    } else s.misses.push({ field, task, got: g, want: w });
    s.byField[field] = f;
  };
  const tasks = got.plans.flatMap((p) => p.tasks);

  if (want.kind === "notPlan") {
    const ok = tasks.length === 0 && (got.warnings ?? []).length > 0;
    count("notPlan", ok, null, tasks.length === 0 ? "没有说明原因" : `${tasks.length} 项任务`, want.why);
    return s;
  }

  if (want.plan) {
    const plan = got.plans[0];
    const title = plan?.title ?? NO_TITLE;
    const wantTitle = want.plan.title;
    count(
      "plan.title",
      wantTitle === null ? title === NO_TITLE : strip(title) === strip(wantTitle),
      null,
      title,
      wantTitle,
    );
    count("plan.year", (plan?.year ?? null) === want.plan.year, null, plan?.year ?? null, want.plan.year);
    const doc = plan?.docNumber ?? null;
    const wantDoc = want.plan.docNumber;
    count(
      "plan.docNumber",
      wantDoc === null ? doc === null : doc !== null && docKey(doc) === docKey(wantDoc),
      null,
      doc,
      wantDoc,
    );
  }

  if (want.plan && want.cites) {
    // One field: the cited documents as a set, each with its 文号 when the reader wrote one.
    const citeKey = (c: { title: string; docNumber: string | null }) =>
      `${strip(c.title).replace(/[()《》<>〈〉]/g, "")}${c.docNumber ? ` ${docKey(c.docNumber)}` : ""}`;
    const gotCites = (got.plans[0]?.cites ?? []).map(citeKey);
    const wantCites = want.cites.map(citeKey);
    count("plan.cites", sameList([...wantCites].sort(), [...gotCites].sort()), null, gotCites, wantCites);
  }

  const pairs = align(want.tasks, tasks);
  const matchedWant = new Map(pairs.map(([i, j]) => [i, j]));
  const matchedGot = new Set(pairs.map(([, j]) => j));
  want.tasks.forEach((w, i) => {
    const label = w.code ?? w.title.slice(0, 12);
    const j = matchedWant.get(i);
    const g = j === undefined ? undefined : tasks[j];
    if (!g) {
      const wanted: Record<(typeof TASK_FIELDS)[number], unknown> = {
        code: w.code,
        title: w.title,
        lead: w.lead,
        cooperating: w.cooperating,
        responsible: w.responsible,
        deadline: wantKeys(w.deadlines).map((k) => k.join(" 或 ")),
      };
      for (const f of TASK_FIELDS) count(f, false, label, "(未识别该任务)", wanted[f]);
      return;
    }
    count("code", w.code === null || codeKey(w.code) === codeKey(g.code), label, g.code, w.code);
    count("title", strip(w.title) === strip(g.title), label, g.title, w.title);
    for (const role of ["lead", "cooperating", "responsible"] as const) {
      count(role, sameList(unitKeys(w[role]), unitKeys(g[role])), label, g[role], w[role]);
    }
    count(
      "deadline",
      deadlinesMatch(w.deadlines, g.deadlines as GotDeadline[]),
      label,
      (g.deadlines as GotDeadline[]).map(gotKey),
      wantKeys(w.deadlines).map((k) => k.join(" 或 ")),
    );
  });
  tasks.forEach((g, j) => {
    if (!matchedGot.has(j)) count("extra", false, g.code, g.title, "(原文中不是任务)");
  });
  return s;
}
