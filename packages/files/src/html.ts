/**
 * HTML → text lines with htmlparser2 (the forgiving parser behind cheerio): saved web pages
 * (.html/.htm, as plans are published) and mammoth's HTML of a .docx go the same way.
 *
 * - Block elements (p, div, h1–h6, li, tr, section…) and <br> end a line; scripts, styles, the
 *   <head>, comments and form controls give nothing.
 * - A table row becomes one line of tab-separated cells, which the parser reads as a task table
 *   (an empty cell stays an empty cell); paragraphs and <br> inside a cell become spaces (units
 *   written one per line in a cell). A layout row — the frame of older government sites, where a
 *   cell holds a table of its own or the whole document in one cell — is read as blocks instead.
 * - Whitespace runs collapse to one space, as a browser shows them; &nbsp; and entities decoded.
 */
import { parseDocument } from "htmlparser2";

type Doc = ReturnType<typeof parseDocument>;
type DomNode = Doc["children"][number];
type El = Extract<DomNode, { name: string; attribs: Record<string, string> }>;
type Txt = Extract<DomNode, { type: "text" }>;

const SKIP = new Set([
  "head",
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "svg",
  "canvas",
  "select",
  "option",
  "button",
  "input",
  "textarea",
]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "nav",
  "aside",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "pre",
  "center",
  "address",
  "figure",
  "figcaption",
  "form",
  "fieldset",
  "hr",
  "table",
  "tbody",
  "thead",
  "tfoot",
  "tr",
  "caption",
  "title",
  "body",
  "html",
]);

// Scripts and styles are elements too (type "script" / "style"); SKIP drops them by name.
const isElement = (n: DomNode): n is El => n.type === "tag" || n.type === "script" || n.type === "style";
const isText = (n: DomNode): n is Txt => n.type === "text";

/** Does this node hold a table of its own? */
function hasTable(n: DomNode): boolean {
  if (!isElement(n)) return false;
  return (n.children as DomNode[]).some((c) => isElement(c) && (c.name === "table" || hasTable(c)));
}

/**
 * A layout row (the page's frame, not a row of data): a cell holds a table of its own, or the row
 * has a single filled cell holding a long text in several blocks (the document in one cell).
 */
function isLayoutRow(cells: El[]): boolean {
  if (cells.some(hasTable)) return true;
  const filled = cells.filter((c) => collapse(inlineText(c)).trim() !== "");
  if (filled.length !== 1) return false;
  const only = filled[0] as El;
  const blocks = (only.children as DomNode[]).filter((c) => isElement(c) && BLOCK.has(c.name)).length;
  return blocks >= 3 || collapse(inlineText(only)).length > 300;
}

const collapse = (s: string) => s.replace(/[ \t\r\n\f]+/g, " ");

/** The text of a node as one line (cells of a data row): <br> and block boundaries are spaces. */
function inlineText(n: DomNode): string {
  if (isText(n)) return n.data;
  if (!isElement(n) || SKIP.has(n.name)) return "";
  if (n.name === "br") return " ";
  const inner = (n.children as DomNode[]).map(inlineText).join("");
  return BLOCK.has(n.name) ? ` ${inner} ` : inner;
}

function rowsOf(table: El): El[] {
  const out: El[] = [];
  const visit = (n: DomNode) => {
    if (!isElement(n)) return;
    if (n.name === "tr") out.push(n);
    else if (n.name !== "table") for (const c of n.children as DomNode[]) visit(c);
  };
  for (const c of table.children as DomNode[]) visit(c);
  return out;
}

export function htmlToText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  const lines: string[] = [];
  let line = "";
  const flush = () => {
    const t = collapse(line).trim();
    if (t !== "") lines.push(t);
    line = "";
  };
  const walk = (n: DomNode) => {
    if (isText(n)) {
      line += n.data;
      return;
    }
    if (!isElement(n) || SKIP.has(n.name)) return;
    if (n.name === "br") {
      flush();
      return;
    }
    if (n.name === "table") {
      flush();
      for (const tr of rowsOf(n)) {
        const cells = (tr.children as DomNode[]).filter(
          (c): c is El => isElement(c) && (c.name === "td" || c.name === "th"),
        );
        if (isLayoutRow(cells)) {
          // A layout row: its cells are blocks of text.
          for (const c of cells) {
            for (const k of c.children as DomNode[]) walk(k);
            flush();
          }
          continue;
        }
        const texts = cells.map((c) => collapse(inlineText(c)).trim());
        if (texts.some((t) => t !== "")) lines.push(texts.map((t) => t.replace(/\t/g, " ")).join("\t"));
      }
      return;
    }
    const block = BLOCK.has(n.name);
    if (block) flush();
    for (const c of n.children as DomNode[]) walk(c);
    if (block) flush();
  };
  for (const c of doc.children as DomNode[]) walk(c);
  flush();
  return lines.join("\n");
}

/** The charset an HTML page declares in its first bytes (<meta charset> or http-equiv), if any. */
export function declaredCharset(head: string): string | null {
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i.exec(head);
  return m ? (m[1] as string).toLowerCase() : null;
}

/** Does this text look like an HTML page (rather than text that mentions a tag)? */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") || /<(html|head|body)[\s>]/.test(head);
}
