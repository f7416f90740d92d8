import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DomainError, parsePlanDocument, parseTaskTable, toParseOutput } from "@gongkai/core";
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from "docx";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { englishMessage, readDocument } from "../../src/index.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const seed = (name: string) => readFileSync(`${root}seeds/${name}.txt`, "utf8");
const bytesOf = (b: Buffer | Uint8Array) => new Uint8Array(b);

async function refused(bytes: Uint8Array, name: string): Promise<DomainError> {
  try {
    await readDocument(bytes, name);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`${name} was read`);
}

describe("plain text in the encodings offices use", () => {
  const text = seed("003_33391eb50aacad12");
  const simplified = seed("001_6b261e1ba6fd1902");
  const big5Text = text.replaceAll("説", "說").replaceAll("産", "產");
  it.each([
    ["UTF-8", Buffer.from(text, "utf8"), text, "utf-8"],
    [
      "UTF-8 with BOM",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
      text,
      "utf-8",
    ],
    [
      "UTF-16 LE with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
      text,
      "utf-16le",
    ],
    [
      "UTF-16 BE with BOM",
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, "utf-16be")]),
      text,
      "utf-16be",
    ],
    ["GBK", iconv.encode(simplified, "gbk"), simplified, "gb18030"],
    [
      "GB18030 (Traditional, and 䶮 outside GBK)",
      iconv.encode(`${text}䶮`, "gb18030"),
      `${text}䶮`,
      "gb18030",
    ],
    // Big5 has 說 and 產 but not the variants 説 and 産 that the seed uses.
    ["Big5 (Traditional, as Taiwan and Hong Kong save it)", iconv.encode(big5Text, "big5"), big5Text, "big5"],
    [
      "GBK behind a UTF-8 BOM (an editor added the BOM)",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(simplified, "gbk")]),
      simplified,
      "gb18030",
    ],
    [
      "GBK behind a UTF-16 LE BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(simplified, "gbk")]),
      simplified,
      "gb18030",
    ],
  ])("%s", async (_name, bytes, want, encoding) => {
    const doc = await readDocument(bytesOf(bytes), "要点.txt");
    expect(doc).toEqual({ kind: "text", text: want, encoding });
  });

  it("Windows line ends become \\n and the parse is the same", async () => {
    const crlf = iconv.encode(simplified.replace(/\n/g, "\r\n"), "gbk");
    const doc = await readDocument(bytesOf(crlf), "要点.txt");
    if (doc.kind !== "text") throw new Error("text expected");
    expect(toParseOutput(parsePlanDocument(doc.text))).toEqual(toParseOutput(parsePlanDocument(simplified)));
  });
});

describe("files that cannot be read are refused with a message saying what to do", () => {
  it.each([
    ["empty", new Uint8Array(), "a.txt", "是空的"],
    ["only whitespace", bytesOf(Buffer.from(" \n\t\n")), "a.txt", "是空的"],
    [
      "binary",
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
      "a.txt",
      "不是文本文件",
    ],
    ["corrupt .docx", new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 1, 2]), "a.docx", "已损坏"],
    ["corrupt .xlsx", bytesOf(Buffer.from("not a workbook")), "a.xlsx", "已损坏"],
    ["old .doc", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), "a.doc", "另存为 .docx"],
    ["PDF", bytesOf(Buffer.from("%PDF-1.7\n")), "a.pdf", "PDF"],
    ["over 10 MB", new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41), "a.txt", "超过 10 MB"],
  ])("%s", async (_what, bytes, name, zh) => {
    const e = await refused(bytes, name);
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain(zh);
    expect(e.message).toMatch(/请/);
    expect(englishMessage(e)).toMatch(/[a-z]/);
  });
});

