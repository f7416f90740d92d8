import { createHash } from "node:crypto";
import { canonicalJson } from "@gongkai/core";
import {
  computeResults,
  createUser,
  finalValue,
  getPublishedEvaluation,
  insertStoredFile,
  loadState,
  systemActor,
} from "@gongkai/db";
import {
  auditLog,
  evaluationAgreements,
  evaluationProjects,
  evaluationScores,
  evaluationUnitResults,
  evaluationUnits,
} from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome, type TestCaller } from "./harness.ts";

/**
 * The indicator .xlsx of the worked example, as an evaluation organisation would type it: weights
 * unequal at both levels (信息公开 60% / 平台建设 40%; below them 70/30 and 25/75), leaves worth
 * 10, 10, 20 and 5 points; the first-level cell left empty under its first row.
 */
async function exampleXlsx(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("评分细则");
  ws.addRow(["2023年度政务公开第三方评估指标体系"]);
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
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const url = (path: string) => `https://www.shqp.gov.cn/xujing/${path}`;

type Cell = { unitId: number; indicatorCode: string; value: number | null };
const cell = (unitId: number, indicatorCode: string, value: number | null, extra: object = {}) => ({
  unitId,
  indicatorCode,
  value,
  evidenceUrl: url(`${unitId}/${indicatorCode}.html`),
  observedAt: "2023-06-20T10:30:00+08:00",
  note: null,
  ...extra,
});
const all = (unitId: number, v: [number, number, number, number], extra: object = {}): Cell[] =>
  (["1.1", "1.2", "2.1", "2.2"] as const).map((code, i) => cell(unitId, code, v[i] as number, extra));

describe.each(testDbKinds())("third-party evaluation on %s", (kind) => {
  let f: Fixture;
  let unit: (name: string) => number;
  let office: TestCaller;
  let lead: TestCaller; // `evaluator`, the lead of the test project and one of its two evaluators
  let second: TestCaller; // `evaluator2`
  let outsider: TestCaller; // `evaluator3`, in no project of this test
  let projectId: number;
  // Units: 党政办 (X, both evaluators), 经发办 (W), 营商办 (Y), 社事办 (Z); 前明村 in a tier of its own.
  let X: number;
  let W: number;
  let Y: number;
  let Z: number;
  let V: number;

  beforeAll(async () => {
    f = await createFixture(kind);
    const all = await f.db.query.units.findMany();
    const govPath = all.find((u) => u.id === f.ids.gov)?.path ?? "";
    const byName = new Map(all.filter((u) => u.path.startsWith(govPath)).map((u) => [u.name, u.id]));
    unit = (name) => byName.get(name) ?? Number.NaN;
    await createUser(f.db, systemActor, {
      username: "evaluator3",
      password: "Eval@2026",
      role: "evaluator",
      displayName: "未参与的评估员",
      unitId: null,
    });
    office = await callerAs(f.db, "office");
    lead = await callerAs(f.db, "evaluator");
    second = await callerAs(f.db, "evaluator2");
    outsider = await callerAs(f.db, "evaluator3");
    X = f.ids.dangzheng;
    W = unit("经济发展办公室");
    Y = unit("营商环境办公室");
    Z = unit("社会事业管理办公室");
    V = f.ids.qianming;
  });
  afterAll(() => f?.database.drop());

  /** The ranking builds no cells: its finals and pending count must be those of the full state. */
  const expectLeanFinalsAsFull = async () => {
    const [project] = await f.db
      .select()
      .from(evaluationProjects)
      .where(eq(evaluationProjects.id, projectId));
    if (!project) throw new Error("project missing");
    const [full, lean] = await Promise.all([
      loadState(f.db, project),
      loadState(f.db, project, { keep: () => false }),
    ]);
    expect(lean.cells).toEqual([]);
    expect(full.cells.length).toBeGreaterThan(0);
    expect(lean.finals).toEqual(full.finals);
    expect(lean.pending).toBe(full.pending);
    // Each cell's final value is the one the ranking uses.
    for (const c of full.cells) expect(finalValue(full, c.unitId, c.code)).toBe(c.final?.value);
    return lean;
  };

  const userId = async (username: string) =>
    (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, username) }))?.id ?? 0;

  /**
   * A project of its own, scoring started: `units` in one tier, each rated by both evaluators, the
   * lead being `evaluator`.
   */
  const scoringProject = async (
    name: string,
    units: number[],
    disagreementThreshold: number,
    indicatorSystem: { name: string; indicators: object[] },
  ) => {
    const p = await office.evaluation.create({
      year: 2023,
      name,
      organisation: `${name}测试`,
      leadUserId: await userId("evaluator"),
      disagreementThreshold,
    });
    await lead.evaluation.setIndicatorSystem({ projectId: p.id, indicatorSystem });
    await lead.evaluation.setUnits({ projectId: p.id, units: units.map((unitId) => ({ unitId, tier: "" })) });
    const pair = [await userId("evaluator"), await userId("evaluator2")];
    await lead.evaluation.setAssignments({
      projectId: p.id,
      assignments: units.map((unitId) => ({ unitId, evaluatorIds: pair })),
    });
    await lead.evaluation.startScoring({ projectId: p.id });
    return p;
  };

  it("create: the office creates a project with an evaluator as lead; a non-evaluator lead is refused", async () => {
    const leadId = await userId("evaluator");
    const bad = await outcome(
      office.evaluation.create({
        year: 2023,
        name: "2023年度政务公开第三方评估(测试)",
        organisation: "测试评估机构",
        leadUserId: await userId("dangzheng"),
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toContain("评估人员");
    const project = await office.evaluation.create({
      year: 2023,
      name: "2023年度政务公开第三方评估(测试)",
      organisation: "测试评估机构",
      leadUserId: leadId,
      disagreementThreshold: 1,
      appealDays: 7,
    });
    projectId = project.id;
    expect(project).toMatchObject({ status: "setup", ownerUnitId: f.ids.gov, leadUserId: leadId });
    expect((await office.evaluation.list()).map((p) => p.id)).toContain(projectId);
    expect((await lead.evaluation.list()).find((p) => p.id === projectId)?.access).toBe("lead");
    const [entry] = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "evaluation.create"), eq(auditLog.entityId, String(projectId))));
    expect(entry).toBeDefined();
  });

  it("evaluatorOptions: lists the evaluator accounts for the office", async () => {
    const options = await office.evaluation.evaluatorOptions();
    expect(options.map((o) => o.username)).toEqual(expect.arrayContaining(["evaluator", "evaluator2"]));
    expect((await outcome(lead.evaluation.evaluatorOptions())).code).toBe("FORBIDDEN");
  });

  it("importIndicatorSystem: reads the .xlsx with unequal weights; a file that is not .xlsx is refused in Chinese", async () => {
    const broken = await outcome(
      lead.evaluation.importIndicatorSystem({
        projectId,
        fileName: "指标.xlsx",
        contentBase64: Buffer.from("不是表格").toString("base64"),
      }),
    );
    expect(broken.code).toBe("BAD_REQUEST");
    expect(broken.message).toContain(".xlsx");
    const imported = await lead.evaluation.importIndicatorSystem({
      projectId,
      fileName: "2023指标体系.xlsx",
      contentBase64: await exampleXlsx(),
    });
    expect(imported.leaves.map((l) => [l.code, l.name, l.max, l.weight])).toEqual([
      ["1.1", "主动公开", 10, 0.7],
      ["1.2", "年度报告", 10, 0.3],
      ["2.1", "栏目规范", 20, 0.25],
      ["2.2", "更新及时", 5, 0.75],
    ]);
    expect(imported.system.indicators.map((i) => [i.code, i.name, i.weight])).toEqual([
      ["1", "信息公开", 0.6],
      ["2", "平台建设", 0.4],
    ]);
  });

  it("setIndicatorSystem: a system built in the page is checked by the tree rules (weights must add up to 1)", async () => {
    const detail = await office.evaluation.get({ projectId });
    const system = detail.project.indicatorSystem;
    const broken = structuredClone(system);
    const first = broken.indicators[0];
    if (first) first.weight = 0.5;
    const refused = await outcome(
      office.evaluation.setIndicatorSystem({ projectId, indicatorSystem: broken }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("权重");
    expect(isChinese(refused.message)).toBe(true);
    const saved = await office.evaluation.setIndicatorSystem({ projectId, indicatorSystem: system });
    expect(saved.leaves).toHaveLength(4);
  });

  it("setUnits: units in tiers; a unit of another government is refused", async () => {
    const outside = await outcome(
      office.evaluation.setUnits({ projectId, units: [{ unitId: f.ids.otherDept, tier: "镇属部门" }] }),
    );
    expect(outside.code).toBe("BAD_REQUEST");
    expect(outside.message).toContain("不属于本项目所属政府");
    await office.evaluation.setUnits({
      projectId,
      units: [
        { unitId: X, tier: "镇属部门" },
        { unitId: W, tier: "镇属部门" },
        { unitId: Y, tier: "镇属部门" },
        { unitId: Z, tier: "镇属部门" },
        { unitId: V, tier: "村居" },
      ],
    });
    const detail = await lead.evaluation.get({ projectId });
    expect(detail.units.map((u) => [u.name, u.tier])).toEqual([
      ["党政办公室", "镇属部门"],
      ["经济发展办公室", "镇属部门"],
      ["营商环境办公室", "镇属部门"],
      ["社会事业管理办公室", "镇属部门"],
      ["前明村村民委员会", "村居"],
    ]);
  });

  it("startScoring: refused while a unit has no evaluator", async () => {
    const r = await outcome(lead.evaluation.startScoring({ projectId }));
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toContain("还没有分配评估人员");
  });

  it("setAssignments: one or two evaluators per unit; three, or a non-evaluator, are refused", async () => {
    const e1 = await userId("evaluator");
    const e2 = await userId("evaluator2");
    const e3 = await userId("evaluator3");
    const three = await outcome(
      lead.evaluation.setAssignments({ projectId, assignments: [{ unitId: X, evaluatorIds: [e1, e2, e3] }] }),
    );
    expect(three.code).toBe("BAD_REQUEST");
    expect(three.message).toContain("最多由两名评估人员");
    const notEvaluator = await outcome(
      lead.evaluation.setAssignments({
        projectId,
        assignments: [{ unitId: X, evaluatorIds: [await userId("office")] }],
      }),
    );
    expect(notEvaluator.code).toBe("BAD_REQUEST");
    await lead.evaluation.setAssignments({
      projectId,
      assignments: [
        { unitId: X, evaluatorIds: [e1, e2] },
        { unitId: W, evaluatorIds: [e2] },
        { unitId: Y, evaluatorIds: [e1] },
        { unitId: Z, evaluatorIds: [e2] },
        { unitId: V, evaluatorIds: [e1] },
      ],
    });
    const detail = await office.evaluation.get({ projectId });
    expect(detail.assignments).toHaveLength(6);
  });

  it("startScoring: opens scoring and locks the indicator system", async () => {
    expect(await lead.evaluation.startScoring({ projectId })).toEqual({ status: "scoring" });
    const detail = await office.evaluation.get({ projectId });
    const locked = await outcome(
      office.evaluation.setIndicatorSystem({ projectId, indicatorSystem: detail.project.indicatorSystem }),
    );
    expect(locked.code).toBe("BAD_REQUEST");
    expect(locked.message).toContain("锁定");
    expect((await outcome(lead.evaluation.startScoring({ projectId }))).code).toBe("CONFLICT");
  });

  it("update: the lead changes the threshold and appeal days but not the lead; a stale version is a CONFLICT", async () => {
    const detail = await lead.evaluation.get({ projectId });
    const p = detail.project;
    const body = {
      projectId,
      year: p.year,
      name: p.name,
      organisation: p.organisation,
      leadUserId: p.leadUserId,
      disagreementThreshold: 1,
      appealDays: 7,
      version: p.version,
    };
    const changeLead = await outcome(
      lead.evaluation.update({ ...body, leadUserId: await userId("evaluator2") }),
    );
    expect(changeLead.code).toBe("BAD_REQUEST");
    expect(changeLead.message).toContain("只有政务公开办");
    const updated = await lead.evaluation.update({ ...body, organisation: "某大学公共管理学院(测试)" });
    expect(updated.organisation).toBe("某大学公共管理学院(测试)");
    expect((await outcome(lead.evaluation.update(body))).code).toBe("CONFLICT");
  });

  it("grid: each evaluator sees only its own units; the outsider sees nothing of the project", async () => {
    const g1 = await lead.evaluation.grid({ projectId });
    expect(g1.units.map((u) => u.unitName)).toEqual(["党政办公室", "营商环境办公室", "前明村村民委员会"]);
    expect(g1.progress).toEqual({ done: 0, total: 12 });
    const g2 = await second.evaluation.grid({ projectId });
    expect(g2.units.map((u) => u.unitName)).toEqual(["党政办公室", "经济发展办公室", "社会事业管理办公室"]);
    expect((await outcome(outsider.evaluation.grid({ projectId }))).code).toBe("NOT_FOUND");
    const d2 = await second.evaluation.get({ projectId });
    expect(d2.access).toBe("evaluator");
    expect(d2.units.map((u) => u.unitId).sort()).toEqual([X, W, Z].sort());
    expect(new Set(d2.assignments.map((a) => a.evaluatorName))).toEqual(new Set(["第三方评估员(二)"]));
  });

  it("saveScores: drafts with evidence; out-of-range values, bad URLs, others' files and others' units are refused", async () => {
    const e1 = await userId("evaluator");
    const e2 = await userId("evaluator2");
    const screenshot = await insertStoredFile(f.db, {
      sha256: "a".repeat(64),
      sizeBytes: 10,
      mimeType: "image/png",
      fileName: "党政办栏目截图.png",
      storageKey: "aa/aaaa",
      uploadedBy: e1,
      unitId: null,
    });
    const tooHigh = await outcome(second.evaluation.saveScores({ projectId, scores: [cell(X, "1.1", 12)] }));
    expect(tooHigh.code).toBe("BAD_REQUEST");
    expect(tooHigh.message).toContain("0 到 10 分");
    const ftp = await outcome(
      lead.evaluation.saveScores({
        projectId,
        scores: [cell(X, "1.1", 8, { evidenceUrl: "ftp://x.gov.cn/a" })],
      }),
    );
    expect(ftp.code).toBe("BAD_REQUEST");
    expect(ftp.message).toContain("http://");
    const notMine = await outcome(
      second.evaluation.saveScores({
        projectId,
        scores: [cell(X, "1.1", 5, { evidenceFileId: screenshot.id })],
      }),
    );
    expect(notMine.code).toBe("BAD_REQUEST");
    expect(notMine.message).toContain("不是您上传的");
    expect(
      (await outcome(second.evaluation.saveScores({ projectId, scores: [cell(Y, "1.1", 5)] }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await outcome(outsider.evaluation.saveScores({ projectId, scores: [cell(X, "1.1", 5)] }))).code,
    ).toBe("NOT_FOUND");

    // X: the hand-computed example's unit; the two evaluators differ by 3 on 1.1 and by exactly the
    // threshold (1) on 1.2.
    await lead.evaluation.saveScores({
      projectId,
      scores: all(X, [8, 4.5, 10, 5]).map((c) =>
        c.indicatorCode === "1.1" ? { ...c, evidenceFileId: screenshot.id } : c,
      ),
    });
    await second.evaluation.saveScores({ projectId, scores: all(X, [5, 5.5, 10, 5]) });
    await second.evaluation.saveScores({ projectId, scores: all(W, [6, 10, 8.8, 5]) });
    await lead.evaluation.saveScores({ projectId, scores: all(Y, [10, 10, 0, 0]) });
    await second.evaluation.saveScores({ projectId, scores: all(Z, [0, 0, 20, 5]) });
    await lead.evaluation.saveScores({ projectId, scores: all(V, [5, 5, 10, 2.5]) });
    // A draft value cleared again: the cell is empty.
    await lead.evaluation.saveScores({ projectId, scores: [cell(V, "2.2", null)] });
    const rows = await f.db
      .select()
      .from(evaluationScores)
      .where(and(eq(evaluationScores.projectId, projectId), eq(evaluationScores.evaluatorId, e2)));
    expect(rows).toHaveLength(12);
    const grid = await lead.evaluation.grid({ projectId });
    expect(grid.progress).toEqual({ done: 11, total: 12 });
    // A cell comes back with its evidence: the file's name, and the time observed (20 June 2023,
    // 10:30 in Beijing) as an ISO instant.
    expect(grid.units.find((u) => u.unitId === X)?.cells["1.1"]).toEqual({
      value: 8,
      evidenceUrl: url(`${X}/1.1.html`),
      evidenceFileId: screenshot.id,
      evidenceFileName: "党政办栏目截图.png",
      observedAt: "2023-06-20T02:30:00.000Z",
      note: null,
    });
  });

  it("grid: a page of units at a time; the roster and the progress count every unit", async () => {
    const whole = await lead.evaluation.grid({ projectId });
    expect(whole.page).toEqual({ page: 1, pageSize: 5, pages: 1, units: 3 });
    const pages = await Promise.all(
      [1, 2, 3].map((page) => lead.evaluation.grid({ projectId, page, pageSize: 1 })),
    );
    // Each page holds one unit, in the order of the whole grid, with the same cells.
    expect(pages.map((g) => g.units.map((u) => u.unitId))).toEqual(whole.units.map((u) => [u.unitId]));
    for (const [i, g] of pages.entries()) {
      expect(g.units[0]?.cells).toEqual(whole.units[i]?.cells);
      expect(g.page).toEqual({ page: i + 1, pageSize: 1, pages: 3, units: 3 });
      expect(g.progress).toEqual({ done: 11, total: 12 });
      expect(g.roster).toEqual(whole.roster);
    }
    // The roster says how many cells of each unit are filled: 11 of 12 over three units of 4 leaves.
    expect(whole.roster.map((u) => u.done)).toEqual(whole.units.map((u) => Object.keys(u.cells).length));
    expect(whole.roster.map((u) => u.unitName)).toEqual(whole.units.map((u) => u.unitName));
    // A page past the end shows the last one; a bad page size is refused in Chinese.
    expect((await lead.evaluation.grid({ projectId, page: 9, pageSize: 2 })).page).toEqual({
      page: 2,
      pageSize: 2,
      pages: 2,
      units: 3,
    });
    const tooMany = await outcome(lead.evaluation.grid({ projectId, pageSize: 500 }));
    expect(tooMany.code).toBe("BAD_REQUEST");
    expect(tooMany.message).toContain("每页最多 50 个单位");
    expect(tooMany.message).toContain("「每页单位数」");
    const zero = await outcome(lead.evaluation.grid({ projectId, page: 0 }));
    expect(zero.message).toContain("页码从 1 开始");
    expect(zero.message).not.toContain("page");
  });

  it("submitUnit: refused while a leaf is empty, naming it; submitted once; not a unit of someone else", async () => {
    const missing = await outcome(lead.evaluation.submitUnit({ projectId, unitId: V }));
    expect(missing.code).toBe("BAD_REQUEST");
    expect(missing.message).toContain("2.2 更新及时");
    await lead.evaluation.saveScores({ projectId, scores: [cell(V, "2.2", 2.5)] });
    await lead.evaluation.submitUnit({ projectId, unitId: V });
    expect((await outcome(lead.evaluation.submitUnit({ projectId, unitId: V }))).code).toBe("CONFLICT");
    expect((await outcome(lead.evaluation.submitUnit({ projectId, unitId: W }))).code).toBe("NOT_FOUND");
    const closed = await outcome(lead.evaluation.saveScores({ projectId, scores: [cell(V, "2.2", 5)] }));
    expect(closed.code).toBe("BAD_REQUEST");
    expect(closed.message).toContain("已提交");
  });

  it("hides the other evaluator's values of a cell until both have submitted the unit", async () => {
    await lead.evaluation.submitUnit({ projectId, unitId: X });
    const before = await second.evaluation.grid({ projectId });
    const x2 = before.units.find((u) => u.unitId === X);
    expect(x2?.others).toBeNull();
    expect(x2?.cells["1.1"]?.value).toBe(5);
    expect(JSON.stringify(before)).not.toContain("党政办栏目截图");
    const leadView = (await lead.evaluation.grid({ projectId })).units.find((u) => u.unitId === X);
    expect(leadView?.others).toBeNull();
    // Not even the lead's reconciliation shows the unit yet.
    const rec = await lead.evaluation.reconciliation({ projectId });
    expect(rec.cells.filter((c) => c.unitId === X)).toEqual([]);
    expect(rec.units.find((u) => u.unitId === X)).toMatchObject({
      evaluators: 2,
      submitted: 1,
      ready: false,
    });

    await second.evaluation.submitUnit({ projectId, unitId: X });
    const after = (await second.evaluation.grid({ projectId })).units.find((u) => u.unitId === X);
    expect(after?.allSubmitted).toBe(true);
    expect(after?.others?.["1.1"]?.map((o) => [o.evaluatorName, o.value])).toEqual([["第三方评估员", 8]]);
  });

  it("reconciliation: flags cells differing by more than the threshold, with both values and their evidence", async () => {
    const rec = await lead.evaluation.reconciliation({ projectId });
    const x = rec.cells.filter((c) => c.unitId === X);
    const flagged = x.filter((c) => c.flagged);
    expect(flagged.map((c) => [c.code, c.spread])).toEqual([["1.1", 3]]);
    const c11 = flagged[0];
    expect(c11?.final).toBeNull();
    expect(c11?.ratings.map((r) => [r.evaluatorName, r.value, r.evidenceFileName])).toEqual([
      ["第三方评估员", 8, "党政办栏目截图.png"],
      ["第三方评估员(二)", 5, null],
    ]);
    expect(c11?.ratings[1]?.evidenceUrl).toBe(url(`${X}/1.1.html`));
    // The project-wide view holds only what needs (or had) the lead's decision.
    expect(rec.cells.map((c) => [c.unitId, c.code])).toEqual([[X, "1.1"]]);
    // One unit's view holds every double-rated cell, with evidence: a difference equal to the
    // threshold is not flagged and the final score is the mean.
    const one = await lead.evaluation.reconciliation({ projectId, unitId: X });
    expect(one.cells.every((c) => c.unitId === X)).toBe(true);
    const c12 = one.cells.find((c) => c.code === "1.2");
    expect(c12).toMatchObject({ flagged: false, final: { value: 5, source: "agreed" } });
    expect(one.cells.find((c) => c.code === "1.1")?.ratings[0]?.evidenceFileName).toBe("党政办栏目截图.png");
    expect(one.cells.length).toBeGreaterThan(1);
    // A unit the project does not evaluate is not an empty list but NOT_FOUND, said in Chinese.
    const stranger = await outcome(lead.evaluation.reconciliation({ projectId, unitId: f.ids.gov }));
    expect(stranger.code).toBe("NOT_FOUND");
    expect(isChinese(stranger.message)).toBe(true);
    expect(rec.pending).toBe(1);
    expect(one.pending).toBe(1);
    const lean = await expectLeanFinalsAsFull();
    expect(lean.pending).toBe(1);
    expect(finalValue(lean, X, "1.2")).toBe(5);
    expect(finalValue(lean, X, "1.1")).toBeUndefined();
    expect((await outcome(second.evaluation.reconciliation({ projectId }))).code).toBe("FORBIDDEN");
  });

  it("setFinalScore: the lead decides a flagged cell with a reason; no reason, an unready unit or a bad value is refused", async () => {
    const noReason = await outcome(
      lead.evaluation.setFinalScore({ projectId, unitId: X, indicatorCode: "1.1", value: 8, reason: " " }),
    );
    expect(noReason.code).toBe("BAD_REQUEST");
    expect(noReason.message).toContain("「理由」");
    const notReady = await outcome(
      lead.evaluation.setFinalScore({
        projectId,
        unitId: W,
        indicatorCode: "1.1",
        value: 6,
        reason: "提前复核",
      }),
    );
    expect(notReady.code).toBe("BAD_REQUEST");
    expect(notReady.message).toContain("没有提交");
    const tooHigh = await outcome(
      lead.evaluation.setFinalScore({
        projectId,
        unitId: X,
        indicatorCode: "1.1",
        value: 11,
        reason: "核查",
      }),
    );
    expect(tooHigh.code).toBe("BAD_REQUEST");
    await lead.evaluation.setFinalScore({
      projectId,
      unitId: X,
      indicatorCode: "1.1",
      value: 8,
      reason: "复核页面:机构信息栏目齐全,采用 8 分。",
    });
    const rec = await office.evaluation.reconciliation({ projectId });
    expect(rec.pending).toBe(0);
    expect(rec.cells.find((c) => c.unitId === X && c.code === "1.1")?.final).toMatchObject({
      value: 8,
      source: "decided",
      reason: "复核页面:机构信息栏目齐全,采用 8 分。",
      decidedByName: "第三方评估员",
    });
  });

  it("publish: refused while units are not submitted", async () => {
    const r = await outcome(lead.evaluation.publish({ projectId }));
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toContain("没有完成评分");
    expect(r.message).toContain("经济发展办公室");
  });

  it("preview: weighted totals match the hand computation; ranks follow totals with ties sharing a rank, per tier", async () => {
    for (const [caller, u] of [
      [second, W],
      [lead, Y],
      [second, Z],
    ] as const)
      await caller.evaluation.submitUnit({ projectId, unitId: u });
    const { results, incomplete, pending } = await lead.evaluation.preview({ projectId });
    expect(incomplete).toEqual([]);
    expect(pending).toBe(0);
    // By hand: 党政办 信息公开 = 0.7×80 + 0.3×50 = 71 (1.2 is the mean of 4.5 and 5.5),
    //          平台建设 = 0.25×50 + 0.75×100 = 87.5; total = 0.6×71 + 0.4×87.5 = 77.6.
    //          经发办 = 0.6×(0.7×60 + 0.3×100) + 0.4×(0.25×44 + 0.75×100) = 43.2 + 34.4 = 77.6 (a tie).
    //          营商办 = 0.6×100 + 0.4×0 = 60;  社事办 = 0.6×0 + 0.4×100 = 40.
    //          前明村 = 0.6×50 + 0.4×(0.25×50 + 0.75×50) = 30 + 20 = 50, alone in its tier.
    expect(results.tiers).toEqual(["镇属部门", "村居"]);
    expect(results.units.map((u) => [u.tier, u.rank, u.unitName, u.total])).toEqual([
      ["镇属部门", 1, "党政办公室", 77.6],
      ["镇属部门", 1, "经济发展办公室", 77.6],
      ["镇属部门", 3, "营商环境办公室", 60],
      ["镇属部门", 4, "社会事业管理办公室", 40],
      ["村居", 1, "前明村村民委员会", 50],
    ]);
    // A system that states no ranking keys gives results without them (so their hash is as before).
    expect("ranking" in results).toBe(false);
    const x = results.units[0];
    // The live table shows first-level indicators only; a published version has every one (below).
    expect(x?.indicators).toEqual({ "1": 71, "2": 87.5 });
    expect(results.maxTotal).toBe(100);
    await expectLeanFinalsAsFull();
    expect((await outcome(outsider.evaluation.preview({ projectId }))).code).toBe("NOT_FOUND");
  });

  it("agreement: per indicator and overall, over the cells both evaluators scored", async () => {
    const report = await lead.evaluation.agreement({ projectId });
    expect(report.overall).toMatchObject({ cells: 4, values: 8, exactAgreement: 0.5 });
    expect(report.byIndicator.map((i) => [i.code, i.cells, i.exactAgreement])).toEqual([
      ["1.1", 1, 0],
      ["1.2", 1, 0],
      ["2.1", 1, 1],
      ["2.2", 1, 1],
    ]);
    expect((await outcome(second.evaluation.agreement({ projectId }))).code).toBe("FORBIDDEN");
  });

  it("publish: version 1 frozen with the sha256 of its canonical results", async () => {
    const v1 = await lead.evaluation.publish({ projectId });
    expect(v1.version).toBe(1);
    const published = await getPublishedEvaluation(f.db, projectId);
    expect(published.version.contentHash).toBe(v1.contentHash);
    expect(sha256(canonicalJson(published.results))).toBe(v1.contentHash);
    const x = {
      unitId: X,
      unitName: "党政办公室",
      tier: "镇属部门",
      total: 77.6,
      rank: 1,
      grade: null,
    };
    expect(published.results.units.find((u) => u.unitId === X)).toEqual({
      ...x,
      indicators: { "1": 71, "1.1": 8, "1.2": 5, "2": 87.5, "2.1": 10, "2.2": 5 },
    });
    // The public page gets the first level only.
    const page = await (await callerAs(f.db, null)).public.evaluation({ projectId });
    expect(page.results.units.find((u) => u.unitId === X)).toEqual({
      ...x,
      indicators: { "1": 71, "2": 87.5 },
    });
    const again = await outcome(lead.evaluation.publish({ projectId }));
    expect(again.code).toBe("BAD_REQUEST");
    expect(again.message).toContain("更正原因");
    const same = await outcome(lead.evaluation.publish({ projectId, reason: "重复发布" }));
    expect(same.code).toBe("CONFLICT");
  });

  it("showResults: units see their results from now on; a second time is a CONFLICT", async () => {
    const unitView = await callerAs(f.db, "dangzheng");
    expect((await outcome(unitView.evaluation.myResult({ projectId }))).code).toBe("NOT_FOUND");
    expect(await unitView.evaluation.mine()).not.toContainEqual(expect.objectContaining({ id: projectId }));
    const shown = await lead.evaluation.showResults({ projectId });
    expect(shown.appealDeadline).toBe("2023-07-08T02:00:00.000Z");
    expect((await outcome(lead.evaluation.showResults({ projectId }))).code).toBe("CONFLICT");
  });

  it("mine / myResult: a unit sees its own scores, deductions and evidence — and nothing of other units", async () => {
    const unitView = await callerAs(f.db, "dangzheng");
    const list = await unitView.evaluation.mine();
    expect(list.find((p) => p.id === projectId)).toMatchObject({ canAppeal: true, tier: "镇属部门" });
    const mine = await unitView.evaluation.myResult({ projectId });
    expect(mine).toMatchObject({ total: 77.6, rank: 1, unitsInTier: 4, tier: "镇属部门" });
    const i11 = mine.indicators.find((i) => i.code === "1.1");
    expect(i11).toMatchObject({ score: 8, deduction: 2, reason: "复核页面:机构信息栏目齐全,采用 8 分。" });
    expect(i11?.evidence.map((e) => [e.evaluator, e.evidenceUrl])).toEqual([
      ["评估人员1", url(`${X}/1.1.html`)],
      ["评估人员2", url(`${X}/1.1.html`)],
    ]);
    expect(JSON.stringify(mine)).not.toContain("营商环境办公室");
    expect(JSON.stringify(mine)).not.toContain("第三方评估员");
    // A unit outside the project, and a unit of another town, see nothing.
    const outside = await callerAs(f.db, "baihe-unit");
    expect((await outcome(outside.evaluation.myResult({ projectId }))).code).toBe("NOT_FOUND");
    expect(await outside.evaluation.mine()).toEqual([]);
  });

  it("appeal: within the appeal days a unit appeals a leaf; after them it is refused, saying until when", async () => {
    const unitView = await callerAs(f.db, "dangzheng");
    const notLeaf = await outcome(
      unitView.evaluation.appeal({ projectId, indicatorCode: "1", reason: "整体偏低" }),
    );
    expect(notLeaf.code).toBe("BAD_REQUEST");
    const late = await callerAs(f.db, "dangzheng", new Date("2023-07-08T02:00:01Z"));
    const tooLate = await outcome(
      late.evaluation.appeal({ projectId, indicatorCode: "1.1", reason: "补充材料" }),
    );
    expect(tooLate.code).toBe("BAD_REQUEST");
    expect(tooLate.message).toContain("申诉期已于");
    expect(tooLate.message).toContain("7 天内");
    // On the last moment of the window it is still accepted.
    const lastMoment = await callerAs(f.db, "dangzheng", new Date("2023-07-08T02:00:00Z"));
    const appeal = await lastMoment.evaluation.appeal({
      projectId,
      indicatorCode: "1.1",
      reason: "机构信息栏目已按要求更新领导分工,附截图,请复核。",
    });
    expect(appeal.state).toBe("open");
    const twice = await outcome(
      unitView.evaluation.appeal({ projectId, indicatorCode: "1.1", reason: "再次申诉" }),
    );
    expect(twice.code).toBe("CONFLICT");
    await unitView.evaluation.appeal({ projectId, indicatorCode: "2.1", reason: "栏目设置符合规范" });
  });

  it("appeals / decideAppeal: the lead accepts (the score changes, the reason kept) or rejects with a reason", async () => {
    const list = await lead.evaluation.appeals({ projectId });
    expect(list.map((a) => [a.unitName, a.indicatorCode, a.state, a.current])).toEqual([
      ["党政办公室", "2.1", "open", 10],
      ["党政办公室", "1.1", "open", 8],
    ]);
    const a11 = list.find((a) => a.indicatorCode === "1.1");
    const a21 = list.find((a) => a.indicatorCode === "2.1");
    if (!a11 || !a21) throw new Error("appeals missing");
    const noValue = await outcome(
      lead.evaluation.decideAppeal({ projectId, appealId: a11.id, accept: true, response: "同意" }),
    );
    expect(noValue.code).toBe("BAD_REQUEST");
    expect(noValue.message).toContain("调整后的得分");
    const publishOpen = await outcome(lead.evaluation.publish({ projectId, reason: "申诉处理" }));
    expect(publishOpen.message).toContain("申诉没有处理");
    await lead.evaluation.decideAppeal({
      projectId,
      appealId: a11.id,
      accept: true,
      response: "经核对截图,领导分工已更新。",
      newValue: 10,
    });
    await lead.evaluation.decideAppeal({
      projectId,
      appealId: a21.id,
      accept: false,
      response: "栏目设置已按满分计算,无需调整。",
    });
    expect(
      (
        await outcome(
          lead.evaluation.decideAppeal({ projectId, appealId: a21.id, accept: false, response: "x" }),
        )
      ).code,
    ).toBe("CONFLICT");
    const mine = await (await callerAs(f.db, "dangzheng")).evaluation.myResult({ projectId });
    expect(mine.indicators.find((i) => i.code === "1.1")).toMatchObject({
      score: 10,
      reason: "申诉采纳:经核对截图,领导分工已更新。",
    });
    expect(mine.appeals.map((a) => [a.indicatorCode, a.state])).toEqual([
      ["2.1", "rejected"],
      ["1.1", "accepted"],
    ]);
    // 0.6 × (0.7×100 + 0.3×50) + 0.4 × 87.5 = 51 + 35 = 86: now first alone.
    const { results } = await lead.evaluation.preview({ projectId });
    expect(results.units.slice(0, 2).map((u) => [u.unitName, u.total, u.rank])).toEqual([
      ["党政办公室", 86, 1],
      ["经济发展办公室", 77.6, 2],
    ]);
  });

  it("publish: a correction is version 2 with its reason, beside version 1", async () => {
    const v2 = await lead.evaluation.publish({ projectId, reason: "采纳党政办公室申诉,更正指标 1.1 得分。" });
    expect(v2.version).toBe(2);
    const anonymous = await callerAs(f.db, null);
    const latest = await anonymous.public.evaluation({ projectId });
    expect(latest.versions.map((v) => [v.version, v.reason])).toEqual([
      [2, "采纳党政办公室申诉,更正指标 1.1 得分。"],
      [1, null],
    ]);
    expect(latest.results.units[0]?.total).toBe(86);
    const first = await anonymous.public.evaluation({ projectId, version: 1 });
    expect(first.results.units[0]?.total).toBe(77.6);
    const full = await getPublishedEvaluation(f.db, projectId, 1);
    expect(sha256(canonicalJson(full.results))).toBe(first.version.contentHash);
    const [entry] = await f.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.action, "evaluation.publish"), eq(auditLog.entityId, String(projectId))));
    expect(entry?.n).toBe(2);
  });

  it("keeps an evaluator with no part in the project out of every procedure (NOT_FOUND)", async () => {
    const e = outsider.evaluation;
    const p = { projectId };
    const calls: [string, () => Promise<unknown>][] = [
      ["get", () => e.get(p)],
      ["update", () => e.update({ ...p, year: 2023, name: "x", organisation: "x", leadUserId: null })],
      ["setIndicatorSystem", () => e.setIndicatorSystem({ ...p, indicatorSystem: {} })],
      [
        "importIndicatorSystem",
        () => e.importIndicatorSystem({ ...p, fileName: "a.xlsx", contentBase64: "AAAA" }),
      ],
      ["setUnits", () => e.setUnits({ ...p, units: [] })],
      ["setAssignments", () => e.setAssignments({ ...p, assignments: [] })],
      ["startScoring", () => e.startScoring(p)],
      ["grid", () => e.grid(p)],
      ["saveScores", () => e.saveScores({ ...p, scores: [cell(X, "1.1", 1)] })],
      ["submitUnit", () => e.submitUnit({ ...p, unitId: X })],
      ["reconciliation", () => e.reconciliation(p)],
      [
        "setFinalScore",
        () => e.setFinalScore({ ...p, unitId: X, indicatorCode: "1.1", value: 1, reason: "x" }),
      ],
      ["agreement", () => e.agreement(p)],
      ["preview", () => e.preview(p)],
      ["showResults", () => e.showResults(p)],
      ["appeals", () => e.appeals(p)],
      ["decideAppeal", () => e.decideAppeal({ ...p, appealId: 1, accept: false, response: "x" })],
      ["publish", () => e.publish({ ...p, reason: "x" })],
    ];
    for (const [name, call] of calls) expect((await outcome(call())).code, name).toBe("NOT_FOUND");
    expect((await e.list()).map((x) => x.id)).not.toContain(projectId);
  });

  it("keeps an assigned evaluator to its own units and out of the lead's work", async () => {
    const e = second.evaluation;
    const p = { projectId };
    // Another evaluator's unit: not found, as if it did not exist.
    expect((await outcome(e.saveScores({ ...p, scores: [cell(V, "1.1", 1)] }))).code).toBe("NOT_FOUND");
    expect((await outcome(e.submitUnit({ ...p, unitId: Y }))).code).toBe("NOT_FOUND");
    const detail = await e.get(p);
    expect(detail.units.map((u) => u.unitId)).not.toContain(Y);
    expect(detail.unitOptions).toEqual([]);
    expect(detail.evaluatorOptions).toEqual([]);
    // The lead's work: refused.
    const managerCalls: [string, () => Promise<unknown>][] = [
      ["update", () => e.update({ ...p, year: 2023, name: "x", organisation: "x", leadUserId: null })],
      ["setUnits", () => e.setUnits({ ...p, units: [] })],
      ["setAssignments", () => e.setAssignments({ ...p, assignments: [] })],
      ["startScoring", () => e.startScoring(p)],
      [
        "setFinalScore",
        () => e.setFinalScore({ ...p, unitId: X, indicatorCode: "1.1", value: 1, reason: "x" }),
      ],
      ["preview", () => e.preview(p)],
      ["showResults", () => e.showResults(p)],
      ["appeals", () => e.appeals(p)],
      ["decideAppeal", () => e.decideAppeal({ ...p, appealId: 1, accept: false, response: "x" })],
      ["publish", () => e.publish({ ...p, reason: "x" })],
    ];
    for (const [name, call] of managerCalls) expect((await outcome(call())).code, name).toBe("FORBIDDEN");
  });

  it("keeps an office of another government out of the project (NOT_FOUND)", async () => {
    const other = await callerAs(f.db, "baihe-office");
    expect((await other.evaluation.list()).map((x) => x.id)).not.toContain(projectId);
    for (const call of [
      () => other.evaluation.get({ projectId }),
      () => other.evaluation.reconciliation({ projectId }),
      () => other.evaluation.publish({ projectId, reason: "x" }),
    ])
      expect((await outcome(call())).code).toBe("NOT_FOUND");
    const create = await outcome(
      other.evaluation.create({
        year: 2023,
        name: "越权项目",
        organisation: "x",
        leadUserId: null,
        ownerUnitId: f.ids.gov,
      }),
    );
    expect(create.code).toBe("BAD_REQUEST");
  });

  it("reports agreement of the worked example in Krippendorff (2011), binary data, two observers: α = 0.095", async () => {
    // Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
    // Communication, University of Pennsylvania, section A: "Binary or dichotomous data, two
    // observers, no missing data" — 10 units, observer A: 0 1 0 0 0 0 0 0 1 0, observer B:
    // 1 1 1 0 0 1 0 0 0 0; α = 1 − (n − 1)·o₀₁ / (n₀·n₁) = 1 − 19·4 / (14·6) = 0.095.
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    const names = [
      "党政办公室",
      "经济发展办公室",
      "营商环境办公室",
      "社会事业管理办公室",
      "社区管理办公室",
      "规划建设和生态环境办公室",
      "平安建设办公室",
      "财政管理所",
      "农业农村服务中心",
      "安居工作办公室",
    ];
    const ids = names.map(unit);
    const p = await scoringProject("年报发布情况核查(信度示例)", ids, 0, {
      name: "年报核查",
      indicators: [{ code: "1", name: "按时发布年报", points: 10, rule: { type: "yesno" } }],
    });
    const both = [
      [lead, a],
      [second, b],
    ] as const;
    for (const [caller, values] of both) {
      await caller.evaluation.saveScores({
        projectId: p.id,
        scores: ids.map((unitId, i) => cell(unitId, "1", values[i] as number)),
      });
    }
    // Half the units submitted by both: the agreement covers those five, and is kept.
    for (const [caller] of both)
      for (const unitId of ids.slice(0, 5)) await caller.evaluation.submitUnit({ projectId: p.id, unitId });
    const half = await lead.evaluation.agreement({ projectId: p.id });
    expect(half.overall.cells).toBe(5);
    const keptRow = async () =>
      (await f.db.select().from(evaluationAgreements).where(eq(evaluationAgreements.projectId, p.id)))[0];
    expect((await keptRow())?.report).toEqual(half);
    // While nothing is submitted, the next view is the kept report (marked here to tell it apart).
    await f.db
      .update(evaluationAgreements)
      .set({ report: { ...half, overall: { ...half.overall, cells: 999 } } })
      .where(eq(evaluationAgreements.projectId, p.id));
    expect((await lead.evaluation.agreement({ projectId: p.id })).overall.cells).toBe(999);
    // A submission changes what the agreement is computed from: the next view computes it again.
    for (const [caller] of both)
      for (const unitId of ids.slice(5)) await caller.evaluation.submitUnit({ projectId: p.id, unitId });
    const report = await lead.evaluation.agreement({ projectId: p.id });
    expect(report.overall.cells).toBe(10);
    expect((await keptRow())?.report).toEqual(report);
    const stats = report.byIndicator[0];
    expect(stats?.cells).toBe(10);
    expect(stats?.exactAgreement).toBe(0.6);
    expect(stats?.alphaNominal).toBeCloseTo(1 - (19 * 4) / (14 * 6), 10);
    expect(stats?.alphaNominal).toBeCloseTo(0.095, 3);
    expect(stats?.alphaInterval).toBeCloseTo(0.095, 3);
    expect(stats?.weak).toBe(true);
    // Every disagreeing cell is flagged (threshold 0): 4 of them wait for the lead.
    expect((await lead.evaluation.reconciliation({ projectId: p.id })).pending).toBe(4);
    // A rating repaired in the database (units 1 and 3 disagreed: B now agrees with A on unit 1) is
    // seen by the next view: the kept report's basis is the units' revisions, which it raises.
    await f.db
      .update(evaluationScores)
      .set({ value: a[0] as number })
      .where(
        and(
          eq(evaluationScores.projectId, p.id),
          eq(evaluationScores.unitId, ids[0] as number),
          eq(evaluationScores.evaluatorId, await userId("evaluator2")),
        ),
      );
    expect((await lead.evaluation.agreement({ projectId: p.id })).byIndicator[0]?.exactAgreement).toBe(0.7);
  });

  it("preview: the ranking reads each unit's kept result, and computes again the units whose ratings, decisions, submissions or rules changed", async () => {
    const names = ["党政办公室", "经济发展办公室", "营商环境办公室", "社会事业管理办公室"];
    const ids = names.map(unit);
    const p = await scoringProject("网站检查(保存排名)", ids, 5, {
      name: "网站检查",
      indicators: [
        { code: "1", name: "栏目建设", points: 60, rule: { type: "manual" } },
        { code: "2", name: "内容更新", points: 40, rule: { type: "manual" } },
      ],
    });
    // The second evaluator rates 1 of the first unit 20 points lower: a flagged cell.
    for (const [caller, first] of [
      [lead, 50],
      [second, 30],
    ] as const) {
      await caller.evaluation.saveScores({
        projectId: p.id,
        scores: ids.flatMap((unitId, i) => [
          cell(unitId, "1", i === 0 ? first : 40 + i),
          cell(unitId, "2", 30),
        ]),
      });
      for (const unitId of ids.slice(0, 3)) await caller.evaluation.submitUnit({ projectId: p.id, unitId });
    }
    const kept = () =>
      f.db
        .select({ unitId: evaluationUnitResults.unitId, total: evaluationUnitResults.total })
        .from(evaluationUnitResults)
        .innerJoin(
          evaluationUnits,
          and(
            eq(evaluationUnits.projectId, evaluationUnitResults.projectId),
            eq(evaluationUnits.unitId, evaluationUnitResults.unitId),
            eq(evaluationUnits.revision, evaluationUnitResults.revision),
          ),
        )
        .where(eq(evaluationUnitResults.projectId, p.id));
    /** The preview equals the results computed from every rating, as publishing computes them. */
    const expectAsComputed = async () => {
      const [project] = await f.db.select().from(evaluationProjects).where(eq(evaluationProjects.id, p.id));
      if (!project) throw new Error("project missing");
      const full = computeResults(project, await loadState(f.db, project), new Date(), "firstLevel");
      const view = await lead.evaluation.preview({ projectId: p.id });
      expect(view.results.units).toEqual(full.results.units);
      expect(view.results.tiers).toEqual(full.results.tiers);
      expect(view.incomplete).toEqual(full.incomplete);
      expect(view.pending).toBe(full.pending);
      // The reconciliation reads the ratings of the units with flagged or decided cells only: the
      // same cells and counts as from every rating.
      const every = await loadState(f.db, project, { keep: (c) => c.flagged || c.decided });
      const rec = await lead.evaluation.reconciliation({ projectId: p.id });
      const cellKey = (c: {
        unitId: number;
        code: string;
        flagged: boolean;
        final: { value: number } | null;
      }) => [c.unitId, c.code, c.flagged, c.final?.value ?? null];
      expect(rec.cells.map(cellKey)).toEqual(every.cells.map(cellKey));
      expect([rec.pending, rec.flagged]).toEqual([every.pending, every.flaggedCells]);
      expect(rec.units.map((u) => [u.unitId, u.ready])).toEqual(
        every.unitRows.map((u) => [u.unitId, every.ready.has(u.unitId)]),
      );
      return view;
    };
    const first = await expectAsComputed();
    // 1 of the first unit waits for the lead; the fourth unit is not submitted.
    expect(first.pending).toBe(1);
    expect(first.incomplete).toEqual(["党政办公室", "社会事业管理办公室"]);
    expect((await kept()).length).toBe(4);

    // While nothing changes, the next view is the kept results (one marked here to tell it apart).
    await f.db
      .update(evaluationUnitResults)
      .set({ total: 1.5, complete: true })
      .where(
        and(eq(evaluationUnitResults.projectId, p.id), eq(evaluationUnitResults.unitId, ids[1] as number)),
      );
    const marked = await lead.evaluation.preview({ projectId: p.id });
    expect(marked.results.units.find((u) => u.unitId === ids[1])?.total).toBe(1.5);

    // A rating repaired in the database: that unit is computed again, the others stay kept.
    await f.db
      .update(evaluationScores)
      .set({ value: 45 })
      .where(
        and(
          eq(evaluationScores.projectId, p.id),
          eq(evaluationScores.unitId, ids[1] as number),
          eq(evaluationScores.indicatorCode, "1"),
        ),
      );
    expect((await kept()).length).toBe(3);
    const repaired = await expectAsComputed();
    // Two leaves of 60 and 40 points, no weights: 45 + 30 = 75.
    expect(repaired.results.units.find((u) => u.unitId === ids[1])?.total).toBe(75);

    // The lead decides the flagged cell; the last unit is submitted; the threshold goes up to 25.
    await lead.evaluation.setFinalScore({
      projectId: p.id,
      unitId: ids[0] as number,
      indicatorCode: "1",
      value: 45,
      reason: "复核:栏目基本齐全。",
    });
    const decided = await expectAsComputed();
    expect(decided.pending).toBe(0);
    expect(decided.results.units.find((u) => u.unitId === ids[0])?.total).toBe(75);
    for (const caller of [lead, second])
      await caller.evaluation.submitUnit({ projectId: p.id, unitId: ids[3] as number });
    expect((await expectAsComputed()).incomplete).toEqual([]);
    const detail = await lead.evaluation.get({ projectId: p.id });
    await lead.evaluation.update({
      projectId: p.id,
      year: detail.project.year,
      name: detail.project.name,
      organisation: detail.project.organisation,
      leadUserId: detail.project.leadUserId,
      disagreementThreshold: 25,
      appealDays: 7,
      version: detail.project.version,
    });
    expect((await kept()).length).toBe(0);
    await expectAsComputed();
    expect((await kept()).length).toBe(4);
  });

  it("preview: ranks by the system's convention — ordinal at 1 decimal, ties by the tie-break indicator, then name", async () => {
    const names = ["党政办公室", "经济发展办公室", "营商环境办公室", "社会事业管理办公室"];
    const ids = names.map(unit);
    const system = {
      name: "排名方式",
      ranking: "ordinal",
      precision: 1,
      tieBreak: "1",
      indicators: [
        { code: "1", name: "信息公开", points: 60, rule: { type: "manual" } },
        { code: "2", name: "平台建设", points: 40, rule: { type: "manual" } },
      ],
    };
    const p = await scoringProject("排名方式测试", ids, 0, system);
    // 党政办 50 + 40 = 90; 经发办 55 + 35.04 = 90.04 → 90.0; 营商办 55 + 35 = 90; 社事办 60 + 35 = 95.
    const values = [
      [50, 40],
      [55, 35.04],
      [55, 35],
      [60, 35],
    ];
    for (const caller of [lead, second]) {
      await caller.evaluation.saveScores({
        projectId: p.id,
        scores: ids.flatMap((unitId, i) => [
          cell(unitId, "1", values[i]?.[0] as number),
          cell(unitId, "2", values[i]?.[1] as number),
        ]),
      });
      for (const unitId of ids) await caller.evaluation.submitUnit({ projectId: p.id, unitId });
    }
    const { results } = await lead.evaluation.preview({ projectId: p.id });
    // Three tie at 90.0: 经发办 and 营商办 have 55 on indicator 1 against 党政办's 50; between
    // those two, the name in pinyin: 经 jīng before 营 yíng.
    expect(results.units.map((u) => [u.rank, u.unitName, u.total])).toEqual([
      [1, "社会事业管理办公室", 95],
      [2, "经济发展办公室", 90],
      [3, "营商环境办公室", 90],
      [4, "党政办公室", 90],
    ]);
    // The keys travel with the results (and so into a published version, its hash and the public page).
    expect(results.ranking).toEqual({ ranking: "ordinal", precision: 1, tieBreak: "1" });
  });

  it("lists the demo's published 2022 evaluation (two versions) on the public side", async () => {
    const anonymous = await callerAs(f.db, null);
    const list = await anonymous.public.evaluations();
    expect(list.find((x) => x.year === 2022)).toMatchObject({
      name: "2022年度徐泾镇政务公开第三方评估",
      latestVersion: 2,
    });
  });
});
