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
import { unitCell } from "./assignments.ts";
import type { Grid } from "./flattened.ts";
import { markerAt } from "./markers.ts";
import { matchingMirror } from "./normalize.ts";
import { buildTask, type TaskDraft } from "./tasks.ts";
import type { Source } from "./text.ts";
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
    "目标",
    "工作目标任务",
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
    "一级要点",
    "重点工作任务",
    "工作重点",
    "重点事项",
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
    "二级要点",
    "具体工作任务",
    "主要举措",
    "工作举措",
    "细化分工",
    "细化任务",
    "工作内容及要求",
    "具体事项",
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
    "主办",
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
    "落实科室",
    "落实部门",
    "负责科室",
    "负责部门",
    "负责单位",
    "责任股室",
    "责任科",
    "负责股室",
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
    "时间要求",
    "完成时间节点",
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

/** The rows of a spreadsheet under its header as a grid (every cell in its column). */
export function gridFromRows(src: Source, rows: TableRows, headerRow: number): Grid {
  const header = rows[headerRow] as Cell[];
  const columns: (Column | null)[] = header.map(() => null);
  const seen = new Set<Column>();
  header.forEach((c, i) => {
    const col = headerColumn(mir(src, c));
    if (col && !seen.has(col)) {
      seen.add(col);
      columns[i] = col;
    }
  });
  const out: Grid = { columns, rows: [], lines: rows.length - headerRow };
  for (let r = headerRow + 1; r < rows.length; r++) {
    const row = rows[r] as Cell[];
    const cells = columns.map((_, i) => {
      const c = row[i];
      if (!c) return null;
      const t = trimSpan(src, c);
      return t.end > t.start ? t : null;
    });
    out.rows.push({ cells, section: null, filled: columns.map(() => true) });
  }
  return out;
}

/** The plan title a spreadsheet shows above its header: a merged row holding one text, not a 文号 or a date. */
export function titleAbove(src: Source, rows: TableRows, headerRow: number): Span | null {
  for (let r = 0; r < headerRow; r++) {
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
    return only;
  }
  return null;
}

const TRAILING = /[。;；,，:：、\s]+$/;

/** A cell's text without its leading item number and trailing punctuation. */
function cellTitle(src: Source, cell: Span): { text: string; code: string | null } {
  const m = markerAt(src, cell.start, cell.end);
  const from = m ? m.span.end : cell.start;
  return {
    text: orig(src, trimSpan(src, { start: from, end: cell.end })).replace(TRAILING, ""),
    code: m?.code ?? null,
  };
}

/** A row that holds only a heading (一、… alone across the row) is a section. */
function headingOnly(src: Source, cells: (Span | null)[]): Span | null {
  const filled = cells.filter((c): c is Span => c !== null && mir(src, c).trim() !== "");
  const distinct = new Set(filled.map((c) => mir(src, c).trim()));
  const only = filled[0];
  if (!only || distinct.size !== 1) return null;
  const m = markerAt(src, only.start, only.end);
  const text = mir(src, only);
  if (filled.length > 1) return only; // a merged row filled from its master cell
  return m && (m.style === "cnDun" || m.style === "cnParen") && text.length <= 60 && !/。./.test(text)
    ? only
    : null;
}

/**
 * Tasks from a grid (./flattened.ts for text, gridFromRows for spreadsheets). Left-out cells read
 * as merged cells do: the task and section columns from the row above; units and deadlines from
 * the row above within the same task, else from the first row below that has them.
 */
