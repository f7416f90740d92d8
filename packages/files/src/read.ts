/**
 * readDocument: an uploaded file → text (a plan) or rows (a task table or unit directory).
 * .txt (UTF-8, UTF-8/16 BOM, GBK/GB18030, Big5), a saved web page (.html/.htm, in its declared
 * charset), .pdf with a text layer, .docx, .xlsx, .csv. Anything else, an empty, binary, corrupt
 * or over-size (> 10 MB) file is refused with a DomainError("INVALID_INPUT") whose message says
 * what is wrong and what to do (English in details.en); a .docx or .xlsx that would unpack past
 * the limits of ./zip.ts with DomainError("PAYLOAD_TOO_LARGE"), before any library unpacks it.
 *
 * This runs the libraries in the calling thread: a server reads uploads through ./isolated.ts,
 * which runs this in a worker thread with a memory cap and a time limit.
 */
import { DomainError, tableToText } from "@gongkai/core";
import { docxToText } from "./docx.ts";
import { unreadable } from "./errors.ts";
import { declaredCharset, htmlToText, looksLikeHtml } from "./html.ts";
import { MAX_PDF_PAGES, PdfUnreadable, pdfToText } from "./pdf.ts";
import { binaryShare, decodeAs, decodeText, parseCsv } from "./text.ts";
import { SheetTooLarge, xlsxToRows } from "./xlsx.ts";
import { inspectZip, type ZipProblem } from "./zip.ts";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ReadDocument =
  | {
      kind: "text";
      text: string;
      /** What the text was read from, when it was not plain text: the preview says so. */
      from?: "html" | "pdf" | "docx";
      encoding?: string;
    }
  | { kind: "table"; rows: string[][]; text: string };

type Kind = "txt" | "docx" | "xlsx" | "csv" | "html" | "pdf";

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const PDF = [0x25, 0x50, 0x44, 0x46];

function kindOf(bytes: Uint8Array, fileName: string): Kind | "doc" | "unknown" {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase() ?? "";
  if (ext === "docx" || ext === "xlsx" || ext === "csv") return ext;
  if (ext === "htm" || ext === "html" || ext === "shtml" || ext === "xhtml" || ext === "mht") return "html";
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
  return ext === "" ? "txt" : "unknown";
}

function textOf(bytes: Uint8Array, fileName: string): string {
  return decodedOf(bytes, fileName).text;
}

function decodedOf(bytes: Uint8Array, fileName: string): { text: string; encoding: string } {
  const { text, encoding } = decodeText(bytes);
  if (binaryShare(text) > 0.01) {
    throw unreadable(
      `“${fileName}”不是文本文件(含有二进制内容),请上传 .txt、.docx 或 .xlsx 文件,或直接粘贴文字。`,
      `"${fileName}" is not a text file (it holds binary data): upload a .txt, .docx or .xlsx file, or paste the text.`,
      fileName,
    );
  }
  return { text: text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n"), encoding };
}

/** A saved web page: bytes in the charset it declares (else detected) → its text lines. */
function htmlOf(bytes: Uint8Array, fileName: string): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  const charset = bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe ? null : declaredCharset(head);
  const decoded = (charset ? decodeAs(bytes, charset) : null) ?? decodedOf(bytes, fileName);
  return htmlToText(decoded.text.replace(/^\ufeff/, ""));
}

