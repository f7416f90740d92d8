/**
 * A unit's work on a phone (390 × 844, touch, 3× pixels): its tasks as cards, a report filed
 * full-screen with a photo as evidence, a notice replied to, the notification list, the
 * self-assessment, its evaluation result and an appeal, and 退出. On every screen the page is no
 * wider than the phone. And the login page on a slow township line, its first paint printed.
 */
import { crc32, deflateSync } from "node:zlib";
import { issueNotice, systemActor } from "@gongkai/db";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type E2E, screenshotDir, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

const phone = { width: 390, height: 844 };
/** Contexts still open when a test ends (a failed one), closed before the next test. */
const opened = new Set<BrowserContext>();
afterEach(async () => {
  for (const c of opened) await c.close();
  opened.clear();
});
async function newPhone(): Promise<BrowserContext> {
  const context = await e2e.browser.newContext({
    viewport: phone,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
    locale: "zh-CN",
  });
  opened.add(context);
  context.on("close", () => opened.delete(context));
  return context;
}

/** A drawer that has finished sliding in: its left edge at the screen's. */
async function settled(drawer: Locator) {
  await expect.poll(async () => (await drawer.boundingBox())?.x).toBe(0);
}

/** Task 10 of the demo plan, led by 党政办公室 alone (overdue on today's clock). */
const reportTask = "扎实推进重大行政决策事项目录管理";

/** The page is no wider than the phone: nothing to scroll sideways. */
async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(phone.width);
}

/** The element is wholly on screen (not beside it, not below the fold). */
async function onScreen(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  if (!box) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(phone.width + 0.5);
  expect(box.y + box.height).toBeLessThanOrEqual(phone.height + 0.5);
}

/** What the phone's screen shows (drawers are fixed to it; a full-page shot would cut them off). */
const shot = (page: Page, name: string) => page.screenshot({ path: `${screenshotDir}${name}.png` });
const fullShot = (page: Page, name: string) =>
  page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });

/** Waits for an antd message toast with this text. */
const toast = (page: Page, text: string) =>
  page.locator(".ant-message-notice", { hasText: text }).first().waitFor();

