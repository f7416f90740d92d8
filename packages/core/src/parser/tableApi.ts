/**
 * parseTaskTable: a task-division spreadsheet (rows of cells, merged cells already filled from
 * their master cell) → one plan. The header row is found within the first 15 rows; the plan's
 * title is the merged row above it. Offsets in spans and marks point into `tableToText(rows)`,
 * the text that `@gongkai/files` returns with the rows, so the preview can highlight them.
 */
import { citedDocuments } from "./citations.ts";
import { readMetadata, yearIn } from "./metadata.ts";
import { findHeaderRow, gridFromRows, tableSource, tasksFromGrid, titleAbove } from "./table.ts";
import { orig } from "./text.ts";
import type { ParseOptions, ParseResult } from "./types.ts";

export { tableToText } from "./table.ts";

/** The index of a task table's header row (searched in the first 15 rows), or -1 when none. */
export function findTaskTableHeader(rows: string[][]): number {
  const { src, cells } = tableSource(rows);
  return findHeaderRow(src, cells);
}

export function parseTaskTable(rows: string[][], opts: ParseOptions = {}): ParseResult {
  const { src, cells } = tableSource(rows);
  const header = findHeaderRow(src, cells);
  if (header < 0) {
    return {
      plans: [],
      warnings: [
        "表格中没有找到表头(需要“工作任务”或“具体内容”列,以及“牵头单位”“责任单位”“完成时限”等列),请核对表格。",
      ],
    };
  }
  const grid = gridFromRows(src, cells, header);
  const parsed = tasksFromGrid(src, grid, null);
  const titleSpan = titleAbove(src, cells, header);
  const title = titleSpan ? orig(src, titleSpan).trim() : "任务分工表";
  const warnings = [...parsed.warnings];
  const titleYear = titleSpan ? yearIn(src.mirror.slice(titleSpan.start, titleSpan.end)) : null;
  const year = opts.year ?? titleYear;
  if (year === null) warnings.push(`《${title}》没有写明年份,无法确定时限的日期,请指定计划年份。`);
  // Deadlines depend on the year: parse again now that it is known.
  const final = year === null ? parsed : tasksFromGrid(src, grid, year);
  // Rows above the header as lines (a merged row counts once: its first non-empty cell).
  const headerLines = cells.slice(0, header).map((r, index) => {
    const first = r.find((c) => src.mirror.slice(c.start, c.end).trim() !== "");
    return { start: first?.start ?? 0, end: first?.end ?? 0, index };
  });
  const meta = readMetadata(src, headerLines, titleSpan);
  if (!titleSpan) warnings.push("表格上方没有标题行,请补充计划标题。");
  return {
    plans: [
      {
        title,
        year,
        docNumber: meta.docNumber,
        issuer: meta.issuer,
        publishDate: meta.publishDate,
        cites: citedDocuments(
          src,
          { start: 0, end: headerLines.reduce((m, l) => Math.max(m, l.end), titleSpan?.end ?? 0) },
          { titles: [title], docNumber: meta.docNumber },
        ),
        span: { start: titleSpan?.start ?? 0, end: src.text.length },
        sections: final.sections,
        tasks: final.tasks,
      },
    ],
    warnings,
  };
}