const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(0)} MB` : `${Math.ceil(n / 1024)} KB`;

/** A .docx / .xlsx refused by ./zip.ts before unpacking. */
function zipRefusal(problem: ZipProblem, fileName: string, what: "docx" | "xlsx"): DomainError {
  const save = what === "docx" ? "Word 或 WPS" : "Excel 或 WPS";
  switch (problem.kind) {
    case "damaged":
      return unreadable(
        `“${fileName}”已损坏或不是有效的 .${what} 文件,请用 ${save} 打开后另存为 .${what} 再上传。`,
        `"${fileName}" is damaged or not a valid .${what} file: open it in ${save.replace("或", "or")}, save it as .${what} and upload again.`,
        fileName,
      );
    case "tooManyEntries":
      return tooLarge(
        `“${fileName}”内含 ${problem.entries} 个部件,远超正常文档,请另存为新文件或只粘贴正文后再导入。`,
        `"${fileName}" holds ${problem.entries} parts, far more than a document has: save it as a new file or paste the text.`,
        fileName,
      );
    case "tooLarge":
      return tooLarge(
        `“${fileName}”解压后超过 ${sizeText(problem.unpacked)},远超正常文档(可能是压缩炸弹),未予读取;请另存为新文件或只粘贴正文后再导入。`,
        `"${fileName}" unpacks to more than ${sizeText(problem.unpacked)}, far more than a document (possibly a zip bomb); it was not read. Save it as a new file or paste the text.`,
        fileName,
      );
    case "sheetTooLarge":
      return tooLarge(
        `“${fileName}”的工作表“${problem.sheet}”范围达 ${problem.rows} 行 × ${problem.columns} 列(${problem.cells} 个单元格),超出可导入的范围;请删去空白行列或多余内容,只保留任务表后再导入。`,
        `Sheet "${problem.sheet}" of "${fileName}" spans ${problem.rows} rows × ${problem.columns} columns (${problem.cells} cells), more than can be imported: delete empty rows and columns or other content and keep the task table.`,
        fileName,
      );
  }
}

function tooLarge(zh: string, en: string, fileName: string): DomainError {
  return new DomainError("PAYLOAD_TOO_LARGE", zh, { field: "file", details: { en, fileName } });
}

function checkZip(bytes: Uint8Array, fileName: string, what: "docx" | "xlsx") {
  const r = inspectZip(bytes);
  if (!r.ok) throw zipRefusal(r.problem, fileName, what);
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
    case "pdf": {
      let text: string;
      try {
        text = await pdfToText(bytes);
      } catch (e) {
        if (!(e instanceof PdfUnreadable)) throw e;
        if (e.reason === "encrypted") {
          throw unreadable(
            `“${fileName}”设置了打开密码,无法读取,请去掉密码后再上传,或上传 .docx 文件。`,
            `"${fileName}" is password-protected: remove the password, or upload a .docx file.`,
            fileName,
          );
        }
        if (e.reason === "tooManyPages") {
          throw tooLarge(
            `“${fileName}”超过 ${MAX_PDF_PAGES} 页,请只上传工作要点部分。`,
            `"${fileName}" has more than ${MAX_PDF_PAGES} pages: upload the plan's pages only.`,
            fileName,
          );
        }
        throw unreadable(
          `“${fileName}”已损坏或不是有效的 PDF 文件,请重新导出 PDF,或上传 .docx、.txt 文件。`,
          `"${fileName}" is damaged or not a valid PDF: export it again, or upload a .docx or .txt file.`,
          fileName,
        );
      }
      if (text.trim() === "") {
        throw unreadable(
          `“${fileName}”没有文字层(可能是扫描件或图片),无法识别文字;请上传 Word 版本,或复制文字粘贴进来。`,
          `"${fileName}" has no text layer (a scan or images): upload the Word version, or paste the text.`,
          fileName,
        );
      }
      return { kind: "text", text, from: "pdf" };
    }
    case "html": {
      const text = htmlOf(bytes, fileName);
      if (text.trim() === "") throw empty(fileName);
      return { kind: "text", text, from: "html" };
    }
    case "unknown":
      throw unreadable(
        `无法识别“${fileName}”的格式,请上传 .docx、.pdf、.txt、网页(.html)、.xlsx 或 .csv 文件。`,
        `The format of "${fileName}" is not recognised: upload a .docx, .pdf, .txt, web page (.html), .xlsx or .csv file.`,
        fileName,
      );
    case "docx": {
      checkZip(bytes, fileName, "docx");
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
      return { kind: "text", text, from: "docx" };
    }
    case "xlsx": {
      checkZip(bytes, fileName, "xlsx");
      let rows: string[][];
      try {
        rows = await xlsxToRows(bytes);
      } catch (e) {
        if (e instanceof SheetTooLarge) {
          throw zipRefusal(
            {
              kind: "sheetTooLarge",
              sheet: e.sheet,
              rows: e.rows,
              columns: e.columns,
              cells: e.rows * e.columns,
            },
            fileName,
            "xlsx",
          );
        }
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
      const { text, encoding } = decodedOf(bytes, fileName);
      if (text.trim() === "") throw empty(fileName);
      // A page saved as .txt or without an extension is still a page.
      if (looksLikeHtml(text)) {
        const page = htmlToText(text);
        if (page.trim() === "") throw empty(fileName);
        return { kind: "text", text: page, from: "html" };
      }
      return { kind: "text", text, encoding };
    }
  }
}
