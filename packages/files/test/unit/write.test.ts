import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parsePlanDocument, parseTaskTable, toParseOutput } from "@gongkai/core";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readDocument, writeTaskDivisionXlsx } from "../../src/index.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const seed = (name: string) => readFileSync(`${root}seeds/${name}.txt`, "utf8");

describe("the task-division .xlsx", () => {
  it.each([
    ["003_33391eb50aacad12", 0],
    ["002_c8b85c001a642098", 0],
    ["002_c8b85c001a642098", 1],
    ["001_6b261e1ba6fd1902", 0],
  ])("of seed %s (plan %i) imports back to the same tasks", async (name, index) => {
    const parsed = parsePlanDocument(seed(name));
    const plan = parsed.plans[index];
    if (!plan) throw new Error("no plan");
    const bytes = await writeTaskDivisionXlsx(plan);
    const read = await readDocument(bytes, "分工.xlsx");
    if (read.kind !== "table") throw new Error("table expected");
    const back = parseTaskTable(read.rows, { year: plan.year });
    const original = toParseOutput({ plans: [plan], warnings: [] }).plans[0];
    const again = toParseOutput(back).plans[0];
    expect(again?.title).toBe(plan.title);
    expect(again?.docNumber).toBe(plan.docNumber);
    expect(again?.tasks).toEqual(original?.tasks);
  });

  it("is laid out for printing: header, widths, wrapped text, frozen header, landscape", async () => {
    const plan = parsePlanDocument(seed("001_6b261e1ba6fd1902")).plans[0];
    if (!plan) throw new Error("no plan");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await writeTaskDivisionXlsx(plan)) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error("no sheet");
    expect(ws.getCell("A1").value).toBe("关于徐泾镇2023年政务公开工作要点");
    expect(ws.getCell("A2").value).toBe("徐府〔2023〕32号");
    expect(ws.getRow(3).values).toEqual([
      undefined,
      "序号",
      "所属部分",
      "工作任务",
      "具体内容",
      "牵头单位",
      "配合单位",
      "责任单位",
      "完成时限",
    ]);
    expect(ws.getCell("C3").font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(ws.pageSetup.orientation).toBe("landscape");
    expect(ws.pageSetup.printTitlesRow).toBe("3:3");
    expect(ws.getColumn(4).width).toBeGreaterThan(ws.getColumn(1).width ?? 0);
    expect(ws.getCell("D4").alignment?.wrapText).toBe(true);
    expect(ws.rowCount).toBe(3 + 28);
    expect(ws.getCell("H13").value).toBe("3月31日前");
  });
});
