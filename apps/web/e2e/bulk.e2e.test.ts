import { type Actor, saveReport, submitReport } from "@gongkai/db";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, screenshotDir, signIn, startE2E, stopped } from "./harness.ts";

/**
 * The office's bulk work (issue 15): approve several submitted reports at once in the review
 * queue, and send one notice to several units of a task, each its own.
 */
let e2e: E2E;
let planId: number;
/** The reports 党政办公室 has submitted: task code and title. */
const submitted: { code: string; title: string }[] = [];
/** A task of the plan with at least two units, and two of them. */
let noticeTask: { title: string; units: string[] };

beforeAll(async () => {
  e2e = await startE2E();
  const { db } = e2e.database;
  const plan = await db.query.plans.findFirst({ orderBy: (p, { asc }) => asc(p.id) });
  if (!plan) throw new Error("demo plan missing");
  planId = plan.id;
  // 党政办公室 reports on three of its tasks for the second quarter and submits them.
  const user = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "dangzheng") });
  if (!user?.unitId) throw new Error("demo user dangzheng missing");
  const unitId = user.unitId;
  const actor: Actor = { userId: user.id, role: "unit", unitId, scopePath: null };
  const planTasks = await db.query.tasks.findMany({
    where: (t, { eq }) => eq(t.planId, plan.id),
    orderBy: (t, { asc }) => asc(t.id),
    with: { assignments: { with: { unit: true } } },
  });
  const now = new Date();
  for (const t of planTasks.filter((t) => ["10", "12", "13"].includes(t.code))) {
    const draft = await saveReport(
      db,
      actor,
      unitId,
      {
        taskId: t.id,
        period: `${plan.year}-Q2`,
        status: "inProgress",
        percent: 60,
        summary: `${t.title}:第二季度已按计划推进(批量审核演示)。`,
        evidence: { links: [], fileIds: [] },
      },
      now,
    );
    await submitReport(
      db,
      actor,
      unitId,
      { reportId: draft.id, version: draft.version, submissionKey: `bulk-e2e-${t.code}` },
      now,
    );
    submitted.push({ code: t.code, title: t.title });
  }
  expect(submitted).toHaveLength(3);
  // The first task of the plan with two or more units: the bulk notice goes to two of them.
  const found = planTasks
    .map((t) => ({ title: t.title, units: [...new Set(t.assignments.map((a) => a.unit.name))] }))
    .find((t) => t.units.length >= 2 && t.units.length <= 8);
  if (!found) throw new Error("no task with two units in the demo plan");
  noticeTask = { title: found.title, units: found.units.slice(0, 2) };
});
afterAll(() => e2e?.close());

/** Office screens are desktop-first: nothing may overflow at 1280 px. */
const newPage = () => e2e.browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "zh-CN" });
const viewportShot = (page: Page, name: string) => page.screenshot({ path: `${screenshotDir}${name}.png` });
/** Waits for an antd message toast with this text. */
const toast = (page: Page, text: string) => page.locator(".ant-message-notice", { hasText: text }).waitFor();
/** The page is no wider than its window. */
async function noOverflow(page: Page) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(client);
}

it("the office ticks two submitted reports in the queue and approves them at once", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/reviews`);
  const row = (title: string) =>
    office.locator("tr", { has: office.getByTestId("queue-task").filter({ hasText: title }) });
  for (const s of submitted) await row(s.title).waitFor();
  const [a, b, c] = submitted;
  if (!a || !b || !c) throw new Error("three reports expected");
  await row(a.title).locator(".ant-checkbox-input").check();
  await row(b.title).locator(".ant-checkbox-input").check();
  const bulk = office.getByTestId("bulk-approve");
  await expect.poll(() => bulk.textContent()).toContain("2");
  await noOverflow(office);
  await stopped(office);
  await screenshot(office, "office-bulk-approve-selected");

  await bulk.click();
  const modal = office.locator(".ant-modal", { hasText: "通过所选的 2 份报告" });
  await modal.waitFor();
  await modal.getByText(a.title).waitFor();
  await office.getByTestId("bulk-approve-reason").fill("材料齐全,同意通过。");
  await stopped(office);
  await viewportShot(office, "office-bulk-approve-confirm");
  await office.getByTestId("bulk-approve-confirm").click();
  await toast(office, "已通过 2 份报告");
  // Both leave the queue; the third is still waiting.
  await row(a.title).waitFor({ state: "detached" });
  await row(b.title).waitFor({ state: "detached" });
  await row(c.title).waitFor();
  await office.getByRole("tab", { name: /待审核\(1\)/ }).waitFor();
  await office.getByRole("tab", { name: /已通过\(2\)/ }).waitFor();
  await modal.waitFor({ state: "hidden" });
  await stopped(office);
  await viewportShot(office, "office-bulk-approve-done");
  await office.close();
});

it("the office sends one notice to two units of a task: each gets its own in the list", async () => {
  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/supervision?plan=${planId}`);
  await office.getByTestId("issue-notices").click();
  const modal = office.locator(".ant-modal", { hasText: "批量督办" });
  await modal.waitFor();
  // Pick the task by typing its title; the units' checklist follows.
  const taskSelect = office.getByTestId("notice-task");
  const checklist = office.getByTestId("notice-units");
  for (let attempt = 0; attempt < 3 && !(await checklist.isVisible()); attempt++) {
    await taskSelect.click();
    await taskSelect.locator("input").fill(noticeTask.title);
    await office
      .locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: noticeTask.title })
      .first()
      .click();
    await checklist.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await checklist.waitFor();
  for (const name of noticeTask.units)
    await checklist.locator(".ant-checkbox-wrapper", { hasText: name }).first().locator("input").check();
  await modal.getByText("已选 2 个").waitFor();
  await modal.locator(".ant-radio-button-wrapper", { hasText: "督办" }).click();
  const content = "请于回复期限前报送这项任务的落实情况(批量督办)。";
  await office.getByTestId("notice-content").fill(content);
  await stopped(office);
  await viewportShot(office, "office-bulk-notice-form");
  await office.getByTestId("notice-submit").click();
  await toast(office, "已向 2 个单位各下发一份督办通知");
  await modal.waitFor({ state: "hidden" });
  for (const name of noticeTask.units)
    await office.locator("tr", { hasText: content }).filter({ hasText: name }).first().waitFor();
  expect(await office.locator("tr", { hasText: content }).count()).toBe(2);
  await noOverflow(office);
  await stopped(office);
  await viewportShot(office, "office-bulk-notice-list");
  await office.close();
});
