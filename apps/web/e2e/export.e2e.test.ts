import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { type Actor, issueNotice, saveReport, submitReport } from "@gongkai/db";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, pickUnit, screenshot, screenshotDir, signIn, startE2E, stopped } from "./harness.ts";

/**
 * Bulk work and paper (issue 15, items 4 and 7): the office exports the review queue and a plan's
 * tasks to .xlsx, a unit its own tasks; the office ticks two tasks and gives them a lead unit at
 * once; a notice downloads as a 督办通知单 .docx; the plan page, the dashboard and a task's history
 * print without the screen's navigation and buttons.
 *
 * What the files must hold is written from the demo plan (seeds/001_6b261e1ba6fd1902.txt and
 * packages/db/src/demo/plan-2023.ts): task 10 扎实推进重大行政决策事项目录管理 in section 三, led by
 * 党政办公室, due 3月31日前 (2023-03-31), 决策公开; tasks 7 and 8 led by 营商环境办公室.
 */
let e2e: E2E;
let planId: number;
const taskIds: Record<string, number> = {};
let noticeId: number;

beforeAll(async () => {
  e2e = await startE2E();
  const { db } = e2e.database;
  const plan = await db.query.plans.findFirst({ orderBy: (p, { asc }) => asc(p.id) });
  if (!plan) throw new Error("demo plan missing");
  planId = plan.id;
  for (const t of await db.query.tasks.findMany({ where: (t, { eq }) => eq(t.planId, plan.id) }))
    taskIds[t.code] = t.id;
  const user = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "dangzheng") });
  const office = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "office") });
  if (!user?.unitId || !office) throw new Error("demo users missing");
  const unitId = user.unitId;
  const now = new Date();
  // 党政办公室 reports 60% on task 10 for the second quarter and submits it: the queue's row.
  const actor: Actor = { userId: user.id, role: "unit", unitId, scopePath: null };
  const draft = await saveReport(
    db,
    actor,
    unitId,
    {
      taskId: taskIds["10"] ?? 0,
      period: `${plan.year}-Q2`,
      status: "inProgress",
      percent: 60,
      summary: "事项目录已编制,待审议后公开(导出测试)。",
      evidence: { links: [], fileIds: [] },
    },
    now,
  );
  await submitReport(
    db,
    actor,
    unitId,
    { reportId: draft.id, version: draft.version, submissionKey: "export-e2e-10" },
    now,
  );
  const officeActor: Actor = { userId: office.id, role: "office", unitId: office.unitId, scopePath: null };
  const notice = await issueNotice(
    db,
    officeActor,
    {
      taskId: taskIds["10"] ?? 0,
      unitId,
      level: "supervise",
      content: "请抓紧公开2023年度重大行政决策事项目录。",
    },
    now,
  );
  noticeId = notice.id;
});
afterAll(() => e2e?.close());

const newPage = () => e2e.browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "zh-CN" });
const toast = (page: Page, text: string) => page.locator(".ant-message-notice", { hasText: text }).waitFor();
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

/** Clicks 导出 Excel and reads the file the browser saves: its name and first sheet as rows of text. */
async function exportSheet(page: Page) {
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-excel").click();
  const download = await downloading;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(await download.path()) as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error("no sheet");
  const rows: (string | number)[][] = [];
  ws.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (typeof v === "number" ? v : String(v ?? ""))));
  });
  return { name: download.suggestedFilename(), rows, bold: ws.getRow(1).font?.bold, views: ws.views };
}
/** The row whose column `col` reads `value`, as header → value. */
function rowWhere(rows: (string | number)[][], col: string, value: string) {
  const [header = [], ...body] = rows;
  const i = header.indexOf(col);
  const row = body.find((r) => r[i] === value);
  if (!row) throw new Error(`no row with ${col} = ${value}`);
  return Object.fromEntries(header.map((h, j) => [String(h), row[j]]));
}

