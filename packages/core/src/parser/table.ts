/**
 * Task-division tables (任务分工表): from a spreadsheet (rows of cells), or flattened into text —
 * one row per line with cells separated by | or tabs, or one cell per line under a header of
 * column names on consecutive lines.
 *
 * - The header row is the row (within the first rows) with the most known column names; columns
 *   come in any order and under several names (序号/编号, 工作任务/重点任务, 具体内容/工作措施,
 *   牵头单位, 配合单位, 责任单位/责任部门, 完成时限/时间节点…). Other columns are ignored.
 * - A row whose non-empty cells all hold the same text (a merged row after filling) or that holds
 *   only a heading such as 一、… is a section; a 所属部分/类别 column, when there is one, wins.
 * - Title: the task cell; when there is no content column the task cell is the content and the
 *   title is its first sentence. No task cell: the title is cut from the content.
 * - Deadlines: the 完成时限 cell first, then the phrases in the content.
 * - A code repeated on consecutive rows (a merged 序号) gets -2, -3… and a flag.
 */
import { findDeadlines, isOngoingWording } from "../deadlines/phrases.ts";
import { splitUnitList } from "./assignments.ts";
import { markerAt } from "./markers.ts";
import { matchingMirror } from "./normalize.ts";
import { buildTask, type TaskDraft } from "./tasks.ts";
import type { Line, Source } from "./text.ts";
import { mir, orig, trimSpan } from "./text.ts";
import type { ParsedTask, Span, TaskFlag } from "./types.ts";

export type Column =
  | "code"
  | "section"
  | "title"
  | "content"
  | "lead"
  | "cooperating"
  | "responsible"
  | "deadline";

const HEADERS: Record<Column, string[]> = {
  code: ["序号", "编号", "序", "项次", "no", "no."],
  section: [
    "所属部分",
    "所属板块",
    "板块",
    "类别",
    "分类",
    "任务类别",
    "工作类别",
    "任务分类",
    "领域",
    "重点领域",
    "部分",
    "一级任务",
    "工作板块",
    "类型",
  ],
  title: [
    "工作任务",
    "重点任务",
    "任务",
    "主要任务",
    "任务名称",
    "工作事项",
    "事项",
    "工作要点",
    "重点工作",
    "二级任务",
    "任务事项",
    "工作项目",
    "主要工作",
  ],
  content: [
    "具体内容",
    "工作内容",
    "任务内容",
    "具体任务",
    "具体措施",
    "工作措施",
    "主要内容",
    "任务要求",
    "具体要求",
    "工作要求",
    "措施",
    "内容",
    "任务分解",
    "具体工作",
    "工作目标",
    "主要措施",
    "具体工作措施",
  ],
  lead: [
    "牵头单位",
    "牵头部门",
    "牵头科室",
    "牵头处室",
    "主责单位",
    "主责部门",
    "牵头",
    "主办单位",
    "牵头责任单位",
  ],
  cooperating: [
    "配合单位",
    "配合部门",
    "协办单位",
    "协助单位",
    "参与单位",
    "配合科室",
    "协同单位",
    "配合",
    "协办",
  ],
  responsible: [
    "责任单位",
    "责任部门",
    "责任科室",
    "承办单位",
    "实施单位",
    "落实单位",
    "责任主体",
    "责任处室",
    "完成单位",
  ],
  deadline: [
    "完成时限",
    "时限",
    "完成时间",
    "时间节点",
    "时限要求",
    "完成期限",
    "进度安排",
    "时间安排",
    "办结时限",
    "截止时间",
    "完成时限要求",
  ],
};
const HEADER_OF = new Map<string, Column>();
for (const [col, names] of Object.entries(HEADERS) as [Column, string[]][])
  for (const n of names) HEADER_OF.set(n, col);

/** The column a header cell names, if any (on the mirror: spaces and remarks in brackets ignored). */
export function headerColumn(mirrorCell: string): Column | null {
  if (mirrorCell.length > 24) return null;
  const key = mirrorCell
    .replace(/\s+/g, "")
    .replace(/\([^()]*\)$/, "")
    .replace(/[:*]/g, "")
    .toLowerCase();
  return HEADER_OF.get(key) ?? null;
}

