/**
 * Saved web pages and PDFs, as plans are published: what the importer reads from them. The pages
 * are written here as a government site's CMS writes them (a layout table framing the document, a
 * data table of tasks, a declared GB2312 charset); the PDF is the corpus's, printed by LibreOffice.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parsePlanDocument } from "@gongkai/core";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/index.ts";

const corpus = (name: string) =>
  new Uint8Array(
    readFileSync(fileURLToPath(new URL(`../../../../corpus/documents/${name}`, import.meta.url))),
  );

describe("a saved web page", () => {
  const page = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县2024年政务公开工作要点</title><script>document.write("统计代码")</script><style>p{}</style></head>
<body><table class="layout"><tr><td class="nav">首页 &gt; 政务公开</td></tr>
<tr><td><h1>某县2024年政务公开工作要点</h1>
<p>一、推进决策公开</p><p>1.公开重大行政决策事项目录。3月31日前完成。(牵头单位:县政府办;配合单位:县司法局)</p>
<table><tr><th>序号</th><th>工作任务</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td>2</td><td>更新政府信息公开指南</td><td>县政府办<br>各乡镇</td><td>6月底前</td></tr></table>
</td></tr></table></body></html>`;

  it("is read in its declared charset, without scripts, with its data table as tab-separated rows", async () => {
    const doc = await readDocument(new Uint8Array(iconv.encode(page, "gbk")), "要点.html");
    expect(doc.kind).toBe("text");
    if (doc.kind !== "text") return;
    expect(doc.from).toBe("html");
    expect(doc.text).not.toContain("统计代码");
    expect(doc.text).toContain("首页 > 政务公开");
    expect(doc.text.split("\n")).toContain("2\t更新政府信息公开指南\t县政府办 各乡镇\t6月底前");
    const plan = parsePlanDocument(doc.text).plans[0];
    expect(plan?.title).toBe("某县2024年政务公开工作要点");
    expect(plan?.tasks.map((t) => [t.code, t.title, t.lead, t.responsible])).toEqual([
      ["1.", "公开重大行政决策事项目录", ["县政府办"], []],
      ["2", "更新政府信息公开指南", [], ["县政府办", "各乡镇"]],
    ]);
  });

  it("saved without an extension, is still read as a page", async () => {
    const doc = await readDocument(new TextEncoder().encode(page.replace("gb2312", "utf-8")), "要点");
    expect(doc.kind === "text" && doc.from).toBe("html");
  });
});

describe("a PDF with a text layer", () => {
  it("loses its running header and page numbers and joins lines broken by the page", async () => {
    const doc = await readDocument(corpus("703-xicheng-2017-yaodian-pdf.pdf"), "要点.pdf");
    expect(doc.kind).toBe("text");
    if (doc.kind !== "text") return;
    expect(doc.from).toBe("pdf");
    expect(doc.text).not.toContain("西城区人民政府办公室文件");
    expect(doc.text).not.toMatch(/^\s*[—-]\s*\d+\s*[—-]\s*$/m);
    // A paragraph of the source is one line again.
    const found = new TextDecoder().decode(corpus("603-xicheng-2017-yaodian-qiantou-fuze.txt"));
    const paragraph = found.split("\n").find((l) => l.startsWith("1.推进财政预决算信息公开")) as string;
    expect(doc.text.split("\n")).toContain(paragraph.trim());
  });

  it("refuses a scan with no text layer, saying so in Chinese", async () => {
    // A one-page PDF whose page draws nothing: what a scan's text layer holds.
    const pdf =
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF";
    await expect(readDocument(new TextEncoder().encode(pdf), "扫描件.pdf")).rejects.toThrow(/没有文字层/);
  });
});
