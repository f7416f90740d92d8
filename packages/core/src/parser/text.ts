/** The source being parsed: the original text and its same-length matching mirror. */
import { matchingMirror } from "./normalize.ts";
import type { Span } from "./types.ts";

export type Source = { text: string; mirror: string };

export const source = (text: string): Source => ({ text, mirror: matchingMirror(text) });

export type Line = Span & { index: number };

/** Whitespace as JavaScript's \s knows it, without a regular expression per character. */
const isSpace = (c: string | undefined) => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code <= 127) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x3000 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0xfeff
  );
};

/** `span` without surrounding whitespace (judged on the mirror). */
export function trimSpan(src: Source, span: Span): Span {
  let { start, end } = span;
  while (start < end && isSpace(src.mirror[start])) start++;
  while (end > start && isSpace(src.mirror[end - 1])) end--;
  return { start, end };
}

/** Non-empty lines, trimmed. */
export function linesOf(src: Source): Line[] {
  const out: Line[] = [];
  const { mirror } = src;
  let from = 0;
  while (from <= mirror.length) {
    const nl = mirror.indexOf("\n", from);
    const to = nl < 0 ? mirror.length : nl;
    const span = trimSpan(src, { start: from, end: to });
    if (span.end > span.start) out.push({ ...span, index: out.length });
    from = to + 1;
  }
  return out;
}

export const orig = (src: Source, s: Span) => src.text.slice(s.start, s.end);
export const mir = (src: Source, s: Span) => src.mirror.slice(s.start, s.end);

/** Removes `cut` spans (sorted, inside `span`) from `span`: the pieces left, trimmed, non-empty. */
export function subtract(src: Source, span: Span, cut: Span[]): Span[] {
  const out: Span[] = [];
  let at = span.start;
  for (const c of [...cut].sort((a, b) => a.start - b.start)) {
    if (c.end <= at || c.start >= span.end) continue;
    if (c.start > at) out.push({ start: at, end: c.start });
    at = Math.max(at, c.end);
  }
  if (at < span.end) out.push({ start: at, end: span.end });
  return out.map((s) => trimSpan(src, s)).filter((s) => s.end > s.start);
}
