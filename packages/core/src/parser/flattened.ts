/**
 * Task tables as web pages and copy-paste leave them in text: a header of column names, then the
 * cells, in one of these forms —
 * - rows:            `序号 | 工作任务 | 责任单位 |` one row a line (`|` or tab between cells);
 * - pipe cells:      one cell a line with lines holding only `|` between cells (`|` `|` back to back
 *                    between rows, when the page wrote them), or one cell a line ending in ` |`;
 * - bare cells:      one cell a line with nothing between them, under a header of names on
 *                    consecutive lines.
 * Merged cells (rowspan) leave no trace in the text: a row simply has fewer cells, and a page that
 * keeps no row boundaries leaves one run of cells. So rows are found, and cells placed in
 * columns, by what each cell looks like (./cellFit.ts): a short numeral is a 序号, a unit list a
 * unit, a date a 时限, a heading a heading. A dynamic programme cuts the run of cells into rows
 * and places each row's cells in header order, maximising the fit, with a cost for every new row
 * and for every column a row leaves out. A row's left-out columns are then filled the way merged
 * cells read: the task and section columns from the row above; units and deadlines from the row
 * above within the same task, else from the first row below that has them (a merged unit cell
 * printed after the rows it covers).
 *
 * A header that names no 序号 column while most cells runs are numbered gets one, placed where
 * the fit is best (a page whose header lost the merged 序号 caption).
 */
import { type CellInfo, cellInfo, type FitColumn, fitScore, markHeadings, omitCost } from "./cellFit.ts";
import { markerAt } from "./markers.ts";
import { type Column, headerColumn } from "./table.ts";
import type { Line, Source } from "./text.ts";
import { mir, trimSpan } from "./text.ts";
import type { Span } from "./types.ts";

export type Grid = {
  /** Column of each position; null for columns the parser does not use (备注…). */
  columns: (Column | null)[];
  /** Rows of cells placed in their columns (null: none); a section row has only `section`. */
  rows: { cells: (Span | null)[]; section: Span | null; filled: boolean[] }[];
  /** Lines the table takes, from its header. */
  lines: number;
};

type Token = { span: Span; info: CellInfo } | "break";

const PIPE_ONLY = /^[|\s]+$/;

/** The header at `from`: column names in one line (| or tab) or on consecutive lines. */
type HeaderForm = {
  kind: "row" | "pipeCells" | "bareCells";
  columns: (Column | null)[];
  next: number;
  rowBreaks: boolean;
};

function splitRow(src: Source, line: Line): Span[] {
  const m = mir(src, line);
  const sep = m.includes("|") ? "|" : m.includes("\t") ? "\t" : null;
  if (!sep) return [line];
  const cells: Span[] = [];
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
  return cells;
}

const cellText = (src: Source, s: Span) => mir(src, s).replace(/\s+/g, "");

/** Known columns among header names: at least two, one of them a task or content column. */
function usable(cols: (Column | null)[]): boolean {
  const known = cols.filter((c) => c !== null);
  return (
    known.length >= 2 &&
    (known.includes("title") || known.includes("content")) &&
    known.length >= cols.length / 2
  );
}

/**
 * Two or three text columns (工作要求 | 一级要点 | 二级要点) read broad to narrow: section, title,
 * content, left to right.
 */
function rankTextColumns(cols: (Column | null)[]): (Column | null)[] {
  const text = cols
    .map((c, i) => (c === "section" || c === "title" || c === "content" ? i : -1))
    .filter((i) => i >= 0);
  const kinds = text.map((i) => cols[i]);
  if (new Set(kinds).size === kinds.length) return cols;
  const order: Column[] = text.length >= 3 ? ["section", "title", "content"] : ["title", "content"];
  const out = [...cols];
  text.forEach((i, k) => {
    out[i] = order[Math.min(k, order.length - 1)] ?? "content";
  });
  return out;
}

