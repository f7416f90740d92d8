/**
 * parsePlanDocument: a 工作要点 / 实施方案 / 实施意见 as text → plans, sections and tasks, each with
 * the spans it came from. Decisions on structure (the seeds are the development set; the rules are
 * meant for documents nobody tuned them to):
 *
 * Plans
 * - A plan starts at its title: a line of its own ending in 工作要点 / 实施方案 / 实施意见 / 任务分工…
 *   (not …的通知), or a title the covering notice names (关于印发《A》《B》的通知 → A, B), found in
 *   the text even when a web page ran everything into one line (seed 002 → two plans).
 *   Text before the first title is the notice / page header; it is read for metadata only.
 *
 * What is a task
 * - Item numbers nest by first appearance (一、 > （一） > 1、 …). An item with numbered children
 *   is a heading (a section); an item without is a task. A heading-only item (（二）抓好…, no 。)
 *   followed by prose is a task whose title is that line.
 * - Top-level sections named 总体要求 / 指导思想 / 工作目标 / 基本原则 are preamble: nothing in them is
 *   a task (seed 001: its 28 numbered items are the tasks; （一）指导思想 is not).
 * - A plan whose top-level items have no children (seed 002) has those items as its tasks.
 *   In a plan with sections, a top-level item without children is a task only when it names a
 *   unit or a deadline; otherwise it is left out with a warning.
 * - Unnumbered paragraphs: a task absorbs the paragraphs after it until it gets its unit line
 *   (（牵头单位:…）); a paragraph after a task that already has one starts a new task, coded
 *   after the numbered task before it: (四)-1, (四)-2 (seed 003), flagged for a person to check.
 *   Unnumbered text at the start of a section is its introduction, not a task (warned when it
 *   names units or deadlines, seed 004 二).
 * - The text ends at a closing paragraph (各单位要根据本方案…), a signature with its date, or page
 *   furniture (此件公开发布, 抄送, 责任编辑…).
 *
 * Codes, titles, content, units
 * - code: the item number as written, without a trailing 、 （（一）, 12, 1.）.
 * - title: up to the first 。 of the task (see ./titles.ts for text whose headings ran into the body).
 * - content: the task's text as written after its code, paragraphs joined by a newline, without
 *   its unit/deadline line.
 * - units as written (see ./assignments.ts): 牵头单位:X责任单位:Y needs no separator; descriptors
 *   such as 等行业主管部门 are cut and flagged; 有关单位 is kept and flagged.
 * - Tables (| or tab separated, or one cell per line under a header) go through ./table.ts.
 *
 * Traditional Chinese works throughout: patterns run on a Simplified mirror of the same length and
 * everything reported is sliced from the original.
 */
import { type Assignment, findAssignments } from "./assignments.ts";
import { citedDocuments, withoutTitles } from "./citations.ts";
import { flattenedTable, type Grid } from "./flattened.ts";
import { notPlanReason } from "./kind.ts";
import { type Marker, type MarkerStyle, markerAt } from "./markers.ts";
import { isDateLine, isUnitLine, readMetadata, yearIn } from "./metadata.ts";
import { withoutPinyin } from "./normalize.ts";
import { numeralValue } from "./numerals.ts";
import { headerColumn, tasksFromGrid } from "./table.ts";
import { buildTask, type TaskDraft } from "./tasks.ts";
import type { Line, Source } from "./text.ts";
import { linesOf, mir, orig, source, subtract, trimSpan } from "./text.ts";
import { titleCut } from "./titles.ts";
import type {
  ParsedPlan,
  ParsedSection,
  ParsedTask,
  ParseOptions,
  ParseResult,
  Span,
  TaskFlag,
} from "./types.ts";

const PLAN_WORD =
  /(工作要点|要点|实施方案|工作方案|行动方案|分工方案|实施意见|工作计划|公开计划|任务分工|任务分解|分解表|分工表|任务表|任务清单|责任清单|工作安排|台账)$/;
/** What may follow a plan's name in its title line: a period, a draft mark, a file name's end, a table bar. */
const TITLE_TAIL =
  /(\((\d{4}\s*[-—–~至到]+\s*\d{4}年?|\d{4}年度?|试行|草案|征求意见稿|修订)\)|\.(docx?|pdf|wps|html?)|\s*\|+)\s*$/;
const planName = (m: string) => m.trim().replace(TITLE_TAIL, "").trim();
/** A title as shown: its lines joined, without a table bar or a file name's extension after it. */
const titleText = (s: string) =>
  s
    .replace(/\s*\n\s*/g, "")
    .replace(/\.(docx?|pdf|wps|html?)\s*$/i, "")
    .replace(/\s*\|+\s*$/, "")
    .trim();
const PREAMBLE =
  /^(总体要求|指导思想|工作目标|基本原则|总体目标|主要目标|目标要求|工作原则|总体思路|工作思路|基本要求)/;
