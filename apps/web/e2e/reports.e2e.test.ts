import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, screenshotDir, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

/** Task 10 of the demo plan: 3月31日前, led by 党政办公室 alone (overdue on today's clock). */
const taskTitle = "扎实推进重大行政决策事项目录管理";
const returnReason = "请补充目录在门户网站的发布日期截图。";

/** A small but well-formed PDF: the server types uploads from their bytes. */
function samplePdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** The visible window only: drawers are fixed to it, a full-page shot would cut them off. */
const viewportShot = (page: Page, name: string) => page.screenshot({ path: `${screenshotDir}${name}.png` });

const newPage = () => e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });

/** Waits for an antd message toast with this text. */
const toast = (page: Page, text: string) => page.locator(".ant-message-notice", { hasText: text }).waitFor();

async function openReview(page: Page) {
  await page.goto(`${e2e.baseUrl}/reviews`);
  await page.getByTestId("queue-task").filter({ hasText: taskTitle }).click();
  await page.getByTestId("review-drawer").waitFor();
}

it("a unit reports with a file and a link, the office returns it, the unit resubmits, the office approves, the dashboard shows it done", async () => {
  // ---------------------------------------------------------------- the unit files its report
  const unit = await newPage();
  await signIn(unit, e2e.baseUrl, "dangzheng", "Unit@2026");
  await unit.getByTestId("unit-strip").waitFor();
  const row = unit.locator("tr", { has: unit.getByTestId("my-task-title").filter({ hasText: taskTitle }) });
  await row.locator("[data-light=overdue]").waitFor();
  await unit.locator(".recharts-surface").first().waitFor();
  await screenshot(unit, "unit-task-list");

  // Filter by light: only overdue tasks, and task 10 among them.
  await unit.getByTestId("light-overdue").click();
  // The filter goes through the address (a step back undoes it): wait for the list it gives.
  await unit.waitForURL(/[?&]light=overdue/);
  await unit.locator("tbody [data-light]:not([data-light=overdue])").first().waitFor({ state: "detached" });
  await row.waitFor();
  expect(await unit.locator("tbody [data-light]:not([data-light=overdue])").count()).toBe(0);

  await unit.getByTestId("my-task-title").filter({ hasText: taskTitle }).click();
  const form = unit.getByTestId("report-form");
  await form.waitFor();
  const taskId = Number(new URL(unit.url()).searchParams.get("task"));
  expect(taskId).toBeGreaterThan(0);
  await form.locator(".ant-radio-button-wrapper", { hasText: "已完成" }).click();
  await unit
    .getByTestId("report-summary")
    .fill("已编制2023年度重大行政决策事项目录,于3月28日在镇政府门户网站公开。");
  await form.locator("input[type=file]").setInputFiles({
    name: "重大行政决策事项目录.pdf",
    mimeType: "application/pdf",
    buffer: samplePdf(),
  });
  await unit.getByTestId("evidence-file").filter({ hasText: "重大行政决策事项目录.pdf" }).waitFor();
  await unit.getByTestId("evidence-add-link").click();
  await unit.getByTestId("evidence-link-url").last().fill("https://www.shqp.gov.cn/xj/zdjc/2023.html");
  await unit.getByTestId("evidence-link-title").last().fill("目录公开页面");
  await unit.getByTestId("report-save").click();
  await toast(unit, "草稿已保存");
  await viewportShot(unit, "unit-report-drawer");
  await unit.getByTestId("report-submit").click();
  await toast(unit, "已提交,等待政务公开办审核");
  await unit.getByText("等待政务公开办审核。审核前不能修改。", { exact: false }).waitFor();

  // ---------------------------------------------------------------- the office returns it
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await openReview(office);
  const drawer = office.getByTestId("review-drawer");
  await drawer.getByText("重大行政决策事项目录.pdf").waitFor();
  await drawer.getByText("目录公开页面").waitFor();
  // The uploaded file downloads for the office with its bytes.
  const href = await drawer.getByRole("link", { name: "重大行政决策事项目录.pdf" }).getAttribute("href");
  const file = await office.request.get(`${e2e.baseUrl}${href}`);
  expect(file.status()).toBe(200);
  expect((await file.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await viewportShot(office, "office-review");
  await office.getByTestId("review-return").click();
  await office.getByTestId("return-reason").fill(returnReason);
  await office.getByTestId("return-confirm").click();
  await toast(office, "已退回");

  // ---------------------------------------------------------------- the unit sees why, and resubmits
  await unit.goto(`${e2e.baseUrl}/my-tasks`);
  await unit.getByTestId("notification-bell").click();
  const note = unit.getByTestId("notification-item").filter({ hasText: "被退回" }).first();
  await note.waitFor();
  await note.click();
  await unit.getByTestId("returned-reason").waitFor();
  expect(await unit.getByTestId("returned-reason").textContent()).toContain(returnReason);
  expect(new URL(unit.url()).searchParams.get("task")).toBe(String(taskId));
  await viewportShot(unit, "unit-returned");
  await unit.getByTestId("evidence-add-link").click();
  await unit.getByTestId("evidence-link-url").last().fill("https://www.shqp.gov.cn/xj/zdjc/2023-shot.html");
  await unit.getByTestId("evidence-link-title").last().fill("发布日期截图");
  await unit.getByTestId("report-summary").fill("已编制目录,于3月28日在镇政府门户网站公开,附发布日期截图。");
  await unit.getByTestId("report-submit").click();
  await toast(unit, "已提交,等待政务公开办审核");
  await unit.close();

  // ---------------------------------------------------------------- the office compares and approves
  await openReview(office);
  const compare = office.getByTestId("report-compare");
  await compare.waitFor();
  await compare.getByText("新增").waitFor();
  await compare.getByRole("link", { name: "发布日期截图" }).waitFor();
  await compare.scrollIntoViewIfNeeded();
  await viewportShot(office, "office-compare");
  await office.getByTestId("review-approve").click();
  await office.locator(".ant-popconfirm .ant-btn-primary").click();
  await toast(office, "已通过");

  // ---------------------------------------------------------------- the dashboard shows it done
  await office.goto(`${e2e.baseUrl}/dashboard`);
  await office.getByTestId("office-dashboard").waitFor();
  await office.locator(".recharts-surface").nth(3).waitFor();
  expect(await office.getByTestId("kpi-done-value").textContent()).toBe("1");
  // It says what it counts: unit-tasks (a task's lead and responsible units), not tasks.
  expect(await office.getByTestId("kpi-done").textContent()).toMatch(
    /单位任务已完成.*共 \d+ 项单位任务\(牵头、责任\)/,
  );
  await office.getByTestId("kpi-done").click();
  const drill = office.getByTestId("drill-table");
  await drill.getByTestId("drill-task").filter({ hasText: taskTitle }).waitFor();
  expect(await drill.getByTestId("drill-task").count()).toBe(1);
  await drill.locator("[data-light=done]").first().waitFor();
  await screenshot(office, "office-dashboard");

  // The plan page shows the light per task, and the task's history with every step.
  await drill.getByTestId("drill-task").filter({ hasText: taskTitle }).click();
  await office.getByRole("tab", { name: "操作记录" }).waitFor();
  await office.getByTestId("plan-lights").waitFor();
  const planRow = office.locator("tr", { has: office.getByTestId(`task-${taskId}`) });
  await planRow.locator("[data-light=done]").waitFor();
  // Reports one period at a time: the latest period with reports, this one with two versions.
  await office.getByRole("tab", { name: /进展报告/ }).click();
  const period = office.getByTestId("history-period");
  await period.waitFor();
  expect(await period.textContent()).toMatch(/1 份/);
  const filed = office.locator(".ant-drawer .ant-collapse-item", { hasText: "党政办公室" });
  await filed.locator(".ant-collapse-header").getByText("第 2 版").waitFor();
  await office.getByRole("tab", { name: /进展报告/, selected: true }).waitFor();
  // The tab's ink bar has slid over: it sits under the selected tab, and has stopped.
  await office.waitForFunction(() => {
    const tab = document.querySelector(".ant-drawer .ant-tabs-tab-active");
    const bar = tab?.closest(".ant-tabs-nav")?.querySelector(".ant-tabs-ink-bar");
    if (!tab || !bar) return false;
    const [t, b] = [tab.getBoundingClientRect(), bar.getBoundingClientRect()];
    return (
      Math.abs(t.left - b.left) < 1 && Math.abs(t.width - b.width) < 1 && bar.getAnimations().length === 0
    );
  });
  await viewportShot(office, "office-task-history-reports");
  await office.getByRole("tab", { name: /操作记录/ }).click();
  await office.locator(".ant-drawer").getByText("审核通过").waitFor();
  await office.locator(".ant-drawer").getByText("退回", { exact: true }).waitFor();
  await viewportShot(office, "office-task-history");
  await office.close();
});

it("the office issues a supervision notice from a task's history; the unit replies", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.getByRole("link", { name: "关于徐泾镇2023年政务公开工作要点" }).click();
  await office.getByTestId("plan-lights").waitFor();
  const title = "提高重大行政决策公开集成度";
  await office
    .locator("tr", { has: office.getByText(title, { exact: true }) })
    .getByLabel("历史")
    .click();
  await office.getByTestId("history-issue").click();
  // The unit list fills once the plan's tasks are loaded.
  await office.locator(".ant-modal").getByText(title).waitFor();
  const picked = office.getByTestId("notice-unit").getByText("党政办公室(牵头)");
  for (let attempt = 0; attempt < 3 && !(await picked.isVisible()); attempt++) {
    await office.getByTestId("notice-unit").click();
    await office.locator(".ant-select-item-option", { hasText: "党政办公室" }).click();
    await picked.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await picked.waitFor();
  await office.locator(".ant-radio-button-wrapper", { hasText: "督办" }).click();
  await office.getByTestId("notice-content").fill("该任务进展滞后,请报送进展并说明原因。");
  await office
    .locator(".ant-modal")
    .getByRole("button", { name: /下\s*发/ })
    .click();
  await toast(office, "已下发督办通知");
  await office.goto(`${e2e.baseUrl}/supervision`);
  await office.getByText("该任务进展滞后,请报送进展并说明原因。").first().waitFor();
  await screenshot(office, "office-supervision");

  const unit = await newPage();
  await signIn(unit, e2e.baseUrl, "dangzheng", "Unit@2026");
  await unit.getByText("有 1 份督办通知待回复").waitFor();
  await unit.getByText(title, { exact: false }).first().waitFor();
  await unit.locator(".ant-alert").getByText(title, { exact: false }).click();
  const notice = unit.getByTestId("notice-item");
  await notice.waitFor();
  await notice.locator("textarea").fill("已于本周完成集成公开,进展报告随后报送。");
  await notice.getByRole("button", { name: /回\s*复/ }).click();
  await toast(unit, "已回复");
  await unit.close();

  await office.reload();
  await office.locator("tr", { hasText: "该任务进展滞后" }).getByText("已回复").waitFor();
  await office.goto(`${e2e.baseUrl}/bulletins`);
  await office.getByText("各单位完成情况").waitFor();
  await office.getByText("党政办公室").first().waitFor();
  await screenshot(office, "office-bulletins");
  // Generate a bulletin and download it as Word: a real .docx (a zip) arrives.
  await office.getByTestId("bulletin-create").click();
  await office.locator(".ant-popconfirm .ant-btn-primary").click();
  await toast(office, "已生成通报");
  const [download] = await Promise.all([
    office.waitForEvent("download"),
    office.locator("[data-testid^=bulletin-docx-]").first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).subarray(0, 2).toString()).toBe("PK");
  await office.close();
});