/** A real PNG (a 24 × 16 red and white photo stand-in): the server types uploads from their bytes. */
function samplePng(): Buffer {
  const [w, h] = [24, 16];
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: number[] = [];
  for (let y = 0; y < h; y++) {
    rows.push(0);
    for (let x = 0; x < w; x++) rows.push(...(y < h / 2 ? [183, 36, 42] : [255, 255, 255]));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A task of the same plan as the report task, by its number in the plan. */
async function taskByCode(code: string) {
  const planId = (
    await e2e.database.db.query.tasks.findFirst({ where: (t, { eq }) => eq(t.title, reportTask) })
  )?.planId;
  const row = await e2e.database.db.query.tasks.findFirst({
    where: (t, { and, eq }) => and(eq(t.code, code), eq(t.planId, planId ?? 0)),
  });
  if (!row) throw new Error(`demo task ${code} missing`);
  return row;
}

it("a unit on a phone: task cards, a full-screen report with a photo, a notice replied to, notifications, self-assessment, an appeal, 退出", async () => {
  const { db } = e2e.database;
  // The office has sent 党政办 a 督办 notice on task 12, and the 2022 evaluation's results were
  // shown to the units today (its appeal window is open).
  const unit = await db.query.units.findFirst({ where: (u, { eq }) => eq(u.name, "党政办公室") });
  const office = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "office") });
  const noticeTask = await taskByCode("12");
  await issueNotice(
    db,
    { ...systemActor, userId: office?.id ?? 0 },
    {
      taskId: noticeTask.id,
      unitId: unit?.id ?? 0,
      level: "supervise",
      content: "该任务进展滞后,请于本周内报送进展并说明原因。",
    },
    new Date(),
  );
  await e2e.database.pglite?.query(
    "update evaluation_projects set results_shown_at = now() where year = 2022",
  );

  const context = await newPhone();
  const page = await context.newPage();
  await signIn(page, e2e.baseUrl, "dangzheng", "Unit@2026");

  // ---------------------------------------------------------------- the task list, as cards
  await page.getByTestId("my-task-cards").waitFor();
  const card = page
    .locator("[data-testid^=my-task-card-]")
    .filter({ has: page.getByTestId("my-task-title").filter({ hasText: reportTask }) });
  await card.locator("[data-light=overdue]").waitFor();
  await card.getByText("完成时限").waitFor();
  await card.getByText("最新报告").waitFor();
  await card.getByText("牵头").waitFor();
  // The header: the user's name, on screen.
  await onScreen(page.getByTestId("current-user"));
  expect(await page.getByTestId("current-user").textContent()).toContain("党政办");
  await fitsThePhone(page);
  await shot(page, "phone-my-tasks");
  await card.scrollIntoViewIfNeeded();
  await shot(page, "phone-task-cards");
  await fullShot(page, "phone-my-tasks-full");

  // ---------------------------------------------------------------- the report, full-screen
  await card.getByRole("button", { name: /填\s*报/ }).click();
  const form = page.getByTestId("report-form");
  await form.waitFor();
  const drawer = page.locator(".ant-drawer-content-wrapper").filter({ has: form });
  // Open and settled: the drawer covers the screen, not beside it.
  await settled(drawer);
  await onScreen(drawer);
  await fitsThePhone(page);
  await form.locator(".ant-radio-button-wrapper", { hasText: "已完成" }).click();
  await page
    .getByTestId("report-summary")
    .fill("已编制2023年度重大行政决策事项目录,3月28日在镇政府门户网站公开,附公开栏照片。");
  // A photo from the camera: the camera's input asks for images and the back camera.
  const camera = form.locator("input[type=file][capture]");
  expect(await camera.getAttribute("accept")).toContain("image/");
  await camera.setInputFiles({ name: "公开栏照片.png", mimeType: "image/png", buffer: samplePng() });
  const photo = page.getByTestId("evidence-file").filter({ hasText: "公开栏照片.png" });
  await photo.waitFor();
  // 拍照 and 选择文件 side by side, the photo listed above them.
  await page.getByTestId("evidence-camera").scrollIntoViewIfNeeded();
  await onScreen(page.getByTestId("evidence-camera"));
  await onScreen(page.getByTestId("evidence-upload"));
  await shot(page, "phone-report-evidence");
  await page.getByTestId("report-summary").scrollIntoViewIfNeeded();
  const submit = page.getByTestId("report-submit");
  await submit.waitFor();
  await onScreen(submit);
  // Every control of the form is inside the screen's width.
  const overflowing = await form.evaluate(
    (f) =>
      [...f.querySelectorAll("input, textarea, button, .ant-select, .ant-picker, .ant-slider")]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.left < 0 || r.right > window.innerWidth + 0.5)).length,
  );
  expect(overflowing).toBe(0);
  await shot(page, "phone-report-form");
  // An impatient double tap: one submission, and success, not a conflict.
  await submit.dblclick();
  await toast(page, "已提交,等待政务公开办审核");
  await page.getByText("等待政务公开办审核。审核前不能修改。", { exact: false }).waitFor();
  expect(await page.getByTestId("report-error").count()).toBe(0);
  expect(await page.locator(".ant-message-error").count()).toBe(0);
  await shot(page, "phone-report-submitted");
  await page.locator(".ant-drawer-open .ant-drawer-close").click();
  await page.locator(".ant-drawer-open").waitFor({ state: "detached" });
  await card.getByText("待审核").waitFor();

  // ---------------------------------------------------------------- notifications, the notice, a reply
  await page.getByTestId("notification-bell").click();
  const list = page.getByTestId("notifications");
  await list.waitFor();
  const note = list.getByTestId("notification-item").filter({ hasText: "督办" }).first();
  await note.waitFor();
  const listDrawer = page.locator(".ant-drawer-content-wrapper").filter({ has: list });
  await settled(listDrawer);
  await onScreen(listDrawer);
  await fitsThePhone(page);
  await shot(page, "phone-notifications");
  await note.click();
  const notice = page.getByTestId("notice-item");
  await notice.waitFor();
  expect(new URL(page.url()).searchParams.get("task")).toBe(String(noticeTask.id));
  await notice.locator("textarea").fill("已于本周完成决策事项目录公开,进展报告随后报送。");
  const reply = notice.getByRole("button", { name: /回\s*复/ });
  await reply.scrollIntoViewIfNeeded();
  await onScreen(reply);
  await fitsThePhone(page);
  await shot(page, "phone-notice-reply");
  await reply.click();
  await toast(page, "已回复");
  await notice.getByText("本单位回复").waitFor();
  await page.locator(".ant-drawer-open .ant-drawer-close").click();
  await page.locator(".ant-drawer-open").waitFor({ state: "detached" });

  // ---------------------------------------------------------------- the menu, the self-assessment
  await page.getByTestId("nav-menu").click();
  await page.getByRole("menuitem", { name: "年度自评" }).click();
  await page.getByText("徐泾镇2023年度机关各科室政务公开工作考核 · 自评").waitFor();
  await page.getByTestId("self-save").waitFor();
  await fitsThePhone(page);
  // The id sits on the input itself or on its wrapper, by the indicator's kind.
  const field = page.getByTestId("self-5.1").first();
  const input = (await field.evaluate((e) => e.tagName === "INPUT")) ? field : field.locator("input").first();
  await input.scrollIntoViewIfNeeded();
  await input.fill("9");
  await input.press("Tab");
  await page.getByTestId("self-save").click();
  await toast(page, "已保存自评");
  await fitsThePhone(page);
  await input.scrollIntoViewIfNeeded();
  await shot(page, "phone-self-assessment");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "phone-self-assessment-top");

  // ---------------------------------------------------------------- the evaluation result, an appeal
  await page.goto(`${e2e.baseUrl}/my-evaluations`);
  await page.getByTestId("my-indicators").getByText("政民互动回复").first().waitFor();
  await fitsThePhone(page);
  await fullShot(page, "phone-my-evaluation");
  const appeal = page.locator("[data-testid^=appeal-]").first();
  await appeal.scrollIntoViewIfNeeded();
  await appeal.click();
  const dialog = page.locator(".ant-modal").filter({ hasText: "申诉理由" });
  await dialog.waitFor();
  await dialog.locator("textarea").fill("评估期间该栏目已按期更新,附更新记录截图网址,请复核。");
  const send = dialog.getByRole("button", { name: "提交申诉" });
  await onScreen(send);
  await onScreen(dialog.locator(".ant-modal-container, .ant-modal-content").first());
  await shot(page, "phone-appeal");
  // A double tap files one appeal, and says so once.
  await send.dblclick();
  await toast(page, "已提交申诉");
  expect(await page.locator(".ant-message-notice", { hasText: "已提交申诉" }).count()).toBe(1);
  await page.getByTestId("my-appeals").getByText("处理中").first().waitFor();
  await page.getByTestId("my-appeals").scrollIntoViewIfNeeded();
  await fitsThePhone(page);
  await shot(page, "phone-my-appeals");
  expect(await page.locator(".ant-message-error").count()).toBe(0);

  // ---------------------------------------------------------------- 账号安全 (password, second factor, devices)
  await page.goto(`${e2e.baseUrl}/account`);
  await page.getByRole("heading", { name: "账号安全" }).waitFor();
  await page.getByText("修改密码").first().waitFor();
  await fitsThePhone(page);
  await fullShot(page, "phone-account");

  // ---------------------------------------------------------------- 退出
  await page.getByTestId("current-user").click();
  const signOut = page.getByRole("menuitem", { name: /退出/ });
  await signOut.waitFor();
  await onScreen(signOut);
  await shot(page, "phone-account-menu");
  await signOut.click();
  await page.waitForURL(/\/login/);
  await page.getByLabel("用户名").waitFor();
  await fitsThePhone(page);
  await context.close();
});

