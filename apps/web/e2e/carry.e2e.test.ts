/**
 * Issue 17, item 6 in the browser: the office starts the next year's plan from the demo's 2023
 * plan — unfinished tasks ticked to continue, one left out — and the new draft's tasks say which
 * 2023 task each carries on.
 */
import { tasks } from "@gongkai/db/schema";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

it("the office carries the 2023 plan into 2024 and the new draft links each task to last year's", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  const plan = await e2e.database.db.query.plans.findFirst();
  if (!plan) throw new Error("demo plan missing");
  await page.goto(`${e2e.baseUrl}/plans/${plan.id}`);
  await page.getByTestId("carry-open").click();

  const unfinished = page.getByTestId("carry-unfinished");
  // Nothing is approved in the test's demo: all 28 tasks are unfinished and ticked.
  await unfinished.getByText("未完成,延续(28/28)").waitFor();
  await expect(page.locator('input[value="关于徐泾镇2024年政务公开工作要点"]').count()).resolves.toBe(1);
  // Task 10's 3月31日前 is shown as it will read in 2024.
  await unfinished.getByText("(2024-03-31)").waitFor();
  await screenshot(page, "carry-preview");
  // The office leaves task 28 (the year's planning itself) out.
  const row28 = unfinished.locator("tr", { has: page.locator("td", { hasText: /^28$/ }) });
  await row28.locator("input[type=checkbox]").uncheck();
  await unfinished.getByText("未完成,延续(27/28)").waitFor();
  await page.getByTestId("carry-confirm").click();

  await page.waitForURL((u) => /\/plans\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${plan.id}`));
  const newId = Number(new URL(page.url()).pathname.split("/").at(-1));
  await page.getByText("延续:2023 年任务 10").waitFor();
  await screenshot(page, "carry-new-plan");
  const copied = await e2e.database.db.select().from(tasks);
  const mine = copied.filter((t) => t.planId === newId);
  expect(mine).toHaveLength(27);
  expect(mine.map((t) => t.code)).not.toContain("28");
  expect(mine.every((t) => t.carryKind === "continued" && t.carriedFromTaskId !== null)).toBe(true);
  await page.close();
});