it("the office exports the review queue and a plan's tasks as the pages show them", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/reviews`);
  await office.getByTestId("queue-task").filter({ hasText: "扎实推进重大行政决策事项目录管理" }).waitFor();
  const queue = await exportSheet(office);
  expect(queue.name).toBe(`报告审核-待审核-${today()}.xlsx`);
  expect(queue.bold).toBe(true);
  expect(queue.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  expect(queue.rows[0]).toEqual([
    "提交时间",
    "编号",
    "任务",
    "工作要点",
    "单位",
    "角色",
    "周期",
    "进展状态",
    "完成进度(%)",
    "版本",
  ]);
  expect(rowWhere(queue.rows, "编号", "10")).toMatchObject({
    任务: "扎实推进重大行政决策事项目录管理",
    工作要点: "关于徐泾镇2023年政务公开工作要点",
    单位: "党政办公室",
    角色: "牵头单位",
    进展状态: "推进中",
    "完成进度(%)": 60,
    版本: "第 1 版",
  });

  await office.goto(`${e2e.baseUrl}/plans/${planId}`);
  await office.getByTestId(`task-${taskIds["10"]}`).waitFor();
  const plan = await exportSheet(office);
  expect(plan.name).toBe(`任务分工-关于徐泾镇2023年政务公开工作要点-${today()}.xlsx`);
  expect(plan.rows[0]).toEqual([
    "章节",
    "编号",
    "任务",
    "具体内容",
    "类别",
    "牵头单位",
    "配合单位",
    "责任单位",
    "完成时限",
    "状态",
  ]);
  expect(plan.rows).toHaveLength(1 + 28);
  const t10 = rowWhere(plan.rows, "编号", "10");
  expect(t10).toMatchObject({
    章节: "三、多渠道深化政民互动和公众参与",
    任务: "扎实推进重大行政决策事项目录管理",
    类别: "决策公开",
    牵头单位: "党政办公室",
    配合单位: "",
    完成时限: "3月31日前(2023-03-31)",
  });
  expect(String(t10["具体内容"])).toContain("编制本单位2023年度重大行政决策事项目录");
  expect(["已完成", "正常推进", "临期预警", "逾期", "未分派"]).toContain(t10["状态"]);
  await office.close();
});

it("a unit exports its tasks with its role, due date and latest report in Chinese", async () => {
  const unit = await newPage();
  await signIn(unit, e2e.baseUrl, "dangzheng", "Unit@2026");
  await unit.goto(`${e2e.baseUrl}/my-tasks`);
  await unit.getByTestId(`my-task-row-${taskIds["10"]}`).waitFor();
  const mine = await exportSheet(unit);
  expect(mine.name).toBe(`我的任务-${today()}.xlsx`);
  expect(mine.rows[0]?.slice(0, 3)).toEqual(["编号", "任务", "工作要点"]);
  expect(rowWhere(mine.rows, "编号", "10")).toMatchObject({
    任务: "扎实推进重大行政决策事项目录管理",
    本单位角色: "牵头单位",
    完成时限: "2023-03-31",
    时限要求: "3月31日前",
    最新报告: "待审核",
    "完成进度(%)": 60,
    牵头单位: "党政办公室",
  });
  // Task 7 is 营商环境办公室's, not 党政办公室's.
  expect(() => rowWhere(mine.rows, "编号", "7")).toThrow();
  await unit.close();
});

it("the office ticks two tasks and gives them a lead unit at once; the table shows it", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/plans/${planId}`);
  const row = (code: string) => office.locator("tr", { has: office.getByTestId(`task-${taskIds[code]}`) });
  await row("7").waitFor();
  await expect.poll(() => row("7").textContent()).toContain("营商环境办公室");
  await row("7").locator(".ant-checkbox-input").check();
  await row("8").locator(".ant-checkbox-input").check();
  const bulk = office.getByTestId("bulk-units");
  await expect.poll(() => bulk.textContent()).toContain("2");
  await bulk.click();
  const modal = office.locator(".ant-modal", { hasText: "为所选的 2 项任务设置单位" });
  await modal.waitFor();
  await pickUnit(office, "bulk-lead", "社区管理", "社区管理办公室");
  await stopped(office);
  await office.screenshot({ path: `${screenshotDir}office-bulk-units-form.png` });
  await office.getByTestId("bulk-units-confirm").click();
  await toast(office, "已为 2 项任务设置单位");
  await modal.waitFor({ state: "hidden" });
  for (const code of ["7", "8"]) {
    await expect.poll(() => row(code).textContent()).toContain("社区管理办公室");
    expect(await row(code).textContent()).not.toContain("营商环境办公室");
  }
  // Task 10 was not ticked: still 党政办公室's.
  expect(await row("10").textContent()).toContain("党政办公室");
  await stopped(office);
  await screenshot(office, "office-bulk-units-done");
  await office.close();
});

/** The first 1,600 px of a page as printed (the whole page is tens of thousands of pixels tall). */
const printShot = (page: Page, name: string) =>
  page.screenshot({
    path: `${screenshotDir}${name}.png`,
    fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: 1600 },
  });

/** An entry of a zip archive (a .docx), read with Node's zlib. */
function zipEntry(zip: Buffer, name: string): string {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip archive");
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString("utf8", at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString("utf8");
    }
    at += 46 + skip;
  }
  throw new Error(`${name} not in the archive`);
}

