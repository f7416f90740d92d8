import { createUser, runDailyJobs, systemActor } from "@gongkai/db";
import { saveNotificationPreferences } from "@gongkai/db/channels";
import {
  jobRuns,
  lightDays,
  notifications,
  outbox,
  reportRevisions,
  storedFiles,
  users,
} from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, fixedNow, outcome, taskIdsByCode } from "./harness.ts";

/**
 * The daily work of issue 4 on a real database: a unit reports with evidence, the office returns
 * and approves, lights follow; cooperating contributions; supervision notices and escalation;
 * reminders once a day; bulletins as real .docx and .xlsx.
 */
describe.each(testDbKinds())("progress reports, review and supervision on %s", (kind) => {
  let f: Fixture;
  let task: (code: string) => number;
  let unitId: (name: string) => number;
  const later = (days: number) => new Date(fixedNow.getTime() + days * 86_400_000);

  beforeAll(async () => {
    f = await createFixture(kind);
    const office = await callerAs(f.db, "office");
    task = await taskIdsByCode(f.db, f.ids.planId);
    const all = await office.units.list();
    unitId = (name) => {
      const u = all.find((x) => x.name === name);
      if (!u) throw new Error(`unit ${name} missing`);
      return u.id;
    };
    // A second account in 党政办公室, and one in 营商环境办公室 (a cooperating unit on task 5).
    await createUser(f.db, systemActor, {
      username: "dangzheng2",
      password: "Unit@2026",
      displayName: "党政办副联络员",
      role: "unit",
      unitId: f.ids.dangzheng,
    });
    await createUser(f.db, systemActor, {
      username: "yingshang",
      password: "Unit@2026",
      displayName: "营商办联络员",
      role: "unit",
      unitId: unitId("营商环境办公室"),
    });
  });
  afterAll(() => f?.database.drop());

  it("shows a unit its tasks with traffic lights: past due red, no deadline on track", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const lights = await unit.reports.myLights({ year: 2023 });
    const t10 = lights.find((l) => l.taskId === task("10"));
    // 3月31日前, seen on 2023-07-01 with nothing reported.
    expect(t10).toMatchObject({ light: "overdue", dueDate: "2023-03-31", role: "lead" });
    expect(lights.find((l) => l.taskId === task("1"))?.light).toBe("onTrack");
    const village = await callerAs(f.db, "qianming");
    expect((await village.reports.myLights({})).map((l) => l.taskId)).toEqual([task("22")]);
  });

  it("runs the whole review cycle: draft, submit, return with a reason, revise, resubmit, approve", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const office = await callerAs(f.db, "office");
    const form = await unit.reports.form({ taskId: task("10"), period: "2023-Q2" });
    expect(form.report).toBeNull();
    expect(form.periods.map((p) => p.key)).toEqual(["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]);
    const draft = await unit.reports.save({
      taskId: task("10"),
      period: "2023-Q2",
      status: "done",
      percent: 100,
      summary: "已编制2023年度重大行政决策事项目录并在门户网站公开。",
      evidence: {
        links: [{ url: "https://www.shqp.gov.cn/xj/zdjc/2023.html", title: "目录公开页面" }],
        fileIds: [],
      },
    });
    expect(draft).toMatchObject({ state: "draft", revision: 0 });
    const submitted = await unit.reports.submit({
      reportId: draft.id,
      version: draft.version,
      submissionKey: "key-first-0001",
    });
    expect(submitted).toMatchObject({ state: "submitted", revision: 1 });

    const queue = await office.reports.queue({});
    expect(queue.map((q) => [q.id, q.unitName, q.period])).toContainEqual([
      draft.id,
      "党政办公室",
      "2023-Q2",
    ]);
    const returned = await office.reports.review({
      reportId: draft.id,
      revision: 1,
      decision: "return",
      reason: "请补充目录文件的发布日期截图。",
    });
    expect(returned.state).toBe("returned");
    const news = await unit.notifications.list();
    expect(news.items[0]).toMatchObject({ kind: "report.returned" });
    expect(news.items[0]?.body).toContain("发布日期截图");

    const again = await unit.reports.form({ taskId: task("10"), period: "2023-Q2" });
    expect(again.report?.reviews.map((r) => [r.decision, r.reason])).toEqual([
      ["return", "请补充目录文件的发布日期截图。"],
    ]);
    const revised = await unit.reports.save({
      taskId: task("10"),
      period: "2023-Q2",
      status: "done",
      percent: 100,
      summary: "已编制目录,于3月28日在门户网站公开(附截图链接)。",
      occurredOn: "2023-03-28",
      evidence: {
        links: [
          { url: "https://www.shqp.gov.cn/xj/zdjc/2023.html", title: "目录公开页面" },
          { url: "https://www.shqp.gov.cn/xj/zdjc/2023-shot.html", title: "发布日期截图" },
        ],
        fileIds: [],
      },
      version: returned.version,
    });
    await unit.reports.submit({
      reportId: revised.id,
      version: revised.version,
      submissionKey: "key-second-0002",
    });
    await office.reports.review({ reportId: draft.id, revision: 2, decision: "approve" });

    const detail = await office.reports.detail({ id: draft.id });
    expect(detail.report?.revisions.map((r) => r.revision)).toEqual([1, 2]);
    const [first, second] = detail.report?.revisions ?? [];
    expect((first?.snapshot as { evidence: unknown[] } | undefined)?.evidence).toHaveLength(1);
    expect((second?.snapshot as { evidence: unknown[] } | undefined)?.evidence).toHaveLength(2);
    expect(detail.report?.state).toBe("approved");
    const lights = await unit.reports.myLights({ year: 2023 });
    expect(lights.find((l) => l.taskId === task("10"))?.light).toBe("done");
    const history = await office.reports.taskHistory({ id: task("10") });
    expect(history.trail.map((t) => t.action)).toEqual(
      expect.arrayContaining([
        "report.create",
        "report.submit",
        "report.return",
        "report.update",
        "report.approve",
      ]),
    );
  });

  it("refuses the second of two saves from the same version, naming who saved first, and keeps the first", async () => {
    const a = await callerAs(f.db, "dangzheng");
    const b = await callerAs(f.db, "dangzheng2");
    const base = {
      taskId: task("12"),
      period: "2023-Q3",
      status: "inProgress" as const,
      percent: 40,
      evidence: { links: [], fileIds: [] },
    };
    const created = await a.reports.save({ ...base, summary: "初稿" });
    await a.reports.save({ ...base, summary: "甲的修改", version: created.version });
    const clash = await outcome(b.reports.save({ ...base, summary: "乙的修改", version: created.version }));
    expect(clash.code).toBe("CONFLICT");
    expect(clash.message).toContain("党政办公室联络员");
    // When, in the one date format of the app (China time to the minute).
    expect(clash.message).toMatch(/于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 保存/);
    const form = await b.reports.form({ taskId: task("12"), period: "2023-Q3" });
    expect(form.report?.summary).toBe("甲的修改");
  });

  it("creates one submission for a retried submit", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const r = await unit.reports.save({
      taskId: task("13"),
      period: "2023-Q3",
      status: "inProgress",
      percent: 50,
      summary: "已邀请公众代表列席7月常务会议。",
      evidence: { links: [], fileIds: [] },
    });
    const once = await unit.reports.submit({
      reportId: r.id,
      version: r.version,
      submissionKey: "retry-key-123",
    });
    const twice = await unit.reports.submit({
      reportId: r.id,
      version: r.version,
      submissionKey: "retry-key-123",
    });
    expect(twice).toMatchObject({ id: once.id, revision: 1, state: "submitted" });
    expect(await f.db.select().from(reportRevisions).where(eq(reportRevisions.reportId, r.id))).toHaveLength(
      1,
    );
  });

  it("rejects bad reports with Chinese messages and stores nothing", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const base = {
      taskId: task("14"),
      period: "2023-Q3",
      summary: "x",
      evidence: { links: [], fileIds: [] },
    };
    const blocked = await outcome(unit.reports.save({ ...base, status: "blocked", percent: 30 }));
    expect(blocked.message).toContain("原因");
    const ftp = await outcome(
      unit.reports.save({
        ...base,
        status: "inProgress",
        percent: 30,
        evidence: { links: [{ url: "ftp://x.gov.cn/a", title: "" }], fileIds: [] },
      }),
    );
    expect(ftp.code).toBe("BAD_REQUEST");
    expect(ftp.message).toContain("http");
    const badPeriod = await outcome(
      unit.reports.save({ ...base, period: "2023-Q5", status: "inProgress", percent: 30 }),
    );
    expect(badPeriod.code).toBe("BAD_REQUEST");
    const done = await unit.reports.save({ ...base, status: "done", percent: 100 });
    const noEvidence = await outcome(
      unit.reports.submit({ reportId: done.id, version: done.version, submissionKey: "no-evidence-1" }),
    );
    expect(noEvidence.message).toContain("佐证材料");
    const [file] = await f.db
      .insert(storedFiles)
      .values({
        sha256: "a".repeat(64),
        sizeBytes: 10,
        mimeType: "application/pdf",
        fileName: "别人的.pdf",
        storageKey: `aa/${"a".repeat(64)}`,
        unitId: f.ids.qianming,
      })
      .returning();
    const foreignFile = await outcome(
      unit.reports.save({
        ...base,
        status: "done",
        percent: 100,
        version: done.version,
        evidence: { links: [], fileIds: [file?.id ?? 0] },
      }),
    );
    expect(foreignFile.message).toContain("本单位上传");
  });

  it("keeps other units out: no form, no save, no submit on tasks they are not assigned to", async () => {
    const village = await callerAs(f.db, "qianming");
    expect((await outcome(village.reports.form({ taskId: task("10") }))).code).toBe("NOT_FOUND");
    const save = await outcome(
      village.reports.save({
        taskId: task("10"),
        period: "2023-Q3",
        status: "inProgress",
        percent: 10,
        summary: "x",
        evidence: { links: [], fileIds: [] },
      }),
    );
    expect(save.code).toBe("NOT_FOUND");
    const unit = await callerAs(f.db, "dangzheng");
    const own = await unit.reports.save({
      taskId: task("15"),
      period: "2023-Q3",
      status: "inProgress",
      percent: 10,
      summary: "x",
      evidence: { links: [], fileIds: [] },
    });
    expect(
      (
        await outcome(
          village.reports.submit({ reportId: own.id, version: own.version, submissionKey: "steal-1234" }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    const otherOffice = await callerAs(f.db, "baihe-office");
    expect((await outcome(otherOffice.reports.detail({ id: own.id }))).code).toBe("NOT_FOUND");
    expect(await otherOffice.reports.queue({})).toEqual([]);
  });

  it("lets a cooperating unit contribute and the lead include it in its report", async () => {
    const coop = await callerAs(f.db, "yingshang");
    const lead = await callerAs(f.db, "dangzheng");
    const c = await coop.reports.save({
      taskId: task("5"),
      period: "2023-Q3",
      status: "inProgress",
      percent: 60,
      summary: "营商办梳理了企业常见问题32条,已推送党政办。",
      evidence: { links: [], fileIds: [] },
    });
    expect(c.role).toBe("cooperating");
    await coop.reports.submit({ reportId: c.id, version: c.version, submissionKey: "coop-key-0001" });
    const form = await lead.reports.form({ taskId: task("5"), period: "2023-Q3" });
    expect(form.role).toBe("lead");
    expect(form.contributions.map((x) => [x.unitName, x.summary])).toEqual([
      ["营商环境办公室", "营商办梳理了企业常见问题32条,已推送党政办。"],
    ]);
    const mine = await lead.reports.save({
      taskId: task("5"),
      period: "2023-Q3",
      status: "inProgress",
      percent: 70,
      summary: "完善政策留言板,吸收营商办整理的常见问题。",
      contributionIds: [c.id],
      evidence: { links: [], fileIds: [] },
    });
    const submitted = await lead.reports.submit({
      reportId: mine.id,
      version: mine.version,
      submissionKey: "lead-key-0001",
    });
    const office = await callerAs(f.db, "office");
    const detail = await office.reports.detail({ id: submitted.id });
    expect(detail.contributions.map((x) => x.unitName)).toEqual(["营商环境办公室"]);
  });

  it("dates an `after` deadline once its event is recorded, counting 国庆 holidays and 调休 days", async () => {
    const office = await callerAs(f.db, "office");
    const t11 = (await office.plans.get({ id: f.ids.planId })).tasks.find((t) => t.code === "11");
    const deadline = t11?.deadlines[0];
    expect(deadline?.dueDate).toBeNull();
    // 决策出台 on Thu 2023-09-28: 9-29..10-06 off, Sat 10-07 and Sun 10-08 worked (调休);
    // the 10th working day after is Wed 2023-10-18.
    const updated = await office.reports.recordEvent({
      deadlineId: deadline?.id ?? 0,
      eventDate: "2023-09-28",
    });
    expect(updated?.dueDate).toBe("2023-10-18");
    const village = await callerAs(f.db, "qianming");
    expect(
      (await outcome(village.reports.recordEvent({ deadlineId: deadline?.id ?? 0, eventDate: "2023-09-01" })))
        .code,
    ).toBe("NOT_FOUND");
  });

  it("issues a notice, the unit replies, the office closes it", async () => {
    const office = await callerAs(f.db, "office");
    const unit = await callerAs(f.db, "dangzheng");
    const notice = await office.supervision.issue({
      taskId: task("17"),
      unitId: f.ids.dangzheng,
      level: "supervise",
      content: "公文公开属性认定流程尚未完善,请于期限内报送整改情况。",
    });
    expect(notice.state).toBe("open");
    // Default reply period: 5 working days after Sat 2023-07-01 → Fri 2023-07-07.
    expect(notice.replyDueDate).toBe("2023-07-07");
    const mine = await unit.supervision.mine();
    expect(mine.find((n) => n.id === notice.id)).toMatchObject({
      level: "supervise",
      taskTitle: "落实公文公开属性源头认定机制",
    });
    await unit.supervision.reply({ id: notice.id, reply: "已修订认定流程,7月5日印发。" });
    const listed = await office.supervision.list({});
    expect(listed.find((n) => n.id === notice.id)).toMatchObject({
      state: "replied",
      reply: "已修订认定流程,7月5日印发。",
    });
    await office.supervision.close({ id: notice.id });
    const village = await callerAs(f.db, "qianming");
    expect((await outcome(village.supervision.reply({ id: notice.id, reply: "x" }))).code).toBe("NOT_FOUND");
    const wrongUnit = await outcome(
      office.supervision.issue({ taskId: task("17"), unitId: f.ids.qianming, level: "remind", content: "x" }),
    );
    expect(wrongUnit.message).toContain("没有承担");
  });

  it("runs the daily job once a day even when two processes try, escalating unanswered notices", async () => {
    const office = await callerAs(f.db, "office");
    // Task 19 gets a deadline that has passed by 2023-07-06, so every unit on it is overdue.
    const t19 = (await office.plans.get({ id: f.ids.planId })).tasks.find((t) => t.code === "19");
    if (!t19) throw new Error("task 19 missing");
    await office.tasks.update({
      id: t19.id,
      version: t19.version,
      sectionId: t19.sectionId,
      code: "19",
      title: t19.title,
      content: t19.content,
      category: t19.category,
      units: {
        lead: { unitIds: [f.ids.dangzheng], groupIds: [] },
        cooperating: { unitIds: [], groupIds: [] },
        responsible: { unitIds: [], groupIds: [] },
      },
      deadlines: [{ phrase: "6月30日前" }],
    });
    const notice = await office.supervision.issue({
      taskId: task("18"),
      unitId: f.ids.dangzheng,
      level: "remind",
      content: "请报送保密审查制度落实情况。",
      replyDueDate: "2023-07-03",
    });
    // 党政办公室's contact takes overdue reminders by email too.
    const [contact] = await f.db.select().from(users).where(eq(users.username, "dangzheng"));
    if (!contact) throw new Error("dangzheng missing");
    await saveNotificationPreferences(
      f.db,
      { userId: contact.id, role: "unit", unitId: f.ids.dangzheng, scopePath: null },
      {
        email: "dangzheng@example.gov.cn",
        emailKinds: ["task.overdue"],
        phone: null,
        smsKinds: [],
        digest: false,
      },
      fixedNow,
    );
    const day = later(5); // 2023-07-06, past the reply date
    const [a, b] = await Promise.all([runDailyJobs(f.db, day), runDailyJobs(f.db, day)]);
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    const result = a ?? b;
    expect(result?.escalated).toBeGreaterThanOrEqual(1);
    expect(await runDailyJobs(f.db, day)).toBeNull();
    const listed = await office.supervision.list({});
    expect(listed.find((n) => n.id === notice.id)?.state).toBe("escalated");
    const next = listed.find((n) => n.parentNoticeId === notice.id);
    expect(next).toMatchObject({ level: "supervise", state: "open" });
    // Overdue reminders went out once each, in-app and to the outbox for the contact's email.
    const mail = await f.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.channel, "email"), eq(outbox.title, `任务已逾期:${t19.title}`)));
    expect(mail).toMatchObject([{ address: "dangzheng@example.gov.cn", status: "pending" }]);
    const reminders = await f.db.select().from(notifications).where(eq(notifications.kind, "task.overdue"));
    const keys = reminders.map((r) => r.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    // The next day runs again, and sends no reminder twice.
    const before = reminders.length;
    await runDailyJobs(f.db, later(6));
    const after = await f.db.select().from(notifications).where(eq(notifications.kind, "task.overdue"));
    expect(after.length).toBe(before);
  });

  it("leaves outside channels to the outbox, gives a failed day back, and takes over a day whose process died", async () => {
    // The job never waits on a channel (an SMS gateway, a mail server): it writes the in-app
    // reminders and their outbox rows, and the day completes; the outbox worker sends them later.
    await f.db.delete(notifications).where(eq(notifications.kind, "task.overdue"));
    const withGatewayDown = await runDailyJobs(f.db, later(7));
    expect(withGatewayDown?.reminders).toBeGreaterThan(0);
    const inApp = await f.db.select().from(notifications).where(eq(notifications.kind, "task.overdue"));
    expect(inApp.length).toBe(withGatewayDown?.reminders);
    const queued = await f.db.select().from(outbox).where(eq(outbox.kind, "task.overdue"));
    expect(queued.filter((r) => r.status === "pending").length).toBeGreaterThan(0);

    // The database fails part-way (a table gone): the run throws and the day is given back.
    const day = later(8); // 2023-07-09
    await f.db.execute(sql`alter table supervision_notices rename to supervision_notices_away`);
    try {
      await expect(runDailyJobs(f.db, day)).rejects.toThrow();
    } finally {
      await f.db.execute(sql`alter table supervision_notices_away rename to supervision_notices`);
    }
    expect(await f.db.select().from(jobRuns).where(eq(jobRuns.runDate, "2023-07-09"))).toEqual([]);
    const finishedAt = new Date("2023-07-09T01:02:03Z");
    expect(await runDailyJobs(f.db, day, () => finishedAt)).not.toBeNull();
    const [done] = await f.db.select().from(jobRuns).where(eq(jobRuns.runDate, "2023-07-09"));
    expect(done?.finishedAt?.toISOString()).toBe(finishedAt.toISOString());
    expect(await runDailyJobs(f.db, new Date(day.getTime() + 3_600_000))).toBeNull();

    // A process claimed the next day and died: within the lease the day stays its own; after it,
    // another process runs the day.
    const next = later(9);
    await f.db.insert(jobRuns).values({ job: "daily", runDate: "2023-07-10", startedAt: next });
    expect(await runDailyJobs(f.db, new Date(next.getTime() + 60_000))).toBeNull();
    expect(await runDailyJobs(f.db, new Date(next.getTime() + 31 * 60_000))).not.toBeNull();
  });

  it("shows the office dashboard with lights by category and unit, and a trend", async () => {
    const office = await callerAs(f.db, "office");
    const d = await office.reports.dashboard({ planId: f.ids.planId });
    const counted = d.rows.filter((r) => r.role !== "cooperating").length;
    expect(d.totals.done + d.totals.onTrack + d.totals.dueSoon + d.totals.overdue).toBe(counted);
    expect(d.totals.done).toBeGreaterThanOrEqual(1);
    expect(d.byUnit.find((u) => u.unitName === "党政办公室")?.done).toBeGreaterThanOrEqual(1);
    expect(d.byCategory.map((c) => c.category)).toContain("decision");
    expect(d.trend.at(-1)?.date).toBe("2023-07-01");
    expect(d.reportStates.approved).toBeGreaterThanOrEqual(1);
    const unit = await callerAs(f.db, "dangzheng");
    const mine = await unit.reports.myDashboard({});
    expect(mine?.byUnit.map((u) => u.unitName)).toEqual(["党政办公室"]);
  });

  it("keeps the trend's past days as first judged; today stays live", async () => {
    const office = await callerAs(f.db, "office");
    const first = await office.reports.dashboard({ planId: f.ids.planId });
    const kept = await f.db.select().from(lightDays).where(eq(lightDays.planId, f.ids.planId));
    const planDays = kept.filter((k) => k.unitId === 0);
    // Every day of the trend but today, as the trend showed it.
    const today = first.trend.at(-1);
    expect(planDays.map((k) => k.day).sort()).toEqual(first.trend.slice(0, -1).map((t) => t.date));
    for (const k of planDays)
      expect(first.trend.find((t) => t.date === k.day)).toEqual({
        date: k.day,
        overdue: k.overdue,
        dueSoon: k.dueSoon,
        done: k.done,
      });
    expect(today).toMatchObject({ overdue: first.totals.overdue, done: first.totals.done });
    // A kept day is read, not judged again: what is kept is what the next view shows.
    const day = planDays[0]?.day as string;
    await f.db
      .update(lightDays)
      .set({ overdue: 99 })
      .where(and(eq(lightDays.planId, f.ids.planId), eq(lightDays.unitId, 0), eq(lightDays.day, day)));
    const again = await office.reports.dashboard({ planId: f.ids.planId });
    expect(again.trend.find((t) => t.date === day)?.overdue).toBe(99);
    expect(again.trend.at(-1)).toEqual(today);
    await f.db
      .update(lightDays)
      .set({ overdue: planDays[0]?.overdue ?? 0 })
      .where(and(eq(lightDays.planId, f.ids.planId), eq(lightDays.unitId, 0), eq(lightDays.day, day)));
    // A unit's own dashboard keeps its own days.
    const unit = await callerAs(f.db, "dangzheng");
    await unit.reports.myDashboard({});
    const own = await f.db.select().from(lightDays).where(eq(lightDays.unitId, f.ids.dangzheng));
    expect(own.length).toBeGreaterThan(0);
  });

  it("writes a bulletin as a .docx that opens and an .xlsx with the same figures", async () => {
    const office = await callerAs(f.db, "office");
    const preview = await office.bulletins.preview({ planId: f.ids.planId, asOf: "2023-07-01" });
    expect(preview.returned.map((r) => r.reason)).toContain("请补充目录文件的发布日期截图。");
    expect(preview.named.map((n) => n.unitName)).toContain("党政办公室");
    const created = await office.bulletins.create({ planId: f.ids.planId, asOf: "2023-07-01" });
    expect((await office.bulletins.list({ planId: f.ids.planId })).map((b) => b.id)).toContain(created.id);
    const docx = await office.bulletins.download({ id: created.id, format: "docx" });
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(docx.contentBase64, "base64") })).value;
    expect(text).toContain("关于2023年政务公开工作要点落实情况的通报");
    expect(text).toContain("党政办公室");
    expect(text).toContain("请补充目录文件的发布日期截图。");
    const xlsx = await office.bulletins.download({ id: created.id, format: "xlsx" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.contentBase64, "base64") as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "各单位完成情况",
      "分类别完成情况",
      "逾期任务",
      "退回报告",
      "表扬与通报",
    ]);
    const units = wb.getWorksheet("各单位完成情况");
    const names: string[] = [];
    units?.eachRow((row, n) => {
      if (n > 2) names.push(String(row.getCell(1).value));
    });
    expect(names).toEqual(preview.byUnit.map((u) => u.unitName));
    const outsider = await callerAs(f.db, "baihe-office");
    expect((await outcome(outsider.bulletins.download({ id: created.id, format: "docx" }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("lets the office set its thresholds, and the due-soon light follows them", async () => {
    const office = await callerAs(f.db, "office");
    expect(await office.supervision.settings()).toMatchObject({ dueSoonWorkingDays: 5 });
    const bad = await outcome(
      office.supervision.saveSettings({
        dueSoonWorkingDays: -1,
        remindBeforeWorkingDays: 3,
        noticeReplyWorkingDays: 5,
      }),
    );
    expect(bad.message).toContain("「临期预警天数」");
    await office.supervision.saveSettings({
      dueSoonWorkingDays: 10,
      remindBeforeWorkingDays: 3,
      noticeReplyWorkingDays: 5,
    });
    expect(await office.supervision.settings()).toMatchObject({ dueSoonWorkingDays: 10 });
    // The demo plan already has reports filed per quarter: its cycle stays.
    const refused = await outcome(
      office.reports.setReportingCycle({ planId: f.ids.planId, reportingCycle: "month" }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(/已按「每季度」报送了 \d+ 份进度,报送周期不能再改/);
    expect((await office.plans.get({ id: f.ids.planId })).plan.reportingCycle).toBe("quarter");
    const unit = await callerAs(f.db, "dangzheng");
    expect((await unit.reports.form({ taskId: task("1") })).period.key).toBe("2023-Q3");
    // A plan nobody has reported on yet takes a monthly cycle, and its form asks for July.
    const plan = await office.plans.create({ year: 2023, title: "2023年月报试点", issuerUnitId: null });
    const monthly = await office.tasks.create({
      planId: plan.id,
      sectionId: null,
      code: "1",
      title: "每月更新政策文件库",
      content: "",
      category: "keyAreas",
      units: {
        lead: { unitIds: [f.ids.dangzheng], groupIds: [] },
        cooperating: { unitIds: [], groupIds: [] },
        responsible: { unitIds: [], groupIds: [] },
      },
      deadlines: [],
    });
    await office.reports.setReportingCycle({ planId: plan.id, reportingCycle: "month" });
    await office.plans.setStatus({ id: plan.id, status: "published" });
    expect((await unit.reports.form({ taskId: monthly.id })).period.key).toBe("2023-07");
  });

  it("marks notifications read for their owner only", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const list = await unit.notifications.list();
    expect(list.unread).toBeGreaterThan(0);
    const village = await callerAs(f.db, "qianming");
    expect(await village.notifications.markRead({ ids: list.items.map((i) => i.id) })).toBe(0);
    expect(await unit.notifications.markRead({ ids: list.items.map((i) => i.id) })).toBe(list.unread);
    expect((await unit.notifications.list()).unread).toBe(0);
  });

  it("shows a task's history one period at a time, with each unit's latest report and the period list", async () => {
    const unit = await callerAs(f.db, "dangzheng");
    const office = await callerAs(f.db, "office");
    // Task 10 holds the approved 2023-Q2 report of the review cycle; a Q3 report follows.
    const q3 = await unit.reports.save({
      taskId: task("10"),
      period: "2023-Q3",
      status: "done",
      percent: 100,
      summary: "第三季度已更新目录。",
      evidence: {
        links: [{ url: "https://www.shqp.gov.cn/xj/zdjc/2023-q3.html", title: "更新后的目录" }],
        fileIds: [],
      },
    });
    await unit.reports.submit({ reportId: q3.id, version: q3.version, submissionKey: "history-q3-0001" });

    const latest = await office.reports.taskHistory({ id: task("10") });
    expect(latest.period).toBe("2023-Q3");
    expect(latest.periods).toEqual([
      { period: "2023-Q3", reports: 1, submitted: 1 },
      { period: "2023-Q2", reports: 1, submitted: 0 },
    ]);
    expect(latest.reports.map((r) => [r.period, r.state])).toEqual([["2023-Q3", "submitted"]]);
    expect(latest.latest).toEqual([
      { id: q3.id, unitId: f.ids.dangzheng, period: "2023-Q3", state: "submitted", percent: 100 },
    ]);
    expect(latest.trail.map((t) => t.action)).not.toContain("report.approve");

    const q2 = await office.reports.taskHistory({ id: task("10"), period: "2023-Q2" });
    expect(q2.reports.map((r) => [r.period, r.state, r.revisions.length])).toEqual([
      ["2023-Q2", "approved", 2],
    ]);
    expect(q2.trail.map((t) => t.action)).toContain("report.approve");
    expect(q2.latest).toEqual(latest.latest);

    const none = await outcome(office.reports.taskHistory({ id: task("10"), period: "2023-Q1" }));
    expect(none.code).toBe("BAD_REQUEST");
    expect(none.message).toContain("没有进展报告");
    const bad = await outcome(office.reports.taskHistory({ id: task("10"), period: "2023-13" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toContain("报送周期格式应为");
  });
});
