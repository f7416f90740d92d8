import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createEvaluationProject,
  projectAccess,
  setEvaluationAssignments,
  setEvaluationIndicatorSystem,
  setEvaluationUnits,
  startEvaluationScoring,
  systemActor,
} from "@gongkai/db";
import { evaluationResults } from "@gongkai/db/schema";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, screenshotDir, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

type Workbook = {
  addWorksheet(name: string): { addRow(values: unknown[]): unknown };
  xlsx: { writeBuffer(): Promise<ArrayBuffer> };
};
/** exceljs belongs to @gongkai/files, not to the web app: loaded from there to write the test file. */
const ExcelJS = createRequire(new URL("../../../packages/files/package.json", import.meta.url))(
  "exceljs",
) as {
  Workbook: new () => Workbook;
};

const projectName = "2024年度政务公开第三方评估(端到端)";

/** The evaluation organisation's indicator table: weights unequal at both levels. */
async function indicatorXlsx(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("评分细则");
  ws.addRow(["2024年度政务公开第三方评估指标体系"]);
  ws.addRow(["一级指标", "二级指标", "分值", "权重", "评分方式", "评分细则", "观测点"]);
  ws.addRow([
    "信息公开（权重60%）",
    "主动公开",
    10,
    0.7,
    "人工评分",
    "按公开目录逐项核查",
    "政府信息公开专栏",
  ]);
  ws.addRow(["", "年度报告", 10, 0.3, "人工评分", "按时发布、内容完整", "年报栏目"]);
  ws.addRow(["平台建设（权重40%）", "栏目规范", 20, 0.25, "人工评分", "栏目设置规范", "栏目设置"]);
  ws.addRow(["", "更新及时", 5, 0.75, "人工评分", "按更新时间核查", "全部栏目"]);
  const dir = await mkdtemp(join(tmpdir(), "gk-e2e-"));
  const file = join(dir, "2024年度指标体系.xlsx");
  await writeFile(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

const newPage = () => e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });

/** Confirms the open Popconfirm. */
const confirmPopover = (page: Page) => page.locator(".ant-popconfirm-buttons .ant-btn-primary").click();

const openDropdown = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

/** Picks options of an antd Select by typing and clicking the option with exactly this title. */
async function pick(page: Page, select: ReturnType<Page["getByTestId"]>, search: string, titles: string[]) {
  await select.click();
  for (const title of titles) {
    // Into the search box itself: keys typed before it has focus would not filter the list.
    await select.locator("input").first().pressSequentially(search);
    await page.locator(`${openDropdown} .ant-select-item-option[title="${title}"]`).click();
  }
  await page.keyboard.press("Escape");
  await closed(page);
}

/** Waits until no Select dropdown is open (closing ones animate for a moment). */
const closed = (page: Page) =>
  page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, openDropdown);

/** Types a unit's column of the grid with the keyboard: a value, Enter, the next value… */
async function typeColumn(page: Page, unitId: number, values: number[]) {
  await page.getByTestId(`cell-${unitId}-1.1`).click();
  for (const v of values) {
    await page.keyboard.type(String(v));
    await page.keyboard.press("Enter");
  }
}

async function scoreAndSubmit(page: Page, columns: [number, number[]][], done: string) {
  await page.getByTestId("scoring-grid").waitFor();
  for (const [unitId, values] of columns) await typeColumn(page, unitId, values);
  await page.getByTestId("grid-progress").getByText(done).waitFor();
  await submitUnits(
    page,
    columns.map(([unitId]) => unitId),
  );
  await page.getByText("已提交").first().waitFor();
}

/** Submits each unit's column and waits until the server has each submission. */
async function submitUnits(page: Page, unitIds: number[]) {
  for (const unitId of unitIds) {
    const submit = page.getByTestId(`submit-${unitId}`).first();
    await submit.click();
    await confirmPopover(page);
    // The button gives way to the 已提交 tag once the server has the submission (a toast from the
    // previous unit may still be showing, so it proves nothing about this one).
    await submit.waitFor({ state: "detached" });
  }
}

