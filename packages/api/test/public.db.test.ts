import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "@gongkai/core";
import {
  type EvaluationResults,
  firstLevelResults,
  getPublishedEvaluation,
  migrationsFolder,
} from "@gongkai/db";
import { evaluationProjects, evaluationResults } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome, type TestCaller } from "./harness.ts";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** Two leaves, weighted 60/40, 10 points each: a unit's total is 6 × a + 4 × b. */
const system = {
  name: "公开测试指标体系",
  indicators: [
    { code: "1", name: "信息公开", weight: 0.6, points: 10, rule: { type: "manual" } },
    { code: "2", name: "平台建设", weight: 0.4, points: 10, rule: { type: "manual" } },
  ],
};

describe.each(testDbKinds())("public rankings on %s", (kind) => {
  let f: Fixture;
  let anonymous: TestCaller;
  let office: TestCaller;
  let lead: TestCaller;
  let unit: (name: string) => number;
  let demo2022: number;
  let demo2023: number;

  beforeAll(async () => {
    f = await createFixture(kind);
    const all = await f.db.query.units.findMany();
    const govPath = all.find((u) => u.id === f.ids.gov)?.path ?? "";
    const byName = new Map(all.filter((u) => u.path.startsWith(govPath)).map((u) => [u.name, u.id]));
    unit = (name) => byName.get(name) ?? Number.NaN;
    anonymous = await callerAs(f.db, null);
    office = await callerAs(f.db, "office");
    lead = await callerAs(f.db, "evaluator");
    const projects = await f.db.select().from(evaluationProjects);
    demo2022 = projects.find((p) => p.year === 2022)?.id ?? 0;
    demo2023 = projects.find((p) => p.year === 2023)?.id ?? 0;
  });
  afterAll(() => f?.database.drop());

  /** A project scored by the lead alone, from setup to (optionally) published version 1. */
  async function scoredProject(opts: {
    name: string;
    organisation: string;
    year: number;
    scores: [string, number, number][];
    publish: boolean;
  }) {
    const leadId = (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "evaluator") }))
      ?.id;
    const p = await office.evaluation.create({
      year: opts.year,
      name: opts.name,
      organisation: opts.organisation,
      leadUserId: leadId ?? null,
    });
    const projectId = p.id;
    await lead.evaluation.setIndicatorSystem({ projectId, indicatorSystem: system });
    const ids = opts.scores.map(([name]) => unit(name));
    await lead.evaluation.setUnits({ projectId, units: ids.map((unitId) => ({ unitId, tier: "" })) });
    await lead.evaluation.setAssignments({
      projectId,
      assignments: ids.map((unitId) => ({ unitId, evaluatorIds: [leadId ?? 0] })),
    });
    await lead.evaluation.startScoring({ projectId });
    await lead.evaluation.saveScores({
      projectId,
      scores: opts.scores.flatMap(([name, a, b]) => [
        {
          unitId: unit(name),
          indicatorCode: "1",
          value: a,
          evidenceUrl: "https://draft.example.gov.cn/1",
          note: "草稿备注",
        },
        { unitId: unit(name), indicatorCode: "2", value: b, evidenceUrl: null, note: null },
      ]),
    });
    if (opts.publish) {
      for (const id of ids) await lead.evaluation.submitUnit({ projectId, unitId: id });
      await lead.evaluation.publish({ projectId });
    }
    return projectId;
  }

  it("public.evaluations: lists only projects with a published version, without signing in", async () => {
    const list = await anonymous.public.evaluations();
    expect(list.map((p) => [p.year, p.name, p.latestVersion])).toEqual([
      [2022, "2022年度徐泾镇政务公开第三方评估", 2],
    ]);
    // The demo's 2023 project has submitted and draft scores, but was never published.
    expect(list.map((p) => p.projectId)).not.toContain(demo2023);
  });

  it("public.evaluation: the latest version, any earlier one, and NOT_FOUND for anything unpublished", async () => {
    const latest = await anonymous.public.evaluation({ projectId: demo2022 });
    expect(latest.version.version).toBe(2);
    expect(latest.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(latest.results.tiers).toEqual(["职能办公室", "服务中心"]);
    expect(latest.results.units).toHaveLength(12);
    // The page gets each unit's first-level indicators; the full results (the downloads) are what
    // the hash is over, and the page's are those results cut to the first level.
    const full = await getPublishedEvaluation(f.db, demo2022);
    expect(sha256(canonicalJson(full.results))).toBe(latest.version.contentHash);
    expect(sha256(canonicalJson(latest.results))).not.toBe(latest.version.contentHash);
    const firstLevel = full.results.indicators.filter((i) => i.level === 1).map((i) => i.code);
    expect(latest.results.indicators.map((i) => i.code)).toEqual(firstLevel);
    expect(full.results.indicators.length).toBeGreaterThan(firstLevel.length);
    expect(latest.results.units).toEqual(
      full.results.units.map((u) => ({
        ...u,
        indicators: Object.fromEntries(firstLevel.map((c) => [c, u.indicators[c]])),
      })),
    );
    const v1 = await anonymous.public.evaluation({ projectId: demo2022, version: 1 });
    expect(v1.version.contentHash).not.toBe(latest.version.contentHash);
    // Nothing but published results: no evaluator, evidence or note.
    const text = JSON.stringify(latest);
    for (const secret of ["第三方评估员", "shqp.gov.cn", "未完全达到", "复核时重新核查"])
      expect(text).not.toContain(secret);

    expect((await outcome(anonymous.public.evaluation({ projectId: demo2023 }))).code).toBe("NOT_FOUND");
    expect((await outcome(anonymous.public.evaluation({ projectId: demo2022, version: 3 }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await outcome(anonymous.public.evaluation({ projectId: 999_999 }))).code).toBe("NOT_FOUND");
    const bad = await outcome(anonymous.public.evaluation({ projectId: -1 }));
    expect(bad.code).toBe("BAD_REQUEST");
  });

  it("gives versions published before summaries existed the same summary (migration 0007)", async () => {
    const file = readdirSync(migrationsFolder).find((n) => n.startsWith("0007_"));
    const backfill = readFileSync(join(migrationsFolder, file ?? "none"), "utf8")
      .split("--> statement-breakpoint")
      .find((s) => s.includes("UPDATE"));
    expect(backfill).toBeDefined();
    const rows = () =>
      f.db
        .select({
          id: evaluationResults.id,
          results: evaluationResults.results,
          summary: evaluationResults.summary,
        })
        .from(evaluationResults)
        .where(eq(evaluationResults.projectId, demo2022));
    const published = await rows();
    expect(published).toHaveLength(2);
    await f.db
      .update(evaluationResults)
      .set({ summary: {} })
      .where(eq(evaluationResults.projectId, demo2022));
    await f.db.execute(sql.raw(backfill ?? ""));
    const filled = await rows();
    for (const r of filled) {
      const full = r.results as EvaluationResults;
      expect(r.summary).toEqual(firstLevelResults(full));
      expect(r.summary).toEqual(published.find((p) => p.id === r.id)?.summary);
      expect((r.summary as EvaluationResults).units.map((u) => u.unitId)).toEqual(
        full.units.map((u) => u.unitId),
      );
    }
  });

  it("never shows draft scores of a project that was never published", async () => {
    const draft = await scoredProject({
      name: "从未发布的评估",
      organisation: "草稿机构",
      year: 2023,
      scores: [["党政办公室", 7, 7]],
      publish: false,
    });
    expect((await anonymous.public.evaluations()).map((p) => p.projectId)).not.toContain(draft);
    expect((await outcome(anonymous.public.evaluation({ projectId: draft }))).code).toBe("NOT_FOUND");
    expect(JSON.stringify(await anonymous.public.evaluations())).not.toContain("从未发布的评估");
  });

  it("publishing while units may still appeal asks for a reason, and publishes with one", async () => {
    const projectId = await scoredProject({
      name: "申诉期内发布的评估",
      organisation: "申诉期机构",
      year: 2023,
      scores: [["党政办公室", 8, 9]],
      publish: false,
    });
    await lead.evaluation.submitUnit({ projectId, unitId: unit("党政办公室") });
    await lead.evaluation.showResults({ projectId });
    const refused = await outcome(lead.evaluation.publish({ projectId }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("申诉期尚未结束");
    expect(refused.message).toContain("请填写发布原因");
    expect((await anonymous.public.evaluations()).map((p) => p.projectId)).not.toContain(projectId);
    const v1 = await lead.evaluation.publish({
      projectId,
      reason: "各单位已书面确认无异议,按上级要求提前发布。",
    });
    expect(v1.version).toBe(1);
  });

  it("keeps showing the published version after a newer, unpublished change", async () => {
    const projectId = await scoredProject({
      name: "已发布后又改动的评估",
      organisation: "改动测试机构",
      year: 2023,
      scores: [
        ["党政办公室", 10, 5],
        ["经济发展办公室", 5, 10],
      ],
      publish: true,
    });
    const before = await anonymous.public.evaluation({ projectId });
    expect(before.results.units.map((u) => [u.unitName, u.total, u.rank])).toEqual([
      ["党政办公室", 80, 1],
      ["经济发展办公室", 70, 2],
    ]);
    // After publishing: a changed final score and a renamed project, neither published.
    await lead.evaluation.setFinalScore({
      projectId,
      unitId: unit("经济发展办公室"),
      indicatorCode: "1",
      value: 10,
      reason: "未发布的更正理由",
    });
    const p = (await lead.evaluation.get({ projectId })).project;
    await office.evaluation.update({
      projectId,
      year: p.year,
      name: "改名后的评估(未发布)",
      organisation: p.organisation,
      leadUserId: p.leadUserId,
      disagreementThreshold: p.disagreementThreshold,
      appealDays: p.appealDays,
    });
    const preview = await lead.evaluation.preview({ projectId });
    expect(preview.results.units[0]).toMatchObject({ unitName: "经济发展办公室", total: 100 });

    const after = await anonymous.public.evaluation({ projectId });
    expect(after).toEqual(before);
    expect(after.versions).toHaveLength(1);
    const listed = (await anonymous.public.evaluations()).find((x) => x.projectId === projectId);
    expect(listed).toMatchObject({
      name: "已发布后又改动的评估",
      latestVersion: 1,
      contentHash: before.version.contentHash,
    });
    for (const text of [JSON.stringify(after), JSON.stringify(await anonymous.public.evaluations())]) {
      expect(text).not.toContain("未发布的更正理由");
      expect(text).not.toContain("改名后的评估");
    }
  });

  it("shows the change from last year: the same organisation's previous-year project, matched by unit", async () => {
    const last = await anonymous.public.evaluation({ projectId: demo2022 });
    const dz = last.results.units.find((u) => u.unitName === "党政办公室");
    const projectId = await scoredProject({
      name: "2023年度徐泾镇政务公开第三方评估(补充)",
      organisation: "某大学公共管理学院",
      year: 2023,
      scores: [
        ["党政办公室", 9, 9],
        ["前明村村民委员会", 8, 6],
      ],
      publish: true,
    });
    const now = await anonymous.public.evaluation({ projectId });
    expect(now.previous).toMatchObject({ projectId: demo2022, year: 2022, version: 2 });
    const change = now.change[String(f.ids.dangzheng)];
    expect(change?.previousTotal).toBe(dz?.total);
    expect(change?.delta).toBeCloseTo(90 - (dz?.total ?? 0), 6);
    // 前明村 was not evaluated in 2022: no change to show.
    expect(now.change[String(f.ids.qianming)]).toBeUndefined();
  });
});