export type Cell = Span;
export type TableRows = Cell[][];

export type TableParse = {
  title: Span | null;
  tasks: ParsedTask[];
  sections: { code: string; title: string; span: Span }[];
  warnings: string[];
  span: Span;
};

type HeaderMap = Partial<Record<Column, number>>;

function headerOf(src: Source, row: Cell[]): { map: HeaderMap; count: number } {
  const map: HeaderMap = {};
  let count = 0;
  row.forEach((cell, i) => {
    const col = headerColumn(mir(src, cell));
    if (col && map[col] === undefined) {
      map[col] = i;
      count++;
    }
  });
  return { map, count };
}

/** A header needs a task or content column and at least three known columns. */
const isHeader = (h: { map: HeaderMap; count: number }) =>
  h.count >= 3 && (h.map.title !== undefined || h.map.content !== undefined);

export function findHeaderRow(src: Source, rows: TableRows, within = 15): number {
  let best = -1;
  let bestCount = 0;
  for (let r = 0; r < Math.min(rows.length, within); r++) {
    const h = headerOf(src, rows[r] as Cell[]);
    if (isHeader(h) && h.count > bestCount) {
      best = r;
      bestCount = h.count;
    }
  }
  return best;
}

const nonEmpty = (src: Source, row: Cell[]) =>
  row.filter((c) => c.end > c.start && mir(src, c).trim() !== "");

