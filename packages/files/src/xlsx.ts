/**
 * .xlsx → rows of cell text with exceljs. Merged cells take their master cell's text (a section
 * title merged across a row, a task merged down several rows), dates become YYYY-MM-DD, formulas
 * their results, rich text its plain text. The sheet read is the first one that holds a task
 * table header, else the first that holds anything. Trailing empty rows and columns are dropped.
 */

import { findTaskTableHeader } from "@gongkai/core";
import ExcelJS from "exceljs";

type CellValue = ExcelJS.CellValue;

const pad = (n: number) => String(n).padStart(2, "0");

export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText))
      return value.richText.map((r) => r.text).join("");
    if ("formula" in value || "sharedFormula" in value)
      return cellText((value as { result?: CellValue }).result ?? null);
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("error" in value) return "";
    return "";
  }
  return String(value);
}

function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      const source = cell.isMerged ? cell.master : cell;
      cells.push(cellText(source.value).replace(/\r\n?/g, "\n").trim());
    }
    rows.push(cells);
  }
  // Drop trailing empty rows and columns.
  while (rows.length > 0 && (rows[rows.length - 1] as string[]).every((c) => c === "")) rows.pop();
  let used = 0;
  for (const r of rows) for (let c = r.length - 1; c >= used; c--) if (r[c] !== "") used = c + 1;
  return rows.map((r) => r.slice(0, used));
}

export async function xlsxToRows(bytes: Uint8Array): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheets = wb.worksheets.map(sheetRows).filter((rows) => rows.length > 0);
  return sheets.find((rows) => findTaskTableHeader(rows) >= 0) ?? sheets[0] ?? [];
}
