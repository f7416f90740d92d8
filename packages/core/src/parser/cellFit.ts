/**
 * What a table cell looks like, and how well it fits a column — the evidence ./flattened.ts uses
 * to find rows and columns in a table whose merged cells left no trace.
 *
 * - numeral: a bare item number (`3`, `12.`, `(4)`, `五`) — a 序号 cell;
 * - units: a list of organisation names (each part ends in 局, 办, 科, 中心, 政府, 街道…), with
 *   or without role words (牵头, 配合, 负责落实…);
 * - deadline: a short cell that names a date or period (`6月底前`, `长期推进`, `2020年10月底`);
 * - heading: an item number of a level above the table's items (`一、` over `1.` rows) on a
 *   short line: a section row;
 * - text: anything else; long text or text with a full stop reads as content, short as a title.
 * Scores are small integers on purpose: they only have to rank the placements of one row.
 */
import { findDeadlines, isOngoingWording } from "../deadlines/phrases.ts";
import { type MarkerStyle, markerAt } from "./markers.ts";
import type { Column } from "./table.ts";
import type { Source } from "./text.ts";
import type { Span } from "./types.ts";

export type CellInfo = {
  empty: boolean;
  length: number;
  numeral: boolean;
  units: boolean;
  deadline: boolean;
  marker: MarkerStyle | null;
  /** Score as a section row of its own (0: not a heading). */
  heading: number;
  sentence: boolean;
  /** Ends with a full stop. */
  fullStop: boolean;
};

export type FitColumn = { column: Column | null; hasCodes: boolean };

const NUMERAL = /^(\(?\d{1,3}[).、]?|[一二三四五六七八九十]{1,3}|\(?[一二三四五六七八九十]{1,3}\))$/;
const UNIT_SUFFIX =
  /(政府|办公室|办公厅|委员会|管委会|局|委|办|厅|中心|部门|单位|科|处|室|股|所|院|站|队|镇|乡|村|社区|居委会|区|县|市|州|盟|旗|省|街道|办事处|公司|银行|支行|分行|集团|协会|组|部|会|馆|台|网格\d*|各区|各县|区县|县市区|市区|功能区)$/;
const ROLE_WORDS =
  /(牵头负责|牵头落实|牵头|配合落实|配合|协办|主办|协助|参与|负责落实|分别负责|负责|按职责分工落实|按职责分工负责|按职责分工|按职责|分别|落实|承办|等)+$/;

/** Share of the list's parts that are organisation names (0..1), or 0 when it is no list. */
export function unitShare(m: string): number {
  if (m.length > 150 || /。./.test(m)) return 0;
  const parts = m
    .replace(/[。;:,]$/, "")
    .split(/[、,;/\s]+|(?:牵头|配合|负责落实|负责)[,;]?/)
    .map((p) =>
      p
        .replace(ROLE_WORDS, "")
        .replace(/\([^()]*\)$/, "")
        .trim(),
    )
    .filter((p) => p !== "");
  if (parts.length === 0) return 0;
  const named = parts.filter((p) => p.length <= 30 && UNIT_SUFFIX.test(p)).length;
  return named / parts.length;
}

export function cellInfo(src: Source, span: Span): CellInfo {
  const raw = src.mirror.slice(span.start, span.end);
  const m = raw.replace(/\s+/g, "");
  const marker = markerAt(src, span.start, span.end);
  const empty = m === "" || /^[-—–_/\\·.]+$|^无$/.test(m);
  const numeral = !empty && NUMERAL.test(m);
  // A deadline cell is mostly its phrases (a sentence that mentions 每季度 is content).
  const phrases = !empty && !numeral && m.length <= 60 ? findDeadlines(m) : [];
  const covered = phrases.reduce((n, f) => n + (f.end - f.start), 0);
  const deadline =
    !empty &&
    !numeral &&
    m.length <= 60 &&
    ((phrases.length > 0 && (covered >= m.length * 0.5 || m.length <= 12)) ||
      (m.length <= 12 && isOngoingWording(m)) ||
      /^(\d{4}年)?\d{1,2}月[^\d日]{0,12}([,;]|$)/.test(m) ||
      /^\d{4}[-./年]\d{1,2}([-./月](\d{1,2}日?)?)?(底|前|底前)?$/.test(m));
  return {
    empty,
    length: m.length,
    numeral,
    units: !empty && !numeral && !deadline && unitShare(m) >= 0.6,
    deadline,
    marker: marker?.style ?? null,
    heading: 0,
    sentence: /。./.test(m) || m.length > 60,
    fullStop: /。$/.test(m),
  };
}

/** Marks headings: cells numbered at a level above the table's items, on a short line. */
export function markHeadings(infos: CellInfo[]): void {
  const order: MarkerStyle[] = [];
  for (const i of infos) if (i.marker && !i.numeral && !order.includes(i.marker)) order.push(i.marker);
  if (order.length < 2) {
    // One style only: a 一、 line on its own is still a heading; a （一） line may be one.
    for (const i of infos) {
      if (i.sentence || i.length > 40 || i.fullStop) continue;
      if (i.marker === "cnDun") i.heading = 2;
      else if (i.marker === "cnParen") i.heading = 1.2;
    }
    return;
  }
  const deepest = order[order.length - 1] as MarkerStyle;
  const rank = (s: MarkerStyle) => order.indexOf(s);
  for (const i of infos) {
    if (!i.marker || i.numeral || i.sentence || i.length > 60) continue;
    if (rank(i.marker) < rank(deepest)) i.heading = 2.5;
  }
}

export function fitScore(c: CellInfo, col: FitColumn): number {
  if (c.empty) return 0.2;
  switch (col.column) {
    case "code":
      return c.numeral ? 3 : -5;
    case "section":
      if (c.numeral || c.units || c.deadline) return -3;
      if (c.heading > 0) return c.marker === "cnDun" ? 2 : 1;
      return c.sentence ? -1 : 0.5;
    case "title":
      if (c.numeral) return -4;
      if (c.units || c.deadline) return -2;
      // A （一） heading is a task cell when the table has a task column; a 一、 heading is not.
      if (c.heading > 0) return c.marker === "cnParen" ? 1.5 : -0.5;
      // Task cells are numbered 一、/（一） when numbered at all; 1. is the numbering of content.
      if (c.length > 80 || (c.length > 40 && c.fullStop)) return -0.5;
      return c.marker === "cnDun" || c.marker === "cnParen" ? 1.5 : 1;
    case "content":
      if (c.numeral) return -4;
      if (c.units || c.deadline) return -2;
      if (c.heading > 0) return -1;
      return c.length >= 15 || c.sentence || c.marker === "arDun" || c.marker === "arParen" ? 1.5 : 0.5;
    case "lead":
    case "cooperating":
    case "responsible":
      return c.units ? 2 : -3;
    case "deadline":
      return c.deadline ? 2.5 : -3;
    default:
      return c.numeral || c.units || c.deadline ? -1 : c.length > 40 ? -0.5 : 0;
  }
}

/** What a row pays for leaving a column out (a merged cell costs little; a missing 序号 much). */
export function omitCost(col: FitColumn): number {
  switch (col.column) {
    case "code":
      return col.hasCodes ? 2.5 : 0;
    case "content":
      return 0.8;
    case "title":
      return 0.3;
    case "lead":
    case "cooperating":
    case "responsible":
    case "deadline":
      return 0.3;
    default:
      return 0.05;
  }
}
