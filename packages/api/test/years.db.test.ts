import { createUnit, createUser, systemActor } from "@gongkai/db";
import { testDbKinds } from "@gongkai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome, type TestCaller } from "./harness.ts";

/**
 * Year over year, built in 白鹤镇 (the fixture's second town, outside the demo's scope) through the
 * ordinary procedures: three years of plans, reports and reviews, two years of assessment and three
 * of evaluation. Today is the harness's 2023-07-01. The expected figures are worked out below from
 * what the test creates.
 */

/** Two leaves, weighted 60/40, 10 points each: a unit's total is 6 × a + 4 × b. */
const evaluationSystem = {
  name: "白鹤镇评估指标体系",
  indicators: [
    { code: "1", name: "信息公开", weight: 0.6, points: 10, rule: { type: "manual" } },
    { code: "2", name: "平台建设", weight: 0.4, points: 10, rule: { type: "manual" } },
  ],
};

const assessmentScheme = (year: number) => ({
  name: `白鹤镇${year}年度政务公开考核`,
  share: 5,
  bonus: null,
  grades: null,
  indicators: [
    {
      code: "1",
      name: "工作成效",
      points: 100,
      children: [{ code: "1.1", name: "综合评价", points: 100, rule: { type: "manual" as const } }],
    },
  ],
});

