import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, screenshotDir, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

/** The <input> behind an antd field found by its test id (the id sits on the input or its wrapper). */
async function inputOf(page: Page, testId: string): Promise<Locator> {
  const el = page.getByTestId(testId).first();
  const tag = await el.evaluate((e) => e.tagName);
  return tag === "INPUT" || tag === "TEXTAREA" ? el : el.locator("input").first();
}

async function fill(page: Page, testId: string, value: string) {
  const input = await inputOf(page, testId);
  await input.click();
  await input.press("ControlOrMeta+a");
  await input.fill(value);
  await input.press("Tab");
}

it("the office defines a small scheme, scores two units, publishes, and the ranking shows", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/assessment`);
  // The demo's schemes are listed.
  await page.getByRole("link", { name: "徐泾镇2023年度机关各科室政务公开工作考核" }).waitFor();

  // A new scheme for the three public institutions, starting from one indicator.
  await page.getByTestId("new-scheme").click();
  await fill(page, "scheme-year", "2023");
  await page.getByTestId("scheme-group").click();
  await page.locator(".ant-select-item-option", { hasText: "企事业单位(3 个单位)" }).click();
  await fill(page, "scheme-name", "2023年度企事业单位政务公开考核");
  await page.getByText("最简方案(一个指标,之后再添加)").click();
  await page.getByTestId("create-scheme").click();
  await page.waitForURL(/\/assessment\/\d+$/);
  await page.getByText("指标体系").first().waitFor();

  // 主动公开 60 (信息发布 40, 政策文件 20) and 政策解读 40: 100 points.
  await fill(page, "name-1", "主动公开");
  await fill(page, "points-1", "60");
  await page.getByTestId("add-child-1").click();
  await page.getByTestId("add-child-1").click();
  await fill(page, "name-1.1", "信息发布");
  await fill(page, "points-1.1", "40");
  await fill(page, "name-1.2", "政策文件");
  await fill(page, "points-1.2", "20");
  await page.getByTestId("add-top").click();
  await fill(page, "name-2", "政策解读");
  await fill(page, "points-2", "40");
  await expect(page.getByTestId("scheme-max").textContent()).resolves.toContain("满分 100 分");
  await page.getByTestId("save-scheme").click();
  await page.getByText("已保存考核方案").waitFor();
  await screenshot(page, "assessment-scheme");

  // No self-assessment for this one: straight to the office's scoring.
  await page.getByTestId("start-review").click();
  await page.getByTestId("confirm-review").click();
  await page.getByText("已进入审核评分阶段").waitFor();
  await page.getByRole("tab", { name: "审核评分" }).click();

  const score = async (unit: string, values: Record<string, string>, shot?: string) => {
    await page.getByTestId(`score-${unit}`).click();
    await page.getByText(`评分:${unit}`).waitFor();
    for (const [code, v] of Object.entries(values)) await fill(page, `final-${code}`, v);
    if (shot) await screenshot(page, shot);
    await page.getByTestId("save-scores").click();
    await page.getByText(`已保存「${unit}」的 3 项得分`).waitFor();
    await page.locator(".ant-drawer-content").waitFor({ state: "hidden" });
  };
  // 38 + 18 + 36 = 92 and 30 + 15 + 30 = 75, by hand.
  await score("徐泾镇社区卫生服务中心", { "1.1": "38", "1.2": "18", "2": "36" }, "assessment-scoring");
  await score("徐泾镇社区文化活动中心", { "1.1": "30", "1.2": "15", "2": "30" });

  // Publish: the third unit has no scores yet, so it is listed as 未完成 once confirmed.
  await page.getByRole("tab", { name: "考核结果" }).click();
  await page.getByTestId("publish-results").click();
  await page.getByText("仍然发布(这些单位列示为「未完成」,不参与排名)").click();
  await page.getByTestId("confirm-publish").click();
  await page.getByText("已发布第 1 版考核结果").waitFor();
  await page
    .getByTestId("version-banner")
    .getByText(/第 1 版/)
    .waitFor();

  const rows = page.getByTestId("ranking").locator("tbody tr.ant-table-row");
  await expect(rows.count()).resolves.toBe(3);
  const cells = async (i: number) => (await rows.nth(i).locator("td").allTextContents()).slice(0, 4);
  expect(await cells(0)).toEqual(["1", "徐泾镇社区卫生服务中心", "92", "—"]);
  expect(await cells(1)).toEqual(["2", "徐泾镇社区文化活动中心", "75", "—"]);
  // Not scored at all: 未完成, unranked, 0 points scored so far.
  expect(await cells(2)).toEqual(["未完成", "徐泾镇集体资产管理有限公司", "已评 0", "—"]);
  await expect(page.getByTestId("version-banner").textContent()).resolves.toMatch(
    /sha256[\s\S]*[0-9a-f]{64}/,
  );
  // Three charts with labelled axes.
  await page.getByTestId("chart-distribution").locator(".recharts-surface").first().waitFor();
  await page.getByTestId("chart-radar").locator(".recharts-surface").first().waitFor();
  await expect(page.getByTestId("chart-distribution").textContent()).resolves.toContain("单位数(个)");
  await expect(page.getByTestId("chart-radar").textContent()).resolves.toContain("得分率(%)");
  await screenshot(page, "assessment-results");
  await page.close();
});

it("a unit fills its self-assessment for the demo scheme and cannot see other units' scores", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "dangzheng", "Unit@2026");
  await page.goto(`${e2e.baseUrl}/my-assessment`);
  await page.getByText("徐泾镇2023年度机关各科室政务公开工作考核 · 自评").waitFor();
  // The demo left 党政办 half-way: 2.2 信息发布质量 is filled, 5.1 栏目维护 is not.
  await fill(page, "self-5.1", "9");
  await page.getByTestId("self-save").click();
  await page.getByText("已保存自评").waitFor();
  // Submitting with indicators still empty is refused, naming them.
  await page.getByTestId("self-submit").click();
  await page.locator(".ant-popover .ant-btn-primary").click();
  const error = await page.getByTestId("self-error").textContent();
  expect(error).toContain("还有 3 项指标未自评");
  expect(error).toContain("3.1「解读同步率」");
  await screenshot(page, "assessment-self");
  // The office's pages are not for units: the API refuses them.
  const status = await page.evaluate(async () => {
    const res = await fetch("/trpc/assessment.scores?input=%7B%22id%22%3A2%7D");
    return res.status;
  });
  expect(status).toBe(403);
  await page.close();
});

it("the office ranks a scheme densely at 1 decimal: chosen in the editor, kept, and ties after rounding share a rank", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "office", "Office@2026");
  await page.goto(`${e2e.baseUrl}/assessment`);
  await page.getByTestId("new-scheme").click();
  await fill(page, "scheme-year", "2025");
  await page.getByTestId("scheme-group").click();
  await page.locator(".ant-select-item-option", { hasText: "企事业单位(3 个单位)" }).click();
  await fill(page, "scheme-name", "2025年度企事业单位考核(密集排名)");
  await page.getByText("最简方案(一个指标,之后再添加)").click();
  await page.getByTestId("create-scheme").click();
  await page.waitForURL(/\/assessment\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split("/").at(-1));
  const stored = async () =>
    (await e2e.database.db.query.assessmentSchemes.findFirst({ where: (s, { eq }) => eq(s.id, id) }))
      ?.definition as Record<string, unknown> | undefined;

  // A scheme that states no ranking keys shows the defaults, and saving it adds none.
  const settings = page.getByTestId("ranking-settings");
  await expect
    .poll(() => settings.locator(".ant-radio-button-wrapper-checked").textContent())
    .toBe("竞争排名(1, 2, 2, 4)");
  await expect.poll(async () => (await inputOf(page, "ranking-precision")).inputValue()).toBe("2");
  await fill(page, "name-1", "政务公开工作情况");
  await page.getByTestId("save-scheme").click();
  await page.getByText("已保存考核方案").waitFor();
  await expect.poll(async () => (await stored())?.indicators).toMatchObject([{ name: "政务公开工作情况" }]);
  const plain = await stored();
  await page.getByText("已保存考核方案").waitFor({ state: "hidden" });
  expect(plain && ["ranking", "precision", "tieBreak"].filter((k) => k in plain)).toEqual([]);

  // 密集排名 at 1 decimal. The example's five made-up totals 92.46, 88.04, 88.01, 88.01, 85.3 become
  // 92.5, 88.0 ×3, 85.3: dense ranks 1, 2, 2, 2, 3 (competition would give 1, 2, 2, 2, 5).
  await settings.getByText("密集排名(1, 2, 2, 3,并列不占位)").click();
  await fill(page, "ranking-precision", "1");
  const example = page.getByTestId("ranking-example").locator("tbody tr");
  await expect
    .poll(async () => (await example.last().locator("td").allTextContents()).join(" "))
    .toBe("名次 1 2 2 2 3");
  await expect
    .poll(async () => (await example.nth(1).locator("td").allTextContents()).join(" "))
    .toBe("排名用总分 92.5 88.0 88.0 88.0 85.3");
  await settings.scrollIntoViewIfNeeded();
  await settings.screenshot({ path: `${screenshotDir}assessment-ranking-settings.png` });
  await page.getByTestId("save-scheme").click();
  await page.getByText("已保存考核方案").waitFor();
  await expect.poll(async () => (await stored())?.ranking).toBe("dense");
  expect((await stored())?.precision).toBe(1);

  // After a reload the editor shows what was saved.
  await page.reload();
  await expect
    .poll(() => settings.locator(".ant-radio-button-wrapper-checked").textContent())
    .toBe("密集排名(1, 2, 2, 3,并列不占位)");
  await expect.poll(async () => (await inputOf(page, "ranking-precision")).inputValue()).toBe("1");

  // Scores 90.01, 90.04 and 85.26: at 1 decimal 90.0, 90.0 and 85.3, so ranks 1, 1, 2 (ties listed by name).
  await page.getByTestId("start-review").click();
  await page.getByTestId("confirm-review").click();
  await page.getByText("已进入审核评分阶段").waitFor();
  await page.getByRole("tab", { name: "审核评分" }).click();
  for (const [unit, value] of [
    ["徐泾镇社区卫生服务中心", "90.01"],
    ["徐泾镇社区文化活动中心", "90.04"],
    ["徐泾镇集体资产管理有限公司", "85.26"],
  ] as const) {
    await page.getByTestId(`score-${unit}`).click();
    await page.getByText(`评分:${unit}`).waitFor();
    await fill(page, "final-1", value);
    await page.getByTestId("save-scores").click();
    await page.getByText(`已保存「${unit}」的 1 项得分`).waitFor();
    await page.locator(".ant-drawer-content").waitFor({ state: "hidden" });
  }
  await page.getByRole("tab", { name: "考核结果" }).click();
  await expect(page.getByTestId("ranking-rule").textContent()).resolves.toBe(
    "排名规则:密集排名(并列不占位),总分保留 1 位小数",
  );
  const rows = page.getByTestId("ranking").locator("tbody tr.ant-table-row");
  await expect.poll(() => rows.count()).toBe(3);
  const cells = async (i: number) => (await rows.nth(i).locator("td").allTextContents()).slice(0, 3);
  expect(await cells(0)).toEqual(["1", "徐泾镇社区卫生服务中心", "90.0"]);
  expect(await cells(1)).toEqual(["1", "徐泾镇社区文化活动中心", "90.0"]);
  expect(await cells(2)).toEqual(["2", "徐泾镇集体资产管理有限公司", "85.3"]);
  await screenshot(page, "assessment-results-dense");
  await page.close();
});