function headerAt(src: Source, lines: Line[], from: number): HeaderForm | null {
  const line = lines[from];
  if (!line) return null;
  const m = mir(src, line);
  // One line of names separated by | or tabs.
  if (/[|\t]/.test(m) && !PIPE_ONLY.test(m)) {
    const cells = splitRow(src, line);
    while (cells.length > 1 && cellText(src, cells[cells.length - 1] as Span) === "") cells.pop();
    if (cells.length >= 2) {
      const cols = cells.map((c) => headerColumn(cellText(src, c)));
      if (usable(cols)) {
        // Cells a line ending in |: "序号 |" alone on its line is the first of a header down the lines.
        if (cells.length === 1) return null;
        return { kind: "row", columns: rankTextColumns(cols), next: from + 1, rowBreaks: true };
      }
    }
  }
  // Names down the lines: "名 |", "|" separators, or bare.
  const cols: (Column | null)[] = [];
  let i = from;
  let pipes = 0;
  const leadingPipe = PIPE_ONLY.test(m);
  if (leadingPipe) i++;
  while (i < lines.length && cols.length < 12) {
    const l = lines[i] as Line;
    const t = mir(src, l);
    if (PIPE_ONLY.test(t)) {
      pipes++;
      i++;
      continue;
    }
    const name = t.replace(/\|\s*$/, "").replace(/^\s*\|/, "");
    if (/\|/.test(t) && !/\|\s*$/.test(t)) break;
    const col = headerColumn(name.replace(/\s+/g, ""));
    if (!col || cols.includes(col)) break;
    if (/\|\s*$/.test(t)) pipes++;
    cols.push(col);
    i++;
  }
  if (cols.length < 3 || !(cols.includes("title") || cols.includes("content"))) return null;
  return {
    kind: pipes > 0 ? "pipeCells" : "bareCells",
    columns: rankTextColumns(cols),
    next: i,
    rowBreaks: leadingPipe,
  };
}

/** Cells after the header, with row breaks where the text shows them; stops where the table ends. */
function tokens(src: Source, lines: Line[], form: HeaderForm): { tokens: Token[]; end: number } {
  const out: Token[] = [];
  const push = (s: Span) => {
    const t = trimSpan(src, s);
    out.push({ span: t, info: cellInfo(src, t) });
  };
  let i = form.next;
  if (form.kind === "row") {
    for (; i < lines.length; i++) {
      const line = lines[i] as Line;
      const m = mir(src, line);
      if (PIPE_ONLY.test(m)) {
        out.push("break");
        continue;
      }
      if (!/[|\t]/.test(m)) {
        // A heading line between rows (一、…) belongs to the table; anything else ends it.
        const mk = markerAt(src, line.start, line.end);
        if (
          mk &&
          line.end - line.start <= 40 &&
          !m.includes("。") &&
          lines[i + 1] &&
          /[|\t]/.test(mir(src, lines[i + 1] as Line))
        ) {
          push(line);
          out.push("break");
          continue;
        }
        break;
      }
      const cells = splitRow(src, line);
      // A markdown rule |---|---| between header and rows.
      if (cells.every((c) => /^[-:—=_\s]*$/.test(mir(src, c)))) continue;
      // Empty cells at a row's end carry nothing (and a short row has merged cells elsewhere).
      while (
        cells.length > 1 &&
        (cells[cells.length - 1] as Span).start === (cells[cells.length - 1] as Span).end
      )
        cells.pop();
      for (const c of cells) push(c);
      out.push("break");
    }
    return { tokens: out, end: i };
  }
  let lastPipe = false;
  let bare = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as Line;
    const m = mir(src, line);
    if (PIPE_ONLY.test(m)) {
      const count = (m.match(/\|/g) ?? []).length;
      // | | back to back (or a line of two bars) is a row boundary when rows are delimited.
      if (form.rowBreaks && (lastPipe || count >= 2)) out.push("break");
      lastPipe = true;
      continue;
    }
    if (form.kind === "pipeCells") {
      // Cells end in | ("名 |", "名 | ||") or stand between | lines.
      if (!lastPipe && !/\|\s*$/.test(m)) {
        bare++;
        if (bare > 1) break;
      } else bare = 0;
      // "名 | ||": the cell; the bars after it are the row's empty cells, which say nothing.
      const cells = (/\|/.test(m) ? splitRow(src, line) : [line]).filter((c) => c.end > c.start);
      for (const c of cells) push(c);
    } else {
      if (/\|/.test(m) || looksLikeProse(src, line)) break;
      push(line);
    }
    lastPipe = false;
  }
  return { tokens: out, end: i };
}