describe.each(testDbKinds())("year over year on %s", (kind) => {
  let f: Fixture;
  let office: TestCaller;
  let dz: number; // 党政办公室 (the fixture's baihe-unit)
  let jf: number; // 经济发展办公室
  let ss: number; // 社会事业办公室
  let unitCaller: Map<number, TestCaller>;

  beforeAll(async () => {
    f = await createFixture(kind);
    office = await callerAs(f.db, "baihe-office");
    dz = f.ids.otherDept;
    jf = (
      await createUnit(f.db, systemActor, {
        parentId: f.ids.otherGov,
        name: "经济发展办公室",
        kind: "department",
      })
    ).id;
    ss = (
      await createUnit(f.db, systemActor, {
        parentId: f.ids.otherGov,
        name: "社会事业办公室",
        kind: "department",
      })
    ).id;
    for (const [username, unitId] of [
      ["baihe-jf", jf],
      ["baihe-ss", ss],
    ] as const) {
      await createUser(f.db, systemActor, {
        username,
        password: "Unit@2026",
        displayName: username,
        role: "unit",
        unitId,
      });
    }
    unitCaller = new Map([
      [dz, await callerAs(f.db, "baihe-unit")],
      [jf, await callerAs(f.db, "baihe-jf")],
      [ss, await callerAs(f.db, "baihe-ss")],
    ]);

    type TaskSpec = { due: string; lead?: number[]; responsible?: number[]; cooperating?: number[] };
    const plan = async (year: number, specs: TaskSpec[], publish = true) => {
      const p = await office.plans.create({
        year,
        title: `白鹤镇${year}年政务公开工作要点`,
        issuerUnitId: f.ids.otherGov,
      });
      const ids: number[] = [];
      for (const [i, s] of specs.entries()) {
        const t = await office.tasks.create({
          planId: p.id,
          sectionId: null,
          code: String(i + 1),
          title: `任务${i + 1}`,
          content: "",
          category: null,
          units: {
            lead: { unitIds: s.lead ?? [], groupIds: [] },
            cooperating: { unitIds: s.cooperating ?? [], groupIds: [] },
            responsible: { unitIds: s.responsible ?? [], groupIds: [] },
          },
          deadlines: [{ phrase: `${s.due}前`, rule: { kind: "by", date: s.due, precision: "day" } }],
        });
        ids.push(t.id);
      }
      if (publish) await office.plans.setStatus({ id: p.id, status: "published" });
      return ids;
    };
    let key = 0;
    const report = async (
      unitId: number,
      taskId: number,
      period: string,
      status: "done" | "inProgress",
      occurredOn: string,
      version?: number,
    ) => {
      const caller = unitCaller.get(unitId) as TestCaller;
      const saved = await caller.reports.save({
        taskId,
        period,
        status,
        percent: status === "done" ? 100 : 50,
        summary: "按要求推进。",
        occurredOn,
        evidence: {
          links: [{ url: "https://www.baihe.gov.cn/zwgk/1.html", title: "公开页面" }],
          fileIds: [],
        },
        ...(version ? { version } : {}),
      });
      const submitted = await caller.reports.submit({
        reportId: saved.id,
        version: saved.version,
        submissionKey: `years-key-${++key}-0000`,
      });
      return submitted;
    };
    const review = (r: { id: number; revision: number }, decision: "approve" | "return") =>
      office.reports.review({
        reportId: r.id,
        revision: r.revision,
        decision,
        ...(decision === "return" ? { reason: "请补充佐证材料。" } : {}),
      });

    // 2021: T1 due 03-31 lead 党政办; T2 due 06-30 lead 经发办, responsible 社事办.
    const [a1, a2] = (await plan(2021, [
      { due: "2021-03-31", lead: [dz] },
      { due: "2021-06-30", lead: [jf], responsible: [ss] },
    ])) as [number, number];
    await review(await report(dz, a1, "2021-Q1", "done", "2021-03-20"), "approve"); // on time
    await review(await report(jf, a2, "2021-Q3", "done", "2021-07-10"), "approve"); // 10 days late
    // 社事办 never reports on T2: open at 12-31, 184 days past 06-30.

    // 2022: T1 due 03-31 lead 党政办; T2 due 12-31 lead 经发办; T3 due 09-30 lead 社事办.
    const [b1, b2, b3] = (await plan(2022, [
      { due: "2022-03-31", lead: [dz] },
      { due: "2022-12-31", lead: [jf] },
      { due: "2022-09-30", lead: [ss] },
    ])) as [number, number, number];
    const first = await report(dz, b1, "2022-Q1", "done", "2022-03-30");
    const returned = await review(first, "return"); // one return
    const again = await report(dz, b1, "2022-Q1", "done", "2022-04-05", returned.version);
    await review(again, "approve"); // finished 04-05: 5 days late
    await review(await report(jf, b2, "2022-Q4", "done", "2022-11-30"), "approve"); // on time
    // An approved report that is not 已完成: T3 stays open, 92 days past 09-30 at 12-31.
    await review(await report(ss, b3, "2022-Q3", "inProgress", "2022-09-15"), "approve");

    // 2023 (today 07-01): T1 due 03-31 lead 党政办 with 经发办 cooperating; T2 due 09-30 lead 社事办.
    const [, c2] = (await plan(2023, [
      { due: "2023-03-31", lead: [dz], cooperating: [jf] },
      { due: "2023-09-30", lead: [ss] },
    ])) as [number, number];
    // T1 open: 92 days past 03-31 on 07-01. T2 not due yet; its one report is returned.
    await review(await report(ss, c2, "2023-Q2", "inProgress", "2023-06-01"), "return");
    // A draft plan counts for nothing.
    await plan(2023, [{ due: "2023-01-31", lead: [dz, jf, ss] }], false);

    // Assessment 2021 and 2022 (manual points): 2021 党政办 90, 经发办 80, 社事办 70;
    // 2022 党政办 85, 经发办 95, 社事办 70.
    const group = await office.units.groups.create({
      ownerUnitId: f.ids.otherGov,
      name: "白鹤镇机关科室",
      memberIds: [dz, jf, ss],
    });
    for (const [year, values] of [
      [2021, [90, 80, 70]],
      [2022, [85, 95, 70]],
    ] as const) {
      const scheme = await office.assessment.create({
        year,
        unitGroupId: group.id,
        definition: assessmentScheme(year),
      });
      await office.assessment.startReview({ id: scheme.id });
      await office.assessment.setScores({
        id: scheme.id,
        finalScores: [dz, jf, ss].map((unitId, i) => ({
          unitId,
          indicatorCode: "1.1",
          finalValue: values[i] as number,
        })),
      });
      await office.assessment.publish({ id: scheme.id });
    }

    // Evaluation by one organisation, tier 镇属部门: totals 6a + 4b.
    // 2021: 党政办 (10,10)=100, 经发办 (5,5)=50. 2022: 党政办 (8,8)=80, 经发办 (9,9)=90, 社事办 (10,0)=60.
    // 2023: 党政办 (10,5)=80, 经发办 (5,5)=50, 社事办 (10,10)=100.
    const lead = await callerAs(f.db, "evaluator");
    const leadId = (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "evaluator") }))
      ?.id as number;
    for (const [year, scores] of [
      [
        2021,
        [
          [dz, 10, 10],
          [jf, 5, 5],
        ],
      ],
      [
        2022,
        [
          [dz, 8, 8],
          [jf, 9, 9],
          [ss, 10, 0],
        ],
      ],
      [
        2023,
        [
          [dz, 10, 5],
          [jf, 5, 5],
          [ss, 10, 10],
        ],
      ],
    ] as const) {
      const p = await office.evaluation.create({
        year,
        name: `${year}年度白鹤镇政务公开第三方评估`,
        organisation: "白鹤评估所",
        leadUserId: leadId,
      });
      const projectId = p.id;
      await lead.evaluation.setIndicatorSystem({ projectId, indicatorSystem: evaluationSystem });
      await lead.evaluation.setUnits({
        projectId,
        units: scores.map(([unitId]) => ({ unitId, tier: "镇属部门" })),
      });
      await lead.evaluation.setAssignments({
        projectId,
        assignments: scores.map(([unitId]) => ({ unitId, evaluatorIds: [leadId] })),
      });
      await lead.evaluation.startScoring({ projectId });
      await lead.evaluation.saveScores({
        projectId,
        scores: scores.flatMap(([unitId, a, b]) => [
          { unitId, indicatorCode: "1", value: a, evidenceUrl: null, note: null },
          { unitId, indicatorCode: "2", value: b, evidenceUrl: null, note: null },
        ]),
      });
      for (const [unitId] of scores) await lead.evaluation.submitUnit({ projectId, unitId });
      await lead.evaluation.publish({ projectId });
    }
  });
  afterAll(() => f?.database.drop());

  it("overview: each year of the office's scope, with the change from the year before", async () => {
    const o = await office.years.overview({});
    expect(o.today).toBe("2023-07-01");
    // 2021: 3 unit-tasks (党政办 T1, 经发办 T2, 社事办 T2), 2 done, late: 经发办 10 + 社事办 184.
    // 2022: 3 unit-tasks, 2 done (社事办's approved report is not 已完成), late: 党政办 5 + 社事办 92; 1 return.
    // 2023: 2 unit-tasks (the cooperating 经发办 not counted, the draft plan not at all), none done,
    //       late: 党政办 92 (03-31 → 07-01); 1 return.
    expect(
      o.years.map((y) => [y.year, y.unitTasks, y.done, y.overdue, y.overdueDays, y.returns, y.inProgress]),
    ).toEqual([
      [2021, 3, 2, 2, 194, 0, false],
      [2022, 3, 2, 2, 97, 1, false],
      [2023, 2, 0, 1, 92, 1, true],
    ]);
    expect(o.years[0]?.completion).toBeCloseTo(2 / 3, 9);
    expect(o.years[1]?.averageOverdueDays).toBe(48.5);
    expect(o.years[1]?.change).toMatchObject({
      previousYear: 2021,
      overdue: 0,
      overdueDays: -97,
      returns: 1,
    });
    expect(o.years[1]?.change.completion).toBeCloseTo(0, 9);
    expect(o.years[2]?.change.completion).toBeCloseTo(-2 / 3, 9);
    expect(o.years[2]?.change).toMatchObject({ overdue: -1, overdueDays: -5, returns: 0 });
  });

  it("overview: each unit's years and scores, and each tier's mean — nothing of the demo's town", async () => {
    const o = await office.years.overview({});
    expect(o.units.map((u) => u.unitName).sort()).toEqual(
      ["党政办公室", "社会事业办公室", "经济发展办公室"].sort(),
    );
    const row = (unitId: number) => o.units.find((u) => u.unitId === unitId);
    const figures = (unitId: number) =>
      row(unitId)?.years.map((y) => [y.year, y.unitTasks, y.done, y.overdue, y.overdueDays, y.returns]);
    expect(figures(dz)).toEqual([
      [2021, 1, 1, 0, 0, 0],
      [2022, 1, 1, 1, 5, 1],
      [2023, 1, 0, 1, 92, 0],
    ]);
    // 经发办 only cooperates in 2023: an empty year, not zeros compared with 2022.
    expect(figures(jf)).toEqual([
      [2021, 1, 1, 1, 10, 0],
      [2022, 1, 1, 0, 0, 0],
      [2023, 0, 0, 0, 0, 0],
    ]);
    expect(row(jf)?.years[2]?.empty).toBe(true);
    expect(row(jf)?.years[2]?.change.overdueDays).toBeNull();
    expect(figures(ss)).toEqual([
      [2021, 1, 0, 1, 184, 0],
      [2022, 1, 0, 1, 92, 0],
      [2023, 1, 0, 0, 0, 1],
    ]);
    // Assessment: 2021 党政办 90 (1st of 3), 2022 85 (2nd): −5 points, one place down.
    expect(row(dz)?.assessment).toEqual([
      expect.objectContaining({ year: 2021, tier: "白鹤镇机关科室", total: 90, rank: 1, of: 3, delta: null }),
      expect.objectContaining({ year: 2022, total: 85, rank: 2, of: 3, delta: -5, rankChange: -1 }),
    ]);
    // Evaluation: 社事办 60 (3rd of 3) in 2022, 100 (1st) in 2023: +40 points, two places up.
    expect(row(ss)?.evaluation.map((e) => [e.year, e.total, e.rank, e.of, e.delta, e.rankChange])).toEqual([
      [2022, 60, 3, 3, null, null],
      [2023, 100, 1, 3, 40, 2],
    ]);
    const tier = (kind: string, name: string) => o.tiers.find((t) => t.kind === kind && t.tier === name);
    expect(tier("assessment", "白鹤镇机关科室")?.years.map((y) => [y.year, y.units, y.mean])).toEqual([
      [2021, 3, 80],
      [2022, 3, (85 + 95 + 70) / 3],
    ]);
    // 2021: (100 + 50) / 2; 2022: (80 + 90 + 60) / 3; 2023: (80 + 50 + 100) / 3.
    const evalMeans = tier("evaluation", "镇属部门")?.years.map((y) => [y.year, y.units, y.mean]);
    expect(evalMeans?.map(([y, n]) => [y, n])).toEqual([
      [2021, 2],
      [2022, 3],
      [2023, 3],
    ]);
    expect(evalMeans?.[0]?.[2]).toBeCloseTo(75, 6);
    expect(evalMeans?.[1]?.[2]).toBeCloseTo(230 / 3, 6);
    expect(evalMeans?.[2]?.[2]).toBeCloseTo(230 / 3, 6);
  });

  it("a unit's own years, and the same for its office; another town's office cannot look", async () => {
    const mine = await (unitCaller.get(dz) as TestCaller).years.mine({});
    expect(mine.unit.name).toBe("党政办公室");
    expect(mine.years.map((y) => [y.year, y.unitTasks, y.overdueDays, y.returns])).toEqual([
      [2021, 1, 0, 0],
      [2022, 1, 5, 1],
      [2023, 1, 92, 0],
    ]);
    expect(mine.years[2]?.change).toMatchObject({ previousYear: 2022, overdueDays: 87, returns: -1 });
    // 2021 100 (1st of 2), 2022 80 (2nd of 3), 2023 80 (2nd of 3).
    expect(mine.evaluation.map((e) => [e.year, e.total, e.rank, e.of, e.delta, e.rankChange])).toEqual([
      [2021, 100, 1, 2, null, null],
      [2022, 80, 2, 3, -20, -1],
      [2023, 80, 2, 3, 0, 0],
    ]);
    const viaOffice = await office.years.unit({ unitId: dz });
    expect(viaOffice.years).toEqual(mine.years);
    expect(viaOffice.assessment).toEqual(mine.assessment);

    const demoOffice = await callerAs(f.db, "office");
    expect((await outcome(demoOffice.years.unit({ unitId: dz }))).code).toBe("NOT_FOUND");
    const bad = await outcome(office.years.unit({} as { unitId: number }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(isChinese(bad.message)).toBe(true);
  });

  it("the demo's office sees its own years only", async () => {
    const o = await (await callerAs(f.db, "office")).years.overview({});
    expect(o.units.map((u) => u.unitId)).not.toContain(dz);
    expect(o.units.map((u) => u.unitId)).not.toContain(jf);
  });

  it("public ranking: change from last year and the rank in every earlier published year", async () => {
    const anonymous = await callerAs(f.db, null);
    const list = await anonymous.public.evaluations();
    const p2023 = list.find((p) => p.year === 2023 && p.organisation === "白鹤评估所");
    const p = await anonymous.public.evaluation({ projectId: p2023?.projectId as number });
    expect(p.previous?.year).toBe(2022);
    // 党政办 80 → 80, 经发办 90 → 50, 社事办 60 → 100.
    expect(p.change[String(dz)]).toMatchObject({ previousTotal: 80, previousRank: 2, delta: 0 });
    expect(p.change[String(jf)]).toMatchObject({ previousTotal: 90, previousRank: 1, delta: -40 });
    expect(p.change[String(ss)]).toMatchObject({ previousTotal: 60, previousRank: 3, delta: 40 });
    expect(p.history.years.map((y) => y.year)).toEqual([2022, 2021]);
    expect(p.history.ranks[String(dz)]).toEqual({
      "2022": { rank: 2, total: 80, tier: "镇属部门" },
      "2021": { rank: 1, total: 100, tier: "镇属部门" },
    });
    // 社事办 was not evaluated in 2021.
    expect(Object.keys(p.history.ranks[String(ss)] ?? {})).toEqual(["2022"]);
  });
});
