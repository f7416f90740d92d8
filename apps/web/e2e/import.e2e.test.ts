import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, pickUnit, screenshot, signIn, startE2E, stopped } from "./harness.ts";

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

  // Clicking a task in the source selects its row in the table: the row is highlighted (only the
  // selected row has a background of its own).
  await source.locator('[data-task="p0-t1"]').click();
  await page.getByTestId("import-tasks").locator('tr[data-row-key="p0-t1"][style*="background"]').waitFor();

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
  // The window narrowed to a phone's width and back (the layout switches twice): the import being
  // checked is still there, with the decision just made.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel("菜单").waitFor();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId("current-user").waitFor();
  await expect(page.getByTestId("phrase-省政府辦公廳").first().getAttribute("data-state")).resolves.toBe(
    "new",
  );
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

  await stopped(page);
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

it("the administrator adds a 2027 holiday to the shared working-day calendar and it shows", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "admin", "Admin@2026");
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
  await row.getByText("手工录入").waitFor();
  await screenshot(page, "calendar");
  await page.close();
});

const corpus = (name: string) => fileURLToPath(new URL(`../../../corpus/documents/${name}`, import.meta.url));

it("the office pastes a task table copied from a web page, sets units for every task at once, and publishes", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/plans/import`);
  await page.getByRole("tab", { name: "粘贴文字" }).click();
  // A 重点任务清单 as a government site's page flattens it: one cell a line, | between cells.
  const table = readFileSync(corpus("405-chizhou-xinfang-zwgk-renwu-qingdan.txt"), "utf8");
  await page.getByTestId("import-text").fill(table);
  await page.getByTestId("import-parse-text").click();
  await page.getByTestId("names-panel").waitFor();
  await expect(page.getByTestId("import-summary").textContent()).resolves.toContain("任务 8 项");
  await page.getByText("强化行政规范性文件集中规范公开", { exact: true }).waitFor();

  // The page's 办公室 / 各科室 are that bureau's, not this town's: leave them out of the import.
  for (const name of ["办公室", "各科室"]) {
    const tag = page.getByTestId(`phrase-${name}`).first();
    if (!(await tag.isVisible())) continue;
    await tag.click();
    await page.locator(".ant-modal").getByText("不分配(忽略)", { exact: true }).click();
    await page.getByTestId("resolve-drop").click();
    await page.locator(".ant-modal").waitFor({ state: "hidden" });
  }
  // Now no task names a unit: the preview says so, and all of them get a lead in one step.
  const noUnit = page.getByTestId("check-noUnit");
  await expect(noUnit.textContent()).resolves.toBe("8 项未写明承办单位");
  await noUnit.click();
  await page.getByTestId("check-select-all").click();
  await page.getByTestId("bulk-assign").getByText("已选 8 项任务").waitFor();
  await pickUnit(page, "bulk-units", "党政", "党政办公室");
  await page.getByTestId("bulk-apply").click();
  await page.getByText("已为 8 项任务设置牵头单位").waitFor();
  await noUnit.waitFor({ state: "detached" });
  // Every task is listed again, each with its new lead.
  const tasks = page.getByTestId("import-tasks");
  await tasks.getByText("加强宣传", { exact: true }).waitFor();
  expect(await tasks.getByText("党政办公室").count()).toBe(8);

  // The table shows no year: the warning says so until the year is set.
  const yearWarning = page.getByTestId("import-warning").filter({ hasText: "没有写明年份" });
  await yearWarning.first().waitFor();
  await page.getByTestId("plan-title").fill("池州市信访局政务公开重点任务清单");
  await page.getByTestId("plan-year").fill("2026");
  await yearWarning.first().waitFor({ state: "detached" });
  await screenshot(page, "import-web-table-bulk");

  // Clicked twice, 确认导入 creates one plan.
  const confirm = page.getByTestId("import-confirm");
  await confirm.dblclick();
  await page.waitForURL(/\/plans\/\d+$/);
  await page.getByText("任务分工(8 项)").waitFor();
  const plans = await e2e.database.db.execute(
    "select count(*)::int as n from plans where title = '池州市信访局政务公开重点任务清单'",
  );
  const n = (Array.isArray(plans) ? plans[0] : (plans as { rows: { n: number }[] }).rows[0]) as { n: number };
  expect(n.n).toBe(1);
  await page.getByTestId("publish").click();
  await page.getByText("已发布,任务已下达到各单位").waitFor();
  const row = page.locator("tr", { has: page.getByText("加强宣传", { exact: true }) });
  await row.getByText("党政办公室").waitFor();
  await page.close();
});

it("the office uploads a plan published only as a PDF and sees its tasks and units", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/plans/import`);
  await page.locator('input[type="file"]').setInputFiles({
    name: "西城区2017年政务公开工作要点.pdf",
    mimeType: "application/pdf",
    buffer: readFileSync(corpus("703-xicheng-2017-yaodian-pdf.pdf")),
  });
  await page.getByTestId("names-panel").waitFor();
  // The PDF's running header and page numbers are gone; lines broken by the page are joined.
  await expect(page.getByTestId("plan-title").inputValue()).resolves.toBe(
    "北京市西城区2017年政务公开工作要点",
  );
  await page.getByText("推进财政预决算信息公开", { exact: true }).waitFor();
  const source = page.getByTestId("import-source");
  expect(await source.textContent()).not.toContain("西城区人民政府办公室文件");
  await page.getByTestId("phrase-区财政局").first().waitFor();
  await screenshot(page, "import-pdf");
  await page.close();
});
