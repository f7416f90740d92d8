/**
 * Format variants of corpus documents, for the formats offices receive plans in: the same found
 * text saved as Big5, as GBK behind a UTF-8 byte-order mark, as a saved web page (its table in
 * <table> markup), and as a PDF with a text layer (made by LibreOffice from a .docx written with
 * the `docx` library, with a running header and page numbers). The text is the found text; only
 * the container is made here, so each variant's expectation is its source's.
 *
 * Run from the repo root: `pnpm exec tsx corpus/tools/make-formats.ts` (needs `soffice`).
 * The files it writes are committed; CI does not run this.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AlignmentType, Document, Footer, Header, Packer, PageNumber, Paragraph, TextRun } from "docx";
import iconv from "iconv-lite";

const dir = fileURLToPath(new URL("../documents/", import.meta.url));
const read = (id: string) => readFileSync(join(dir, `${id}.txt`), "utf8");
const expected = (id: string) => JSON.parse(readFileSync(join(dir, `${id}.expected.json`), "utf8"));

function variant(
  id: string,
  from: string,
  ext: string,
  bytes: Uint8Array | string,
  layout: string,
  how: string,
) {
  writeFileSync(join(dir, `${id}.${ext}`), bytes);
  const e = expected(from);
  e.layouts = [...e.layouts, layout];
  e.format = { from, how };
  writeFileSync(join(dir, `${id}.expected.json`), `${JSON.stringify(e, null, 2)}\n`);
}

// Big5: a Traditional document as Taiwan, Hong Kong and Traditional mirrors save it.
{
  const from = "311-county-bureau-zwgk-yaodian-fenjie-fanti";
  const text = read(from);
  const bytes = iconv.encode(text, "big5");
  if (iconv.decode(bytes, "big5") !== text) throw new Error(`${from} has characters Big5 lacks`);
  variant(
    "700-county-bureau-yaodian-fenjie-big5",
    from,
    "txt",
    bytes,
    "big5",
    "the found text encoded as Big5",
  );
}

// GBK behind a UTF-8 byte-order mark: an editor that adds the mark without re-encoding.
{
  const from = "401-guangdong-weijian-2021-zwgk-taizhang";
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(read(from), "gbk")]);
  variant(
    "701-guangdong-weijian-2021-gbk-bom",
    from,
    "txt",
    bytes,
    "gbk-behind-bom",
    "the found text as GBK with a UTF-8 BOM before it",
  );
}

// A saved web page: the flattened table put back into <table> rows, as the page showed it.
{
  const from = "405-chizhou-xinfang-zwgk-renwu-qingdan";
  const cells = read(from)
    .split("\n")
    .filter((l) => l.trim() !== "|" && l.trim() !== "");
  const header = cells.slice(0, 4);
  const rows: string[][] = [];
  let row: string[] = [];
  for (const c of cells.slice(4)) {
    // A row ends with its 时限 cell; a row under a merged task cell starts at its 序号.
    row.push(c);
    if (/^(持续推进|年底前)$/.test(c)) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push(row);
  const td = (c: string) => `<td>${c.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</td>`;
  const html = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="gb2312"><title>池州市信访局政务公开重点任务清单</title>
<style>td{border:1px solid #999}</style><script>var _hmt=_hmt||[];</script></head>
<body><div class="nav">首页 &gt; 政务公开 &gt; 政策文件</div>
<table class="content"><tr><th>${header.join("</th><th>")}</th></tr>
${rows.map((r) => `<tr>${r.map(td).join("")}</tr>`).join("\n")}
</table><div class="footer">打印本页 关闭窗口</div></body></html>
`;
  variant(
    "702-chizhou-xinfang-renwu-qingdan-page",
    from,
    "html",
    iconv.encode(html, "gbk"),
    "saved-web-page",
    "the found cells in <table> markup of a page declaring charset gb2312, saved as GBK",
  );
}

// A PDF with a text layer: paragraphs wrapped by the page, a running header and page numbers.
{
  const from = "603-xicheng-2017-yaodian-qiantou-fuze";
  const paragraphs = read(from)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const doc = new Document({
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun("西城区人民政府办公室文件")],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun("— "),
                  new TextRun({ children: [PageNumber.CURRENT] }),
                  new TextRun(" —"),
                ],
              }),
            ],
          }),
        },
        children: paragraphs.map(
          (p) =>
            new Paragraph({ indent: { firstLine: 640 }, children: [new TextRun({ text: p, size: 32 })] }),
        ),
      },
    ],
  });
  const tmp = mkdtempSync(join(tmpdir(), "corpus-pdf-"));
  writeFileSync(join(tmp, "doc.docx"), await Packer.toBuffer(doc));
  execFileSync("soffice", ["--headless", "--convert-to", "pdf", "--outdir", tmp, join(tmp, "doc.docx")], {
    stdio: "ignore",
  });
  variant(
    "703-xicheng-2017-yaodian-pdf",
    from,
    "pdf",
    readFileSync(join(tmp, "doc.pdf")),
    "pdf",
    "the found paragraphs in a .docx (docx library) printed to PDF by LibreOffice, with a running header and page numbers",
  );
}