/** Tasks from table rows whose header is at `headerRow`. */
export function tasksFromRows(
  src: Source,
  rows: TableRows,
  headerRow: number,
  year: number | null,
): TableParse {
  const { map } = headerOf(src, rows[headerRow] as Cell[]);
  const cell = (row: Cell[], col: Column): Cell | null => {
    const i = map[col];
    if (i === undefined) return null;
    const c = row[i];
    if (!c) return null;
    const t = trimSpan(src, c);
    return t.end > t.start ? t : null;
  };
  const warnings: string[] = [];
  const tasks: ParsedTask[] = [];
  const sections: TableParse["sections"] = [];
  let section: { title: string; code: string } | null = null;
  let lastCode = "";
  let repeat = 1;
  let auto = 0;
  // The title: the first row above the header holding one text (a merged row) that is not a
  // 文号 or a date.
  let title: Span | null = null;
  for (let r = 0; r < headerRow && title === null; r++) {
    const cells = nonEmpty(src, rows[r] as Cell[]);
    const distinct = new Set(cells.map((c) => mir(src, trimSpan(src, c)).trim()));
    const only = cells[0] ? trimSpan(src, cells[0]) : null;
    if (distinct.size !== 1 || !only) continue;
    const m = mir(src, only);
    if (
      /^\S{1,12}\(\d{4}\)\d{1,5}号$/.test(m) ||
      /^\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?$/.test(m) ||
      m.length > 80
    )
      continue;
    title = only;
  }
  const first = rows[headerRow]?.[0];
  let spanEnd = first ? first.end : 0;
  for (let r = headerRow + 1; r < rows.length; r++) {
    const row = rows[r] as Cell[];
    const filled = nonEmpty(src, row);
    if (filled.length === 0) continue;
    for (const c of filled) spanEnd = Math.max(spanEnd, c.end);
    const texts = filled.map((c) => mir(src, trimSpan(src, c)).trim());
    // A repeated header (tables printed over several pages), a |---|---| rule.
    if (headerOf(src, row).count >= 3) continue;
    if (texts.every((t) => /^[-:—=_\s]+$/.test(t))) continue;
    const distinct = new Set(texts);
    const only = trimSpan(src, filled[0] as Cell);
    const marker = markerAt(src, only.start, only.end);
    const taskText = cell(row, "title") ?? cell(row, "content");
    if (
      distinct.size === 1 &&
      (filled.length > 1 ||
        (marker !== null && marker.style === "cnDun") ||
        (taskText === null && filled.length === 1))
    ) {
      const code = marker ? marker.code : "";
      const t = trimSpan(src, { start: marker ? marker.span.end : only.start, end: only.end });
      section = { title: orig(src, t).replace(/[。;；,，:：、\s]+$/, ""), code };
      sections.push({ code, title: section.title, span: only });
      continue;
    }
    const flags: TaskFlag[] = [];
    let rowSection = section;
    const secCell = cell(row, "section");
    if (secCell) {
      const m = markerAt(src, secCell.start, secCell.end);
      const t = trimSpan(src, { start: m ? m.span.end : secCell.start, end: secCell.end });
      rowSection = { title: orig(src, t).replace(/[。;；,，:：、\s]+$/, ""), code: m ? m.code : "" };
      if (!sections.some((s) => s.title === rowSection?.title))
        sections.push({ ...rowSection, span: secCell });
    }
    const codeCell = cell(row, "code");
    let code: string;
    if (codeCell) {
      code = orig(src, codeCell).trim().replace(/、$/, "");
    } else {
      code = String(++auto);
      flags.push({ code: "generatedCode", message: `表格没有序号,序号“${code}”由系统按行生成,请核对。` });
    }
    if (code === lastCode) {
      repeat++;
      flags.push({
        code: "sharedCode",
        message: `第${code}项在表格中占多行(合并单元格),本行记为“${code}-${repeat}”,请核对是否为同一任务的细化。`,
      });
      code = `${code}-${repeat}`;
    } else {
      lastCode = code;
      repeat = 1;
    }
    const titleCell = cell(row, "title");
    const contentCell = cell(row, "content");
    const pieces = contentCell ? [contentCell] : titleCell ? [titleCell] : [];
    const units: TaskDraft["units"] = [];
    const truncated: string[] = [];
    for (const role of ["lead", "cooperating", "responsible"] as const) {
      const c = cell(row, role);
      if (!c) continue;
      const list = splitUnitList(src, c);
      for (const n of list.names) units.push({ role, span: n });
      for (const t of list.truncated) truncated.push(t);
    }
    const deadlineCell = cell(row, "deadline");
    const rowSpan = { start: (filled[0] as Cell).start, end: (filled[filled.length - 1] as Cell).end };
    tasks.push(
      buildTask(
        src,
        {
          code,
          codeSpan: codeCell,
          section: rowSection,
          titleSpan: contentCell && titleCell ? titleCell : null,
          pieces,
          units,
          truncated,
          deadlineCells: deadlineCell ? [deadlineCell] : [],
          span: rowSpan,
          flags,
        },
        year,
      ),
    );
  }
  if (tasks.length === 0) warnings.push("表格中没有找到任务行,请核对表头下方的内容。");
  const start = title?.start ?? rows[headerRow]?.[0]?.start ?? 0;
  return { title, tasks, sections, warnings, span: { start, end: spanEnd } };
}

/** A spreadsheet's rows as one text (cells joined by tabs, rows by newlines) and their cells. */
export function tableToText(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((c) => (c ?? "").replace(/\t/g, " ")).join("\t")).join("\n");
}

/** The cell spans of `tableToText(rows)`. */
export function cellsOfTableText(rows: readonly (readonly string[])[]): TableRows {
  const out: TableRows = [];
  let at = 0;
  for (const r of rows) {
    const cells: Cell[] = [];
    r.forEach((c, i) => {
      const len = (c ?? "").length;
      cells.push({ start: at, end: at + len });
      at += len + (i + 1 < r.length ? 1 : 0);
    });
    out.push(cells);
    at += 1;
  }
  return out;
}