export function tasksFromGrid(src: Source, grid: Grid, year: number | null): TableParse {
  const { columns } = grid;
  const at = (col: Column) => columns.indexOf(col);
  const warnings: string[] = [];
  const tasks: ParsedTask[] = [];
  const sections: TableParse["sections"] = [];
  let section: { title: string; code: string } | null = null;

  // Rows with their cells; sections apart.
  type Row = { cells: (Span | null)[]; own: boolean[]; section: { title: string; code: string } | null };
  const rows: Row[] = [];
  for (const r of grid.rows) {
    const heading = r.section ?? headingOnly(src, r.cells);
    if (heading) {
      const t = cellTitle(src, heading);
      section = { title: t.text, code: t.code ?? "" };
      if (!sections.some((x) => x.title === section?.title)) sections.push({ ...section, span: heading });
      rows.push({ cells: [], own: [], section: null }); // a boundary: nothing is inherited across it
      continue;
    }
    const cells = r.cells.map((c) => (c && mir(src, c).trim() !== "" ? c : null));
    rows.push({ cells, own: r.filled.map((f, i) => f && cells[i] !== null), section });
  }
  // Merged cells: task and section columns from above.
  const titleCol = at("title");
  const sectionCol = at("section");
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] as Row;
    const prev = rows[i - 1] as Row;
    if (row.cells.length === 0 || prev.cells.length === 0) continue;
    for (const c of [titleCol, sectionCol]) {
      if (c >= 0 && row.cells[c] === null && !(grid.rows[i]?.filled[c] ?? true))
        row.cells[c] = prev.cells[c] ?? null;
    }
  }
  // A task group: rows under one merged task cell, or (when every row has a task cell of its own)
  // rows under one section.
  const mergedTitles =
    titleCol >= 0 && grid.rows.some((r, i) => rows[i]?.cells.length && !r.filled[titleCol]);
  const sameGroup = (a: Row, b: Row) => {
    if (mergedTitles) {
      const x = a.cells[titleCol] ?? null;
      const y = b.cells[titleCol] ?? null;
      return x !== null && y !== null && x.start === y.start;
    }
    return a.section === b.section;
  };
  // Units and deadlines: from above in the same task, else from below.
  for (const col of ["lead", "cooperating", "responsible", "deadline"] as Column[]) {
    const c = at(col);
    if (c < 0) continue;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      if (row.cells.length === 0 || row.cells[c] !== null || (grid.rows[i]?.filled[c] ?? true)) continue;
      const prev = rows[i - 1];
      if (prev && prev.cells.length > 0 && sameGroup(prev, row) && prev.cells[c]) {
        row.cells[c] = prev.cells[c] ?? null;
        continue;
      }
      for (let j = i + 1; j < rows.length; j++) {
        const next = rows[j] as Row;
        if (next.cells.length === 0 || !sameGroup(next, row)) break;
        if (next.cells[c]) {
          row.cells[c] = next.cells[c] ?? null;
          break;
        }
      }
    }
  }

  let lastCode = "";
  let repeat = 1;
  let auto = 0;
  for (const row of rows) {
    if (row.cells.length === 0) continue;
    const cell = (col: Column) => {
      const i = at(col);
      return i < 0 ? null : (row.cells[i] ?? null);
    };
    const titleCell = cell("title");
    const contentCell = cell("content");
    if (!titleCell && !contentCell) continue; // units or a date alone are no task
    const flags: TaskFlag[] = [];
    let rowSection = row.section;
    const secCell = cell("section");
    if (secCell) {
      const t = cellTitle(src, secCell);
      rowSection = { title: t.text, code: t.code ?? "" };
      if (!sections.some((s) => s.title === rowSection?.title))
        sections.push({ ...rowSection, span: secCell });
    }
    // The code: the 序号 cell, else the number its own text starts with, else generated. In
    // `4 | 12. | …` (a row number, then the plan's own item number in an unnamed column) the item
    // number is the task's code.
    const itemCell = columns.reduce<Span | null>((found, col, i) => {
      const c = row.cells[i];
      if (found || col !== null || !c) return found;
      return /^\(?\d{1,3}[).、.]?$/.test(mir(src, c).trim()) ? c : null;
    }, null);
    const codeCell = itemCell ?? cell("code");
    let code: string | null = codeCell
      ? orig(src, codeCell)
          .trim()
          .replace(/[、.．]$/, "")
      : null;
    const titleOwn = titleCol >= 0 && row.own[titleCol] === true;
    const numbered = (c: Span | null) => (c ? (markerAt(src, c.start, c.end)?.code ?? null) : null);
    code ??= numbered(contentCell) ?? (titleOwn ? numbered(titleCell) : null);
    if (code === null && lastCode !== "") {
      // A row of the task above (its merged cell): numbered after it, (一)-2.
      code = lastCode;
    } else if (code === null) {
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
    // Without a content column the task cell is the content, after its number.
    const ownText = (c: Span) => {
      const m = markerAt(src, c.start, c.end);
      return m ? trimSpan(src, { start: m.span.end, end: c.end }) : c;
    };
    const pieces = contentCell ? [contentCell] : titleCell ? [ownText(titleCell)] : [];
    const units: TaskDraft["units"] = [];
    const truncated: string[] = [];
    for (const role of ["lead", "cooperating", "responsible"] as const) {
      const c = cell(role);
      if (!c) continue;
      const list = unitCell(src, c, role);
      for (const u of list.units) units.push(u);
      for (const t of list.truncated) truncated.push(t);
    }
    const deadlineCell = cell("deadline");
    const spans = row.cells.filter((c): c is Span => c !== null);
    const rowSpan = {
      start: Math.min(...spans.map((c) => c.start)),
      end: Math.max(...spans.map((c) => c.end)),
    };
    const title = titleCell && contentCell ? cellTitle(src, titleCell) : null;
    tasks.push(
      buildTask(
        src,
        {
          code,
          codeSpan: codeCell,
          section: rowSection,
          titleSpan: null,
          titleText: title?.text ?? null,
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
  return { title: null, tasks, sections, warnings, span: { start: 0, end: 0 } };
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

/** `parseTaskTable` for a spreadsheet's rows (see ./index.ts). */
export function tableSource(rows: readonly (readonly string[])[]): { src: Source; cells: TableRows } {
  const text = tableToText(rows);
  return { src: { text, mirror: matchingMirror(text) }, cells: cellsOfTableText(rows) };
}
