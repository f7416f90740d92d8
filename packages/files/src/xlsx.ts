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

/** Cells a sheet's grid may span (rows × columns up to the last filled cell). */
export const MAX_GRID_CELLS = 2_000_000;

/**
 * The sheet as a grid up to its last filled row and column. Only cells that exist are visited
 * (a sheet whose single cell sits at XFD1048576 costs one visit, not 17 billion); a grid larger
 * than MAX_GRID_CELLS is refused by the caller.
 */
export function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const filled: { r: number; c: number; text: string }[] = [];
  let lastRow = 0;
  let lastCol = 0;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const source = cell.isMerged ? cell.master : cell;
      const text = cellText(source.value).replace(/\r\n?/g, "\n").trim();
      if (text === "") return;
      filled.push({ r, c, text });
      if (r > lastRow) lastRow = r;
      if (c > lastCol) lastCol = c;
    });
  });
  if (lastRow * lastCol > MAX_GRID_CELLS) throw new SheetTooLarge(ws.name, lastRow, lastCol);
  const rows: string[][] = Array.from({ length: lastRow }, () => new Array<string>(lastCol).fill(""));
  for (const f of filled) (rows[f.r - 1] as string[])[f.c - 1] = f.text;
  return rows;
}

export class SheetTooLarge extends Error {
  constructor(
    readonly sheet: string,
    readonly rows: number,
    readonly columns: number,
  ) {
    super(`sheet ${sheet} spans ${rows} rows × ${columns} columns`);
  }
}

export async function xlsxToRows(bytes: Uint8Array): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheets = wb.worksheets.map(sheetRows).filter((rows) => rows.length > 0);
  return sheets.find((rows) => findTaskTableHeader(rows) >= 0) ?? sheets[0] ?? [];
}
