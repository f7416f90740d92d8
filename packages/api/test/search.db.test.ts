import { testDbKinds } from "@gongkai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome } from "./harness.ts";

/**
 * The header's search on a real database (PGlite with its pg_trgm, and PostgreSQL): tasks by code
 * and title, units by name, reports by what the unit wrote; each caller finds only what its own
 * lists show it. The demo plan is 徐泾镇's 2023 plan (its titles as in seeds/001_…txt).
 */
describe.each(testDbKinds())("global search and unit filters on %s", (kind) => {
  let f: Fixture;
  const search = async (username: string, q: string) => (await callerAs(f.db, username)).search.all({ q });
  const codes = (r: { tasks: { code: string }[] }) => r.tasks.map((t) => t.code);

  beforeAll(async () => {
    f = await createFixture(kind);
    const office = await callerAs(f.db, "office");
    const detail = await office.plans.get({ id: f.ids.planId });
    const task = (code: string) => {
      const t = detail.tasks.find((x) => x.code === code);
      if (!t) throw new Error(`task ${code} missing`);
      return t.id;
    };
    // 党政办公室 submits a report on task 10; 前明村 keeps a draft on task 22 (as responsible).
    const dangzheng = await callerAs(f.db, "dangzheng");
    const report = await dangzheng.reports.save({
      taskId: task("10"),
      period: "2023-Q2",
      status: "inProgress",
      percent: 60,
      summary: "已编制2023年度重大行政决策事项目录,并在门户网站专栏公开。",
      evidence: { links: [], fileIds: [] },
    });
    await dangzheng.reports.submit({
      reportId: report.id,
      version: report.version,
      submissionKey: "search-test-1",
    });
    const qianming = await callerAs(f.db, "qianming");
    await qianming.reports.save({
      taskId: task("22"),
      period: "2023-Q2",
      status: "inProgress",
      percent: 40,
      summary: "村务公开栏已更新上半年财务收支。",
      evidence: { links: [], fileIds: [] },
    });
  });
  afterAll(() => f?.database.drop());

  it("finds the office's tasks by title, in the plan's order", async () => {
    const r = await search("office", "重大行政决策");
    expect(codes(r)).toEqual(["9", "10", "12"]);
    expect(r.tasks[1]).toMatchObject({ title: "扎实推进重大行政决策事项目录管理", year: 2023 });
  });

  it("finds a 2-character word (Chinese has no word boundaries, and trigrams need 3)", async () => {
    const r = await search("office", "公开");
    expect(codes(r)).toEqual(["3", "12", "17", "18", "19", "21", "22"]);
  });

  it("finds a task by its code", async () => {
    const r = await search("office", "28");
    expect(codes(r)).toEqual(["28"]);
    expect(r.tasks[0]?.title).toBe("逐项抓好任务落地");
  });

  it("treats % and _ as the characters typed, not as wildcards", async () => {
    expect(codes(await search("office", "%"))).toEqual([]);
    expect(codes(await search("office", "_"))).toEqual([]);
    expect(codes(await search("admin", "%"))).toEqual([]);
  });

  it("finds units by name within the office's government only; the administrator finds both", async () => {
    const office = await search("office", "党政办");
    expect(office.units.map((u) => u.id)).toEqual([f.ids.dangzheng]);
    const admin = await search("admin", "党政办");
    expect(admin.units.map((u) => u.id).sort((a, b) => a - b)).toEqual(
      [f.ids.dangzheng, f.ids.otherDept].sort((a, b) => a - b),
    );
    // Another town's office sees neither 徐泾镇's units, nor its plan's tasks, nor its reports.
    const baihe = await search("baihe-office", "党政办");
    expect(baihe.units.map((u) => u.id)).toEqual([f.ids.otherDept]);
    expect(codes(await search("baihe-office", "重大行政决策"))).toEqual([]);
    expect((await search("baihe-office", "门户网站")).reports).toEqual([]);
  });

  it("finds submitted reports for the office, with the words around the match; never a draft", async () => {
    const r = await search("office", "门户网站");
    expect(r.reports).toHaveLength(1);
    expect(r.reports[0]).toMatchObject({ code: "10", unitName: "党政办公室", state: "submitted" });
    expect(r.reports[0]?.snippet).toContain("门户网站专栏公开");
    expect((await search("office", "村务公开栏")).reports).toEqual([]);
  });

  it("shows a unit only its own tasks and reports, drafts included, and no units", async () => {
    const qianming = await search("qianming", "村务公开栏");
    expect(qianming.reports.map((x) => [x.code, x.state])).toEqual([["22", "draft"]]);
    expect((await search("dangzheng", "村务公开栏")).reports).toEqual([]);
    expect((await search("qianming", "门户网站")).reports).toEqual([]);
    // 前明村 is on task 22 (各村(居)), not on the decision tasks 党政办公室 leads.
    expect(codes(await search("qianming", "重大行政决策"))).toEqual([]);
    expect(codes(await search("qianming", "标准化"))).toEqual(["22"]);
    expect(codes(await search("dangzheng", "标准化"))).toEqual([]);
    expect((await search("dangzheng", "党政办")).units).toEqual([]);
  });

  it("narrows the review queue and the notices to one unit (in the query: both lists are capped)", async () => {
    const office = await callerAs(f.db, "office");
    const queue = async (unitId?: number) =>
      (await office.reports.queue({ state: "submitted", unitId })).map((r) => r.unitName);
    expect(await queue()).toEqual(["党政办公室"]);
    expect(await queue(f.ids.dangzheng)).toEqual(["党政办公室"]);
    expect(await queue(f.ids.qianming)).toEqual([]);
    const detail = await office.plans.get({ id: f.ids.planId });
    const t22 = detail.tasks.find((t) => t.code === "22")?.id ?? 0;
    await office.supervision.issue({
      taskId: t22,
      unitId: f.ids.qianming,
      level: "remind",
      content: "请更新村务公开栏并报送进展。",
    });
    const notices = async (unitId?: number) =>
      (await office.supervision.list({ unitId })).map((n) => n.unitName);
    expect(await notices(f.ids.qianming)).toEqual(["前明村村民委员会"]);
    expect(await notices(f.ids.dangzheng)).toEqual([]);
  });

  it("refuses an empty or over-long query with a message in Chinese", async () => {
    const office = await callerAs(f.db, "office");
    for (const q of ["   ", "公".repeat(51)]) {
      const { code, message } = await outcome(office.search.all({ q }));
      expect(code).toBe("BAD_REQUEST");
      expect(isChinese(message)).toBe(true);
    }
  });
});
