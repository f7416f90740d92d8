/**
 * Issue 18 in the browser: a published indicator system builds a working scheme in one step, and
 * grade bands by share are set in the scheme editor with the boundary rule shown in words.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

it("the office starts a scheme from the 2019 national website indicators and adds 优秀 as the top 20%", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/assessment`);
  await page.getByTestId("new-scheme").click();
  const year = page.getByTestId("scheme-year").first();
  const yearInput =
    (await year.evaluate((e) => e.tagName)) === "INPUT" ? year : year.locator("input").first();
  await yearInput.fill("2025");
  await page.getByTestId("scheme-group").click();
  await page.locator(".ant-select-item-option", { hasText: "企事业单位(3 个单位)" }).click();
  await page.getByTestId("scheme-name").fill("2025年度门户网站检查");
  await page.getByText("政府网站与政务新媒体检查指标(国办秘函〔2019〕19号)").click();
  // Where it comes from is said before anything is created.
  await expect(page.getByTestId("template-source").textContent()).resolves.toContain("国务院办公厅秘书局");
  await screenshot(page, "templates-create");
  await page.getByTestId("create-scheme").click();
  await page.waitForURL(/\/assessment\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split("/").at(-1));

  // One step: the tree, the bonus rule and the grades are the source's.
  for (const name of ["单项否决指标", "站点无法访问", "扣分指标", "加分指标"])
    await page.locator(`input[value="${name}"]`).first().waitFor();
  const rule = page.getByTestId("grade-rule");
  await expect(rule.textContent()).resolves.toContain("合格:60 分及以上;不合格:0 分及以上");
  const stored = async () =>
    (await e2e.database.db.query.assessmentSchemes.findFirst({ where: (s, { eq }) => eq(s.id, id) }))
      ?.definition as { bonus: unknown; grades: unknown; indicators: { code: string }[] } | undefined;
  const created = await stored();
  expect(created?.bonus).toEqual({ threshold: 80, cap: 30 });
  expect(created?.indicators.map((i) => i.code)).toEqual(["1", "2", "3"]);

  // 优秀 as the top 20% with no score floor; ties at the boundary enter together.
  await page.getByRole("button", { name: "添加等次" }).click();
  await page.getByLabel("第 3 个等次的名称").fill("优秀");
  await page.getByLabel("优秀的最低分").fill("");
  await page.getByLabel("优秀的名额比例(%)").fill("20");
  await page.getByLabel("优秀名额边界并列时").click();
  await page.locator(".ant-select-item-option", { hasText: "并列一并评入" }).click();
  await expect(rule.textContent()).resolves.toContain(
    "等次:优秀:排名前 20%(名额向下取整,并列的一并评入,可超出名额);合格:60 分及以上",
  );
  await screenshot(page, "templates-grades");
  await page.getByTestId("save-scheme").click();
  await page.getByText("已保存考核方案").waitFor();
  expect((await stored())?.grades).toEqual([
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
    { name: "优秀", quotaPercent: 20, quotaTies: "include" },
  ]);
  await page.close();
});
