import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { buildWorkbook, exportFileName, localToday, textWidth } from "./xlsx-export.ts";

type Row = { code: string; title: string; unit: string; due: string | null; percent: number };

const rows: Row[] = [
  { code: "10", title: "做好政策文件公开", unit: "党政办公室", due: "2023-03-31", percent: 60 },
  {
    code: "12",
    title: "持续推进基层政务公开标准化规范化建设,".repeat(4),
    unit: "社区管理办公室",
    due: null,
    percent: 100,
  },
];

async function readBack(wb: ExcelJS.Workbook) {
  const again = new ExcelJS.Workbook();
  await again.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  const ws = again.worksheets[0];
  if (!ws) throw new Error("no sheet");
  return ws;
}

describe("buildWorkbook", () => {
  it("writes the rows shown under a bold, frozen header, codes and dates as text", async () => {
    const wb = buildWorkbook(
      ExcelJS,
      "我的任务",
      [
        { header: "编号", value: (r: Row) => r.code },
        { header: "任务", value: (r) => r.title },
        { header: "牵头单位", value: (r) => r.unit },
        { header: "完成时限", value: (r) => r.due },
        { header: "完成进度(%)", value: (r) => r.percent },
      ],
      rows,
    );
    const ws = await readBack(wb);
    expect(ws.name).toBe("我的任务");
    expect(ws.getRow(1).values).toEqual([undefined, "编号", "任务", "牵头单位", "完成时限", "完成进度(%)"]);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.rowCount).toBe(3);
    // 10 stays the text "10", the date the text 2023-03-31; a missing date is an empty cell.
    expect(ws.getCell("A2").value).toBe("10");
    expect(ws.getCell("D2").value).toBe("2023-03-31");
    expect(ws.getCell("D3").value).toBe("");
    expect(ws.getCell("E3").value).toBe(100);
    // 党政办公室 is five characters, ten wide; a long title wraps at 60.
    expect(ws.getColumn(3).width).toBe(16); // 社区管理办公室: 14 + 2
    expect(ws.getColumn(2).width).toBe(60);
    expect(ws.getColumn(2).alignment?.wrapText).toBe(true);
  });

  it("makes a sheet with only the header when the list is empty", async () => {
    const ws = await readBack(
      buildWorkbook(ExcelJS, "报告审核", [{ header: "单位", value: (r: Row) => r.unit }], []),
    );
    expect(ws.rowCount).toBe(1);
    expect(ws.getCell("A1").value).toBe("单位");
  });
});

describe("names and widths", () => {
  it("counts a Chinese character two wide, a Latin one one", () => {
    expect(textWidth("党政办公室")).toBe(10);
    expect(textWidth("2023-03-31")).toBe(10);
    expect(textWidth("(一)ab")).toBe(6);
  });
  it("names the file after the list and the day, without characters a file may not hold", () => {
    expect(exportFileName("报告审核-待审核", "2026-12-07")).toBe("报告审核-待审核-2026-12-07.xlsx");
    expect(exportFileName("任务/分工", "2026-12-07")).toBe("任务_分工-2026-12-07.xlsx");
    expect(localToday(new Date(2026, 11, 7, 23, 59))).toBe("2026-12-07");
  });
});
