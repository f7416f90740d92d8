/**
 * Issue 17, items 1–3 in the browser: the demo town's office links its plan to the district's
 * published plan, accepts the suggested task links that share a phrase, looks at one side by side,
 * and the district's office sees which of its tasks the town took up; the district then sends the
 * town's office a notice about its task that carries out (一) (督办下级, item 5), which the town's
 * office answers.
 */

import { supervisionNotices, taskLinks, tasks, units } from "@gongkai/db/schema";
import { districtAboveTown } from "@gongkai/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
let district: number;
let townPlan: number;
let upper: Map<string, number>;

beforeAll(async () => {
  e2e = await startE2E();
  const { db } = e2e.database;
  const town = (await db.select().from(units)).find((u) => u.name === "徐泾镇人民政府");
  if (!town) throw new Error("demo town missing");
  const above = await districtAboveTown(db, town.id, {
    year: 2023,
    title: "2023年青浦区政务公开工作要点",
    docNumber: "青府办发〔2023〕9号",
    tasks: [
      ["(一)", "做好重大行政决策事项目录管理", "各街镇、各部门编制并公开年度重大行政决策事项目录,动态调整。"],
      ["(二)", "推进基层政务公开标准化规范化", "巩固基层政务公开标准化建设成果,动态更新政务公开标准目录。"],
      ["(三)", "加强区级媒体宣传", "统筹区融媒体中心做好重大活动报道。"],
    ],
  });
  district = above.planId;
  upper = above.upperTaskIds;
  const plan = await db.query.plans.findFirst();
  if (!plan) throw new Error("demo plan missing");
  townPlan = plan.id;
});
afterAll(() => e2e?.close());

it("the town links its plan to the district's, accepts the phrase-sharing suggestions, and the district sees the gaps", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/plans/${townPlan}`);
  await page.getByText("未关联,去关联").click();
  await page.getByTestId(`upper-${district}`).check();
  await page.getByTestId("upper-save").click();

  await page.waitForURL((u) => u.pathname === `/plans/${townPlan}/links`);
  // Tasks 10 (重大行政决策事项目录管理) and 22 (基层政务公开标准化建设成果) share a phrase with the district's.
  const accept = page.getByTestId("links-accept-all");
  await accept.waitFor();
  const label = (await accept.textContent()) ?? "";
  const offered = Number(/\((\d+)\)/.exec(label)?.[1] ?? "0");
  expect(offered).toBeGreaterThanOrEqual(2);
  await accept.click();
  await page.getByText(`已对标 ${offered} 项`, { exact: false }).waitFor();

  // Task 10 side by side: the shared words are marked in both texts.
  const row10 = page.locator("tr", { has: page.locator("td", { hasText: /^10$/ }) });
  await row10.locator(".ant-table-row-expand-icon").click();
  await page.locator("mark", { hasText: "重大行政决策事项目录" }).first().waitFor();
  await expect(
    page.locator("mark", { hasText: "重大行政决策事项目录" }).count(),
  ).resolves.toBeGreaterThanOrEqual(2);
  await screenshot(page, "links-board");

  const byCode = new Map(
    (await e2e.database.db.select().from(tasks))
      .filter((t) => t.planId === townPlan)
      .map((t) => [t.code, t.id]),
  );
  const links = new Map(
    (await e2e.database.db.select().from(taskLinks)).map((l) => [l.taskId, l.upperTaskId]),
  );
  expect(links.get(byCode.get("10") as number)).toBe(upper.get("(一)"));
  expect(links.get(byCode.get("22") as number)).toBe(upper.get("(二)"));
  await page.close();

  // The district's office: (三) was taken up by nobody, and is listed first.
  const districtPage = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  await signIn(districtPage, e2e.baseUrl, "qingpu-office", "Office@2026");
  await districtPage.goto(`${e2e.baseUrl}/plans/${district}/coverage`);
  const firstRow = districtPage.locator(".ant-table-tbody tr.ant-table-row").first();
  await firstRow.getByText("加强区级媒体宣传").waitFor();
  await firstRow.getByText("徐泾镇人民政府").waitFor();
  await districtPage.locator(".ant-tag-green", { hasText: /^徐泾镇人民政府 (.*、)?10(、|$)/ }).waitFor();
  await screenshot(districtPage, "links-coverage");

  // 督办下级: about the town's task carrying out (一), to the town's office.
  await districtPage.getByRole("button", { name: "督办徐泾镇人民政府落实(一)" }).click();
  const modal = districtPage.locator(".ant-modal", { hasText: "督办下级:徐泾镇人民政府" });
  await modal.getByTestId("notice-down-submit").click();
  await districtPage.getByText("已向徐泾镇人民政府政务公开办下发通知", { exact: false }).waitFor();
  await districtPage.close();
  const sent = (await e2e.database.db.select().from(supervisionNotices)).find((n) => n.toOffice);
  expect(links.get(sent?.taskId as number)).toBe(upper.get("(一)"));

  // The town's office finds it marked 上级督办, and answers it.
  const townPage = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  await signIn(townPage, e2e.baseUrl, "office", "Office@2026");
  await townPage.goto(`${e2e.baseUrl}/supervision?notice=${sent?.id}`);
  const row = townPage.locator(".ant-table-tbody tr.ant-table-row", { hasText: "上级督办" });
  await row.getByRole("button", { name: /^回\s*复$/ }).click();
  await townPage.getByLabel("回复内容").fill("目录已编制公开,已督促党政办按季度动态调整。");
  await townPage.getByTestId("reply-upper-submit").click();
  await townPage.getByText("已回复上级").waitFor();
  await row.getByText("已回复").waitFor();
  await screenshot(townPage, "links-notice-down-replied");
  await townPage.close();
});