const TRAILER =
  /^(抄送|抄报|主送|附件|\(?此[件页][^。]{0,10}$|\(?我要纠错|责任编辑|扫一扫|打印本页|打印|关闭窗口|回到顶部|分享到|相关链接|上一篇|下一篇|\(?字体)/;
const CLOSING_START = /^(各|请各|以上|本|全[镇乡县区市省街])/;
const CLOSING = /本(实施|工作|行动)?(方案|要点|意见|通知|计划|安排)/;
const MID_LINE_STYLES = new Set<MarkerStyle>(["cnDun", "cnParen", "arDun"]);
const FLATTENED_LINE = 300;

type SegKind = "title" | "marker" | "text";
type Segment = { span: Span; kind: SegKind; marker: Marker | null; line: number; index: number };

/** Titles a covering notice names: 关于印发X和Y的通知, 《X》《Y》 (mirror text). */
function announcedTitles(src: Source, lines: Line[]): string[] {
  const out = new Set<string>();
  const plan = (t: string) => {
    const s = t.trim();
    if (s.length >= 4 && s.length <= 60 && PLAN_WORD.test(planName(s)) && !/通知$/.test(s)) out.add(s);
  };
  for (const [k, line] of lines.slice(0, 40).entries()) {
    const m = mir(src, line);
    // 《A〈B〉C》: quotes one level down are 〈〉 in the original, ( ) nowhere; take the outer name.
    for (const q of m.matchAll(/《((?:[^《》]|《[^《》]*》){4,80})》/g)) plan(q[1] ?? "");
    // A page run into one line: the title, then the first sentence (…实施方案为深入贯彻…).
    if (k < 3 && m.length > FLATTENED_LINE) {
      const head =
        /^(.{4,60}?(?:工作要点|实施方案|工作方案|实施意见|工作计划|任务分工))(?=为|根据|按照|结合|现|各)/.exec(
          m,
        );
      if (head) plan(head[1] ?? "");
    }
    const notice = /印发(.{4,120}?)的通知/.exec(m);
    if (notice) for (const part of (notice[1] ?? "").replace(/[《》]/g, "").split(/和|、|及|与/)) plan(part);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * The plan this text itself issues: its notice's title (…关于印发X的通知, not inside 《》) or
 * 现将《X》印发给你们 — not a notice it cites (根据《…关于印发Y的通知》).
 */
function ownAnnouncement(src: Source, lines: Line[]): string | null {
  for (const line of lines.slice(0, 40)) {
    const m = mir(src, line).replace(/\s/g, "");
    const issued = /(?:现将|现把|将)《((?:[^《》]|《[^《》]*》){4,80})》(?:印发|转发|下发)/.exec(m);
    if (issued) return issued[1] ?? null;
    const notice = /^[^《》]{0,40}?关于(?:印发|转发)《?((?:[^《》]|《[^《》]*》){4,80}?)》?的通知/.exec(m);
    if (notice && PLAN_WORD.test(planName(notice[1] ?? ""))) return notice[1] ?? null;
  }
  return null;
}

/** Where an announced title stands as a title (not quoted, not inside the notice's own title). */
function titleOccurrences(src: Source, line: Line, titles: string[]): Span[] {
  const m = mir(src, line);
  const out: Span[] = [];
  for (const t of titles) {
    for (let at = m.indexOf(t); at >= 0; at = m.indexOf(t, at + t.length)) {
      const before = m.slice(Math.max(0, at - 2), at);
      const after = m.slice(at + t.length, at + t.length + 3);
      // Quoted, issued, or a part of a longer name (贯彻落实X的实施方案) is no title of its own.
      if (/《$|〈$|印发$|关于$|将$|落实$|贯彻$/.test(before) || /^(》|〉|的|和|、|及|与)/.test(after))
        continue;
      const span = { start: line.start + at, end: line.start + at + t.length };
      if (!out.some((o) => o.start < span.end && span.start < o.end)) out.push(span);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function isStandaloneTitle(src: Source, line: Line): boolean {
  const m = mir(src, line).trim();
  return (
    m.length >= 6 &&
    m.length <= 80 &&
    !/[。,;:!?>]/.test(m) &&
    PLAN_WORD.test(planName(m)) &&
    !/^《.*》$/.test(m) &&
    markerAt(src, line.start, line.end) === null
  );
}

/** Lines → segments: mid-line plan titles and item numbers of text flattened by a web page split a line. */
function segmentLines(src: Source, lines: Line[], skip: Set<number>, titles: string[]): Segment[] {
  const segs: Segment[] = [];
  const lineStartStyles = new Set<MarkerStyle>();
  const startMarker = lines.map((line) => {
    const mk = markerAt(src, line.start, line.end);
    if (mk) lineStartStyles.add(mk.style);
    return mk;
  });
  const last = new Map<MarkerStyle, number>();
  const push = (span: Span, kind: SegKind, marker: Marker | null, line: number) => {
    const t = trimSpan(src, span);
    if (t.end > t.start) segs.push({ span: t, kind, marker, line, index: segs.length });
  };
  for (const line of lines) {
    if (skip.has(line.index)) continue;
    const occ = titleOccurrences(src, line, titles);
    const long = line.end - line.start > FLATTENED_LINE;
    let segStart = line.start;
    let segMarker: Marker | null = null;
    let labelSeen = false;
    let o = 0;
    const first = startMarker[line.index] ?? null;
    if (first) {
      segMarker = first;
      last.set(first.style, first.value);
    }
    for (let p = line.start; p < line.end; p++) {
      const title = occ[o];
      if (title && title.start === p) {
        push({ start: segStart, end: p }, segMarker ? "marker" : "text", segMarker, line.index);
        push(title, "title", null, line.index);
        last.clear();
        o++;
        segStart = title.end;
        segMarker = null;
        labelSeen = false;
        p = title.end - 1;
        continue;
      }
      const c = src.mirror[p] as string;
      if (
        c === ":" &&
        /(单位|部门|科室|处室|主体|牵头|配合)$/.test(src.mirror.slice(Math.max(line.start, p - 4), p))
      ) {
        labelSeen = true;
      }
      if (p === segStart || !/[\d一二三四五六七八九十(]/.test(c)) continue;
      const prev = src.mirror[p - 1] as string;
      if (!/[。!?)”]/.test(prev) && !labelSeen) continue;
      const mk = markerAt(src, p, line.end);
      if (!mk || !MID_LINE_STYLES.has(mk.style)) continue;
      // 网格1、网格2、网格3: a number in a list of names, not an item (an item's text runs on).
      if (
        !/[。!?)”]/.test(prev) &&
        /^[^,;、。)]{0,5}[,;、)]/.test(src.mirror.slice(mk.span.end, mk.span.end + 8))
      )
        continue;
      const before = last.get(mk.style);
      const next = before !== undefined && mk.value === before + 1;
      const fresh = mk.value === 1 && long && !lineStartStyles.has(mk.style) && before === undefined;
      if (!next && !fresh) continue;
      push({ start: segStart, end: p }, segMarker ? "marker" : "text", segMarker, line.index);
      last.set(mk.style, mk.value);
      segStart = p;
      segMarker = mk;
      labelSeen = false;
    }
    push({ start: segStart, end: line.end }, segMarker ? "marker" : "text", segMarker, line.index);
  }
  // Whole lines that are titles.
  for (const s of segs) {
    if (s.kind !== "text") continue;
    const line = lines[s.line] as Line;
    if (s.span.start === line.start && s.span.end === line.end && isStandaloneTitle(src, line))
      s.kind = "title";
  }
  // A title over two lines (…基层政务公开标准化规范化 / 工作实施方案): the first line joins it. Two
  // titles in a row (a file name, then the document's title): the later one.
  const out: Segment[] = [];
  for (const s of segs) {
    const prev = out[out.length - 1];
    if (s.kind === "title" && prev && prev.line === s.line - 1) {
      const prevLine = lines[prev.line] as Line;
      const whole = prev.span.start === prevLine.start && prev.span.end === prevLine.end;
      const joined = `${mir(src, prev.span)}${mir(src, s.span)}`.replace(/\s/g, "");
      const continues = titles.includes(joined) || continuesTitle(src, prev.span, s.span);
      if (whole && prev.kind === "title" && !continues) prev.kind = "text";
      else if (whole && (prev.kind === "text" || prev.kind === "title") && continues) {
        out.pop();
        s.span = { start: prev.span.start, end: s.span.end };
      }
    }
    out.push(s);
  }
  out.forEach((s, i) => {
    s.index = i;
  });
  return out;
}

/** Is `first` the first line of a title that `rest` ends (see segmentLines)? */
function continuesTitle(src: Source, first: Span, rest: Span): boolean {
  const a = mir(src, first).trim();
  const b = mir(src, rest).trim();
  if (a.length < 4 || a.length > 60 || /[。,;:!?>|]/.test(a) || /^[(\d]|[年月]\d{1,2}日?$|日$/.test(a))
    return false;
  if ((a.match(/《/g) ?? []).length > (a.match(/》/g) ?? []).length) return true; // 《 still open
  if (PLAN_WORD.test(planName(a))) return false;
  return (
    /^(工作|实施|方案|要点|任务)/.test(b) ||
    /(关于|贯彻|落实|印发|推进|全面|进一步)$/.test(a) ||
    /贯彻落实/.test(a)
  );
}

type Node = {
  seg: Segment | null;
  marker: Marker | null;
  level: number;
  children: Node[];
  body: Segment[];
  parent: Node | null;
};

type PlanCtx = {
  src: Source;
  year: number | null;
  tasks: ParsedTask[];
  sections: ParsedSection[];
  warnings: string[];
  usesUnitLines: boolean;
  title: string;
  /** Items with no text after their number. */
  emptyItems: number;
};

const hasUnits = (as: Assignment[]) => as.some((a) => a.units.length > 0 || a.deadlineCells.length > 0);

function headingTitle(src: Source, node: Node): string {
  const seg = node.seg as Segment;
  const from = node.marker ? node.marker.span.end : seg.span.start;
  const span = trimSpan(src, { start: from, end: seg.span.end });
  const cut = titleCut(mir(src, span));
  return src.text.slice(span.start, span.start + cut.length).trim();
}

/** Tasks of a leaf item and the unnumbered paragraphs after it (see the module comment). */
function leafTasks(ctx: PlanCtx, node: Node, section: { title: string; code: string } | null) {
  const { src } = ctx;
  const seg = node.seg as Segment;
  const marker = node.marker as Marker;
  type Draft = TaskDraft & { closed: boolean; merged: boolean; headingOnly: boolean };
  let followers = 0;
  const start = (span: Span, code: string, codeSpan: Span | null, flags: TaskFlag[]): Draft => ({
    code,
    codeSpan,
    section,
    titleSpan: null,
    pieces: [],
    units: [],
    truncated: [],
    deadlineCells: [],
    span,
    flags,
    closed: false,
    merged: false,
    headingOnly: false,
  });
  const take = (d: Draft, span: Span, as: Assignment[]) => {
    for (const p of subtract(
      src,
      span,
      as.map((a) => a.block),
    ))
      d.pieces.push(p);
    for (const a of as) {
      for (const u of a.units) d.units.push(u);
      for (const c of a.deadlineCells) d.deadlineCells.push(c);
      for (const t of a.truncated) d.truncated.push(t);
    }
    if (hasUnits(as)) d.closed = true;
    d.span = { start: Math.min(d.span.start, span.start), end: Math.max(d.span.end, span.end) };
  };
  const flush = (d: Draft) => {
    if (d.merged && ctx.usesUnitLines && !d.headingOnly) {
      const first = d.pieces[1];
      const quote = first ? orig(src, first).slice(0, 12) : "";
      d.flags.push({
        code: "mergedParagraphs",
        message: `该任务包含其后无编号的段落(“${quote}…”),请核对是否属于同一任务。`,
      });
    }
    ctx.tasks.push(buildTask(src, d, ctx.year));
  };
  const own = trimSpan(src, { start: marker.span.end, end: seg.span.end });
  let cur = start(seg.span, marker.code, marker.span, []);
  take(cur, own, findAssignments(src, own));
  cur.headingOnly = !mir(src, own).includes("。") && own.end - own.start <= 40;
  for (const s of node.body) {
    const as = findAssignments(src, s.span);
    const rest = subtract(
      src,
      s.span,
      as.map((a) => a.block),
    );
    if (as.length > 0 && rest.length === 0) {
      take(cur, s.span, as);
      continue;
    }
    if (cur.closed) {
      flush(cur);
      followers++;
      const code = `${marker.code}-${followers}`;
      cur = start(s.span, code, null, [
        {
          code: "unnumbered",
          message: `该段落在原文中没有编号,编号“${code}”由系统生成(接在${marker.code}之后),请核对是否为独立任务。`,
        },
      ]);
      take(cur, s.span, as);
      continue;
    }
    cur.merged = true;
    take(cur, s.span, as);
  }
  flush(cur);
}

/**
 * An item written as sentences whose children are sub-points without units of their own
 * (3.推进项目信息公开。…\n（1）…\n（2）…\n责任单位:…) is one task: the sub-points are its content.
 */
function foldsChildren(src: Source, node: Node): boolean {
  if (!node.seg || !node.marker || node.level === 0) return false;
  const own = mir(src, { start: node.marker.span.end, end: node.seg.span.end });
  const stop = own.indexOf("。");
  const sentence = stop >= 2 && (stop < own.length - 1 || own.length > 20);
  if (!sentence) return false;
  const leaves = (n: Node): boolean => n.children.every((c) => c.children.length === 0 && leaves(c));
  if (!leaves(node)) return false;
  return node.children.every((c) => {
    const seg = c.seg as Segment;
    const own = { start: (c.marker as Marker).span.end, end: seg.span.end };
    return !hasUnits(findAssignments(src, own));
  });
}

/** The item with its sub-points flattened into its body, in text order. */
function folded(node: Node): Node {
  const body: Segment[] = [...node.body];
  const add = (n: Node) => {
    for (const c of n.children) {
      body.push(c.seg as Segment);
      for (const b of c.body) body.push(b);
      add(c);
    }
  };
  add(node);
  body.sort((a, b) => a.span.start - b.span.start);
  return { ...node, children: [], body };
}

function walk(
  ctx: PlanCtx,
  node: Node,
  section: { title: string; code: string } | null,
  structured: boolean,
) {
  const { src } = ctx;
  const isTop = node.parent?.seg === null;
  if (node.children.length > 0 && foldsChildren(src, node)) {
    leafTasks(ctx, folded(node), section);
    return;
  }
  if (node.children.length > 0) {
    const title = headingTitle(src, node);
    if (isTop && PREAMBLE.test(titleKey(src, node))) return;
    const heading = { title, code: node.marker?.code ?? "" };
    const before = ctx.tasks.length;
    const intro = node.body.filter((s) => hasUnits(findAssignments(src, s.span)) || hasDeadline(src, s.span));
    for (const s of intro) {
      ctx.warnings.push(
        `《${ctx.title}》“${title}”开头的无编号段落(“${orig(src, s.span).slice(0, 16)}…”)含有单位或时限,未作为任务,请核对。`,
      );
    }
    for (const child of node.children) walk(ctx, child, heading, structured);
    if (ctx.tasks.length > before && node.seg) {
      ctx.sections.push({ code: heading.code, title, span: node.seg.span });
    }
    return;
  }
  const title = headingTitle(src, node);
  if (isTop && PREAMBLE.test(titleKey(src, node))) return;
  if (isTop && structured && !isWorkItem(src, node)) {
    const spans = [node.seg as Segment, ...node.body].map((s) => s.span);
    const relevant = spans.some((s) => hasUnits(findAssignments(src, s)) || hasDeadline(src, s));
    if (!relevant) {
      ctx.warnings.push(
        `《${ctx.title}》第${node.marker?.code ?? ""}部分“${title}”没有分项,也没有写明单位或时限,未作为任务,请核对。`,
      );
      return;
    }
  }
  // An item with nothing after its number (一、 alone on a line) is no task.
  const seg = node.seg as Segment;
  if (
    node.body.length === 0 &&
    mir(src, { start: node.marker?.span.end ?? seg.span.start, end: seg.span.end }).trim() === ""
  ) {
    ctx.emptyItems++;
    return;
  }
  leafTasks(ctx, node, section);
}

/**
 * A top-level item written as work to do — a sentence of its own (一、坚持…。继续坚持…) rather than
 * a bare heading over unnumbered text (二、工作要求 followed by paragraphs).
 */
function isWorkItem(src: Source, node: Node): boolean {
  const seg = node.seg as Segment;
  const own = mir(src, { start: node.marker ? node.marker.span.end : seg.span.start, end: seg.span.end });
  if (/。/.test(own) && own.length >= 8) return true;
  // 二、健全主动公开目录体系 over a paragraph of what to do: a leaf item of the plan, so a task.
  const first = node.body[0];
  return first !== undefined && /。/.test(mir(src, first.span)) && first.span.end - first.span.start >= 20;
}

/** A heading's title on the mirror (Simplified), for the preamble test. */
const titleKey = (src: Source, node: Node) => {
  const seg = node.seg as Segment;
  return mir(src, { start: node.marker ? node.marker.span.end : seg.span.start, end: seg.span.end }).replace(
    /\s/g,
    "",
  );
};

function hasDeadline(src: Source, span: Span): boolean {
  return /每(年|季|月|半年)|年内|\d{1,2}月(底|末)?前|\d{1,4}个?工作日|小时内|年底/.test(mir(src, span));
}

/** Is this segment the end of the plan's text (closing paragraph, signature, page furniture)? */
function endsText(src: Source, segs: Segment[], i: number, lines: Line[]): boolean {
  const s = segs[i] as Segment;
  if (s.kind !== "text") return false;
  const m = mir(src, { start: s.span.start, end: Math.min(s.span.end, s.span.start + 300) }).trim();
  if (TRAILER.test(m)) return true;
  const line = lines[s.line] as Line;
  const whole = s.span.start === line.start && s.span.end === line.end;
  if (whole && isDateLine(src, line)) return true;
  if (whole && isUnitLine(src, line)) {
    const next = lines[s.line + 1];
    if (next && (isDateLine(src, next) || isUnitLine(src, next))) return true;
  }
  return m.length <= 200 && CLOSING_START.test(m) && CLOSING.test(m);
}

type TableRegion = { fromLine: number; toLine: number; grid: Grid };

function findTables(src: Source, lines: Line[]): TableRegion[] {
  const out: TableRegion[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    // Header names are short: a long line is never the start of a table.
    if (line.end - line.start > 200) continue;
    const grid = flattenedTable(src, lines, i);
    if (grid) {
      out.push({ fromLine: i, toLine: i + grid.lines, grid });
      i += grid.lines - 1;
    }
  }
  return out;
}

export function parsePlanDocument(input: string, opts: ParseOptions = {}): ParseResult {
  const text = withoutPinyin(input);
  const result = parseText(text, opts);
  return text === input ? result : { ...result, text };
}

function parseText(text: string, opts: ParseOptions): ParseResult {
  const src = source(text);
  const warnings: string[] = [];
  const lines = linesOf(src);
  if (lines.length === 0) return { plans: [], warnings: ["文本为空,没有可识别的内容。"] };

  const tables = findTables(src, lines);
  const tableLines = new Set<number>();
  for (const t of tables) for (let i = t.fromLine; i < t.toLine; i++) tableLines.add(i);
  const titles = announcedTitles(src, lines);
  const segs = segmentLines(src, lines, tableLines, titles);
  const notPlan = notPlanReason(
    src,
    lines,
    segs.some((s) => s.kind === "title"),
  );
  if (notPlan) return { plans: [], warnings: [notPlan] };

  // Plan starts: title segments accepted as plans.
  const announced = new Set(titles);
  const starts: number[] = [];
  // For each segment, the next segment that is not plain text (scanned once, from the end).
  const nextItem: (Segment | undefined)[] = new Array(segs.length);
  for (let i = segs.length - 1, next: Segment | undefined; i >= 0; i--) {
    nextItem[i] = next;
    if ((segs[i] as Segment).kind !== "text") next = segs[i];
  }
  for (const s of segs) {
    if (s.kind !== "title") continue;
    const key = mir(src, s.span).trim();
    if (starts.length === 0 || announced.has(key)) {
      starts.push(s.index);
      continue;
    }
    // A further standalone title starts a plan when numbering restarts after it.
    const next = nextItem[s.index];
    const tableNext = tables.some((t) => t.fromLine > s.line && t.fromLine <= s.line + 2);
    if ((next?.kind === "marker" && next.marker?.value === 1) || tableNext) starts.push(s.index);
    else s.kind = "text";
  }
  // Two titles in a row (a page heading repeating the document's): the later one is the plan.
  for (let k = starts.length - 1; k > 0; k--) {
    const a = starts[k - 1] as number;
    const b = starts[k] as number;
    if (
      !segs.slice(a + 1, b).some((x) => x.kind === "marker") &&
      !tables.some((t) => inRange(t, segs, a, b))
    ) {
      starts.splice(k - 1, 1);
    }
  }

  const plans: ParsedPlan[] = [];
  const firstStart = starts[0];
  const globalHeaderEnd = firstStart ?? segs.findIndex((s) => s.kind === "marker");
  const globalHeader = segs.slice(0, globalHeaderEnd < 0 ? segs.length : globalHeaderEnd);
  const regions: { titleSeg: Segment | null; from: number; to: number }[] = [];
  if (starts.length === 0) {
    regions.push({ titleSeg: null, from: 0, to: segs.length });
  } else {
    starts.forEach((st, k) => {
      regions.push({ titleSeg: segs[st] as Segment, from: st + 1, to: starts[k + 1] ?? segs.length });
    });
  }

  for (const region of regions) {
    const planSegs = segs.slice(region.from, region.to);
    const own = ownAnnouncement(src, lines);
    const titleSpan =
      region.titleSeg?.span ?? announcedSpan(src, own ? [own] : []) ?? fallbackTitle(src, planSegs, lines);
    let title = titleSpan ? titleText(orig(src, titleSpan)) : "未命名计划";
    // Y关于X where the notice announces X: the plan is X.
    const named = titles.find((t) =>
      mir(src, titleSpan ?? { start: 0, end: 0 })
        .replace(/\s/g, "")
        .endsWith(`关于${t}`),
    );
    if (named && titleSpan) title = titleText(orig(src, titleSpan)).slice(-named.length);
    // The notice's name for the plan when the title line shortens it (分解表 above the table
    // without 全区): what the notice issued is the plan's name.
    const fuller = titleSpan && !named ? (own ? fullerAnnounced(src, titleSpan, [own]) : null) : null;
    if (fuller) title = titleText(orig(src, fuller));
    if (!titleSpan) warnings.push("没有找到计划标题(例如“XX年政务公开工作要点”),请补充标题。");

    // Header (before the first item), body, trailer.
    const firstItem = planSegs.findIndex((s) => s.kind === "marker");
    const headerSegs = firstItem < 0 ? planSegs : planSegs.slice(0, firstItem);
    let stop = planSegs.length;
    for (let i = Math.max(0, firstItem); firstItem >= 0 && i < planSegs.length; i++) {
      if (endsText(src, planSegs, i, lines)) {
        stop = i;
        break;
      }
    }
    const body = firstItem < 0 ? [] : planSegs.slice(firstItem, stop);
    const trailer = planSegs.slice(stop);
    const regionTables = tables.filter((t) => {
      const at = (lines[t.fromLine] as Line).start;
      const from = region.titleSeg?.span.start ?? 0;
      const to = region.to < segs.length ? (segs[region.to] as Segment).span.start : text.length;
      return at >= from && at < to;
    });

    const asLines = (xs: Segment[]): Line[] => xs.map((s) => ({ ...s.span, index: s.line }));
    // Metadata sits in the first and last lines: a bounded look keeps huge inputs linear.
    const meta = readMetadata(
      src,
      [
        ...asLines(headerSegs.slice(0, 60)),
        ...asLines(globalHeader.slice(0, 60)),
        ...asLines(trailer.slice(-60)),
      ],
      titleSpan,
    );
    let year = opts.year ?? null;
    const titleYear = yearIn(mir(src, titleSpan ?? { start: 0, end: 0 }));
    if (year !== null && titleYear !== null && titleYear !== year) {
      warnings.push(
        `《${title}》标题中的年份是${titleYear}年,与指定的${year}年不一致,已按${year}年处理,请核对。`,
      );
    }
    year ??= titleYear ?? (meta.docNumber ? yearIn(meta.docNumber) : null);
    if (year === null && meta.publishDate) {
      year = Number(meta.publishDate.slice(0, 4));
      warnings.push(`《${title}》没有写明年份,已按发布日期取${year}年,请核对。`);
    }
    if (year === null) warnings.push(`《${title}》没有写明年份,无法确定时限的日期,请指定计划年份。`);

    const ctx: PlanCtx = {
      src,
      year,
      tasks: [],
      sections: [],
      warnings,
      usesUnitLines: body.some((s) => hasUnits(findAssignments(src, s.span))),
      title,
      emptyItems: 0,
    };
    // Items → tree: levels by first appearance; a text that starts in the middle ((四) before any
    // 一、, an excerpt or a second page) takes the usual order 一、 > （一） > 1. > （1） > ①.
    const levels = new Map<MarkerStyle, number>();
    const firstMarker = body.find((s) => s.kind === "marker")?.marker;
    if (firstMarker && firstMarker.value > 1) {
      const usual: MarkerStyle[] = ["cnDun", "cnParen", "cnShi", "arDun", "arParen", "circled"];
      for (const [i, st] of usual.entries()) levels.set(st, i);
    }
    const root: Node = { seg: null, marker: null, level: -1, children: [], body: [], parent: null };
    let cur = root;
    for (const s of body) {
      if (s.kind === "marker" && s.marker) {
        if (!levels.has(s.marker.style)) levels.set(s.marker.style, levels.size);
        const level = levels.get(s.marker.style) as number;
        while (cur !== root && cur.level >= level) cur = cur.parent as Node;
        const node: Node = { seg: s, marker: s.marker, level, children: [], body: [], parent: cur };
        cur.children.push(node);
        cur = node;
      } else cur.body.push(s);
    }
    const structured = root.children.some((c) => c.children.length > 0);
    for (const child of root.children) walk(ctx, child, null, structured);
    ctx.sections.sort((a, b) => a.span.start - b.span.start);

    for (const t of regionTables) {
      const parsed = tasksFromGrid(src, t.grid, year);
      for (const t of parsed.tasks) ctx.tasks.push(t);
      for (const s of parsed.sections) ctx.sections.push(s);
      warnings.push(...parsed.warnings.map((w) => `《${title}》${w}`));
    }
    if (ctx.emptyItems > 0) {
      warnings.push(`《${title}》有 ${ctx.emptyItems} 个编号后面没有内容,未作为任务,请核对原文。`);
    }
    if (ctx.tasks.length === 0) {
      warnings.push(
        `《${title}》没有识别到任务:${
          body.length === 0 && regionTables.length === 0
            ? "标题之后没有「一、」「(一)」「1.」等编号的条目,也没有任务分工表"
            : "编号的条目都是总体要求、指导思想等说明,或没有内容"
        }。请确认导入的是工作要点正文或任务分工表(含「工作任务」「责任单位」等表头)。`,
      );
    }

    // What the plan implements is said before its tasks: in the notice, the preamble, 总体要求.
    // The first plan of a notice reads the notice too; a later one from its own title.
    const citeFrom = region === regions[0] ? 0 : (titleSpan?.start ?? 0);
    const firstTask = ctx.tasks.reduce((m, t) => Math.min(m, t.span.start), text.length);
    const citeTo = Math.min(firstTask, citeFrom + 20_000);
    const cites = citedDocuments(
      src,
      { start: citeFrom, end: Math.max(citeFrom, citeTo) },
      { titles: [title], docNumber: meta.docNumber },
    );

    const lastSeg = planSegs[planSegs.length - 1];
    let end = lastSeg?.span.end ?? titleSpan?.end ?? 0;
    for (const t of ctx.tasks) end = Math.max(end, t.span.end);
    plans.push({
      title,
      year,
      docNumber: meta.docNumber,
      issuer: meta.issuer,
      publishDate: meta.publishDate,
      cites,
      span: { start: titleSpan?.start ?? 0, end },
      sections: ctx.sections,
      tasks: ctx.tasks.sort((a, b) => a.span.start - b.span.start),
    });
  }
  // One notice issuing two plans names both: neither implements the other.
  for (const p of plans)
    p.cites = withoutTitles(
      p.cites,
      plans.map((q) => q.title),
    );
  dropCutOffTask(src, plans, warnings);
  applyLeadRule(src, plans, warnings);
  for (const p of plans) flagGaps(p.tasks);
  // A notice whose plans came out empty but one: keep the ones with tasks.
  const withTasks = plans.filter((p) => p.tasks.length > 0);
  return { plans: withTasks.length > 0 ? withTasks : plans.slice(0, 1), warnings };
}

/**
 * Item numbers that skip (1, 2, 4) within one section: a task may have been missed (a paragraph
 * the parser could not split) or the document misnumbers; either way a person should look.
 */
function flagGaps(tasks: ParsedTask[]) {
  let prev: { section: string | null; value: number; style: string } | null = null;
  for (const t of tasks) {
    const m = /^(\()?([一二三四五六七八九十]{1,3}|\d{1,3})(\))?[、.．]?$/.exec(t.code.trim());
    if (!m) {
      prev = null;
      continue;
    }
    const value = numeralValue(m[2] ?? "") ?? 0;
    const style = `${m[1] ? "(" : ""}${/\d/.test(m[2] ?? "") ? "1" : "一"}`;
    if (
      prev &&
      prev.section === t.sectionCode &&
      prev.style === style &&
      value !== prev.value + 1 &&
      value > 0
    ) {
      t.flags.push({
        code: "codeGap",
        message:
          value > prev.value + 1
            ? `编号“${t.code}”之前缺少第${prev.value + 1}项,请核对是否漏识别了任务,或原文编号有误。`
            : `编号“${t.code}”与上一项重复或倒序,请核对。`,
      });
    }
    prev = { section: t.sectionCode, value, style };
  }
}

/**
 * A document's own rule for unit lists without role words, stated once: `逗号前为牵头单位` (the
 * units before the first comma lead), `排在第一位的为牵头单位` (the first unit leads). The other
 * units keep their role.
 */
function applyLeadRule(src: Source, plans: ParsedPlan[], warnings: string[]) {
  const m = src.mirror;
  const beforeComma = /(逗号|,)(之)?前(的)?(单位)?(为|是)牵头(单位)?/.test(m);
  const first = /(排在|列在?|位列)?第一(位|个)(的)?(单位)?(为|是)牵头(单位)?/.test(m);
  if (!beforeComma && !first) return;
  let changed = 0;
  for (const plan of plans) {
    for (const t of plan.tasks) {
      if (t.lead.length > 0 || t.cooperating.length > 0 || t.responsible.length < 2) continue;
      const marks = t.marks.filter((k) => k.kind === "responsible").sort((a, b) => a.start - b.start);
      let leads = 1;
      if (beforeComma) {
        const from = marks[0]?.start ?? 0;
        const to = marks[marks.length - 1]?.end ?? 0;
        const comma = m.slice(from, to).indexOf(",");
        if (comma < 0) continue;
        leads = marks.filter((k) => k.end <= from + comma).length;
      }
      const names = marks.map((k) => k.text.trim());
      const lead = names.slice(0, leads);
      t.lead = t.responsible.filter((n) => lead.includes(n));
      t.responsible = t.responsible.filter((n) => !lead.includes(n));
      for (const k of t.marks) if (k.kind === "responsible" && lead.includes(k.text.trim())) k.kind = "lead";
      changed++;
    }
  }
  if (changed > 0) {
    warnings.push(
      `原文说明了牵头单位的写法(${beforeComma ? "逗号前为牵头单位" : "排在第一位的为牵头单位"}),已据此把${changed}项任务的首列单位设为牵头单位,请核对。`,
    );
  }
}

/**
 * Text that stops in the middle of its last item (an excerpt, a paste cut short: `(九)提高`) —
 * the item runs to the end of the text with no full stop and names no unit: it is not a task, and
 * the office is told where the text breaks off.
 */
function dropCutOffTask(src: Source, plans: ParsedPlan[], warnings: string[]) {
  const plan = plans[plans.length - 1];
  const last = plan?.tasks[plan.tasks.length - 1];
  if (!plan || !last) return;
  const rest = src.mirror.slice(last.span.end);
  const own = src.mirror.slice(last.span.start, last.span.end);
  const units = last.lead.length + last.cooperating.length + last.responsible.length;
  // A table row whose task cell is whole is a task even when its content is cut.
  const ownTitle = last.content.startsWith(last.title);
  const stopped = /[。!?;]|[\u4e00-\u9fff]\.[\u4e00-\u9fff]/.test(own);
  if (!ownTitle || rest.trim() !== "" || stopped || units > 0 || last.deadlines.length > 0) return;
  plan.tasks.pop();
  warnings.push(
    `原文在第${last.code}项“${last.title.slice(0, 20)}”处中断(可能只复制或保存了一部分),这一项未作为任务;请补全原文后重新导入,或导入后手动添加。`,
  );
}

function inRange(t: TableRegion, segs: Segment[], a: number, b: number): boolean {
  const from = (segs[a] as Segment).line;
  const to = (segs[b] as Segment).line;
  return t.fromLine > from && t.fromLine < to;
}

/** An announced name that contains every character of the title line, in order, and a few more. */
function fullerAnnounced(src: Source, titleSpan: Span, titles: string[]): Span | null {
  const t = mir(src, titleSpan).replace(/\s/g, "");
  for (const a of titles) {
    if (a.length <= t.length || a.length > t.length + 6) continue;
    let i = 0;
    for (const c of a) if (c === t[i]) i++;
    if (i < t.length) continue;
    const at = src.mirror.indexOf(a);
    if (at >= 0) return { start: at, end: at + a.length };
  }
  return null;
}

/** No title line, but a notice names the plan (关于印发X的通知, 《X》): where X is written. */
function announcedSpan(src: Source, titles: string[]): Span | null {
  const t = titles[0];
  if (!t) return null;
  const at = src.mirror.indexOf(t);
  return at < 0 ? null : { start: at, end: at + t.length };
}

/** No title line: the first short line without a sentence end, before the first item. */
function fallbackTitle(src: Source, segs: Segment[], lines: Line[]): Span | null {
  for (const s of segs) {
    if (s.kind === "marker") break;
    const line = lines[s.line] as Line;
    const m = mir(src, s.span);
    // Never a breadcrumb (首页 > 文章中心), a labelled field or a table header.
    if (
      s.span.start === line.start &&
      m.length >= 4 &&
      m.length <= 60 &&
      !/[。,;:>›»|]/.test(m) &&
      !TRAILER.test(m) &&
      !headerColumn(m.replace(/\s/g, ""))
    )
      return s.span;
  }
  return null;
}