// One story in steps (each its own test, run in order): 党政办 (X) and 经发办 (W), scored by both evaluators.
let X = 0;
let W = 0;

it("the office creates the project, imports the indicator .xlsx, picks units and two evaluators per unit", async () => {
  const units = await e2e.database.db.query.units.findMany();
  const id = (name: string) => units.find((u) => u.name === name)?.id ?? 0;
  X = id("党政办公室");
  W = id("经济发展办公室");
  const xlsx = await indicatorXlsx();

  const office = await newPage();
  await signIn(office, e2e.baseUrl, "office", "Office@2026");
  await office.goto(`${e2e.baseUrl}/evaluations`);
  await office.getByTestId("new-evaluation").click();
  await office.getByTestId("evaluation-year").fill("2024");
  await office.getByTestId("evaluation-name").fill(projectName);
  await office.getByTestId("evaluation-organisation").fill("端到端评估机构");
  await pick(office, office.getByTestId("evaluation-lead"), "评估员", ["第三方评估员(evaluator)"]);
  await office.getByRole("button", { name: /创\s*建/ }).click();
  await office.getByText("已创建评估项目").waitFor();
  await office.locator(".ant-upload input[type=file]").setInputFiles(xlsx);
  await office.getByText("已导入指标体系:4 项末级指标").waitFor();
  await office.getByTestId("indicator-tree").getByText("栏目规范").waitFor();
  // The ranking rule is chosen in the page editor and kept with the imported system.
  await office.getByTestId("edit-system").click();
  const rule = office.getByTestId("ranking-settings");
  await expect
    .poll(() => rule.locator(".ant-radio-button-wrapper-checked").textContent())
    .toBe("竞争排名(1, 2, 2, 4)");
  await rule.getByText("密集排名(1, 2, 2, 3,并列不占位)").click();
  await expect
    .poll(async () =>
      (await rule.getByTestId("ranking-example").locator("tbody tr").last().allTextContents()).join(""),
    )
    .toBe("名次12334");
  await rule.screenshot({ path: `${screenshotDir}evaluation-ranking-settings.png` });
  await office.getByTestId("save-system").click();
  await office.getByText("已保存指标体系").waitFor();
  await expect
    .poll(async () => {
      const p = await e2e.database.db.query.evaluationProjects.findFirst({
        where: (x, { eq }) => eq(x.name, projectName),
      });
      return (p?.indicatorSystem as { ranking?: string; precision?: number } | undefined)?.ranking;
    })
    .toBe("dense");

  await office.getByTestId("add-units").click();
  for (const name of ["党政办公室", "经济发展办公室"]) {
    await office.getByTestId("add-units").locator("input").first().pressSequentially(name);
    await office.locator(`${openDropdown} .ant-select-item-option[title="${name}"]`).click();
  }
  await office.keyboard.press("Escape");
  await closed(office);
  await office.getByTestId("add-units-tier").locator("input").fill("镇属部门");
  await office.getByTestId("add-units-button").click();
  await office.getByTestId("save-units").click();
  await office.getByText("已保存评估单位(2 个)").waitFor();
  for (const unitId of [X, W]) {
    await pick(office, office.getByTestId(`assign-${unitId}`), "评估员", [
      "第三方评估员",
      "第三方评估员(二)",
    ]);
  }
  await office.getByTestId("save-assignments").click();
  await office.getByText("已保存评估分工").waitFor();
  await office.getByTestId("start-scoring").click();
  await confirmPopover(office);
  await office.getByText("已开始评分").waitFor();
  await screenshot(office, "evaluation-setup");
  await office.close();
});