it("two tabs on one report: 刷新 after a conflict shows the newer version and keeps what was typed", async () => {
  const task = await taskByCode("13");
  const context = await newPhone();
  const first = await context.newPage();
  await signIn(first, e2e.baseUrl, "dangzheng", "Unit@2026");
  const second = await context.newPage();
  for (const page of [first, second]) {
    await page.goto(`${e2e.baseUrl}/my-tasks?task=${task.id}`);
    await page.getByTestId("report-form").waitFor();
  }
  // A draft exists: both tabs hold its first version.
  await first.getByTestId("report-summary").fill("第一个标签页:已邀请公众代表列席决策会议1次。");
  await first.getByTestId("report-save").click();
  await toast(first, "草稿已保存");
  await second.reload();
  await second.getByTestId("report-form").waitFor();
  await first.getByTestId("report-summary").fill("第一个标签页:已邀请公众代表列席决策会议2次,附会议纪要。");
  await first.getByTestId("report-save").click();
  await toast(first, "草稿已保存");

  // The second tab, a version behind, saves what it typed: refused, and 刷新 keeps the typing.
  const typed = "第二个标签页:6月12日邀请3名公众代表列席镇政府常务会议。";
  await second.getByTestId("report-summary").fill(typed);
  await second.getByTestId("report-save").click();
  const error = second.getByTestId("report-error");
  await error.waitFor();
  await error.getByRole("button", { name: /刷\s*新/ }).click();
  const kept = second.getByTestId("report-kept");
  await kept.waitFor();
  expect(await kept.textContent()).toContain(typed);
  // Beside it, the newer version from the other tab.
  await expect
    .poll(() => second.getByTestId("report-summary").inputValue())
    .toBe("第一个标签页:已邀请公众代表列席决策会议2次,附会议纪要。");
  await fitsThePhone(second);
  await onScreen(kept);
  await second.locator(".ant-message-notice").first().waitFor({ state: "detached" });
  await shot(second, "phone-report-conflict");
  // The user takes their own text onto the newer version and saves: accepted.
  await kept.getByRole("button", { name: "用我填写的内容" }).click();
  expect(await second.getByTestId("report-summary").inputValue()).toBe(typed);
  await second.getByTestId("report-save").click();
  await toast(second, "草稿已保存");
  await kept.waitFor({ state: "detached" });
  await context.close();
});

