/**
 * From the parts of a task found in the source (code, content pieces, units, deadline cells) to a
 * ParsedTask: title, content, units by role, deadline rules, flags and marks.
 *
 * Deadlines: the office's own wording first (a 完成时限 label or column), then the phrases in the
 * task's text; a rule already listed (same kind and date, amount or period) is not repeated.
 */
import { findDeadlines, parseDeadlinePhrase, shiftFound, toParsedDeadline } from "../deadlines/phrases.ts";
import type { DeadlineRule, ParsedDeadline } from "../deadlines/types.ts";
import type { Role, UnitRef } from "./assignments.ts";
import type { Source } from "./text.ts";
import { mir, orig, trimSpan } from "./text.ts";
import { titleCut } from "./titles.ts";
import type { Mark, ParsedTask, Span, TaskFlag } from "./types.ts";

export type TaskDraft = {
  code: string;
  codeSpan: Span | null;
  section: { title: string; code: string } | null;
  /** The title as a table cell gives it; otherwise the title is cut from the first piece. */
  titleSpan: Span | null;
  /** The title already worked out (a task cell without its number), when a table gives one. */
  titleText?: string | null;
  /** Content pieces in order (paragraphs or a cell), without units. */
  pieces: Span[];
  units: UnitRef[];
  truncated: string[];
  deadlineCells: Span[];
  span: Span;
  flags: TaskFlag[];
};

const ruleKey = (r: DeadlineRule): string => {
  switch (r.kind) {
    case "by":
      return `by:${r.date}`;
    case "after":
      return `after:${r.amount}:${r.unit}`;
    case "recurring":
      return `recurring:${r.period}:${r.times}`;
    case "duration":
      return `duration:${r.amount}:${r.unit}`;
    case "ongoing":
      return "ongoing";
  }
};

const VAGUE = /有关|相关/;

/** Parts of a deadline cell separated by ; , or line breaks (no phrase spans those). */
function splitCell(src: Source, cell: Span): Span[] {
  const out: Span[] = [];
  let from = cell.start;
  for (let i = cell.start; i <= cell.end; i++) {
    if (i === cell.end || /[;,\n]/.test(src.mirror[i] as string)) {
      const p = trimSpan(src, { start: from, end: i });
      if (p.end > p.start) out.push(p);
      from = i + 1;
    }
  }
  return out;
}

export function buildTask(src: Source, draft: TaskDraft, year: number | null): ParsedTask {
  const marks: Mark[] = [];
  const mark = (kind: Mark["kind"], s: Span) =>
    marks.push({ kind, start: s.start, end: s.end, text: orig(src, s) });
  const flags: TaskFlag[] = [...draft.flags];
  const flagOnce = (f: TaskFlag) => {
    if (!flags.some((x) => x.code === f.code && x.message === f.message)) flags.push(f);
  };
  if (draft.codeSpan) mark("code", draft.codeSpan);

  // Title and content.
  const content = draft.pieces.map((p) => orig(src, p)).join("\n");
  let title = "";
  if (draft.titleText) title = draft.titleText;
  else if (draft.titleSpan) {
    title = orig(src, draft.titleSpan)
      .replace(/[。;；,，:：、\s]+$/, "")
      .trim();
  } else {
    const first = draft.pieces[0];
    if (first) {
      const m = mir(src, first);
      const lineEnd = m.indexOf("\n");
      const cut = titleCut(lineEnd < 0 ? m : m.slice(0, lineEnd));
      title = src.text.slice(first.start, first.start + cut.length).trim();
      if (cut.guessed) {
        flags.push({
          code: "titleGuessed",
          message: `原文标题与正文连写在一起,标题“${title}”是系统截取的,请核对。`,
        });
      }
    }
  }
  if (title.length > 60) {
    flags.push({ code: "titleLong", message: "标题较长(原文第一句之前没有句号),请核对或改写为简短标题。" });
  }
  if (content.trim() === "" && title === "") {
    flags.push({ code: "emptyTask", message: "该任务没有内容,请核对原文。" });
  }

  // Units.
  const roles: Record<Role, string[]> = { lead: [], cooperating: [], responsible: [] };
  for (const u of draft.units) {
    const name = orig(src, u.span).trim();
    mark(u.role, u.span);
    if (!roles[u.role].includes(name)) roles[u.role].push(name);
    if (VAGUE.test(mir(src, u.span))) {
      flagOnce({ code: "vagueUnit", message: `“${name}”没有指明具体单位,请确认由哪些单位承办。` });
    }
    if (name.length > 30 || /[。]/.test(name)) {
      flagOnce({ code: "oddUnit", message: `单位“${name}”较长,可能把正文识别成了单位,请核对。` });
    }
  }
  for (const t of draft.truncated) {
    flagOnce({ code: "openUnitList", message: `“${t}”只列出了部分单位(“等”之后未列全),请补全承办单位。` });
  }
  if (draft.units.length === 0) {
    flagOnce({ code: "noUnit", message: "原文没有写明牵头、配合或责任单位,请指定承办单位。" });
  }

  // Deadlines: the office's wording, then the text's.
  const deadlines: ParsedDeadline[] = [];
  const seen = new Set<string>();
  const add = (d: ParsedDeadline, span: Span) => {
    mark("deadline", span);
    const key = ruleKey(d.rule);
    if (seen.has(key)) return;
    seen.add(key);
    deadlines.push(d);
    for (const f of d.flags) flagOnce({ code: f.code, message: f.message });
  };
  // A cell may list several deadlines (2024年6月底前；持续推进): each part on its own.
  for (const cell of draft.deadlineCells) {
    for (const part of splitCell(src, cell)) {
      const found = findDeadlines(mir(src, part), { year }).map((f) => shiftFound(f, part.start));
      if (found.length === 0) add(parseDeadlinePhrase(orig(src, part), { year }), part);
      for (const f of found) add(toParsedDeadline(src.text, f), f);
      // 2018年底前完成并持续落实: a date, then kept up.
      const rest = mir(src, part).slice(
        found.length > 0 ? (found[found.length - 1] as { end: number }).end - part.start : 0,
      );
      if (found.length > 0 && /持续|长期|常态/.test(rest)) {
        add({ phrase: orig(src, part), rule: { kind: "ongoing" }, due: null, flags: [] }, part);
      }
    }
  }
  for (const p of draft.pieces) {
    for (const f of findDeadlines(mir(src, p), { year })) {
      const s = shiftFound(f, p.start);
      add(toParsedDeadline(src.text, s), s);
    }
  }

  marks.sort((a, b) => a.start - b.start || a.end - b.end);
  return {
    code: draft.code,
    section: draft.section?.title ?? null,
    sectionCode: draft.section?.code ?? null,
    title,
    content,
    lead: roles.lead,
    cooperating: roles.cooperating,
    responsible: roles.responsible,
    deadlines,
    flags,
    span: draft.span,
    marks,
  };
}
