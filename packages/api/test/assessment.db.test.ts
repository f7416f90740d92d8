import { createHash } from "node:crypto";
import { type AssessmentScheme, resultsHashInput } from "@gongkai/core";
import {
  assessmentResultsForExport,
  computeAssessmentMetrics,
  insertStoredFile,
  systemActor,
} from "@gongkai/db";
import {
  assessmentSchemes,
  assessmentScores,
  assessmentUnitScores,
  auditLog,
  deadlines,
  evaluationProjects,
  evaluationResults,
  evidence,
  plans,
  progressReports,
  reportReviews,
  supervisionNotices,
  taskAssignments,
  tasks,
  users,
} from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { assessmentResultsOutput } from "@gongkai/validators";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome, type TestCaller } from "./harness.ts";

/**
 * A small scheme worth 100 points, plus a veto item and a 5-point bonus counted from 80 points on.
 * 优秀 is capped at 20% of the ranked units.
 */
const smallScheme = (share = 5): AssessmentScheme => ({
  name: "2023年度考核测试方案",
  share,
  bonus: { threshold: 80, cap: 5 },
  grades: [
    { name: "优秀", min: 90, quotaPercent: 20 },
    { name: "良好", min: 80 },
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    {
      code: "1",
      name: "组织保障",
      points: 20,
      children: [
        { code: "1.1", name: "领导重视", points: 10, rule: { type: "manual" } },
        { code: "1.2", name: "工作机制", points: 10, rule: { type: "yesno" } },
      ],
    },
    {
      code: "2",
      name: "主动公开",
      points: 80,
      children: [
        { code: "2.1", name: "信息发布", points: 50, rule: { type: "manual" } },
        { code: "2.2", name: "依申请答复", points: 30, rule: { type: "deduction", per: 5 } },
      ],
    },
    {
      code: "3",
      name: "单项否决",
      children: [{ code: "3.1", name: "重大负面舆情", rule: { type: "veto" } }],
    },
    {
      code: "4",
      name: "加分项",
      points: 5,
      children: [{ code: "4.1", name: "经验推广", points: 5, rule: { type: "bonus" } }],
    },
  ],
});

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe.each(testDbKinds())("assessment on %s", (kind) => {
  let f: Fixture;
  let office: TestCaller;
  let unitIds: Map<string, number>;
  let groupId: number;
  let schemeId: number;
  const u = (name: string) => {
    const id = unitIds.get(name);
    if (id === undefined) throw new Error(`unit ${name} missing`);
    return id;
  };

  beforeAll(async () => {
    f = await createFixture(kind);
    office = await callerAs(f.db, "office");
    // 徐泾镇's units only: 白鹤镇 has a 党政办公室 too.
    const all = await f.db.query.units.findMany();
    const govPath = all.find((x) => x.id === f.ids.gov)?.path ?? "/none/";
    unitIds = new Map(all.filter((x) => x.path.startsWith(govPath)).map((x) => [x.name, x.id]));
    const group = await office.units.groups.create({
      ownerUnitId: f.ids.gov,
      name: "考核测试组",
      memberIds: [
        "党政办公室",
        "经济发展办公室",
        "营商环境办公室",
        "社会事业管理办公室",
        "平安建设办公室",
      ].map(u),
    });
    groupId = group.id;
  });
  afterAll(() => f?.database.drop());

  // ------------------------------------------------------------ schemes

  it("refuses a share under 4%, quoting the rule, and saves the same scheme at 5%", async () => {
    const refused = await outcome(
      office.assessment.create({ year: 2023, unitGroupId: groupId, definition: smallScheme(3.9) }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("3.9%");
    expect(refused.message).toContain("政务公开分值权重不应低于4%");

    const created = await office.assessment.create({
      year: 2023,
      unitGroupId: groupId,
      performanceTotal: 1000,
      definition: smallScheme(5),
    });
    schemeId = created.id;
    expect(created).toMatchObject({ status: "draft", name: "2023年度考核测试方案", year: 2023 });
    const detail = await office.assessment.get({ id: schemeId });
    expect(detail.scheme.groupName).toBe("考核测试组");
    expect(detail.max).toBe(100);
    expect(detail.bonusCap).toBe(5);
    expect(detail.leaves.map((l) => l.code)).toEqual(["1.1", "1.2", "2.1", "2.2", "3.1", "4.1"]);
    expect(detail.units).toHaveLength(5);
    const list = await office.assessment.list({ year: 2023 });
    expect(list.find((s) => s.id === schemeId)).toMatchObject({
      share: 5,
      groupName: "考核测试组",
      latestVersion: null,
    });
    const [audit] = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "assessment.create"), eq(auditLog.entityId, String(schemeId))));
    expect(audit).toBeDefined();
  });

  it("refuses a bad tree and a year out of range in Chinese; lists nothing for another town's office", async () => {
    const bad = smallScheme();
    bad.indicators[0] = { ...bad.indicators[0], points: 30 } as (typeof bad.indicators)[number];
    const refused = await outcome(
      office.assessment.create({ year: 2023, unitGroupId: groupId, definition: bad }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("组织保障");
    expect(refused.message).toContain("少于其分值 30 分");
    expect((await outcome(office.assessment.list({ year: 1999 }))).code).toBe("BAD_REQUEST");

    const other = await callerAs(f.db, "baihe-office");
    expect(await other.assessment.list({})).toEqual([]);
    expect((await outcome(other.assessment.get({ id: schemeId }))).code).toBe("NOT_FOUND");
    const notTheirs = await outcome(
      other.assessment.create({ year: 2023, unitGroupId: groupId, definition: smallScheme() }),
    );
    expect(notTheirs.code).toBe("BAD_REQUEST");
    expect(notTheirs.message).toContain("考核分组不存在或不在您的管理范围内");
  });

  it("updates a draft with its version, refuses a stale version, and deletes only drafts", async () => {
    const before = await office.assessment.get({ id: schemeId });
    const updated = await office.assessment.update({
      id: schemeId,
      version: before.scheme.version,
      year: 2023,
      unitGroupId: groupId,
      performanceTotal: 1000,
      definition: { ...smallScheme(6), name: "2023年度考核测试方案" },
    });
    expect(updated.definition.share).toBe(6);
    const stale = await outcome(
      office.assessment.update({
        id: schemeId,
        version: before.scheme.version,
        year: 2023,
        unitGroupId: groupId,
        performanceTotal: 1000,
        definition: smallScheme(5),
      }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(isChinese(stale.message)).toBe(true);
    await office.assessment.update({
      id: schemeId,
      version: updated.version,
      year: 2023,
      unitGroupId: groupId,
      performanceTotal: 1000,
      definition: smallScheme(5),
    });

    const scratch = await office.assessment.create({
      year: 2024,
      unitGroupId: groupId,
      definition: smallScheme(),
    });
    await office.assessment.delete({ id: scratch.id });
    expect((await outcome(office.assessment.get({ id: scratch.id }))).code).toBe("NOT_FOUND");
    const demo2022 = (await office.assessment.list({ year: 2022 }))[0];
    expect(demo2022?.status).toBe("published");
    const refused = await outcome(office.assessment.delete({ id: demo2022?.id ?? 0 }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("只能删除草稿");
  });

  it("exports the scheme as .xlsx and imports it back to the same scheme (round trip twice)", async () => {
    const file = await office.assessment.exportXlsx({ id: schemeId });
    expect(file.fileName).toBe("2023年度考核测试方案-评分细则.xlsx");
    const imported = await office.assessment.importXlsx({
      fileName: file.fileName,
      contentBase64: file.contentBase64,
    });
    expect(imported).toEqual(smallScheme(5));
    const copy = await office.assessment.create({ year: 2025, unitGroupId: groupId, definition: imported });
    const again = await office.assessment.importXlsx({
      fileName: "again.xlsx",
      contentBase64: (await office.assessment.exportXlsx({ id: copy.id })).contentBase64,
    });
    expect(again).toEqual(imported);
    await office.assessment.delete({ id: copy.id });

    const garbage = await outcome(
      office.assessment.importXlsx({
        fileName: "x.xlsx",
        contentBase64: Buffer.from("不是表格").toString("base64"),
      }),
    );
    expect(garbage.code).toBe("BAD_REQUEST");
    expect(garbage.message).toContain(".xlsx");
    const other = await callerAs(f.db, "baihe-office");
    expect((await outcome(other.assessment.exportXlsx({ id: schemeId }))).code).toBe("NOT_FOUND");
  });

  // ------------------------------------------------------------ self-assessment

  it("opens self-assessment until a due date; only the group's units see it", async () => {
    const early = await outcome(
      office.assessment.openSelfAssessment({ id: schemeId, selfAssessmentDue: "2023-06-30" }),
    );
    expect(early.code).toBe("BAD_REQUEST");
    expect(early.message).toContain("早于今天");
    const opened = await office.assessment.openSelfAssessment({
      id: schemeId,
      selfAssessmentDue: "2023-07-10",
    });
    expect(opened).toMatchObject({ status: "selfAssessment", selfAssessmentDue: "2023-07-10" });

    const unit = await callerAs(f.db, "dangzheng");
    const mine = await unit.assessment.self.list();
    expect(mine.find((s) => s.id === schemeId)).toMatchObject({
      status: "selfAssessment",
      editable: true,
      result: null,
    });
    const village = await callerAs(f.db, "qianming");
    expect((await village.assessment.self.list()).map((s) => s.id)).not.toContain(schemeId);
    expect((await outcome(village.assessment.self.get({ id: schemeId }))).code).toBe("NOT_FOUND");
    expect((await outcome(office.assessment.self.list())).code).toBe("FORBIDDEN");
  });

  it("saves a self-assessment with links and an uploaded file, within each rule's range", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const file = await insertStoredFile(f.db, {
      sha256: "a".repeat(64),
      sizeBytes: 10,
      mimeType: "application/pdf",
      fileName: "领导小组会议纪要.pdf",
      storageKey: "aa/aaaa",
      unitId: u("党政办公室"),
    });
    const saved = await unit.assessment.self.save({
      id: schemeId,
      selfEntries: [
        {
          indicatorCode: "1.1",
          selfValue: 9,
          selfNote: "主要负责同志专题研究两次",
          selfEvidence: [
            { url: "https://www.shqp.gov.cn/xujing/zwgk/1.html", title: "会议报道" },
            { fileId: file.id },
          ],
        },
        { indicatorCode: "1.2", selfValue: 1, selfNote: null, selfEvidence: [] },
      ],
    });
    expect(saved).toEqual({ saved: 2 });
    const view = await unit.assessment.self.get({ id: schemeId });
    const e11 = view.entries.find((e) => e.indicatorCode === "1.1");
    expect(e11?.selfValue).toBe(9);
    expect(e11?.selfEvidence.map((e) => e.url ?? e.fileName)).toEqual([
      "https://www.shqp.gov.cn/xujing/zwgk/1.html",
      "领导小组会议纪要.pdf",
    ]);

    const tooHigh = await outcome(
      unit.assessment.self.save({
        id: schemeId,
        selfEntries: [{ indicatorCode: "1.1", selfValue: 11, selfEvidence: [] }],
      }),
    );
    expect(tooHigh.code).toBe("BAD_REQUEST");
    expect(tooHigh.message).toContain("应在 0 到 10 分之间");
    const ftp = await outcome(
      unit.assessment.self.save({
        id: schemeId,
        selfEntries: [
          { indicatorCode: "1.1", selfValue: 9, selfEvidence: [{ url: "ftp://example.com/a.pdf" }] },
        ],
      }),
    );
    expect(ftp.code).toBe("BAD_REQUEST");
    expect(ftp.message).toContain("http:// 或 https://");
    const othersFile = await insertStoredFile(f.db, {
      sha256: "b".repeat(64),
      sizeBytes: 10,
      mimeType: "application/pdf",
      fileName: "别人的文件.pdf",
      storageKey: "bb/bbbb",
      unitId: u("经济发展办公室"),
    });
    const stolen = await outcome(
      unit.assessment.self.save({
        id: schemeId,
        selfEntries: [{ indicatorCode: "1.1", selfValue: 9, selfEvidence: [{ fileId: othersFile.id }] }],
      }),
    );
    expect(stolen.code).toBe("BAD_REQUEST");
    expect(stolen.message).toContain("不是本单位上传的");
  });

  it("accepts self-assessment on the due day and refuses it the day after, saying what to do", async () => {
    const onDueDay = await callerAs(f.db, "dangzheng", new Date("2023-07-10T15:30:00Z")); // 23:30 in China
    await onDueDay.assessment.self.save({
      id: schemeId,
      selfEntries: [{ indicatorCode: "2.1", selfValue: 45, selfEvidence: [] }],
    });
    const dayAfter = await callerAs(f.db, "dangzheng", new Date("2023-07-10T16:30:00Z")); // 07-11 00:30
    const late = await outcome(
      dayAfter.assessment.self.save({
        id: schemeId,
        selfEntries: [{ indicatorCode: "2.1", selfValue: 40, selfEvidence: [] }],
      }),
    );
    expect(late.code).toBe("BAD_REQUEST");
    expect(late.message).toContain("自评已于 2023-07-10 截止");
    expect(late.message).toContain("联系政务公开办");
    expect((await dayAfter.assessment.self.get({ id: schemeId })).editable).toBe(false);
    expect((await outcome(dayAfter.assessment.self.submit({ id: schemeId }))).code).toBe("BAD_REQUEST");
  });

  it("submits only a complete self-assessment; the office can return it", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const incomplete = await outcome(unit.assessment.self.submit({ id: schemeId }));
    expect(incomplete.code).toBe("BAD_REQUEST");
    expect(incomplete.message).toContain("2.2「依申请答复」");
    await unit.assessment.self.save({
      id: schemeId,
      selfEntries: [{ indicatorCode: "2.2", selfValue: 1, selfNote: "一件答复超期", selfEvidence: [] }],
    });
    const submitted = await unit.assessment.self.submit({ id: schemeId });
    expect(submitted.selfSubmittedAt).toBeInstanceOf(Date);
    const locked = await outcome(
      unit.assessment.self.save({
        id: schemeId,
        selfEntries: [{ indicatorCode: "1.1", selfValue: 8, selfEvidence: [] }],
      }),
    );
    expect(locked.message).toContain("自评已提交");

    const notSubmitted = await outcome(
      office.assessment.returnSelf({ id: schemeId, unitId: u("经济发展办公室"), returnReason: "请补充佐证" }),
    );
    expect(notSubmitted.code).toBe("BAD_REQUEST");
    expect(notSubmitted.message).toContain("还没有提交自评");
    await office.assessment.returnSelf({
      id: schemeId,
      unitId: u("党政办公室"),
      returnReason: "请补充1.2的佐证材料",
    });
    await unit.assessment.self.save({
      id: schemeId,
      selfEntries: [
        {
          indicatorCode: "1.2",
          selfValue: 1,
          selfEvidence: [{ url: "http://www.shqp.gov.cn/xujing/jz.html" }],
        },
      ],
    });
    await unit.assessment.self.submit({ id: schemeId });
  });

  // ------------------------------------------------------------ review and results

  it("starts the review; the office sees every self-assessment and sets final scores within range", async () => {
    expect(
      (
        await outcome(
          office.assessment.setScores({
            id: 999_999,
            finalScores: [{ unitId: 1, indicatorCode: "1.1", finalValue: 1 }],
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    const reviewing = await office.assessment.startReview({ id: schemeId });
    expect(reviewing.status).toBe("review");
    const scores = await office.assessment.scores({ id: schemeId });
    expect(scores.units.map((x) => x.name)).toHaveLength(5);
    const dz = scores.scores.filter((s) => s.unitId === u("党政办公室"));
    expect(dz.find((s) => s.indicatorCode === "1.1")).toMatchObject({ selfValue: 9, finalValue: null });
    expect(scores.units.find((x) => x.unitId === u("党政办公室"))?.selfSubmittedAt).not.toBeNull();
    // The review drawer reads one unit's rows: the same rows as in the whole list, nobody else's.
    const one = await office.assessment.scores({ id: schemeId, unitId: u("党政办公室") });
    expect(one.scores.length).toBeGreaterThan(0);
    expect(one.scores).toEqual(dz);
    expect(one.units).toEqual(scores.units);
    expect((await outcome(office.assessment.scores({ id: schemeId, unitId: f.ids.qianming }))).code).toBe(
      "NOT_FOUND",
    );

    const tooHigh = await outcome(
      office.assessment.setScores({
        id: schemeId,
        finalScores: [{ unitId: u("党政办公室"), indicatorCode: "1.2", finalValue: 0.5 }],
      }),
    );
    expect(tooHigh.code).toBe("BAD_REQUEST");
    expect(tooHigh.message).toContain("是否类指标填 1(是)或 0(否)");
    const outsider = await outcome(
      office.assessment.setScores({
        id: schemeId,
        finalScores: [{ unitId: f.ids.qianming, indicatorCode: "1.1", finalValue: 5 }],
      }),
    );
    expect(outsider.message).toContain("不参加本次考核");

    // Hand-computed below: A 党政办 93 (bonus), B 经发办 78, C 营商办 78, D 社事办 vetoed, E 平安办 missing.
    const set = (unit: string, values: Record<string, number>) =>
      Object.entries(values).map(([indicatorCode, finalValue]) => ({
        unitId: u(unit),
        indicatorCode,
        finalValue,
      }));
    const result = await office.assessment.setScores({
      id: schemeId,
      finalScores: [
        ...set("党政办公室", { "1.1": 9, "1.2": 1, "2.1": 45, "2.2": 1, "3.1": 0, "4.1": 4 }),
        ...set("经济发展办公室", { "1.1": 8, "1.2": 1, "2.1": 40, "2.2": 2, "3.1": 0, "4.1": 5 }),
        ...set("营商环境办公室", { "1.1": 8, "1.2": 1, "2.1": 45, "2.2": 3, "3.1": 0 }),
        ...set("社会事业管理办公室", { "1.1": 10, "1.2": 1, "2.1": 50, "2.2": 0, "3.1": 1, "4.1": 5 }),
        ...set("平安建设办公室", { "1.1": 5 }),
      ],
    });
    expect(result.changed).toBe(6 + 6 + 5 + 6 + 1);
  });

  it("computes totals, shared ranks 1,2,2,4, veto, bonus only from the threshold, quota grades and contributions", async () => {
    const r = await office.assessment.results({ id: schemeId });
    // The live results are not parsed on every view (their type is checked when compiling): they
    // hold the read model the page is written against, no field missing, none extra.
    expect(assessmentResultsOutput.parse(r)).toEqual(r);
    expect(Object.keys(r.units[0] ?? {}).sort()).toEqual(
      Object.keys(assessmentResultsOutput.shape.units.element.shape).sort(),
    );
    const by = (name: string) => r.units.find((x) => x.unit === name);
    expect(r.units.map((x) => [x.unit, x.rank])).toEqual([
      ["党政办公室", 1],
      ["经济发展办公室", 2],
      ["营商环境办公室", 2],
      ["社会事业管理办公室", 4],
      ["平安建设办公室", null],
    ]);
    // A: 9 + 10 + 45 + (30 − 5) = 89 ≥ 80, so its 4 bonus points count: 93.
    expect(by("党政办公室")).toMatchObject({ base: 89, bonus: 4, total: 93, vetoed: false });
    // B: 8 + 10 + 40 + (30 − 10) = 78 < 80: its 5 bonus points do not count.
    expect(by("经济发展办公室")).toMatchObject({ base: 78, bonusEarned: 5, bonus: 0, total: 78 });
    // C: 8 + 10 + 45 + (30 − 15) = 78, no bonus needed below the threshold: complete, tied with B.
    expect(by("营商环境办公室")).toMatchObject({ total: 78, complete: true });
    // D: 100 points but vetoed: ranked after every unit not vetoed, lowest grade, no bonus.
    expect(by("社会事业管理办公室")).toMatchObject({
      base: 100,
      bonus: 0,
      vetoed: true,
      vetoedBy: ["3.1"],
      grade: "不合格",
    });
    // E: only 1.1 scored — a missing score is not a zero: 未完成, unranked, no grade.
    expect(by("平安建设办公室")).toMatchObject({
      complete: false,
      total: null,
      grade: null,
      partialTotal: 5,
    });
    expect(by("平安建设办公室")?.missing).toEqual(["1.2", "2.1", "2.2", "3.1"]);
    // 优秀 holds at most 20% of 4 ranked units = 0 units, so A is 良好; B and C 合格.
    expect([by("党政办公室")?.grade, by("经济发展办公室")?.grade, by("营商环境办公室")?.grade]).toEqual([
      "良好",
      "合格",
      "合格",
    ]);
    // Contribution: 93 / 100 × 5% × 1000 = 46.5; 78 / 100 × 5% × 1000 = 39.
    expect(by("党政办公室")?.contribution).toBeCloseTo(46.5, 9);
    expect(by("经济发展办公室")?.contribution).toBeCloseTo(39, 9);
    expect(by("平安建设办公室")?.contribution).toBeNull();
    expect(r.firstLevel.map((x) => [x.code, x.max])).toEqual([
      ["1", 20],
      ["2", 80],
    ]);
    // Distribution over the four scored units (D's 100 counts as scored): 70–80: B, C; 90+: A, D.
    expect(r.distribution.bands.map((b) => b.count)).toEqual([0, 0, 2, 0, 2]);
    expect(r.distribution.incomplete).toBe(1);
    expect(r.version).toBeNull();
  });

  it("refuses to publish with incomplete units unless confirmed, then freezes version 1 with a stable hash", async () => {
    expect((await outcome(office.assessment.results({ id: 999_999 }))).code).toBe("NOT_FOUND");
    const refused = await outcome(office.assessment.publish({ id: schemeId }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("平安建设办公室");
    expect(refused.message).toContain("未完成");

    const preview = await office.assessment.results({ id: schemeId });
    const v1 = await office.assessment.publish({ id: schemeId, allowIncomplete: true });
    expect(v1.version).toBe(1);
    expect(preview.contentHash).toBeNull();
    expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const frozen = await office.assessment.version({ id: schemeId, version: 1 });
    expect(frozen.hashValid).toBe(true);
    // What the office saw is what was frozen: the same ranking, totals and first-level scores.
    expect(frozen.units.map((u) => [u.unit, u.rank, u.total, u.indicators["1"], u.indicators["2"]])).toEqual(
      preview.units.map((u) => [u.unit, u.rank, u.total, u.indicators["1"], u.indicators["2"]]),
    );
    // The live page carries first-level indicators only; the frozen version carries them all.
    expect(Object.keys(preview.units[0]?.indicators ?? {}).sort()).toEqual(["1", "2"]);
    expect(Object.keys(frozen.units[0]?.indicators ?? {}).length).toBeGreaterThan(2);
    expect(frozen.contentHash).toBe(v1.contentHash);
    expect(sha256(resultsHashInput(frozen.definition, frozen.units))).toBe(v1.contentHash);
    expect((await office.assessment.get({ id: schemeId })).scheme.status).toBe("published");
    expect((await outcome(office.assessment.version({ id: schemeId, version: 9 }))).code).toBe("NOT_FOUND");
  });

  it("keeps version 1 frozen when a score changes; a correction is version 2 with its reason", async () => {
    await office.assessment.setScores({
      id: schemeId,
      finalScores: [
        { unitId: u("党政办公室"), indicatorCode: "1.1", finalValue: 5, reviewNote: "会议记录不全" },
      ],
    });
    // A: 5 + 10 + 45 + 25 = 85 ≥ 80, bonus 4: 89 now; version 1 still says 93.
    expect((await office.assessment.results({ id: schemeId })).units[0]).toMatchObject({
      unit: "党政办公室",
      total: 89,
    });
    expect((await office.assessment.version({ id: schemeId, version: 1 })).units[0]).toMatchObject({
      total: 93,
    });

    const noReason = await outcome(office.assessment.publish({ id: schemeId, allowIncomplete: true }));
    expect(noReason.code).toBe("BAD_REQUEST");
    expect(noReason.message).toContain("更正理由");
    const v2 = await office.assessment.publish({
      id: schemeId,
      allowIncomplete: true,
      correctionReason: "党政办公室指标1.1得分更正",
    });
    expect(v2.version).toBe(2);
    expect(v2.contentHash).not.toBe(
      (await office.assessment.version({ id: schemeId, version: 1 })).contentHash,
    );
    const versions = await office.assessment.versions({ id: schemeId });
    expect(versions.map((v) => [v.version, v.reason])).toEqual([
      [2, "党政办公室指标1.1得分更正"],
      [1, null],
    ]);
    const old = await office.assessment.version({ id: schemeId, version: 1 });
    expect(old).toMatchObject({ version: 1, reason: null, hashValid: true });
    expect(old.units.find((x) => x.unit === "党政办公室")?.total).toBe(93);
    const same = await outcome(
      office.assessment.publish({ id: schemeId, allowIncomplete: true, correctionReason: "再发一次" }),
    );
    expect(same.message).toContain("完全相同");
    expect(
      (await outcome((await callerAs(f.db, "baihe-office")).assessment.versions({ id: schemeId }))).code,
    ).toBe("NOT_FOUND");
  });

  it("keeps each unit's score with its values; a value changed any other way is scored from the values", async () => {
    const kept = async (id = schemeId) =>
      new Map(
        (await f.db.select().from(assessmentUnitScores).where(eq(assessmentUnitScores.schemeId, id))).map(
          (r) => [r.unitId, r],
        ),
      );
    // The results page (from the kept scores) ranks and orders as scoring every value again does.
    const ranking = (
      units: { unitId: number; rank: number | null; grade: string | null; total: number | null }[],
    ) => units.map((x) => [x.unitId, x.rank, x.grade, x.total]);
    const fromValues = async () =>
      ranking((await assessmentResultsForExport(f.db, systemActor, schemeId)).snapshot.units);
    // Every unit's score is kept, and is what the results page shows.
    const live = await office.assessment.results({ id: schemeId });
    expect(ranking(live.units)).toEqual(await fromValues());
    const before = await kept();
    expect([...before.keys()].sort()).toEqual(live.units.map((x) => x.unitId).sort());
    for (const x of live.units) {
      expect(before.get(x.unitId)).toMatchObject({
        total: x.total,
        complete: x.complete,
        missing: x.missing,
        vetoed: x.vetoed,
        vetoedBy: x.vetoedBy,
        indicators: x.indicators,
      });
    }
    const a = u("党政办公室");
    const cell = and(
      eq(assessmentScores.schemeId, schemeId),
      eq(assessmentScores.unitId, a),
      eq(assessmentScores.indicatorCode, "1.1"),
    );
    // A self-assessment note does not count: the kept score stays.
    await f.db.update(assessmentScores).set({ selfNote: "补充会议记录" }).where(cell);
    expect((await kept()).has(a)).toBe(true);
    // A final score changed outside the API (a repair by SQL): that unit's kept score goes, the
    // others stay, and the results score it from its values: 10 + 10 + 45 + 25 = 90, bonus 4: 94.
    await f.db.update(assessmentScores).set({ finalValue: 10 }).where(cell);
    const after = await kept();
    expect(after.has(a)).toBe(false);
    expect(after.size).toBe(before.size - 1);
    const repaired = await office.assessment.results({ id: schemeId });
    expect(repaired.units.find((x) => x.unitId === a)).toMatchObject({ total: 94, rank: 1 });
    expect(ranking(repaired.units)).toEqual(await fromValues());
    // Setting the score through the API keeps the unit's score again (back to 89, as published).
    await office.assessment.setScores({
      id: schemeId,
      finalScores: [{ unitId: a, indicatorCode: "1.1", finalValue: 5, reviewNote: "会议记录不全" }],
    });
    expect((await kept()).get(a)).toMatchObject({ total: 89, base: 85, bonus: 4 });
    // New rules drop every kept score of the scheme (the same rules written again drop none).
    await f.db
      .update(assessmentSchemes)
      .set({ definition: sql`${assessmentSchemes.definition}` })
      .where(eq(assessmentSchemes.id, schemeId));
    expect((await kept()).size).toBe(before.size);
    const scratch = await office.assessment.create({
      year: 2024,
      unitGroupId: groupId,
      definition: smallScheme(),
    });
    await f.db.insert(assessmentUnitScores).values({
      schemeId: scratch.id,
      unitId: a,
      complete: false,
      missing: [],
      vetoed: false,
      vetoedBy: [],
      base: 0,
      bonus: 0,
      bonusEarned: 0,
      total: null,
      partialTotal: 0,
      indicators: {},
    });
    await f.db
      .update(assessmentSchemes)
      .set({ definition: { ...smallScheme(), name: "改过的方案" } })
      .where(eq(assessmentSchemes.id, scratch.id));
    expect((await kept(scratch.id)).size).toBe(0);
    expect((await kept()).size).toBe(before.size);
    await office.assessment.delete({ id: scratch.id });
  });

  it("exports results as .xlsx, live or a published version", async () => {
    const v1 = await office.assessment.exportResults({ id: schemeId, version: 1 });
    expect(v1.fileName).toBe("2023年度考核测试方案-考核结果-第1版.xlsx");
    expect(Buffer.from(v1.contentBase64, "base64").subarray(0, 2).toString()).toBe("PK");
    const live = await office.assessment.exportResults({ id: schemeId });
    expect(live.fileName).toContain("未发布");
    expect((await outcome(office.assessment.exportResults({ id: schemeId, version: 7 }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("shows a unit its own published scores and the ranking, never another unit's scores", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const view = await unit.assessment.self.get({ id: schemeId });
    expect(view.published).toMatchObject({ version: 2, me: { unit: "党政办公室", rank: 1, total: 89 } });
    expect(view.published?.ranking.map((x) => [x.unit, x.rank])).toEqual([
      ["党政办公室", 1],
      ["经济发展办公室", 2],
      ["营商环境办公室", 2],
      ["社会事业管理办公室", 4],
      ["平安建设办公室", null],
    ]);
    // The ranking carries ranks, totals and grades only: no other unit's indicators or self-assessment.
    expect(Object.keys(view.published?.ranking[1] ?? {}).sort()).toEqual(
      ["complete", "grade", "rank", "total", "unit", "unitId", "vetoed"].sort(),
    );
    // Its own self-assessment only; the office's live (unpublished) scores and notes are not in it.
    expect(view.entries.find((e) => e.indicatorCode === "1.1")?.selfValue).toBe(9);
    for (const e of view.entries) expect(Object.keys(e)).not.toContain("finalValue");
    expect(JSON.stringify(view)).not.toContain("会议记录不全");
    const list = await unit.assessment.self.list();
    expect(list.find((s) => s.id === schemeId)?.result).toMatchObject({
      version: 2,
      rank: 1,
      total: 89,
      unitCount: 5,
    });
    expect((await outcome(unit.assessment.scores({ id: schemeId }))).code).toBe("FORBIDDEN");
    expect((await outcome(unit.assessment.results({ id: schemeId }))).code).toBe("FORBIDDEN");
    const village = await callerAs(f.db, "qianming");
    expect((await outcome(village.assessment.self.get({ id: schemeId }))).code).toBe("NOT_FOUND");
    const otherTown = await callerAs(f.db, "baihe-unit");
    expect((await outcome(otherTown.assessment.self.get({ id: schemeId }))).code).toBe("NOT_FOUND");
    expect(
      (
        await outcome(
          otherTown.assessment.self.save({
            id: schemeId,
            selfEntries: [{ indicatorCode: "1.1", selfValue: 1, selfEvidence: [] }],
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });

  it("refuses to change the scheme or reopen self-assessment once published", async () => {
    const d = await office.assessment.get({ id: schemeId });
    const refused = await outcome(
      office.assessment.update({
        id: schemeId,
        version: d.scheme.version,
        year: 2023,
        unitGroupId: groupId,
        performanceTotal: 1000,
        definition: smallScheme(5),
      }),
    );
    expect(refused.message).toContain("考核结果已发布");
    expect(
      (await outcome(office.assessment.openSelfAssessment({ id: schemeId, selfAssessmentDue: "2023-08-01" })))
        .message,
    ).toContain("已发布");
    expect((await outcome(office.assessment.startReview({ id: schemeId }))).code).toBe("BAD_REQUEST");
    expect(
      (
        await outcome(
          office.assessment.returnSelf({ id: schemeId, unitId: u("党政办公室"), returnReason: "x" }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
  });

  it("compares with last year's published results of the same group (the demo's 2022 scheme)", async () => {
    const list = await office.assessment.list({});
    const demo2023 = list.find((s) => s.year === 2023 && s.groupName === "机关各科室");
    expect(demo2023).toBeDefined();
    const r = await office.assessment.results({ id: demo2023?.id ?? 0 });
    expect(r.previous).toMatchObject({ year: 2022, version: 1 });
    expect(r.changes).toHaveLength(12);
    const last = await office.assessment.version({ id: r.previous?.schemeId ?? 0, version: 1 });
    const dz = last.units.find((x) => x.unit === "党政办公室");
    expect(r.changes.find((c) => c.unit === "党政办公室")?.previousTotal).toBe(dz?.total);
  });

  it("ranks by the scheme's convention and precision: dense on totals rounded to 1 decimal", async () => {
    // 组织保障 1.1 (manual, 10) + 1.2 (yesno, 10) + 信息发布 2.1 (manual, 50) + 依申请 2.2 (deduction 5 of 30).
    const definition = { ...smallScheme(5), bonus: null, ranking: "dense" as const, precision: 1 };
    definition.indicators = definition.indicators.slice(0, 3);
    const created = await office.assessment.create({ year: 2025, unitGroupId: groupId, definition });
    expect((await office.assessment.get({ id: created.id })).scheme.definition).toMatchObject({
      ranking: "dense",
      precision: 1,
    });
    await office.assessment.startReview({ id: created.id });
    const set = (unit: string, v11: number, v21: number) =>
      Object.entries({ "1.1": v11, "1.2": 1, "2.1": v21, "2.2": 0, "3.1": 0 }).map(
        ([indicatorCode, finalValue]) => ({ unitId: u(unit), indicatorCode, finalValue }),
      );
    await office.assessment.setScores({
      id: created.id,
      finalScores: [
        ...set("党政办公室", 9, 45.04), // 9 + 10 + 45.04 + 30 = 94.04 → 94.0
        ...set("经济发展办公室", 9, 45.01), // 94.01 → 94.0: tied with 党政办公室
        ...set("营商环境办公室", 8, 45.06), // 93.06 → 93.1: dense rank 2 (competition: 3)
        ...set("社会事业管理办公室", 8, 45), // 93.0 → rank 3
        ...set("平安建设办公室", 8, 44.95), // 92.95 → 93.0 (half up): tied at 3
      ],
    });
    const r = await office.assessment.results({ id: created.id });
    expect(r.units.map((x) => [x.unit, x.rank, x.total])).toEqual([
      ["党政办公室", 1, 94],
      ["经济发展办公室", 1, 94],
      ["营商环境办公室", 2, 93.1],
      ["平安建设办公室", 3, 93],
      ["社会事业管理办公室", 3, 93],
    ]);
  });

  // ------------------------------------------------------------ computed from task data

  describe("values computed from the year's task data", () => {
    let metricsScheme: number;
    let jfb: number;
    let ajb: number;
    let reportIds: Record<string, number>;

    beforeAll(async () => {
      jfb = u("经济发展办公室");
      ajb = u("安居工作办公室");
      const [officeUser] = await f.db.select().from(users).where(eq(users.username, "office"));
      const [plan] = await f.db
        .insert(plans)
        .values({ year: 2021, title: "2021年政务公开工作要点", issuerUnitId: f.ids.gov, status: "published" })
        .returning();
      const [draftPlan] = await f.db
        .insert(plans)
        .values({ year: 2021, title: "2021年草稿", issuerUnitId: f.ids.gov, status: "draft" })
        .returning();
      const task = async (
        code: string,
        role: "lead" | "responsible" | "cooperating",
        due: string | null,
        planId = plan?.id,
      ) => {
        const [t] = await f.db
          .insert(tasks)
          .values({ planId: planId ?? 0, code, title: `任务${code}` })
          .returning();
        const id = t?.id ?? 0;
        await f.db.insert(taskAssignments).values({ taskId: id, unitId: jfb, role });
        if (due) {
          await f.db.insert(deadlines).values({
            taskId: id,
            phrase: `${due}前`,
            kind: "by",
            rule: { kind: "by", date: due, precision: "day" },
            dueDate: due,
          });
        } else {
          await f.db
            .insert(deadlines)
            .values({ taskId: id, phrase: "持续推进", kind: "ongoing", rule: { kind: "ongoing" } });
        }
        return id;
      };
      const t1 = await task("1", "lead", "2021-03-31");
      const t2 = await task("2", "responsible", "2021-06-30");
      const t3 = await task("3", "lead", "2021-09-30");
      const t4 = await task("4", "cooperating", "2021-12-31");
      await task("5", "lead", null);
      const t6 = await task("6", "lead", "2021-12-31");
      await task("7", "lead", "2021-05-31", draftPlan?.id); // a draft plan's task never counts
      const report = async (
        key: string,
        taskId: number,
        state: "submitted" | "approved" | "returned",
        submittedAt: string,
        role: "lead" | "responsible" | "cooperating" = "lead",
      ) => {
        const [r] = await f.db
          .insert(progressReports)
          .values({
            taskId,
            unitId: jfb,
            role,
            period: "2021",
            periodStart: "2021-01-01",
            periodEnd: "2021-12-31",
            status: "done",
            percent: 100,
            state,
            revision: 1,
            submittedAt: new Date(submittedAt),
          })
          .returning();
        reportIds = { ...reportIds, [key]: r?.id ?? 0 };
        return r?.id ?? 0;
      };
      // On the due day at 23:30 China time: on time.
      const r1 = await report("r1", t1, "approved", "2021-03-31T15:30:00Z");
      // 00:30 China time the day after the due date: late.
      const r2 = await report("r2", t2, "approved", "2021-06-30T16:30:00Z", "responsible");
      const r4 = await report("r4", t4, "submitted", "2021-12-01T02:00:00Z", "cooperating");
      const r6 = await report("r6", t6, "approved", "2021-12-20T02:00:00Z");
      const review = (reportId: number, decision: "approve" | "return") => ({
        reportId,
        revision: 1,
        decision,
        reviewerId: officeUser?.id ?? null,
      });
      await f.db
        .insert(reportReviews)
        .values([review(r1, "return"), review(r1, "approve"), review(r2, "approve"), review(r6, "approve")]);
      await f.db.insert(evidence).values([
        { reportId: r1, kind: "link", url: "https://www.shqp.gov.cn/a.html" },
        {
          reportId: r2,
          kind: "link",
          url: "https://www.shqp.gov.cn/b.html",
          removedAt: new Date("2021-07-01T00:00:00Z"),
        },
      ]);
      expect(r4).toBeGreaterThan(0);
      const notice = (taskId: number) => ({
        taskId,
        unitId: jfb,
        level: "supervise" as const,
        content: "请加快推进",
        replyDueDate: "2021-10-15",
      });
      const [demoTask] = await f.db.select().from(tasks).where(eq(tasks.planId, f.ids.planId)).limit(1);
      await f.db.insert(supervisionNotices).values([notice(t3), notice(t3), notice(demoTask?.id ?? 0)]);

      // A published third-party evaluation with two versions: the highest counts.
      const [project] = await f.db
        .insert(evaluationProjects)
        .values({
          year: 2021,
          name: "2021年徐泾镇政务公开第三方评估",
          organisation: "某大学政务公开研究中心",
          ownerUnitId: f.ids.gov,
          indicatorSystem: { name: "评估指标", bonus: null, grades: null, indicators: [] },
          status: "published",
        })
        .returning();
      const evalResults = (total: number) => ({
        units: [
          { unitId: jfb, unitName: "经济发展办公室", tier: "", total, rank: 1, grade: null, indicators: {} },
          {
            unitId: ajb,
            unitName: "安居工作办公室",
            tier: "",
            total: null,
            rank: null,
            grade: null,
            indicators: {},
          },
        ],
      });
      await f.db.insert(evaluationResults).values([
        {
          projectId: project?.id ?? 0,
          version: 1,
          results: evalResults(70),
          summary: evalResults(70),
          contentHash: "x",
        },
        {
          projectId: project?.id ?? 0,
          version: 2,
          results: evalResults(80),
          summary: evalResults(80),
          contentHash: "y",
        },
      ]);

      const group = await office.units.groups.create({
        ownerUnitId: f.ids.gov,
        name: "数据测试组",
        memberIds: [jfb, ajb],
      });
      const scheme: AssessmentScheme = {
        name: "2021年度数据指标测试",
        share: 4,
        bonus: null,
        grades: null,
        indicators: [
          {
            code: "1",
            name: "任务落实",
            points: 45,
            children: [
              {
                code: "1.1",
                name: "按时完成",
                points: 20,
                rule: { type: "proportion", source: "onTimeRate" },
              },
              {
                code: "1.2",
                name: "审核通过",
                points: 10,
                rule: { type: "proportion", source: "approvedRate" },
              },
              {
                code: "1.3",
                name: "佐证覆盖",
                points: 15,
                rule: { type: "proportion", source: "evidenceCoverage" },
              },
            ],
          },
          {
            code: "2",
            name: "扣分项",
            points: 30,
            children: [
              {
                code: "2.1",
                name: "报告退回",
                points: 10,
                rule: { type: "deduction", per: 2, source: "returnedReports" },
              },
              {
                code: "2.2",
                name: "督办",
                points: 10,
                rule: { type: "deduction", per: 3, source: "supervisionNotices" },
              },
              {
                code: "2.3",
                name: "逾期",
                points: 10,
                rule: { type: "deduction", per: 4, source: "overdueTasks" },
              },
            ],
          },
          {
            code: "3",
            name: "第三方评估",
            points: 25,
            children: [
              {
                code: "3.1",
                name: "评估得分",
                points: 25,
                rule: { type: "evaluation", project: "2021年徐泾镇政务公开第三方评估" },
              },
            ],
          },
        ],
      };
      metricsScheme = (
        await office.assessment.create({ year: 2021, unitGroupId: group.id, definition: scheme })
      ).id;
    });

    it("computes each source by its definition, the due day on time, a unit without tasks null with a note", async () => {
      const m = await computeAssessmentMetrics(f.db, {
        year: 2021,
        unitIds: [jfb, ajb],
        asOf: "2021-12-31",
        scopePath: null,
      });
      const x = m.get(jfb);
      // Due tasks led or owned: 1, 2, 3, 6 (4 only cooperating, 5 ongoing, 7 in a draft plan).
      // On time: 1 (due-day report) and 6; 2 was approved but submitted after its due day.
      expect(x?.onTimeRate).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 });
      // Overdue: 2 (late) and 3 (no report); 6's due date is the as-of day and it is done anyway.
      expect(x?.overdueTasks).toMatchObject({ value: 2 });
      // Reviews: r1 returned then approved, r2 approved, r6 approved; r4 waits: 3 / (3 + 1 + 1).
      expect(x?.approvedRate).toMatchObject({ value: 0.6, numerator: 3, denominator: 5 });
      // Approved reports r1, r2, r6; only r1 has evidence not removed.
      expect(x?.evidenceCoverage?.value).toBeCloseTo(1 / 3, 12);
      expect(x?.returnedReports).toMatchObject({ value: 1 });
      // Two notices on a 2021 task; the one on a 2023 task belongs to another year.
      expect(x?.supervisionNotices).toMatchObject({ value: 2 });

      const y = m.get(ajb);
      for (const source of [
        "onTimeRate",
        "overdueTasks",
        "approvedRate",
        "evidenceCoverage",
        "returnedReports",
        "supervisionNotices",
      ] as const) {
        expect(y?.[source].value, source).toBeNull();
        expect(isChinese(y?.[source].note ?? ""), source).toBe(true);
      }
      expect(y?.onTimeRate.note).toContain("没有到期的牵头或责任任务");

      // Before the due date is over nothing is overdue yet, and only tasks due by then count.
      const midYear = (
        await computeAssessmentMetrics(f.db, {
          year: 2021,
          unitIds: [jfb],
          asOf: "2021-06-30",
          scopePath: null,
        })
      ).get(jfb);
      expect(midYear?.onTimeRate).toMatchObject({ numerator: 1, denominator: 2 });
      expect(midYear?.overdueTasks).toMatchObject({ value: 0 });

      // The same report at 00:00 China time the day after: late.
      await f.db
        .update(progressReports)
        .set({ submittedAt: new Date("2021-03-31T16:00:00Z") })
        .where(eq(progressReports.id, reportIds.r1 ?? 0));
      const late = (
        await computeAssessmentMetrics(f.db, {
          year: 2021,
          unitIds: [jfb],
          asOf: "2021-12-31",
          scopePath: null,
        })
      ).get(jfb);
      expect(late?.onTimeRate).toMatchObject({ numerator: 1, denominator: 4 });
      await f.db
        .update(progressReports)
        .set({ submittedAt: new Date("2021-03-31T15:30:00Z") })
        .where(eq(progressReports.id, reportIds.r1 ?? 0));
    });

    it("stores computed values when the review starts and scores with them; the office overrides with a note", async () => {
      expect((await outcome(office.assessment.refreshComputed({ id: 999_999 }))).code).toBe("NOT_FOUND");
      await office.assessment.startReview({ id: metricsScheme });
      const scores = await office.assessment.scores({ id: metricsScheme });
      const computed = Object.fromEntries(
        scores.scores.filter((s) => s.unitId === jfb).map((s) => [s.indicatorCode, s.computedValue]),
      );
      expect(computed).toMatchObject({ "1.1": 0.5, "1.2": 0.6, "2.1": 1, "2.2": 2, "2.3": 2, "3.1": 80 });
      expect(computed["1.3"]).toBeCloseTo(1 / 3, 12);
      const baihe = await callerAs(f.db, "baihe-office");
      expect((await outcome(baihe.assessment.metrics({ id: metricsScheme }))).code).toBe("NOT_FOUND");
      expect((await outcome(baihe.assessment.scores({ id: metricsScheme }))).code).toBe("NOT_FOUND");
      const metrics = await office.assessment.metrics({ id: metricsScheme });
      expect(metrics.asOf).toBe("2021-12-31");
      const jfbOnly = await office.assessment.metrics({ id: metricsScheme, unitId: jfb });
      expect(jfbOnly.units).toEqual(metrics.units.filter((x) => x.unitId === jfb));
      expect(jfbOnly.asOf).toBe("2021-12-31");
      const ajbMetrics = metrics.units.find((x) => x.unitId === ajb);
      expect(ajbMetrics?.values["3.1"]).toMatchObject({ value: null });
      expect(ajbMetrics?.values["3.1"]?.note).toContain("没有该单位的总分");
      expect(metrics.units.find((x) => x.unitId === jfb)?.values["3.1"]?.note).toContain("第 2 版");

      const r = await office.assessment.results({ id: metricsScheme });
      // 0.5 × 20 + 0.6 × 10 + 1/3 × 15 + (10 − 2) + (10 − 6) + (10 − 8) + 80 / 100 × 25 = 55.
      expect(r.units.find((x) => x.unitId === jfb)?.total).toBeCloseTo(55, 9);
      expect(r.units.find((x) => x.unitId === ajb)).toMatchObject({ complete: false, rank: null });

      const noNote = await outcome(
        office.assessment.setScores({
          id: metricsScheme,
          finalScores: [{ unitId: ajb, indicatorCode: "1.1", finalValue: 1 }],
        }),
      );
      expect(noNote.code).toBe("BAD_REQUEST");
      expect(noNote.message).toContain("审核说明");
      await office.assessment.setScores({
        id: metricsScheme,
        finalScores: [
          { unitId: ajb, indicatorCode: "1.1", finalValue: 1, reviewNote: "全年任务均按时完成(线下核实)" },
        ],
      });
      const refreshed = await office.assessment.refreshComputed({ id: metricsScheme });
      expect(refreshed).toMatchObject({ asOf: "2021-12-31" });
      const after = await office.assessment.scores({ id: metricsScheme });
      expect(after.scores.find((s) => s.unitId === ajb && s.indicatorCode === "1.1")).toMatchObject({
        finalValue: 1,
        computedValue: null,
      });
      // Refreshing keeps every unit's score; changing a rule in review scores them all anew:
      // 2.1 deducts 1 a returned report instead of 2, so 经发办 gains 1 point (55 → 56).
      const keptTotals = async () =>
        new Map(
          (
            await f.db
              .select({ unitId: assessmentUnitScores.unitId, total: assessmentUnitScores.total })
              .from(assessmentUnitScores)
              .where(eq(assessmentUnitScores.schemeId, metricsScheme))
          ).map((k) => [k.unitId, k.total]),
        );
      const live = await office.assessment.results({ id: metricsScheme });
      expect(await keptTotals()).toEqual(new Map(live.units.map((x) => [x.unitId, x.total])));
      const current = await office.assessment.get({ id: metricsScheme });
      const definition = structuredClone(current.scheme.definition);
      const returned = definition.indicators[1]?.children?.[0];
      if (returned?.rule?.type !== "deduction") throw new Error("2.1 is a deduction");
      returned.rule.per = 1;
      await office.assessment.update({
        id: metricsScheme,
        version: current.scheme.version,
        year: current.scheme.year,
        unitGroupId: current.scheme.unitGroupId ?? 0,
        performanceTotal: current.scheme.performanceTotal,
        definition,
      });
      expect((await keptTotals()).get(jfb)).toBeCloseTo(56, 9);
      expect(
        (await office.assessment.results({ id: metricsScheme })).units.find((x) => x.unitId === jfb)?.total,
      ).toBeCloseTo(56, 9);
      const [row] = await f.db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(
          and(eq(auditLog.entityType, "assessmentScheme"), eq(auditLog.entityId, String(metricsScheme))),
        );
      expect(row?.n).toBeGreaterThanOrEqual(4);
    });

    it("lists evaluation projects with published results to draw on", async () => {
      const sources = await office.assessment.evaluationSources();
      expect(sources.map((s) => [s.name, s.latestVersion])).toContainEqual([
        "2021年徐泾镇政务公开第三方评估",
        2,
      ]);
      expect(await (await callerAs(f.db, "baihe-office")).assessment.evaluationSources()).toEqual([]);
      expect((await outcome((await callerAs(f.db, "dangzheng")).assessment.evaluationSources())).code).toBe(
        "FORBIDDEN",
      );
    });
  });
});