/** A line that is a paragraph of a document rather than a table cell. */
function looksLikeProse(src: Source, line: Line): boolean {
  const m = mir(src, line);
  return m.length > 400 || /^(附件|抄送|印发|\(此件)/.test(m);
}

type Placed = { token: number; column: number };

/**
 * The best segmentation of `toks` into rows placed in `cols` (see the module comment). Returns the
 * rows as lists of (token, column) pairs; section rows use column -1.
 */
function segment(toks: Token[], cols: FitColumn[]): { rows: Placed[][]; score: number } {
  const cells = toks.filter((t): t is Exclude<Token, "break"> => t !== "break");
  const breakBefore = new Set<number>();
  let seen = 0;
  for (const t of toks) {
    if (t === "break") breakBefore.add(seen);
    else seen++;
  }
  const forced = toks.includes("break");
  const n = cells.length;
  const k = cols.length;
  const NEW_ROW = 1.0;
  const ANCHORLESS = 4;
  // State: (i cells done, j = column of the last cell in the open row, or k for "row closed"),
  // kept in flat arrays of (n + 1) × (k + 1): a megabyte of cells allocates three arrays, not
  // three per cell.
  const NEG = Number.NEGATIVE_INFINITY;
  const w = k + 1;
  const best = new Float64Array((n + 1) * w).fill(NEG);
  const from = new Int32Array((n + 1) * w).fill(-1);
  const anchor = new Uint8Array((n + 1) * w);
  const fits = new Float64Array(n * Math.max(k, 1));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++)
      fits[i * k + j] = fitScore((cells[i] as Exclude<Token, "break">).info, cols[j] as FitColumn);
  const anchorCol = new Uint8Array(k);
  for (let j = 0; j < k; j++)
    anchorCol[j] = cols[j]?.column === "title" || cols[j]?.column === "content" ? 1 : 0;
  // Omission costs as prefix sums: omitRange(a, b) is the cost of leaving out columns a..b-1.
  const prefix = new Float64Array(k + 1);
  for (let j = 0; j < k; j++) prefix[j + 1] = (prefix[j] as number) + omitCost(cols[j] as FitColumn);
  const omitRange = (a: number, b: number) => (b > a ? (prefix[b] as number) - (prefix[a] as number) : 0);
  // Closing an open row whose last column is j and that has (or lacks) an anchor.
  const close = (j: number, hasAnchor: boolean) =>
    j === k ? 0 : omitRange(j + 1, k) + (hasAnchor ? 0 : ANCHORLESS);
  const relax = (at: number, s: number, f: number, an: number, strict: boolean) => {
    const cur = best[at] as number;
    if (strict ? s > cur : s >= cur) {
      best[at] = s;
      from[at] = f;
      anchor[at] = an;
    }
  };
  best[k] = 0;
  for (let i = 0; i < n; i++) {
    const cell = cells[i] as Exclude<Token, "break">;
    const mustBreak = forced ? breakBefore.has(i) || i === 0 : false;
    const row = i * w;
    const next = (i + 1) * w;
    const fit = i * k;
    for (let j = 0; j <= k; j++) {
      const base = best[row + j] as number;
      if (base === NEG) continue;
      const a = anchor[row + j] === 1;
      // Same row, a later column.
      if (j < k && !mustBreak) {
        for (let j2 = j + 1; j2 < k; j2++) {
          const s = base + (fits[fit + j2] as number) - omitRange(j + 1, j2);
          relax(next + j2, s, j, a || anchorCol[j2] === 1 ? 1 : 0, false);
        }
      }
      // A new row: anywhere when the text shows no rows; else only where it does.
      if (!forced || mustBreak || j === k) {
        const closed = base - close(j, a);
        for (let j2 = 0; j2 < k; j2++) {
          const s = closed - NEW_ROW - omitRange(0, j2) + (fits[fit + j2] as number);
          relax(next + j2, s, k + 1 + j, anchorCol[j2] as number, false);
        }
        // A section row of this cell alone.
        const h = cell.info.heading;
        if (h > 0 && (!forced || (mustBreak && (i + 1 === n || breakBefore.has(i + 1))))) {
          relax(next + k, closed - NEW_ROW + h, k + 1 + j, 1, true);
        }
      }
    }
  }
  // The end: close the open row.
  let endJ = k;
  let endScore = NEG;
  for (let j = 0; j <= k; j++) {
    const b = best[n * w + j] as number;
    if (b === NEG) continue;
    const s = b - close(j, anchor[n * w + j] === 1);
    if (s > endScore) {
      endScore = s;
      endJ = j;
    }
  }
  // Trace back.
  const placed: Placed[] = [];
  const starts = new Set<number>();
  let j = endJ;
  for (let i = n; i > 0; i--) {
    const f = from[i * w + j] as number;
    placed.push({ token: i - 1, column: j === k ? -1 : j });
    if (f > k) {
      starts.add(i - 1);
      j = f - k - 1;
    } else j = f;
  }
  placed.reverse();
  const rows: Placed[][] = [];
  for (const p of placed) {
    if (starts.has(p.token) || rows.length === 0) rows.push([]);
    (rows[rows.length - 1] as Placed[]).push(p);
  }
  return { rows, score: endScore };
}

