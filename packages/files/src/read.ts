/**
 * readDocument: an uploaded file → text (a plan) or rows (a task table or unit directory).
 * .txt (UTF-8, UTF-8/16 BOM, GBK/GB18030), .docx, .xlsx, .csv. Anything else, an empty, binary,
 * corrupt or over-size (> 10 MB) file is refused with a DomainError("INVALID_INPUT") whose message
 * says what is wrong and what to do (English in details.en).
 */
import { tableToText } from "@gongkai/core";
import { docxToText } from "./docx.ts";
import { unreadable } from "./errors.ts";
import { binaryShare, decodeText, parseCsv } from "./text.ts";
import { xlsxToRows } from "./xlsx.ts";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ReadDocument = { kind: "text"; text: string } | { kind: "table"; rows: string[][]; text: string };

type Kind = "txt" | "docx" | "xlsx" | "csv";

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const PDF = [0x25, 0x50, 0x44, 0x46];

function kindOf(bytes: Uint8Array, fileName: string): Kind | "doc" | "pdf" | "unknown" {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase() ?? "";
  if (ext === "docx" || ext === "xlsx" || ext === "csv") return ext;
  if (ext === "txt" || ext === "text" || ext === "md") return "txt";
  if (ext === "doc" || ext === "xls" || ext === "wps" || ext === "et") return "doc";
  if (ext === "pdf") return "pdf";
  // No or another extension: look at the bytes.
  if (startsWith(bytes, ZIP)) {
    const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
    if (head.includes("word/")) return "docx";
    if (head.includes("xl/")) return "xlsx";
    return "unknown";
  }
  if (startsWith(bytes, OLE)) return "doc";
  if (startsWith(bytes, PDF)) return "pdf";
  return ext === "" || ext === "htm" || ext === "html" ? "txt" : "unknown";
}

function textOf(bytes: Uint8Array, fileName: string): string {
  const { text } = decodeText(bytes);
  if (binaryShare(text) > 0.01) {
    throw unreadable(
      `“${fileName}”不是文本文件(含有二进制内容),请上传 .txt、.docx 或 .xlsx 文件,或直接粘贴文字。`,
      `"${fileName}" is not a text file (it holds binary data): upload a .txt, .docx or .xlsx file, or paste the text.`,
      fileName,
    );
  }
  return text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
}

const empty = (fileName: string) =>
  unreadable(
    `“${fileName}”是空的,没有可识别的文字,请检查文件后重新上传。`,
    `"${fileName}" is empty: there is no text to read. Check the file and upload it again.`,
    fileName,
  );

export async function readDocument(bytes: Uint8Array, fileName: string): Promise<ReadDocument> {
  if (bytes.length > MAX_FILE_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    throw unreadable(
      `“${fileName}”有 ${mb} MB,超过 10 MB 的上限,请删去图片和附件后再上传,或只粘贴正文。`,
      `"${fileName}" is ${mb} MB, over the 10 MB limit: remove images and attachments, or paste the text only.`,
      fileName,
    );
  }
  if (bytes.length === 0) throw empty(fileName);
  const kind = kindOf(bytes, fileName);
  switch (kind) {
    case "doc":
      throw unreadable(
        `“${fileName}”是旧版 Office 或 WPS 格式,暂不支持,请用 Word/Excel/WPS 另存为 .docx 或 .xlsx 后再上传。`,
        `"${fileName}" is an old Office or WPS format, which is not supported: save it as .docx or .xlsx and upload again.`,
        fileName,
      );
    case "pdf":
      throw unreadable(
        `“${fileName}”是 PDF 文件,暂不支持,请复制其中的文字粘贴进来,或上传 .docx、.txt 文件。`,
        `"${fileName}" is a PDF, which is not supported: paste its text, or upload a .docx or .txt file.`,
        fileName,
      );
    case "unknown":
      throw unreadable(
        `无法识别“${fileName}”的格式,请上传 .txt、.docx、.xlsx 或 .csv 文件。`,
        `The format of "${fileName}" is not recognised: upload a .txt, .docx, .xlsx or .csv file.`,
        fileName,
      );
    case "docx": {
      let text: string;
      try {
        text = await docxToText(bytes);
      } catch {
        throw unreadable(
          `“${fileName}”已损坏或不是有效的 .docx 文件,请用 Word 或 WPS 打开后另存为 .docx 再上传。`,
          `"${fileName}" is damaged or not a valid .docx file: open it in Word or WPS, save it as .docx and upload again.`,
          fileName,
        );
      }
      if (text.trim() === "") throw empty(fileName);
      return { kind: "text", text };
    }
    case "xlsx": {
      let rows: string[][];
      try {
        rows = await xlsxToRows(bytes);
      } catch {
        throw unreadable(
          `“${fileName}”已损坏或不是有效的 .xlsx 文件,请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。`,
          `"${fileName}" is damaged or not a valid .xlsx file: open it in Excel or WPS, save it as .xlsx and upload again.`,
          fileName,
        );
      }
      if (rows.length === 0) throw empty(fileName);
      return { kind: "table", rows, text: tableToText(rows) };
    }
    case "csv": {
      const rows = parseCsv(textOf(bytes, fileName)).filter((r) => r.some((c) => c !== ""));
      if (rows.length === 0) throw empty(fileName);
      return { kind: "table", rows, text: tableToText(rows) };
    }
    case "txt": {
      const text = textOf(bytes, fileName);
      if (text.trim() === "") throw empty(fileName);
      return { kind: "text", text };
    }
  }
}
