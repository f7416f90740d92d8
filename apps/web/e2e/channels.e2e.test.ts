/**
 * 通知渠道 in the browser: a unit's contact gives an email on the account page (on a phone); the
 * office adds a 企业微信 group robot, whose key it never sees again, and — the robot refusing the
 * messages (a stand-in answering 企业微信's "invalid webhook url") — finds the failed message with
 * its error in 发送记录 and sends it again.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { wecomSender } from "@gongkai/api-server/src/channels/wecom.ts";
import { createOutboxWorker } from "@gongkai/api-server/src/channels/worker.ts";
import { notify } from "@gongkai/db";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E, stopped } from "./harness.ts";

let e2e: E2E;
let robot: Server;
let robotUrl = "";
const robotKey = "3a1f0c9e-77d2-4b1e-9c55-e2e0robot0001";
beforeAll(async () => {
  e2e = await startE2E();
  // 企业微信's answer to a robot that was removed from its group.
  robot = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"errcode":93000,"errmsg":"invalid webhook url, hint: [1733562000_01_abcdef]"}');
  });
  await new Promise<void>((resolve) => robot.listen(0, "127.0.0.1", resolve));
  robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=${robotKey}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => robot?.close(() => resolve()));
  await e2e?.close();
});

/** Picks one unit in a single-choice unit tree by typing its name. */
async function pickOne(page: Page, testId: string, name: string) {
  const select = page.getByTestId(testId);
  await select.click();
  await select.locator("input").first().pressSequentially(name);
  const option = page
    .locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper", { hasText: name })
    .first();
  await option.click();
  await select.getByText(name).first().waitFor();
}

it("a unit's contact gives an email and the kinds to receive by it, on a phone", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "dangzheng", "Unit@2026");
  await page.goto(`${e2e.baseUrl}/account`);
  const card = page.getByTestId("notification-prefs");
  await card.getByLabel("接收通知的邮箱").fill("lianluoyuan@xujing.example.gov.cn");
  const emailKinds = card.locator(".ant-form-item", { hasText: "发到邮箱的通知" });
  await emailKinds.getByLabel("任务即将到期提醒").check();
  await emailKinds.getByLabel("任务逾期提醒").check();
  await card.getByLabel("接收短信的手机号码").fill("1380013");
  await card.getByRole("button", { name: "保存通知方式" }).click();
  // A number that is not one: refused in Chinese, nothing saved.
  await card.getByText("请填写 11 位手机号码").waitFor();
  await card.getByLabel("接收短信的手机号码").fill("");
  await card.getByRole("button", { name: "保存通知方式" }).click();
  await page.getByText("通知方式已保存").waitFor();
  const db = e2e.database.db;
  const contact = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "dangzheng") });
  const saved = await db.query.notificationPreferences.findFirst({
    where: (p, { eq }) => eq(p.userId, contact?.id ?? 0),
  });
  expect(saved).toMatchObject({
    email: "lianluoyuan@xujing.example.gov.cn",
    emailKinds: ["task.dueSoon", "task.overdue"],
    phone: null,
    digest: false,
  });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await stopped(page);
  await screenshot(page, "channels-account-prefs-phone");
  // Opened again, the page shows what was saved.
  await page.reload();
  await expect
    .poll(() => page.getByTestId("notification-prefs").getByLabel("接收通知的邮箱").inputValue())
    .toBe("lianluoyuan@xujing.example.gov.cn");
  await page.close();
});

it("the office adds a group robot, then finds its failed message and the error in 发送记录 and sends it again", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.getByRole("menuitem", { name: "通知渠道" }).click();
  await page.getByRole("tab", { name: "群机器人" }).click();
  await page.getByRole("button", { name: "添加群机器人" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("名称").fill("党政办工作群");
  await pickOne(page, "robot-target", "党政办公室");
  await dialog.getByLabel("Webhook 地址").fill(robotUrl);
  await dialog.getByRole("button", { name: /保\s*存/ }).click();
  await page.getByText("已保存群机器人").waitFor();
  const row = page.locator(".ant-table-row", { hasText: "党政办工作群" });
  await row.getByText("党政办公室").waitFor();
  // The key is the robot's password: shown as its last four characters only.
  await row.getByText(/key=…0001/).waitFor();
  expect(await page.content()).not.toContain(robotKey);

  // A task falls overdue; the worker tries the robot until it gives up.
  const db = e2e.database.db;
  const unit = await db.query.units.findFirst({ where: (u, { eq }) => eq(u.name, "党政办公室") });
  let now = new Date();
  await db.transaction((tx) =>
    notify(
      tx,
      {
        unitId: unit?.id ?? 0,
        kind: "task.overdue",
        title: "任务已逾期:建立健全政务公开工作机制",
        body: "应于 3 月 31 日前完成,已逾期 2 天。",
        link: "/my-tasks?task=1",
      },
      now,
    ),
  );
  const worker = createOutboxWorker({
    db,
    senders: { wecom: wecomSender({ baseUrl: e2e.baseUrl }) },
    now: () => now,
    log: () => {},
  });
  for (let pass = 0; pass < 12; pass++) {
    await worker.runOnce();
    now = new Date(now.getTime() + 2 * 3_600_000);
  }
  const failed = await db.query.outbox.findFirst({ where: (o, { eq }) => eq(o.channel, "wecom") });
  expect(failed).toMatchObject({ status: "failed", attempts: 10 });
  // The contact's email (first test) failed too: this server has no SMTP set up.
  const email = await db.query.outbox.findFirst({ where: (o, { eq }) => eq(o.channel, "email") });
  expect(email).toMatchObject({ status: "failed", lastError: "本系统未开通邮件发送" });

  await page.getByRole("tab", { name: "发送记录" }).click();
  const filter = page.getByTestId("delivery-status-filter");
  await filter.getByText("发送失败 2").click();
  await expect.poll(() => page.url()).toContain("status=failed");
  const deliveries = page.getByTestId("deliveries");
  // Two failed: the robot's message, and the email this server cannot send (no SMTP set up).
  const message = deliveries
    .locator(".ant-table-row", { hasText: "任务已逾期:建立健全政务公开工作机制" })
    .filter({ hasText: "党政办工作群" });
  await message.getByText("发送失败").waitFor();
  await message.getByText("企业微信群").waitFor();
  await deliveries
    .locator(".ant-table-row", { hasText: "lianluoyuan@xujing.example.gov.cn" })
    .getByText("本系统未开通邮件发送")
    .waitFor();
  await message.getByText("已试 10 次").waitFor();
  await expect(message.getByTestId("delivery-error").textContent()).resolves.toBe(
    "企业微信返回错误 93000:invalid webhook url, hint: [1733562000_01_abcdef]",
  );
  await stopped(page);
  await screenshot(page, "channels-deliveries-failed");

  await message.getByRole("button", { name: "重新发送" }).click();
  await page.getByText("已重新排入发送").waitFor();
  // It leaves the failed list (the email stays), and waits to be sent again.
  await message.waitFor({ state: "detached" });
  await filter.getByText("发送失败 1").waitFor();
  await filter.getByText(/^全部/).click();
  await message.getByText("待发送").waitFor();
  const again = await db.query.outbox.findFirst({ where: (o, { eq }) => eq(o.id, failed?.id ?? 0) });
  expect(again).toMatchObject({ status: "pending", attempts: 0 });
  await page.close();
});