it("the lead scores both units with the keyboard, with evidence on one cell, and submits", async () => {
  // 党政办 8, 5, 10, 5 → 0.6 × (0.7×80 + 0.3×50) + 0.4 × (0.25×50 + 0.75×100) = 42.6 + 35 = 77.6
  // 经发办 6, 10, 8, 5 → 0.6 × (0.7×60 + 0.3×100) + 0.4 × (0.25×40 + 0.75×100) = 43.2 + 34 = 77.2
  const lead = await newPage();
  await signIn(lead, e2e.baseUrl, "evaluator", "Eval@2026");
  await lead.getByRole("link", { name: projectName }).click();
  await lead.getByRole("tab", { name: "评分" }).click();
  await lead.getByTestId("scoring-grid").waitFor();
  await typeColumn(lead, X, [8, 5, 10, 5]);
  // The column is saved and read back before the evidence dialog opens: opened while the last
  // Enter's save and the grid's refresh were in flight, its 保存 once found no 已保存佐证 (CI retry).
  await lead.getByTestId("grid-progress").getByText("4/8").waitFor();
  await lead.getByTestId(`evidence-${X}-1.1`).click();
  await lead.getByTestId("evidence-url").fill("https://www.shqp.gov.cn/xujing/xxgk/dzb/jgxx.html");
  await lead.getByTestId("evidence-note").fill("机构信息齐全,领导分工未更新");
  await lead.locator(".ant-modal-footer .ant-btn-primary").click();
  await lead.getByText("已保存佐证").waitFor();
  await typeColumn(lead, W, [6, 10, 8, 5]);
  await lead.getByTestId("grid-progress").getByText("8/8").waitFor();
  await screenshot(lead, "evaluation-grid");
  await submitUnits(lead, [X, W]);
  await lead.close();
});

it("the second evaluator scores independently, disagreeing on one cell, and then sees the lead's values", async () => {
  // The second evaluator disagrees on 党政办's 主动公开 (5 against 8: more than the threshold of 1).
  const second = await newPage();
  await signIn(second, e2e.baseUrl, "evaluator2", "Eval@2026");
  await second.getByRole("link", { name: projectName }).click();
  await scoreAndSubmit(
    second,
    [
      [X, [5, 5, 10, 5]],
      [W, [6, 10, 8, 5]],
    ],
    "8/8",
  );
  // Both have submitted: the other evaluator's value now shows beside one's own.
  await second.getByTestId("scoring-grid").getByText("第三方评估员:8").first().waitFor();
  await second.close();
});

it("the lead reconciles the flagged cell with a reason and publishes", async () => {
  const reconcile = await newPage();
  await signIn(reconcile, e2e.baseUrl, "evaluator", "Eval@2026");
  await reconcile.getByRole("link", { name: projectName }).click();
  await reconcile.getByRole("tab", { name: "复核" }).click();
  await reconcile.getByTestId("pending-count").filter({ hasText: /^1$/ }).waitFor();
  await reconcile.getByTestId("reconcile-table").getByText("相差").first().waitFor();
  await reconcile.getByTestId(`decide-${X}-1.1`).click();
  await reconcile.getByTestId("final-value").fill("8");
  await reconcile.getByTestId("final-reason").fill("复核页面:机构信息栏目齐全,采用评估人员甲的 8 分。");
  await reconcile.locator(".ant-modal-footer .ant-btn-primary").click();
  await reconcile.getByText("已确定最终得分").waitFor();
  // The count refreshes after the decision is saved.
  await reconcile.getByTestId("pending-count").filter({ hasText: /^0$/ }).waitFor();
  await screenshot(reconcile, "evaluation-reconcile");
  // Every double-rated cell of one unit, agreed ones included (the project-wide view lists only
  // what needs the lead).
  await reconcile.getByText("按单位查看全部双评格").click();
  await reconcile.getByText("请先选择单位").waitFor();
  await reconcile.getByTestId("reconcile-unit").click();
  await reconcile.getByTestId("reconcile-unit").locator("input").first().pressSequentially("党政办");
  await reconcile.locator(`${openDropdown} .ant-select-item-option[title="党政办公室"]`).click();
  await closed(reconcile);
  const table = reconcile.getByTestId("reconcile-table");
  await table.getByText("1.2", { exact: true }).waitFor();
  expect(await table.locator("tbody tr.ant-table-row").count()).toBe(4);
  await screenshot(reconcile, "evaluation-reconcile-unit");
  await reconcile.getByRole("tab", { name: "结果与发布" }).click();
  await reconcile.getByTestId("publish").click();
  await reconcile.locator(".ant-modal-footer .ant-btn-primary").click();
  await reconcile.getByText(/已发布第 1 版,内容哈希/).waitFor();
  await reconcile.close();
});

