/**
 * writeTaskDivisionXlsx: a plan's tasks as a printable task-division sheet (任务分工表) — title and
 * 文号 on top, header 序号 / 所属部分 / 工作任务 / 具体内容 / 牵头单位 / 配合单位 / 责任单位 / 完成时限,
 * wrapped text, set widths, frozen and repeated header, A4 landscape fitted to the page width.
 * Units are joined with 、 and deadlines with ；, so readDocument + parseTaskTable read the same
 * tasks back.
 */
import ExcelJS from "exceljs";

export type TaskDivisionPlan = {
  title: string;
  docNumber?: string | null;
  tasks: {
    code: string;
    section: string | null;
    title: string;
    content: string;
    lead: string[];
    cooperating: string[];
    responsible: string[];
    deadlines: { phrase: string }[];
  }[];
};

const HEADER = ["序号", "所属部分", "工作任务", "具体内容", "牵头单位", "配合单位", "责任单位", "完成时限"];
const WIDTHS = [8, 14, 22, 56, 18, 18, 18, 16];
const thin = { style: "thin" as const, color: { argb: "FF808080" } };
const border = { top: thin, left: thin, bottom: thin, right: thin };

export async function writeTaskDivisionXlsx(plan: TaskDivisionPlan): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Gongkai";
  const ws = wb.addWorksheet("任务分工", {
    pageSetup: {
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: "第 &P 页，共 &N 页" },
  });
  ws.columns = WIDTHS.map((width) => ({ width }));

  const last = String.fromCharCode(64 + HEADER.length);
  let row = 1;
  ws.mergeCells(`A${row}:${last}${row}`);
  const title = ws.getCell(`A${row}`);
  title.value = plan.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  ws.getRow(row).height = 30;
  row++;
  if (plan.docNumber) {
    ws.mergeCells(`A${row}:${last}${row}`);
    const doc = ws.getCell(`A${row}`);
    doc.value = plan.docNumber;
    doc.alignment = { horizontal: "center", vertical: "middle" };
    row++;
  }

  const headerRow = ws.getRow(row);
  headerRow.values = HEADER;
  headerRow.height = 22;
  headerRow.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE7ECF3" } };
    cell.border = border;
  });
  ws.views = [{ state: "frozen", ySplit: row, xSplit: 0 }];
  ws.pageSetup.printTitlesRow = `${row}:${row}`;

  for (const t of plan.tasks) {
    const r = ws.addRow([
      t.code,
      t.section ?? "",
      t.title,
      t.content,
      t.lead.join("、"),
      t.cooperating.join("、"),
      t.responsible.join("、"),
      t.deadlines.map((d) => d.phrase).join("；"),
    ]);
    r.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.alignment = { vertical: "top", wrapText: true, horizontal: col === 1 ? "center" : "left" };
      cell.border = border;
      cell.numFmt = "@";
    });
  }
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
