/**
 * .docx → text with mammoth. The document goes through mammoth's HTML (not its raw text) so that
 * tables keep their shape: each table row becomes one line of tab-separated cells, which the
 * parser reads as a task table; an empty cell stays an empty cell.
 */
import mammoth from "mammoth";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith("#x") || e.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** mammoth's HTML (paragraphs, headings, lists, tables) → text lines. */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = "";
  let cell: string[] | null = null;
  let row: string[] | null = null;
  let depth = 0;
  const flush = () => {
    if (cell) return;
    if (line.trim() !== "") lines.push(line.trim());
    line = "";
  };
  for (const m of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>|([^<]+)/gi)) {
    const [, close, tagRaw, text] = m;
    if (text !== undefined) {
      const t = decodeEntities(text).replace(/[\t\r\n]+/g, " ");
      if (cell) cell.push(t);
      else line += t;
      continue;
    }
    const tag = (tagRaw ?? "").toLowerCase();
    if (tag === "table") {
      if (close) depth = Math.max(0, depth - 1);
      else {
        flush();
        depth++;
      }
      continue;
    }
    if (depth > 1) continue; // a table inside a cell: its text joins the cell
    if (tag === "tr") {
      if (!close) row = [];
      else if (row) {
        if (row.some((c) => c.trim() !== "")) lines.push(row.join("\t"));
        row = null;
      }
    } else if (tag === "td" || tag === "th") {
      if (!close) cell = [];
      else if (cell) {
        row?.push(cell.join("").trim());
        cell = null;
      }
    } else if (tag === "br") {
      if (!cell) flush();
    } else if (/^(p|h[1-6]|li|div)$/.test(tag) && close) {
      if (!cell) flush();
    }
  }
  flush();
  return lines.join("\n");
}

export async function docxToText(bytes: Uint8Array): Promise<string> {
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
  );
  return htmlToText(result.value);
}