describe(".docx", () => {
  it("keeps paragraphs, and table rows as tab-separated lines the parser reads as a task table", async () => {
    const cells = (xs: string[]) =>
      new TableRow({ children: xs.map((t) => new TableCell({ children: [new Paragraph(t)] })) });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph("某县2024年政务公开工作要点任务分工"),
            new Table({
              rows: [
                cells(["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]),
                cells(["1", "公开决策事项目录。", "县政府办", "", "3月31日前"]),
                cells(["2", "做好政策解读。", "县司法局", "县融媒体中心、县政府办", "持续推进"]),
              ],
            }),
          ],
        },
      ],
    });
    const read = await readDocument(bytesOf(await Packer.toBuffer(doc)), "分工.docx");
    expect(read.kind).toBe("text");
    if (read.kind !== "text") return;
    expect(read.text.split("\n")[2]).toBe("1\t公开决策事项目录。\t县政府办\t\t3月31日前");
    const tasks = parsePlanDocument(read.text).plans[0]?.tasks ?? [];
    expect(tasks.map((t) => [t.code, t.title, t.lead, t.cooperating, t.deadlines.map((d) => d.due)])).toEqual(
      [
        ["1", "公开决策事项目录", ["县政府办"], [], ["2024-03-31"]],
        ["2", "做好政策解读", ["县司法局"], ["县融媒体中心", "县政府办"], [null]],
      ],
    );
  });
});

describe(".xlsx and .csv", () => {
  it("fills merged cells from their master cell and finds the header below the title", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("说明").getCell("A1").value = "填表说明";
    const ws = wb.addWorksheet("分工");
    ws.mergeCells("A1:E1");
    ws.getCell("A1").value = "某区2023年政务公开工作任务分工";
    ws.getRow(2).values = ["牵头单位", "序号", "重点任务", "具体内容", "完成时间"];
    ws.mergeCells("A3:E3");
    ws.getCell("A3").value = "一、决策公开";
    ws.getRow(4).values = ["区司法局", "1", "决策预公开", "公开决策草案。", new Date(Date.UTC(2023, 5, 30))];
    ws.getRow(5).values = ["", "2", "", "公开意见采纳情况。", "每季度"];
    ws.mergeCells("A4:A5");
    ws.mergeCells("C4:C5");
    const read = await readDocument(
      new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer),
      "分工.xlsx",
    );
    if (read.kind !== "table") throw new Error("table expected");
    expect(read.rows[2]).toEqual(Array(5).fill("一、决策公开"));
    expect(read.rows[4]).toEqual(["区司法局", "2", "决策预公开", "公开意见采纳情况。", "每季度"]);
    const plan = parseTaskTable(read.rows).plans[0];
    expect(plan?.title).toBe("某区2023年政务公开工作任务分工");
    expect(
      plan?.tasks.map((t) => [
        t.code,
        t.section,
        t.title,
        t.lead,
        t.deadlines[0]?.due ?? t.deadlines[0]?.rule.kind,
      ]),
    ).toEqual([
      ["1", "决策公开", "决策预公开", ["区司法局"], "2023-06-30"],
      ["2", "决策公开", "决策预公开", ["区司法局"], "recurring"],
    ]);
  });

  it("reads CSV with quotes, commas and line breaks inside cells, in GBK too", async () => {
    const csv =
      '序号,工作任务,责任单位,完成时限\r\n1,"公开目录，并""动态""更新。",县政府办,6月底前\r\n2,"第一行\n第二行",各乡镇,每月\r\n';
    for (const bytes of [Buffer.from(csv, "utf8"), iconv.encode(csv, "gbk")]) {
      const read = await readDocument(bytesOf(bytes), "分工.csv");
      if (read.kind !== "table") throw new Error("table expected");
      expect(read.rows).toEqual([
        ["序号", "工作任务", "责任单位", "完成时限"],
        ["1", '公开目录，并"动态"更新。', "县政府办", "6月底前"],
        ["2", "第一行\n第二行", "各乡镇", "每月"],
      ]);
    }
  });
});