it("the public page shows the ranking, the charts and the hash without signing in", async () => {
  const rows = await e2e.database.db.select().from(evaluationResults);
  const ours = rows.find((r) => (r.results as { project: { name: string } }).project.name === projectName);
  expect(ours?.version).toBe(1);
  const visitor = await newPage();
  await visitor.goto(`${e2e.baseUrl}/public/rankings`);
  await visitor.getByRole("link", { name: projectName }).click();
  const ranking = visitor.getByTestId("public-tier-镇属部门");
  await ranking.waitFor();
  // Data rows only: a table that scrolls sideways has a measuring row too.
  const cells = await ranking
    .locator("tbody tr.ant-table-row")
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent?.trim())),
    );
  expect(cells).toEqual([
    ["1", "党政办公室", "77.6"],
    ["2", "经济发展办公室", "77.2"],
  ]);
  await expect(visitor.getByTestId("public-hash").textContent()).resolves.toBe(ours?.contentHash);
  // How it was ranked, from the published results (the project chose 密集排名 at setup).
  await expect(visitor.getByTestId("public-ranking-rule").textContent()).resolves.toBe(
    "排名规则:密集排名(并列不占位),总分按 2 位小数比较",
  );
  await visitor.getByText("各单位一级指标得分率").waitFor();
  await visitor.locator(".recharts-bar-rectangle").first().waitFor();
  await screenshot(visitor, "public-ranking");
  // The downloads (served by apps/api/src/public-routes.ts, tested there) are for this version.
  expect(await visitor.getByTestId("download-csv").getAttribute("href")).toBe(
    `/api/public/evaluations/${ours?.projectId}/results.csv?version=1`,
  );
  // The demo's 2022 evaluation: two tiers, four first-level indicators, a corrected version.
  await visitor.goto(`${e2e.baseUrl}/public/rankings`);
  await visitor.getByRole("link", { name: "2022年度徐泾镇政务公开第三方评估" }).click();
  await visitor.getByTestId("public-tier-服务中心").waitFor();
  await visitor.locator(".recharts-polar-angle-axis").first().waitFor();
  await screenshot(visitor, "public-ranking-2022");
  await visitor.close();
});

it("a unit sees its own scores, deductions, evidence and appeal", async () => {
  // A unit sees its own 2022 scores, deductions and evidence, and its appeal.
  const unit = await newPage();
  await signIn(unit, e2e.baseUrl, "dangzheng", "Unit@2026");
  await unit.goto(`${e2e.baseUrl}/my-evaluations`);
  await unit.getByTestId("my-indicators").getByText("政民互动回复").first().waitFor();
  await unit.getByText("已采纳").first().waitFor();
  // The rule its rank and grade were given by, as the demo's system states it (no ranking keys).
  await expect(unit.getByTestId("my-result-rule").textContent()).resolves.toBe(
    "排名规则:竞争排名(并列占位),总分按 2 位小数比较。等次:优秀:90 分及以上;良好:80 分及以上;合格:60 分及以上;不合格:0 分及以上",
  );
  await screenshot(unit, "my-evaluations");
  await unit.close();
});

