/**
 * PDF (with a text layer) → text lines, with pdfjs-dist (Mozilla's PDF.js, legacy build for Node).
 * Many plans are published only as PDF; what a person reads is rebuilt from positioned text:
 *
 * - Text items on one baseline form a line, left to right. A gap wider than two characters
 *   between items is a cell boundary (a tab), as in a task table; a narrower gap between Latin
 *   letters or digits is a space; between Chinese characters nothing (PDF writers split runs at
 *   every font change: `2023` and `年` are separate items).
 * - Page furniture goes: a line repeated at the top or bottom of most pages (a 文件 header, a
 *   running title) and page numbers there (`— 3 —`, `- 3 -`, `3`, `第3页`, `3/12`).
 * - Hard line breaks inside a paragraph are joined: a line that runs to the right margin continues
 *   on the next line (a closing quote or bracket that may not start a line can leave up to two
 *   characters' room) unless that line is indented (Chinese paragraphs start two characters in),
 *   starts with an item number (一、 （一） 1. …), or is centred; across a page break likewise.
 * - A PDF without a text layer (a scan) gives no text: the caller says so.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

type Item = { str: string; x: number; y: number; w: number; size: number };
type PdfLine = { text: string; x: number; end: number; y: number; size: number };

export const MAX_PDF_PAGES = 500;

export class PdfUnreadable extends Error {
  constructor(readonly reason: "encrypted" | "damaged" | "tooManyPages") {
    super(`pdf ${reason}`);
  }
}

let pdfjs: Promise<typeof import("pdfjs-dist/legacy/build/pdf.mjs")> | null = null;
const root = () => dirname(createRequire(import.meta.url).resolve("pdfjs-dist/legacy/build/pdf.mjs"));

function load() {
  pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  return pdfjs;
}

const MARKER =
  /^(\(?[一二三四五六七八九十]{1,3}[)、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}[、.．](?!\d)|[①-⑳]|第[一二三四五六七八九十\d]+[条章节部分])/;
const PAGE_NUMBER =
  /^([-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})$/;
const isLatin = (c: string | undefined) => c !== undefined && /[A-Za-z0-9.,%]/.test(c);

function linesOfPage(items: Item[]): PdfLine[] {
  const sorted = items.filter((i) => i.str.trim() !== "" || i.w > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Item[][] = [];
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    const ref = row?.[0];
    if (row && ref && Math.abs(ref.y - it.y) <= Math.max(ref.size, it.size) * 0.35) row.push(it);
    else rows.push([it]);
  }
  const out: PdfLine[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let text = "";
    let end = -Infinity;
    const size = Math.max(...row.map((r) => r.size));
    for (const it of row) {
      // A narrow space item between Chinese and Latin text is a writer's spacing, not a space.
      if (it.str.trim() === "" && it.w < size * 0.5) continue;
      if (text !== "") {
        const gap = it.x - end;
        if (gap > size * 2) text += "\t";
        else if (gap > size * 0.2 && isLatin(text[text.length - 1]) && isLatin(it.str[0])) text += " ";
      }
      text += it.str;
      end = Math.max(end, it.x + it.w);
    }
    const t = text.replace(/[ \u3000]+$/g, "");
    if (t.trim() === "") continue;
    out.push({ text: t, x: (row[0] as Item).x, end, y: (row[0] as Item).y, size });
  }
  return out;
}

/** Page furniture: lines at the top or bottom of pages repeated on most pages, and page numbers. */
function dropFurniture(pages: PdfLine[][]): PdfLine[][] {
  const key = (l: PdfLine) => l.text.replace(/\d+/g, "#").replace(/\s+/g, "");
  const count = new Map<string, number>();
  for (const p of pages) {
    const edge = new Set([...p.slice(0, 2), ...p.slice(-2)].map(key));
    for (const k of edge) count.set(k, (count.get(k) ?? 0) + 1);
  }
  const repeated = (l: PdfLine) =>
    pages.length >= 2 && (count.get(key(l)) ?? 0) >= Math.max(2, pages.length * 0.5);
  return pages.map((p) =>
    p.filter((l, i) => {
      const atEdge = i < 2 || i >= p.length - 2;
      if (!atEdge) return true;
      return !PAGE_NUMBER.test(l.text.trim()) && !repeated(l);
    }),
  );
}

/** Lines → paragraphs (see the module comment). */
function paragraphs(pages: PdfLine[][]): string {
  const all = pages.flat();
  if (all.length === 0) return "";
  const size = median(all.map((l) => l.size));
  const left = percentile(
    all.map((l) => l.x),
    0.1,
  );
  const right = percentile(
    all.map((l) => l.end),
    0.9,
  );
  const out: string[] = [];
  let cur = "";
  let prev: PdfLine | null = null;
  for (const line of all) {
    const text = line.text.trim();
    const indented = line.x > left + size * 0.8;
    const continues =
      prev !== null &&
      !prev.text.includes("\t") &&
      !line.text.includes("\t") &&
      prev.end >= right - size * 3 &&
      prev.x <= left + size * 2.5 &&
      !indented &&
      !MARKER.test(text);
    if (continues) cur += text;
    else {
      if (cur !== "") out.push(cur);
      cur = line.text.includes("\t") ? line.text.trim() : text;
    }
    prev = line;
  }
  if (cur !== "") out.push(cur);
  return out.join("\n");
}

function median(xs: number[]): number {
  return percentile(xs, 0.5);
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(p * (s.length - 1))))] ?? 0;
}

export async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await load();
  const base = root();
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: `${join(base, "../../cmaps")}/`,
    cMapPacked: true,
    standardFontDataUrl: `${join(base, "../../standard_fonts")}/`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (e) {
    const name = (e as { name?: string }).name;
    throw new PdfUnreadable(name === "PasswordException" ? "encrypted" : "damaged");
  }
  try {
    if (doc.numPages > MAX_PDF_PAGES) throw new PdfUnreadable("tooManyPages");
    const pages: PdfLine[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!("str" in raw)) continue;
        const [a, b, c, d, e, f] = raw.transform as number[];
        const size = Math.hypot(c ?? 0, d ?? 0) || Math.hypot(a ?? 0, b ?? 0) || raw.height || 10;
        items.push({ str: raw.str, x: e ?? 0, y: f ?? 0, w: raw.width, size });
      }
      pages.push(linesOfPage(items));
      page.cleanup();
    }
    return paragraphs(dropFurniture(pages));
  } finally {
    await doc.destroy();
  }
}

/** For tests: where pdfjs-dist's data files are. */
export const pdfjsDataUrl = () => pathToFileURL(join(root(), "../..")).href;