/** Separator-delimited rows (| or tab) in text lines; section lines become one-cell rows. */
export function delimitedRows(
  src: Source,
  lines: Line[],
  from: number,
): { rows: TableRows; lines: number } | null {
  const split = (line: Line): Cell[] | null => {
    const m = mir(src, line);
    const sep = m.includes("|") ? "|" : m.includes("\t") ? "\t" : null;
    if (!sep) return null;
    const cells: Cell[] = [];
    let start = line.start;
    for (let i = line.start; i <= line.end; i++) {
      if (i === line.end || src.mirror[i] === sep) {
        cells.push(trimSpan(src, { start, end: i }));
        start = i + 1;
      }
    }
    // | a | b |: drop the empty cells outside the outer bars.
    if (sep === "|" && cells.length > 1 && cells[0]?.start === cells[0]?.end) cells.shift();
    if (sep === "|" && cells.length > 1 && cells[cells.length - 1]?.start === cells[cells.length - 1]?.end)
      cells.pop();
    return cells.length >= 2 ? cells : null;
  };
  const header = lines[from];
  if (!header) return null;
  const headCells = split(header);
  if (!headCells || !isHeader(headerOf(src, headCells))) return null;
  const rows: TableRows = [headCells];
  let i = from + 1;
  for (; i < lines.length; i++) {
    const line = lines[i] as Line;
    const cells = split(line);
    if (cells) {
      rows.push(cells);
      continue;
    }
    const marker = markerAt(src, line.start, line.end);
    if (marker && marker.style === "cnDun" && line.end - line.start <= 40 && !mir(src, line).includes("。")) {
      rows.push([line]);
      continue;
    }
    break;
  }
  return { rows, lines: i - from };
}

/**
 * A row with fewer lines than columns (an empty cell leaves no line): its last line goes to the
 * deadline column when it reads as a deadline and that column is last; the others fill in order.
 */
function alignShortRow(src: Source, row: Cell[], names: Column[]): Cell[] {
  if (row.length >= names.length || names[names.length - 1] !== "deadline" || row.length < 2) return row;
  const lastCell = row[row.length - 1] as Cell;
  const m = mir(src, lastCell);
  if (findDeadlines(m).length === 0 && !isOngoingWording(m)) return row;
  const out: Cell[] = row.slice(0, -1);
  while (out.length < names.length - 1) out.push({ start: lastCell.start, end: lastCell.start });
  out.push(lastCell);
  return out;
}

/** A header of ≥3 column names on consecutive lines, then rows of that many lines each. */
export function cellPerLineRows(
  src: Source,
  lines: Line[],
  from: number,
): { rows: TableRows; lines: number } | null {
  const names: Column[] = [];
  let i = from;
  while (i < lines.length && names.length < 12) {
    const col = headerColumn(mir(src, lines[i] as Line));
    if (!col || names.includes(col)) break;
    names.push(col);
    i++;
  }
  if (names.length < 3 || !(names.includes("title") || names.includes("content"))) return null;
  const width = names.length;
  const rows: TableRows = [lines.slice(from, i)];
  const codeFirst = names[0] === "code";
  const isCode = (line: Line) => /^\d{1,3}[、.]?$/.test(mir(src, line).trim());
  while (i < lines.length) {
    const line = lines[i] as Line;
    const marker = markerAt(src, line.start, line.end);
    if (marker && marker.style === "cnDun" && line.end - line.start <= 40 && !mir(src, line).includes("。")) {
      rows.push([line]);
      i++;
      continue;
    }
    if (codeFirst && !isCode(line)) break;
    const row: Cell[] = [line];
    i++;
    // With the code first, a row runs to the next code line (a missing cell does not shift the rest).
    while (i < lines.length && row.length < width && !(codeFirst && isCode(lines[i] as Line))) {
      const next = lines[i] as Line;
      const m = markerAt(src, next.start, next.end);
      if (m && m.style === "cnDun" && next.end - next.start <= 40 && !mir(src, next).includes("。")) break;
      row.push(next);
      i++;
    }
    rows.push(alignShortRow(src, row, names));
  }
  return rows.length > 1 ? { rows, lines: i - from } : null;
}

/** `parseTaskTable` for a spreadsheet's rows (see ./index.ts). */
export function tableSource(rows: readonly (readonly string[])[]): { src: Source; cells: TableRows } {
  const text = tableToText(rows);
  return { src: { text, mirror: matchingMirror(text) }, cells: cellsOfTableText(rows) };
}
