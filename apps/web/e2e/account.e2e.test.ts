import { totpCode } from "@gongkai/core/identity";
import { createUser, systemActor } from "@gongkai/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

it("lists the demo's public accounts on the sign-in page, and a click fills one in", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await page.goto(`${e2e.baseUrl}/login`);
  const demo = page.getByTestId("demo-accounts");
  await demo.getByText("演示环境").waitFor();
  await demo.getByRole("button", { name: /office \/ Office@2026/ }).click();
  await expect(page.getByLabel("用户名").inputValue()).resolves.toBe("office");
  // The card fits a phone: no horizontal scrolling.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, "login-demo-accounts-phone");
  await page.close();
});

it("a new account must choose its own password first; a guessable one is refused in Chinese", async () => {
  // What an administrator's 添加用户 does: an initial password its owner must replace.
  const unit = await e2e.database.db.query.units.findFirst({
    where: (u, { like }) => like(u.name, "前明村%"),
  });
  await createUser(e2e.database.db, systemActor, {
    username: "xinren",
    displayName: "新任联络员",
    role: "unit",
    unitId: unit?.id ?? null,
    password: "Chushi#Mima-2026",
    mustChangePassword: true,
  });
  const page = await e2e.browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await page.goto(`${e2e.baseUrl}/login`);
  await page.getByLabel("用户名").fill("xinren");
  await page.getByLabel("密码").fill("Chushi#Mima-2026");
  await page.getByRole("button", { name: /登\s*录/ }).click();
  const forced = page.getByTestId("forced-password-change");
  await forced.getByText("请设置只有您知道的新密码").waitFor();
  await forced.getByLabel("当前密码").fill("Chushi#Mima-2026");
  await forced.getByLabel("新密码", { exact: true }).fill("Woaini@1314");
  await forced.getByLabel("再次输入新密码").fill("Woaini@1314");
  await forced.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByTestId("password-error").textContent()).resolves.toContain("容易被猜到");
  await screenshot(page, "forced-password-change-phone");
  await forced.getByLabel("新密码", { exact: true }).fill("Qianming-Hetang-47");
  await forced.getByLabel("再次输入新密码").fill("Qianming-Hetang-47");
  await forced.getByRole("button", { name: "修改密码" }).click();
  await page.getByTestId("current-user").waitFor();
  await expect(page.getByTestId("current-user").textContent()).resolves.toContain("新任联络员");
  await page.close();
});

it("the office turns on two-step sign-in, and the next sign-in asks for the code", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.getByRole("button", { name: "账号安全" }).click();
  const card = page.getByTestId("totp-card");
  await card.getByRole("button", { name: "开启两步验证" }).click();
  const secret = (await card.getByTestId("totp-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await card.locator("canvas, svg").first().waitFor();
  await screenshot(page, "account-totp-setup");
  await card.getByLabel("动态验证码").fill(totpCode(secret, new Date()));
  await card.getByRole("button", { name: "确认开启" }).click();
  await card.getByText("已开启").waitFor();

  // Sign out; signing in again takes the password, then the code (the next one: each works once).
  await page.getByRole("button", { name: /退\s*出$/ }).click();
  await page.getByLabel("用户名").waitFor();
  await page.getByLabel("用户名").fill("office");
  await page.getByLabel("密码").fill("Office@2026");
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByLabel("动态验证码").waitFor();
  await expect(page.getByTestId("login-error").textContent()).resolves.toContain("动态验证码");
  await page.getByLabel("动态验证码").fill(totpCode(secret, new Date(Date.now() + 30_000)));
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByTestId("current-user").waitFor();
  await page.close();
});
