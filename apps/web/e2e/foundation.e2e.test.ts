import { createUnit, systemActor } from "@gongkai/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, pickUnit, screenshot, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

it("the office assigns a task to a village in the plan page, and the village sees it", async () => {
  const office = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  // The office lands on its dashboard; the plans are one click away.
  await office.getByRole("menuitem", { name: "工作要点" }).click();
  await office.getByRole("link", { name: "关于徐泾镇2023年政务公开工作要点" }).click();
  await office.getByText("任务分工(28 项)").waitFor();
  await office.getByText("二、提升政策公开服务能级").waitFor();

  // Task 5: add 前明村 as a cooperating unit, and the 各居委会 group as responsible.
  await office.getByText("加强政策咨询平台建设", { exact: true }).click();
  await office.getByText("编辑任务 5").waitFor();
  await pickUnit(office, "units-cooperating", "前明", "前明村村民委员会");
  await pickUnit(office, "units-responsible", "各居委", "各居委会");
  await office.getByTestId("task-save").click();
  await office.getByText("已保存任务").waitFor();
  const row = office.locator("tr", { has: office.getByText("加强政策咨询平台建设", { exact: true }) });
  await row.getByText("前明村村民委员会").waitFor();
  await row.getByText("各居委会").waitFor();
  await office.locator(".ant-drawer-content").waitFor({ state: "hidden" });
  await screenshot(office, "plan-page");
  await office.close();

  const village = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(village, e2e.baseUrl, "qianming", "Unit@2026");
  await village.getByTestId("my-task-title").first().waitFor();
  const titles = await village.getByTestId("my-task-title").allTextContents();
  expect(titles).toContain("加强政策咨询平台建设");
  expect(titles).toContain("巩固基层政务公开标准化建设成果");
  // Only its own tasks: the plan has 28, the village is on two.
  expect(titles).toHaveLength(2);
  await screenshot(village, "unit-tasks");
  await village.close();
});

it("shows a Chinese error for a wrong password and keeps the user on the sign-in page", async () => {
  const page = await e2e.browser.newPage({ locale: "zh-CN" });
  await page.goto(`${e2e.baseUrl}/login`);
  await page.getByLabel("用户名").fill("office");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await expect(page.getByTestId("login-error").textContent()).resolves.toContain("用户名或密码错误");
  expect(new URL(page.url()).pathname).toBe("/login");
  await screenshot(page, "login-error");
  await page.close();
});

it("a link opened before signing in leads back to its page after sign-in; the sign-in page links to the public rankings", async () => {
  const page = await e2e.browser.newPage({ locale: "zh-CN" });
  await page.goto(`${e2e.baseUrl}/my-tasks?light=overdue`);
  await page.getByLabel("用户名").waitFor();
  expect(new URL(page.url()).pathname).toBe("/login");
  await expect(page.getByRole("link", { name: /公开发布的评估排名/ }).getAttribute("href")).resolves.toBe(
    "/public/rankings",
  );
  await page.getByLabel("用户名").fill("dangzheng");
  await page.getByLabel("密码").fill("Unit@2026");
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByTestId("current-user").waitFor();
  await page.waitForURL((url) => url.pathname === "/my-tasks");
  expect(new URL(page.url()).search).toBe("?light=overdue");
  await page.close();
});

it("the office finds a unit by name in a directory of hundreds, which opens two levels deep", async () => {
  // A directory past a few hundred units (a province has 20,000, which crashed the tab when every
  // row was rendered unfolded): 320 villages three levels below the demo's town government.
  const { db } = e2e.database;
  const office = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "office") });
  const actor = { ...systemActor, unitId: office?.unitId ?? null };
  const area = await createUnit(db, actor, {
    parentId: office?.unitId ?? null,
    name: "测试片区",
    kind: "town",
  });
  const block = await createUnit(db, actor, { parentId: area.id, name: "测试片区第一分片", kind: "town" });
  for (let i = 1; i <= 320; i++)
    await createUnit(db, actor, { parentId: block.id, name: `测试第${i}村村民委员会`, kind: "village" });
  const total = (await db.query.units.findMany()).length;

  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/units`);
  await page.getByText(`共 ${total} 个单位,已展开前两级`).waitFor();
  const table = page.getByTestId("units-table");
  // Folded below the second level: a village of the town does not show until it is looked for.
  expect(await table.getByText("测试第157村村民委员会").count()).toBe(0);
  const search = page.getByTestId("units-search").locator("input");
  await search.fill("第157村");
  await search.press("Enter");
  await table.getByText("测试第157村村民委员会").waitFor();
  await table.getByText("测试片区第一分片").waitFor();
  expect(await table.getByText("测试第158村村民委员会").count()).toBe(0);
  await screenshot(page, "units-search");
  await search.fill("没有这个单位");
  await search.press("Enter");
  await page.getByText("没有找到匹配的单位,请换个名称试试。").waitFor();
  await page.close();
});
