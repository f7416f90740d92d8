/**
 * 通报 as files: a .docx to print and send (title, summary, tables, commended and named units) and
 * an .xlsx with the same figures, one sheet each.
 */
import type { BulletinFigures } from "@gongkai/core";
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import ExcelJS from "exceljs";

export type BulletinMeta = { title: string; planTitle: string; issuer: string | null; asOf: string };

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const font = "SimSun";

function cell(text: string, opts: { bold?: boolean; width?: number } = {}) {
  return new TableCell({
    children: [
      new Paragraph({ children: [new TextRun({ text, bold: opts.bold ?? false, font, size: 21 })] }),
    ],
    ...(opts.width ? { width: { size: opts.width, type: WidthType.PERCENTAGE } } : {}),
  });
}

function table(header: string[], rows: string[][]) {
  const border = { style: BorderStyle.SINGLE, size: 4, color: "999999" };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true })) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

const para = (text: string, opts: { bold?: boolean } = {}) =>
  new Paragraph({
    spacing: { after: 120 },
    children: [new TextRun({ text, font, size: 24, bold: opts.bold ?? false })],
  });
const heading = (text: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_2,
    spacing: { before: 240, after: 120 },
    children: [new TextRun({ text, font: "SimHei", size: 28 })],
  });

export async function writeBulletinDocx(meta: BulletinMeta, f: BulletinFigures): Promise<Uint8Array> {
  const t = f.totals;
  const doc = new Document({
    creator: meta.issuer ?? "政务公开办",
    title: meta.title,
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: meta.title, font: "SimHei", size: 36, bold: true })],
          }),
          para(
            `截至 ${meta.asOf},《${meta.planTitle}》共分解任务 ${t.assignments} 项次,已完成 ${t.done} 项次,完成率 ${pct(t.completionRate)};临期 ${t.dueSoon} 项次,逾期 ${t.overdue} 项次;退回报告 ${f.returned.length} 份。现将有关情况通报如下。`,
          ),
          heading("一、各单位完成情况"),
          table(
            ["序号", "单位", "任务数", "已完成", "临期", "逾期", "退回", "完成率"],
            f.byUnit.map((u, i) => [
              String(i + 1),
              u.unitName,
              String(u.total),
              String(u.done),
              String(u.dueSoon),
              String(u.overdue),
              String(u.returned),
              pct(u.completionRate),
            ]),
          ),
          heading("二、分类别完成情况"),
          table(
            ["类别", "任务数", "已完成", "逾期", "完成率"],
            f.byCategory.map((c) => [
              c.label,
              String(c.total),
              String(c.done),
              String(c.overdue),
              pct(c.completionRate),
            ]),
          ),
          heading("三、逾期任务"),
          ...(f.overdueByUnit.length
            ? f.overdueByUnit.flatMap((u) => [
                para(`${u.unitName}(${u.tasks.length} 项):`, { bold: true }),
                ...u.tasks.map((x) =>
                  para(`${x.code ? `${x.code}. ` : ""}${x.title}(应于 ${x.dueDate ?? "—"} 前完成)`),
                ),
              ])
            : [para("无逾期任务。")]),
          heading("四、退回报告"),
          ...(f.returned.length
            ? [
                table(
                  ["单位", "任务", "周期", "退回原因"],
                  f.returned.map((r) => [
                    r.unitName,
                    `${r.taskCode} ${r.taskTitle}`,
                    r.period,
                    r.reason ?? "",
                  ]),
                ),
              ]
            : [para("无退回报告。")]),
          heading("五、表扬与通报"),
          para(
            f.commend.length
              ? `以下单位按时保质完成任务,予以表扬:${f.commend.join("、")}。`
              : "本期无表扬单位。",
          ),
          para(
            f.named.length
              ? `以下单位存在逾期任务或未回复督办,予以通报:${f.named
                  .map(
                    (n) =>
                      `${n.unitName}(逾期 ${n.overdue} 项${n.openNotices ? `,未回复督办 ${n.openNotices} 件` : ""})`,
                  )
                  .join("、")}。请相关单位于 5 个工作日内整改并报送整改情况。`
              : "本期无通报单位。",
          ),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            spacing: { before: 480 },
            children: [new TextRun({ text: `${meta.issuer ?? ""}\n${meta.asOf}`, font, size: 24 })],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export async function writeBulletinXlsx(meta: BulletinMeta, f: BulletinFigures): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.issuer ?? "政务公开办";
  const sheet = (name: string, columns: { header: string; width: number }[], rows: (string | number)[][]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 2 }] });
    ws.mergeCells(1, 1, 1, columns.length);
    ws.getCell(1, 1).value = `${meta.title}(截至 ${meta.asOf})`;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.addRow(columns.map((c) => c.header)).font = { bold: true };
    columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = c.width;
    });
    for (const r of rows) ws.addRow(r);
    return ws;
  };
  sheet(
    "各单位完成情况",
    [
      { header: "单位", width: 28 },
      { header: "任务数", width: 10 },
      { header: "已完成", width: 10 },
      { header: "临期", width: 10 },
      { header: "逾期", width: 10 },
      { header: "退回", width: 10 },
      { header: "完成率", width: 10 },
    ],
    f.byUnit.map((u) => [u.unitName, u.total, u.done, u.dueSoon, u.overdue, u.returned, u.completionRate]),
  ).getColumn(7).numFmt = "0.0%";
  sheet(
    "分类别完成情况",
    [
      { header: "类别", width: 20 },
      { header: "任务数", width: 10 },
      { header: "已完成", width: 10 },
      { header: "逾期", width: 10 },
      { header: "完成率", width: 10 },
    ],
    f.byCategory.map((c) => [c.label, c.total, c.done, c.overdue, c.completionRate]),
  ).getColumn(5).numFmt = "0.0%";
  sheet(
    "逾期任务",
    [
      { header: "单位", width: 28 },
      { header: "编号", width: 8 },
      { header: "任务", width: 50 },
      { header: "应完成日期", width: 14 },
    ],
    f.overdueByUnit.flatMap((u) => u.tasks.map((t) => [u.unitName, t.code, t.title, t.dueDate ?? ""])),
  );
  sheet(
    "退回报告",
    [
      { header: "单位", width: 28 },
      { header: "任务", width: 50 },
      { header: "周期", width: 12 },
      { header: "退回原因", width: 50 },
    ],
    f.returned.map((r) => [r.unitName, `${r.taskCode} ${r.taskTitle}`, r.period, r.reason ?? ""]),
  );
  sheet(
    "表扬与通报",
    [
      { header: "类型", width: 10 },
      { header: "单位", width: 28 },
      { header: "说明", width: 40 },
    ],
    [
      ...f.commend.map((u) => ["表扬", u, "按时保质完成任务"]),
      ...f.named.map((n) => ["通报", n.unitName, `逾期 ${n.overdue} 项;未回复督办 ${n.openNotices} 件`]),
    ],
  );
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