it("a notice downloads as a 督办通知单 in Word, addressed to its unit", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/supervision?plan=${planId}`);
  const downloading = office.waitForEvent("download");
  await office.getByTestId(`notice-docx-${noticeId}`).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^徐府督〔\d{4}〕\d+号 督办通知单\(党政办公室\)\.docx$/);
  const xml = zipEntry(readFileSync(await download.path()), "word/document.xml");
  const text = xml.replace(/<[^>]+>/g, "");
  expect(text).toContain("党政办公室:");
  expect(text).toContain("请抓紧公开2023年度重大行政决策事项目录。");
  expect(text).toContain(
    "10. 扎实推进重大行政决策事项目录管理。完成时限:3月31日前(二〇二三年三月三十一日)。",
  );
  expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
  await office.close();

  // The unit it is addressed to downloads the same notice from the task's report form.
  const unit = await newPage();
  await signIn(unit, e2e.baseUrl, "dangzheng", "Unit@2026");
  await unit.goto(`${e2e.baseUrl}/my-tasks?task=${taskIds["10"]}`);
  const unitDownloading = unit.waitForEvent("download");
  await unit.getByTestId(`notice-docx-${noticeId}`).click();
  const unitCopy = await unitDownloading;
  expect(unitCopy.suggestedFilename()).toBe(download.suggestedFilename());
  expect(zipEntry(readFileSync(await unitCopy.path()), "word/document.xml")).toContain("党政办公室:");
  await unit.close();
});

it("the plan page, a task's history and the dashboard print without navigation or buttons", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/plans/${planId}`);
  await office.getByTestId(`task-${taskIds["10"]}`).waitFor();
  await office.emulateMedia({ media: "print" });
  for (const hidden of [".ant-layout-header", ".ant-layout-sider", "[data-testid=export-excel]"])
    await expect.poll(() => office.locator(hidden).first().isVisible()).toBe(false);
  expect(await office.getByTestId("bulk-units").isVisible()).toBe(false);
  // The reporting cycle's select is not printed; its value is, as text (the demo plan's: quarterly).
  expect(await office.locator(".print-only", { hasText: "每季度" }).isVisible()).toBe(true);
  // The table spans the page, its header repeats on every printed page, rows are not split.
  const table = office.locator(".ant-table").first();
  expect(await table.isVisible()).toBe(true);
  const [tableWidth, pageWidth, headGroup, rowBreak] = await office.evaluate(() => {
    const t = document.querySelector(".ant-table") as HTMLElement;
    const row = document.querySelector(".ant-table-tbody tr") as HTMLElement;
    return [
      t.getBoundingClientRect().width,
      document.documentElement.clientWidth,
      getComputedStyle(document.querySelector(".ant-table thead") as HTMLElement).display,
      getComputedStyle(row).breakInside,
    ];
  });
  expect(tableWidth).toBeGreaterThan(pageWidth * 0.9);
  expect(headGroup).toBe("table-header-group");
  expect(rowBreak).toBe("avoid");
  await printShot(office, "print-plan");
  const pdf = await office.pdf({ format: "A4", landscape: true });
  expect(pdf.subarray(0, 4).toString()).toBe("%PDF");

  // A task's history: only the drawer prints.
  await office.emulateMedia({ media: "screen" });
  await office.getByTestId(`history-${taskIds["10"]}`).click();
  const drawer = office.locator(".ant-drawer-open");
  await drawer.waitFor();
  await stopped(office);
  await office.emulateMedia({ media: "print" });
  await expect.poll(() => office.locator("#root").isVisible()).toBe(false);
  expect(await drawer.getByText("扎实推进重大行政决策事项目录管理").first().isVisible()).toBe(true);
  await printShot(office, "print-task-history");

  await office.emulateMedia({ media: "screen" });
  await office.goto(`${e2e.baseUrl}/dashboard`);
  await office.locator(".recharts-surface").first().waitFor();
  await office.emulateMedia({ media: "print" });
  await expect.poll(() => office.locator(".ant-layout-sider").first().isVisible()).toBe(false);
  // The charts are drawn again at the printed width: wait until their bars have stopped growing.
  await office.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const bars = () =>
          [...document.querySelectorAll(".recharts-bar-rectangle path")]
            .map((p) => p.getAttribute("d"))
            .join();
        const before = bars();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(before !== "" && before === bars())));
      }),
    undefined,
    { polling: 100 },
  );
  // Every chart is drawn, within the page's width.
  const widths = await office.evaluate(() =>
    [...document.querySelectorAll(".recharts-wrapper > svg.recharts-surface")].map(
      (svg) => svg.getBoundingClientRect().width,
    ),
  );
  const printedWidth = await office.evaluate(() => document.documentElement.clientWidth);
  expect(widths.length).toBeGreaterThanOrEqual(4);
  for (const w of widths) {
    expect(w).toBeGreaterThan(200);
    expect(w).toBeLessThanOrEqual(printedWidth);
  }
  await printShot(office, "print-dashboard");
  await office.close();
});
