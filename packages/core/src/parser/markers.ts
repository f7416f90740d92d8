/**
 * Item numbers (编号) at the start of a paragraph: 一、 （一） 一是 1、 1. （1） ①.
 * Their nesting is not fixed: within a plan, a style's level is the order in which it first
 * appears (一、 before （一） before 1. in most plans; 1、 under 一、 in others).
 */
import { numeralValue } from "./numerals.ts";
import type { Source } from "./text.ts";
import type { Span } from "./types.ts";

export type MarkerStyle = "cnDun" | "cnParen" | "cnShi" | "arDun" | "arParen" | "circled";

export type Marker = {
  style: MarkerStyle;
  value: number;
  /** The marker as written, e.g. "（一）", "1、". */
  span: Span;
  /** The code reported for the task: the marker as written without a trailing 、. */
  code: string;
};

const CN = "[一二三四五六七八九十]{1,3}";
const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
const PATTERNS: [MarkerStyle, RegExp][] = [
  ["cnParen", new RegExp(`^\\(\\s?(${CN})\\s?\\)`)],
  ["arParen", /^\(\s?(\d{1,3})\s?\)/],
  ["cnDun", new RegExp(`^(${CN})\\s?[、.](?![\\d、.])`)],
  ["cnShi", new RegExp(`^(${CN})是(?=[\\u4e00-\\u9fff“"《(])`)],
  // 5.2020年8月底前…: an item number glued to the year that starts its text.
  ["arDun", /^(\d{1,3})\s?[、.](?:(?![\d、.%])|(?=(?:19|20)\d{2}年))/],
  ["circled", /^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])/],
];

/** The marker at `at` in the source, if any. */
const FIRST = new Set([..."(一二三四五六七八九十0123456789", ...CIRCLED]);

export function markerAt(src: Source, at: number, limit: number): Marker | null {
  if (at >= limit || !FIRST.has(src.mirror[at] as string)) return null;
  const head = src.mirror.slice(at, Math.min(limit, at + 12));
  for (const [style, re] of PATTERNS) {
    const m = re.exec(head);
    if (!m) continue;
    const digits = m[1] ?? "";
    const value = style === "circled" ? CIRCLED.indexOf(digits) + 1 : numeralValue(digits);
    if (value === null || value <= 0) continue;
    // 一、二级指标 / 1、2、3: a run of numbers is a list, not an item.
    const after = src.mirror.slice(at + m[0].length, at + m[0].length + 2);
    if ((style === "cnDun" || style === "arDun") && new RegExp(`^${CN}?[、]|^\\d[、]`).test(after)) continue;
    const span = { start: at, end: at + m[0].length };
    const written = src.text.slice(span.start, span.end).replace(/\s+/g, "");
    const code = written.replace(/、$/, "");
    return { style, value, span, code };
  }
  return null;
}