it("the login page on a slow township line (1.6 Mbit/s down, 750 kbit/s up, 150 ms)", {
  timeout: 300_000,
}, async () => {
  const context = await newPhone();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await page.goto(`${e2e.baseUrl}/login`, { waitUntil: "commit", timeout: 120_000 });
  await page.getByLabel("用户名").waitFor({ timeout: 120_000 });
  const paint = await page.evaluate(
    () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  );
  const loaded = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    const scripts = performance
      .getEntriesByType("resource")
      .filter(
        (r) => (r as PerformanceResourceTiming).initiatorType === "script",
      ) as PerformanceResourceTiming[];
    return {
      form: Math.round(performance.now()),
      domContentLoaded: nav ? Math.round(nav.domContentLoadedEventEnd) : null,
      scriptBytes: scripts.reduce((s, r) => s + r.transferSize, 0),
    };
  });
  console.log(
    `[slow link] /login first-contentful-paint ${paint === null ? "—" : `${Math.round(paint)} ms`}, ` +
      `form shown by ${loaded.form} ms, DOMContentLoaded ${loaded.domContentLoaded} ms, ` +
      `${Math.round(loaded.scriptBytes / 1024)} KB of script over the wire`,
  );
  await shot(page, "phone-login-slow-link");
  await context.close();
});
