import type ExcelJS from "exceljs";

/**
 * A list as it is shown, as an .xlsx (导出 Excel): one sheet, the header row bold and frozen,
 * columns as wide as their longest text (a Chinese character counts two), long text wrapped.
 * Values are what the page shows: labels in Chinese, dates as `2026-12-07` text, never code names.
 * Kept apart from the button so a test (in node) builds a workbook and reads it back; exceljs is
 * passed in, as the browser loads it only when 导出 is clicked.
 */
export type ExportValue = string | number | null | undefined;
export type ExportColumn<T> = { header: string; value: (row: T) => ExportValue };

/** Width in Excel's character units: a CJK (full-width) character takes two. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

const minWidth = 6;
/** Past this the column wraps its text instead of growing. */
const maxWidth = 60;

export function buildWorkbook<T>(
  Excel: typeof ExcelJS,
  sheetName: string,
  columns: ExportColumn<T>[],
  rows: readonly T[],
): ExcelJS.Workbook {
  const wb = new Excel.Workbook();
  wb.creator = "公开 Gongkai";
  // A sheet's name: at most 31 characters, none of \ / ? * [ ] :
  const ws = wb.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, " ").slice(0, 31) || "Sheet1", {
    views: [{ state: "frozen", ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: "middle" };
  ws.pageSetup.printTitlesRow = "1:1";
  const widths = columns.map((c) => textWidth(c.header));
  for (const row of rows) {
    const values = columns.map((c) => {
      const v = c.value(row);
      return v === null || v === undefined ? "" : v;
    });
    const added = ws.addRow(values);
    values.forEach((v, i) => {
      const longest = Math.max(...String(v).split("\n").map(textWidth));
      widths[i] = Math.max(widths[i] ?? 0, longest);
      // Text stays text: a code like 10 or a date like 2026-12-07 is not turned into a number.
      if (typeof v === "string") added.getCell(i + 1).numFmt = "@";
    });
  }
  widths.forEach((w, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.min(maxWidth, Math.max(minWidth, w + 2));
    if (w + 2 > maxWidth) col.alignment = { wrapText: true, vertical: "top" };
  });
  return wb;
}

/** `<名称>-<YYYY-MM-DD>.xlsx`, without the characters a file name may not hold. */
export function exportFileName(name: string, today: string): string {
  return `${name.replace(/[\\/:*?"<>|]/g, "_")}-${today}.xlsx`;
}

/** Today on the browser's clock, as `2026-12-07`. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
