import { createPlan, createTask, issueNotice, setPlanStatus, systemActor } from "@gongkai/db";
import { taskInput } from "@gongkai/validators";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, pickUnit, screenshot, signIn, startE2E } from "./harness.ts";

/**
 * Search and filters (issue 15, item 5): a unit narrows its tasks by year and keyword, in the
 * address; the office finds a task from the header's search box and opens it with the keyboard;
 * the user form's unit picker finds a unit by part of its name.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  // Beside the demo's 2023 plan, a 2026 plan whose codes repeat the 2023 ones (1, 2).
  const { db } = e2e.database;
  const unit = async (name: string) => {
    const u = await db.query.units.findFirst({ where: (x, { eq }) => eq(x.name, name) });
    if (!u) throw new Error(`unit ${name} missing`);
    return u.id;
  };
  const gov = await unit("徐泾镇人民政府");
  const dangzheng = await unit("党政办公室");
  const plan = await createPlan(db, systemActor, {
    year: 2026,
    title: "关于徐泾镇2026年政务公开工作要点",
    docNumber: "徐府〔2026〕8号",
    issuerUnitId: gov,
    publishDate: "2026-03-01",
  });
  for (const [code, title] of [
    ["1", "深化政务公开标准化规范化建设"],
    ["2", "优化政府网站集约化平台"],
  ]) {
    const { planId: _planId, ...input } = taskInput.parse({
      planId: plan.id,
      sectionId: null,
      code,
      title,
      category: "platform",
      units: {
        lead: { unitIds: [dangzheng], groupIds: [] },
        cooperating: { unitIds: [], groupIds: [] },
        responsible: { unitIds: [], groupIds: [] },
      },
    });
    await createTask(db, systemActor, plan.id, input);
  }
  await setPlanStatus(db, systemActor, plan.id, "published");
  // A notice to each of two units on the 2023 plan.
  const demo = await db.query.plans.findFirst({ where: (p, { eq }) => eq(p.year, 2023) });
  const task = async (code: string) => {
    const t = await db.query.tasks.findFirst({
      where: (x, { and, eq }) => and(eq(x.planId, demo?.id ?? 0), eq(x.code, code)),
    });
    if (!t) throw new Error(`task ${code} missing`);
    return t.id;
  };
  const now = new Date();
  const officeUser = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "office") });
  const office = { ...systemActor, userId: officeUser?.id ?? 0 };
  const notice = { level: "remind" as const, content: "请按期报送进展。" };
  await issueNotice(db, office, { ...notice, taskId: await task("10"), unitId: dangzheng }, now);
  await issueNotice(
    db,
    office,
    { ...notice, taskId: await task("22"), unitId: await unit("前明村村民委员会") },
    now,
  );
});
afterAll(() => e2e?.close());

const rowTitles = (page: import("playwright-core").Page) =>
  page.locator("[data-testid^='my-task-row-']").getByTestId("my-task-title").allTextContents();

it("a unit narrows its tasks by year and keyword; the address keeps them; no match says so", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "dangzheng", "Unit@2026");
  await page.goto(`${e2e.baseUrl}/my-tasks`);
  // This year's plan first: its two tasks, not the 2023 ones with the same codes.
  await page.getByTestId("my-task-title").filter({ hasText: "优化政府网站集约化平台" }).waitFor();
  await expect
    .poll(() => rowTitles(page))
    .toEqual(["深化政务公开标准化规范化建设", "优化政府网站集约化平台"]);
  await expect(page.getByTestId("filter-year").inputValue()).resolves.toBe("2026");

  await page.getByTestId("filter-year").selectOption("2023");
  await page.getByTestId("filter-keyword").fill("重大行政决策");
  await expect
    .poll(() => rowTitles(page))
    .toEqual([
      "严格执行重大行政决策听取意见制度",
      "扎实推进重大行政决策事项目录管理",
      "提高重大行政决策公开集成度",
    ]);
  expect(new URL(page.url()).searchParams.get("year")).toBe("2023");
  expect(new URL(page.url()).searchParams.get("q")).toBe("重大行政决策");
  await screenshot(page, "my-tasks-filtered");

  // A link (or a reload) with the filters shows the same list.
  await page.reload();
  await expect.poll(() => rowTitles(page)).toHaveLength(3);
  await expect(page.getByTestId("filter-keyword").inputValue()).resolves.toBe("重大行政决策");

  await page.getByTestId("filter-keyword").fill("没有这项任务");
  await page.getByTestId("my-tasks-no-match").getByText("没有符合筛选条件的任务").waitFor();
  expect(await page.getByText("暂无任务").count()).toBe(0);
  await screenshot(page, "my-tasks-no-match");
  await page.getByTestId("clear-filters").click();
  await expect
    .poll(() => rowTitles(page))
    .toEqual(["深化政务公开标准化规范化建设", "优化政府网站集约化平台"]);
  expect(new URL(page.url()).search).toBe("");
  // Back: the list as it was before 清除筛选.
  await page.goBack();
  await page.getByTestId("my-tasks-no-match").waitFor();
  await page.close();
});

it("on a phone the filters sit above the cards and fit the screen; the search opens from the header", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "dangzheng", "Unit@2026");
  await page.goto(`${e2e.baseUrl}/my-tasks?year=2023&q=%E5%85%AC%E5%BC%80`);
  await page.getByTestId("my-task-cards").waitFor();
  const titles = await page.getByTestId("my-task-cards").getByTestId("my-task-title").allTextContents();
  expect(titles.length).toBeGreaterThan(0);
  for (const t of titles) expect(t).toContain("公开");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, "my-tasks-filtered-phone");

  // The header's search, opened by its button: a unit finds only its own tasks.
  await page.getByTestId("global-search-open").click();
  await page.getByRole("combobox", { name: "搜索任务、单位和报告" }).fill("集约化");
  const hit = page
    .getByTestId("global-search-results")
    .getByRole("option", { name: /优化政府网站集约化平台/ });
  await hit.waitFor();
  await screenshot(page, "global-search-phone");
  await hit.click();
  await page.getByText("填报进展 · 2 优化政府网站集约化平台").waitFor();
  expect(new URL(page.url()).searchParams.get("task")).toMatch(/^\d+$/);
  await page.close();
});

it("the office finds a task from the header's search and opens it with the keyboard", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  const box = page.getByRole("combobox", { name: "搜索任务、单位和报告" });
  await box.fill("事项目录");
  const results = page.getByTestId("global-search-results");
  await results.getByRole("option", { name: /扎实推进重大行政决策事项目录管理/ }).waitFor();
  await results.getByRole("group", { name: "任务" }).waitFor();
  await screenshot(page, "global-search-results");
  // ↓ to the first task (the only one), Enter opens it: the plan's page with the task's history.
  await box.press("ArrowDown");
  await box.press("Enter");
  await page.getByText("任务历史 · 10 扎实推进重大行政决策事项目录管理").waitFor();
  expect(new URL(page.url()).pathname).toMatch(/^\/plans\/\d+$/);
  await results.waitFor({ state: "detached" });

  // A unit by part of its name: the directory opens searched for it (the drawer closed first: its
  // mask covers the header).
  await page.keyboard.press("Escape");
  await page.locator(".ant-drawer-content").waitFor({ state: "hidden" });
  await box.fill("前明");
  await results
    .getByRole("group", { name: "单位" })
    .getByRole("option", { name: /前明村村民委员会/ })
    .click();
  await page.getByTestId("units-table").getByText("前明村村民委员会").waitFor();
  expect(new URL(page.url()).searchParams.get("q")).toBe("前明村村民委员会");
  await page.close();
});

it("the office narrows the notices to one unit, picked by part of its name", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/supervision`);
  const body = page.locator(".ant-table-tbody");
  await body.getByText("前明村村民委员会").waitFor();
  await body.getByText("党政办公室").waitFor();
  await pickUnit(page, "unit-filter", "前明", "前明村村民委员会");
  await expect.poll(() => body.getByText("党政办公室").count()).toBe(0);
  await body.getByText("前明村村民委员会").waitFor();
  expect(new URL(page.url()).searchParams.get("unit")).toMatch(/^\d+$/);
  await screenshot(page, "notices-by-unit");
  await page.close();
});

it("the user form's unit picker finds a unit by part of its name", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "admin", "Admin@2026");
  await page.goto(`${e2e.baseUrl}/users`);
  await page.getByRole("button", { name: /添加用户/ }).click();
  await pickUnit(page, "user-unit", "营商", "营商环境办公室");
  await page.close();
});
