import { directoryRowsFromTable, invalid } from "@gongkai/core";
import { readDocumentIsolated } from "@gongkai/files";

/** Bytes of a file sent inside a request as base64. */
export function decodeUpload(input: { contentBase64: string }): Uint8Array {
  const bytes = Buffer.from(input.contentBase64, "base64");
  if (bytes.length === 0) throw invalid("文件是空的,请选择有内容的文件。", "contentBase64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export const MAX_DIRECTORY_ROWS = 25_000;

/** A unit directory file (.xlsx or .csv) → rows to import. */
export async function readDirectoryFile(input: { fileName: string; contentBase64: string }) {
  const doc = await readDocumentIsolated(decodeUpload(input), input.fileName);
  if (doc.kind !== "table") {
    throw invalid("单位目录请使用 .xlsx 或 .csv 表格文件(第一行为表头,含「单位名称」列)。", "fileName");
  }
  // One import is one transaction: a directory of a whole province (20,000 units) fits; 100,000
  // rows held a transaction for minutes and ran PostgreSQL's lock table out.
  if (doc.rows.length > MAX_DIRECTORY_ROWS + 1) {
    throw invalid(
      `单位目录一次最多导入 ${MAX_DIRECTORY_ROWS} 行,这个文件有 ${doc.rows.length - 1} 行:请按地区或层级拆成几个文件分别导入。`,
      "fileName",
    );
  }
  return directoryRowsFromTable(doc.rows);
}
