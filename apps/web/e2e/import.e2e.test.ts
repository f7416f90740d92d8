import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E } from "./harness.ts";

const seed = (name: string) => fileURLToPath(new URL(`../../../seeds/${name}`, import.meta.url));

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

it("the office imports seed 003 (Traditional Chinese) through the page, fixes a unit, and finds the tasks", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/plans`);
  await page.getByTestId("import-plan").click();
  await page.waitForURL(/\/plans\/import$/);

  await page.locator('input[type="file"]').setInputFiles({
    name: "003_33391eb50aacad12.txt",
    mimeType: "text/plain",
    buffer: readFileSync(seed("003_33391eb50aacad12.txt")),
  });
  await page.getByTestId("names-panel").waitFor();

  // The source text with its recognised parts highlighted, beside the parsed table.
  const source = page.getByTestId("import-source");
  expect(await source.locator('mark[data-mark="code"]').count()).toBeGreaterThan(30);
  expect(await source.locator('mark[data-mark="lead"]').count()).toBeGreaterThan(30);
  expect(await source.locator('mark[data-mark="cooperating"]').count()).toBeGreaterThan(10);
  expect(await source.locator('mark[data-mark="deadline"]').count()).toBeGreaterThan(5);
  await expect(page.getByTestId("import-summary").textContent()).resolves.toContain("任务 42 项");
  await page.getByText("推進決策公開", { exact: true }).waitFor();
  // The province's units are not in a town's directory: the office must decide, so confirm waits.
  expect(await page.getByTestId("import-confirm").isDisabled()).toBe(true);

  // Clicking a task in the source selects its row in the table.
  await source.locator('[data-task="p0-t1"]').click();
  await page.waitForTimeout(400);

  // Fix one unit: create 省政府辦公廳 as a new unit (Simplified name) under 徐泾镇人民政府.
  await page.getByTestId("name-省政府辦公廳").click();
  await page.getByText("核对单位名称「省政府辦公廳」").waitFor();
  await page.getByText("新建为单位", { exact: true }).click();
  await page.getByTestId("new-unit-name").fill("省政府办公厅");
  const parent = page.locator(".ant-modal").getByText("徐泾镇人民政府");
  await parent.first().waitFor();
  await page.getByTestId("resolve-new").click();
  await page.locator(".ant-modal").waitFor({ state: "hidden" });
  // Every task naming it now shows the unit to be created.
  const tag = page.getByTestId("phrase-省政府辦公廳").first();
  await expect(tag.getAttribute("data-state")).resolves.toBe("new");
  expect(await tag.textContent()).toContain("新建:省政府办公厅");
  await screenshot(page, "import-preview");

  // The rest of the province's names are not this office's units: drop them all at once.
  await page.getByTestId("drop-all").click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: "全部忽略" }).click();
  await expect(page.getByTestId("attention-count").textContent()).resolves.toBe("0");
  expect(await page.getByTestId("import-confirm").isDisabled()).toBe(false);
  await page.getByTestId("import-confirm").click();

  await page.waitForURL(/\/plans\/\d+$/);
  await page.getByText("任务分工(42 项)").waitFor();
  await page.getByText(/已导入 1 份工作要点/).waitFor();
  const row = page.locator("tr", { has: page.getByText("推進決策公開", { exact: true }) });
  await row.getByText("省政府办公厅").waitFor();
  await page.getByText("一、全面推進“五公開”").waitFor();
  await page.getByText("草稿", { exact: true }).first().waitFor();

  await page.waitForTimeout(300);
  await screenshot(page, "import-done");

  // The plan exports as a task-division table, which reads back to the same 42 tasks; the unit
  // created above is now in the directory and matches.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-xlsx").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/任务分工\.xlsx$/);
  const xlsx = readFileSync(await download.path());
  await page.goto(`${e2e.baseUrl}/plans/import`);
  await page.locator('input[type="file"]').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: xlsx,
  });
  await page.getByTestId("names-panel").waitFor();
  await expect(page.getByTestId("import-summary").textContent()).resolves.toContain("任务 42 项");
  const again = page.getByTestId("phrase-省政府办公厅").first();
  await expect(again.getAttribute("data-state")).resolves.toBe("matched");
  await page.close();
});

it("pasted text holding two plans shows a tab per plan", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/plans/import`);
  await page.getByRole("tab", { name: "粘贴文字" }).click();
  await page.getByTestId("import-text").fill(readFileSync(seed("002_c8b85c001a642098.txt"), "utf8"));
  await page.getByTestId("import-parse-text").click();
  await page.getByTestId("names-panel").waitFor();
  await page.getByRole("tab", { name: /2011年全市政府信息公开工作要点/ }).waitFor();
  await page.getByRole("tab", { name: /2011年全市政务公开工作要点/ }).click();
  await page.getByText("继续推进决策公开", { exact: true }).waitFor();
  await screenshot(page, "import-two-plans");
  await page.close();
});

it("a server error is shown as written", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/plans/import`);
  await page.locator('input[type="file"]').setInputFiles({
    name: "broken.docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    buffer: Buffer.from("this is not a zip file"),
  });
  const error = page.getByTestId("import-error");
  await error.waitFor();
  expect(await error.textContent()).toMatch(/[\u4e00-\u9fff]/);
  await page.close();
});

it("the office adds a 2027 holiday to the working-day calendar and it shows", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.getByRole("menuitem", { name: "工作日历" }).click();
  await page.waitForURL(/\/calendar$/);
  await page.getByTestId("calendar-table").waitFor();

  const year = page.getByTestId("calendar-year");
  await year.fill("2027");
  await year.press("Enter");
  await page.getByText("2027 年:放假").waitFor();
  await page.getByTestId("calendar-add").click();
  const from = page.getByTestId("day-from-0");
  await from.click();
  await page.keyboard.type("2027-01-01");
  await page.keyboard.press("Enter");
  await page.getByTestId("day-name-0").fill("元旦");
  await page.getByRole("button", { name: /保\s*存/ }).click();
  await page.getByText("已保存 1 天").waitFor();
  const row = page.locator("tr", { has: page.getByText("2027-01-01") });
  await row.getByText("元旦").waitFor();
  await row.getByText("放假").waitFor();
  await row.getByText("政务公开办录入").waitFor();
  await screenshot(page, "calendar");
  await page.close();
});