it("an evaluator with many units scores a page of them at a time and jumps to a unit by name", async () => {
  // Set up as the office would (tested above through the pages): 12 units, all for 评估员(二).
  const { db } = e2e.database;
  const office = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "office") });
  const evaluator = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "evaluator2") });
  const gov = await db.query.units.findFirst({ where: (u, { eq }) => eq(u.id, office?.unitId ?? 0) });
  const twelve = (await db.query.units.findMany({ orderBy: (u, { asc }) => asc(u.id) }))
    .filter((u) => gov && u.id !== gov.id && u.path.startsWith(gov.path))
    .slice(0, 12);
  expect(twelve).toHaveLength(12);
  const actor = { ...systemActor, unitId: gov?.id ?? null };
  const { id } = await createEvaluationProject(db, actor, {
    year: 2024,
    name: "2024年度分页评分(端到端)",
    organisation: "端到端评估机构",
    leadUserId: null,
    disagreementThreshold: 1,
    appealDays: 7,
    ownerUnitId: gov?.id,
  });
  const p = () => projectAccess(db, actor, id);
  await setEvaluationIndicatorSystem(db, actor, await p(), {
    name: "分页评分指标",
    bonus: null,
    grades: null,
    indicators: [
      {
        code: "1",
        name: "信息公开",
        points: 10,
        children: [{ code: "1.1", name: "主动公开", points: 10, rule: { type: "manual" } }],
      },
    ],
  });
  await setEvaluationUnits(
    db,
    actor,
    await p(),
    twelve.map((u) => ({ unitId: u.id, tier: "镇属部门" })),
  );
  await setEvaluationAssignments(
    db,
    actor,
    await p(),
    twelve.map((u) => ({ unitId: u.id, evaluatorIds: [evaluator?.id ?? 0] })),
  );
  await startEvaluationScoring(db, actor, await p());

  const page = await newPage();
  await signIn(page, e2e.baseUrl, "evaluator2", "Eval@2026");
  await page.goto(`${e2e.baseUrl}/evaluations/${id}`);
  await page.getByRole("tab", { name: "评分" }).click();
  await page.getByTestId("scoring-grid").waitFor();
  const cell = (i: number) => page.getByTestId(`cell-${twelve[i]?.id}-1.1`);
  // Page 1: the first five units; the 11th and 12th are on page 3.
  await cell(0).waitFor();
  await cell(4).waitFor();
  expect(await cell(5).count()).toBe(0);
  await page.getByText("共 12 个单位,每页 5 个").waitFor();
  await page.getByTestId("grid-pages").getByTitle("3", { exact: true }).click();
  await cell(11).waitFor();
  await cell(10).waitFor();
  expect(await cell(0).count()).toBe(0);
  // 999 in a 10-point indicator is refused with the reason, kept as typed, not clamped and saved.
  await cell(10).click();
  await page.keyboard.type("999");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId(`refused-${twelve[10]?.id}:1.1`).textContent()).resolves.toBe(
    "999 超出本项得分范围(0–10 分),未保存,请改正。",
  );
  const typed = await cell(10).evaluate((e) =>
    e instanceof HTMLInputElement ? e.value : (e.querySelector("input")?.value ?? null),
  );
  expect(Number(typed)).toBe(999);
  await cell(10).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  // A value typed on page 3 counts in the progress of all twelve (the refused one did not).
  await cell(11).click();
  await page.keyboard.type("7");
  await page.keyboard.press("Enter");
  await page.getByTestId("grid-progress").getByText("1/12").waitFor();
  // Jumping to a unit by name opens its page.
  const target = twelve[3]?.name ?? "";
  await page.getByTestId("grid-jump").click();
  await page.getByTestId("grid-jump").locator("input").first().pressSequentially(target);
  await page.locator(`${openDropdown} .ant-select-item-option`).filter({ hasText: target }).first().click();
  await cell(3).waitFor();
  await closed(page);
  await screenshot(page, "evaluation-grid-pages");
  await page.close();
});