/**
 * Column layouts to try: the header's; with a 序号 column where most cells runs are numbered but
 * the header names none (its caption lost with a merged header cell); with a task column in front
 * when rows are wider than the header (`一、… | 1 | … | …` under `具体要求 | 责任科室`).
 */
function layouts(toks: Token[], columns: (Column | null)[]): (Column | null)[][] {
  const cells = toks.filter((t): t is Exclude<Token, "break"> => t !== "break");
  const out: (Column | null)[][] = [columns];
  const bases: (Column | null)[][] = [columns];
  // Rows wider than the header (only a text with row breaks shows it): columns the header lost.
  let width = 0;
  let widest = 0;
  for (const t of toks) {
    if (t === "break") width = 0;
    else widest = Math.max(widest, ++width);
  }
  const wider = toks.includes("break") && widest > columns.length;
  if (wider && !columns.includes("title") && !columns.includes("section")) bases.push(["title", ...columns]);
  // A section column too only when a task column and a 序号 column would not fill the widest row.
  const need = columns.length + (columns.includes("title") ? 0 : 1) + (columns.includes("code") ? 0 : 1);
  if (wider && widest > need && !columns.includes("section")) {
    bases.push(["section", ...columns]);
    if (!columns.includes("title")) bases.push(["section", "title", ...columns]);
  }
  if (columns.includes("code")) return bases;
  const numerals = cells.filter((c) => c.info.numeral).length;
  const rows = Math.max(1, toks.filter((t) => t === "break").length);
  if (numerals < 2 || numerals < Math.min(rows, cells.length / (columns.length + 1)) * 0.5) return bases;
  for (const base of bases) {
    if (base !== columns) out.push(base);
    for (let p = 0; p <= base.length; p++) out.push([...base.slice(0, p), "code", ...base.slice(p)]);
  }
  // Where the text shows its rows, no layout is wider than its widest row.
  return wider ? out.filter((c) => c === columns || c.length <= widest) : out;
}

/** The first `n` cells of a run, ending at a row break when the text shows rows. */
function sampleOf(toks: Token[], n: number): Token[] {
  let cells = 0;
  for (let i = 0; i < toks.length; i++) {
    if (toks[i] !== "break") cells++;
    else if (cells >= n) return toks.slice(0, i + 1);
  }
  if (toks.includes("break") || cells <= n) return toks;
  return toks.filter((t) => t !== "break").slice(0, n);
}

/** A flattened task table whose header is at `from`, or null. */
export function flattenedTable(src: Source, lines: Line[], from: number): Grid | null {
  const form = headerAt(src, lines, from);
  if (!form) return null;
  const { tokens: toks, end } = tokens(src, lines, form);
  const cells = toks.filter((t): t is Exclude<Token, "break"> => t !== "break");
  if (cells.length === 0) return null;
  markHeadings(cells.map((c) => c.info));
  let bestRows: Placed[][] = [];
  let bestCols: (Column | null)[] = form.columns;
  let bestScore = Number.NEGATIVE_INFINITY;
  // The layout is chosen on the table's first cells (a few hundred say as much as thousands),
  // then the whole table is cut once in it: work stays linear in the table's size.
  const sample = sampleOf(toks, 240);
  const fitCols = (columns: (Column | null)[]) =>
    columns.map((c) => ({ column: c, hasCodes: columns.includes("code") }));
  for (const columns of layouts(toks, form.columns)) {
    const { score } = segment(sample, fitCols(columns));
    const s = score - 0.5 * (columns.length - form.columns.length);
    if (s > bestScore) {
      bestScore = s;
      bestCols = columns;
    }
  }
  if (bestScore !== Number.NEGATIVE_INFINITY) {
    const whole = segment(toks, fitCols(bestCols));
    bestRows = whole.rows;
    bestScore = whole.score;
  }
  if (bestScore === Number.NEGATIVE_INFINITY) return null;
  const width = bestCols.length;
  const out: Grid = { columns: bestCols, rows: [], lines: end - from };
  for (const r of bestRows) {
    const first = r[0] as Placed;
    if (r.length === 1 && first.column < 0) {
      out.rows.push({
        cells: new Array(width).fill(null),
        section: (cells[first.token] as { span: Span }).span,
        filled: new Array(width).fill(false),
      });
      continue;
    }
    const row: (Span | null)[] = new Array(width).fill(null);
    const filled: boolean[] = new Array(width).fill(false);
    for (const p of r) {
      row[p.column] = (cells[p.token] as { span: Span }).span;
      filled[p.column] = true;
    }
    out.rows.push({ cells: row, section: null, filled });
  }
  return out;
}
