import { auditLog, tasks } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome } from "./harness.ts";

const none = { unitIds: [], groupIds: [] };
const units = (lead: number[] = [], responsibleGroups: number[] = []) => ({
  lead: { unitIds: lead, groupIds: [] },
  cooperating: none,
  responsible: { unitIds: [], groupIds: responsibleGroups },
});

describe.each(testDbKinds())("plans, sections and tasks on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("shows the office the demo plan with its 28 tasks, units by role and deadlines", async () => {
    const office = await callerAs(f.db, "office");
    const list = await office.plans.list({ year: 2023 });
    expect(list.map((p) => p.title)).toEqual(["关于徐泾镇2023年政务公开工作要点"]);
    expect(list[0]).toMatchObject({ docNumber: "徐府〔2023〕32号", status: "published", taskCount: 28 });
    const detail = await office.plans.get({ id: f.ids.planId });
    expect(detail.sections.map((s) => s.title)).toEqual([
      "提升政策公开服务能级",
      "多渠道深化政民互动和公众参与",
      "严对标夯实工作基础",
      "工作指导监督和保障",
    ]);
    const t10 = detail.tasks.find((t) => t.code === "10");
    expect(t10?.title).toBe("扎实推进重大行政决策事项目录管理");
    expect(t10?.deadlines.map((d) => [d.phrase, d.kind, d.dueDate])).toEqual([
      ["3月31日前", "by", "2023-03-31"],
    ]);
    expect(t10?.assignments.map((a) => [a.unitName, a.role])).toEqual([["党政办公室", "lead"]]);
    const t22 = detail.tasks.find((t) => t.code === "22");
    const villages = t22?.assignments.filter((a) => a.role === "responsible") ?? [];
    expect(villages).toHaveLength(14);
    expect(new Set(villages.map((a) => a.groupName))).toEqual(new Set(["各村(居)"]));
  });

  it("hides a plan from an office outside the issuer's scope (NOT_FOUND, not FORBIDDEN)", async () => {
    const other = await callerAs(f.db, "baihe-office");
    expect(await other.plans.list({})).toEqual([]);
    expect((await outcome(other.plans.get({ id: f.ids.planId }))).code).toBe("NOT_FOUND");
    expect((await outcome(other.plans.setStatus({ id: f.ids.planId, status: "archived" }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("saves a task without a lead as a draft, refuses to publish it, and publishes once a lead is set", async () => {
    const office = await callerAs(f.db, "office");
    const plan = await office.plans.create({
      year: 2026,
      title: "2026年政务公开工作要点",
      issuerUnitId: null,
    });
    expect(plan).toMatchObject({ status: "draft", issuerUnitId: f.ids.gov });
    const section = await office.plans.sections.create({ planId: plan.id, code: "一、", title: "重点任务" });
    const task = await office.tasks.create({
      planId: plan.id,
      sectionId: section.id,
      code: "1",
      title: "编制重大行政决策事项目录",
      content: "编制本年度重大行政决策事项目录,并于3月31日前向社会公开。",
      category: "decision",
      deadlines: [{ phrase: "3月31日前" }],
    });
    const refused = await outcome(office.plans.setStatus({ id: plan.id, status: "published" }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("编制重大行政决策事项目录");
    expect(refused.message).toContain("牵头单位");
    const unit = await callerAs(f.db, "dangzheng");
    expect((await unit.tasks.mine({ year: 2026 })).map((t) => t.id)).not.toContain(task.id);

    await office.tasks.update({
      id: task.id,
      version: task.version,
      sectionId: section.id,
      code: "1",
      title: task.title,
      content: task.content,
      category: "decision",
      units: units([f.ids.dangzheng]),
      deadlines: [{ phrase: "3月31日前" }],
    });
    const published = await office.plans.setStatus({ id: plan.id, status: "published" });
    expect(published.status).toBe("published");
    const mine = await unit.tasks.mine({ year: 2026 });
    expect(mine.find((t) => t.id === task.id)).toMatchObject({
      title: "编制重大行政决策事项目录",
      roles: ["lead"],
      deadlines: [{ phrase: "3月31日前", kind: "by", dueDate: "2026-03-31" }],
    });
  });

  it("expands a group picked as a whole: every village sees the task, other towns' units do not", async () => {
    const office = await callerAs(f.db, "office");
    const groups = await office.units.groups.list();
    const villages = groups.find((g) => g.name === "各村(居)");
    expect(villages?.memberIds).toHaveLength(14);
    const plan = await office.plans.create({ year: 2025, title: "2025年村务公开任务", issuerUnitId: null });
    const task = await office.tasks.create({
      planId: plan.id,
      sectionId: null,
      code: "1",
      title: "更新村务公开目录",
      content: "",
      category: "keyAreas",
      units: units([f.ids.dangzheng], [villages?.id ?? 0]),
      deadlines: [],
    });
    await office.plans.setStatus({ id: plan.id, status: "published" });
    const village = await callerAs(f.db, "qianming");
    const mine = await village.tasks.mine({ year: 2025 });
    expect(mine.map((t) => [t.title, t.roles])).toEqual([["更新村务公开目录", ["responsible"]]]);
    expect(await village.tasks.get({ id: task.id })).toMatchObject({
      title: "更新村务公开目录",
      roles: ["responsible"],
    });
    const outsider = await callerAs(f.db, "baihe-unit");
    expect(await outsider.tasks.mine({})).toEqual([]);
    expect((await outcome(outsider.tasks.get({ id: task.id }))).code).toBe("NOT_FOUND");
  });

  it("gives a unit named in its own right only that role, even when a picked group includes it", async () => {
    const office = await callerAs(f.db, "office");
    const villages = (await office.units.groups.list()).find((g) => g.name === "各村(居)");
    const plan = await office.plans.create({ year: 2026, title: "2026年村务公开任务", issuerUnitId: null });
    const task = await office.tasks.create({
      planId: plan.id,
      sectionId: null,
      code: "1",
      title: "村务公开示范点建设",
      content: "",
      category: "keyAreas",
      units: units([f.ids.qianming], [villages?.id ?? 0]),
      deadlines: [],
    });
    const [saved] = (await office.plans.get({ id: plan.id })).tasks;
    expect(saved?.id).toBe(task.id);
    const assignments = saved?.assignments ?? [];
    expect(assignments.filter((a) => a.unitId === f.ids.qianming).map((a) => a.role)).toEqual(["lead"]);
    expect(assignments.filter((a) => a.role === "responsible")).toHaveLength(13);
    await office.plans.setStatus({ id: plan.id, status: "published" });
    const village = await callerAs(f.db, "qianming");
    const mine = await village.tasks.mine({ year: 2026 });
    expect(mine.map((t) => [t.title, t.roles])).toEqual([["村务公开示范点建设", ["lead"]]]);
    // The list names the lead units only; the 13 responsible villages are on the task's own page.
    expect(mine[0]?.assignments.map((a) => [a.unitName, a.role])).toEqual([["前明村村民委员会", "lead"]]);
  });

  it("keeps draft plans from units", async () => {
    const office = await callerAs(f.db, "office");
    const plan = await office.plans.create({ year: 2024, title: "草稿", issuerUnitId: null });
    const task = await office.tasks.create({
      planId: plan.id,
      sectionId: null,
      code: "1",
      title: "草稿任务",
      content: "",
      category: null,
      units: units([f.ids.dangzheng]),
      deadlines: [],
    });
    const unit = await callerAs(f.db, "dangzheng");
    expect((await unit.tasks.mine({ year: 2024 })).length).toBe(0);
    expect((await outcome(unit.tasks.get({ id: task.id }))).code).toBe("NOT_FOUND");
  });

  it("refuses a stale save with CONFLICT naming who saved first, and keeps their change", async () => {
    const office = await callerAs(f.db, "office");
    const admin = await callerAs(f.db, "admin");
    const detail = await office.plans.get({ id: f.ids.planId });
    const t = detail.tasks.find((x) => x.code === "12");
    if (!t) throw new Error("task 12 missing");
    const body = {
      id: t.id,
      version: t.version,
      sectionId: t.sectionId,
      code: t.code,
      content: t.content,
      category: t.category,
      units: units([f.ids.dangzheng]),
      deadlines: [],
    };
    await admin.tasks.update({ ...body, title: "管理员先保存的标题" });
    const second = await outcome(office.tasks.update({ ...body, title: "办公室后保存的标题" }));
    expect(second.code).toBe("CONFLICT");
    expect(second.message).toContain("系统管理员");
    const [row] = await f.db.select().from(tasks).where(eq(tasks.id, t.id));
    expect(row?.title).toBe("管理员先保存的标题");
  });

  it("records every change in the audit log with before and after", async () => {
    const office = await callerAs(f.db, "office");
    const detail = await office.plans.get({ id: f.ids.planId });
    const t = detail.tasks.find((x) => x.code === "12");
    if (!t) throw new Error("task 12 missing");
    await office.tasks.update({
      id: t.id,
      version: t.version,
      sectionId: t.sectionId,
      code: t.code,
      title: t.title,
      content: t.content,
      category: "keyAreas",
      units: units([f.ids.dangzheng]),
      deadlines: [{ phrase: "年底前" }],
    });
    const [entry] = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "task"), eq(auditLog.entityId, String(t.id))))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry?.action).toBe("task.update");
    const before = entry?.before as { deadlines: unknown[] } | undefined;
    const after = entry?.after as { deadlines: { phrase: string; dueDate: string }[] } | undefined;
    expect(before?.deadlines).toEqual([]);
    expect(after?.deadlines[0]).toMatchObject({
      phrase: "年底前",
      dueDate: "2023-12-31",
    });
  });

  it("rejects bad input with a Chinese message naming the field, and changes nothing", async () => {
    const office = await callerAs(f.db, "office");
    const count = async () =>
      (
        await f.db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.planId, f.ids.planId))
      )[0]?.n;
    const before = await count();
    const r = await outcome(
      office.tasks.create({
        planId: f.ids.planId,
        sectionId: null,
        code: "29",
        title: "   ",
        content: "",
        category: null,
        deadlines: [],
      }),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toContain("「标题」");
    expect(isChinese(r.message)).toBe(true);
    const outside = await outcome(
      office.tasks.create({
        planId: f.ids.planId,
        sectionId: null,
        code: "29",
        title: "越权分派",
        content: "",
        category: null,
        units: units([f.ids.otherDept]),
        deadlines: [],
      }),
    );
    expect(outside.code).toBe("BAD_REQUEST");
    expect(outside.message).toContain("不在您的管理范围内");
    expect(await count()).toBe(before);
  });

  it("edits and deletes sections; deleting keeps the tasks", async () => {
    const office = await callerAs(f.db, "office");
    const plan = await office.plans.create({ year: 2027, title: "章节测试", issuerUnitId: null });
    const s = await office.plans.sections.create({ planId: plan.id, code: "一、", title: "旧标题" });
    await office.plans.sections.update({ id: s.id, code: "一、", title: "新标题" });
    const task = await office.tasks.create({
      planId: plan.id,
      sectionId: s.id,
      code: "1",
      title: "保留的任务",
      content: "",
      category: null,
      deadlines: [],
    });
    expect((await office.plans.get({ id: plan.id })).sections[0]?.title).toBe("新标题");
    await office.plans.sections.delete({ id: s.id });
    const after = await office.plans.get({ id: plan.id });
    expect(after.sections).toEqual([]);
    expect(after.tasks.map((t) => [t.id, t.sectionId])).toEqual([[task.id, null]]);
    expect((await outcome(office.plans.sections.delete({ id: s.id }))).code).toBe("NOT_FOUND");
  });

  it("deletes a draft plan but only archives a published one", async () => {
    const office = await callerAs(f.db, "office");
    const draft = await office.plans.create({ year: 2027, title: "待删除", issuerUnitId: null });
    await office.plans.delete({ id: draft.id });
    expect((await outcome(office.plans.get({ id: draft.id }))).code).toBe("NOT_FOUND");
    const refused = await outcome(office.plans.delete({ id: f.ids.planId }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("归档");
    const t = (await office.plans.get({ id: f.ids.planId })).tasks[0];
    expect((await outcome(office.tasks.delete({ id: t?.id ?? 0 }))).code).toBe("BAD_REQUEST");
  });

  it("updates plan information and refuses a stale version", async () => {
    const office = await callerAs(f.db, "office");
    const plan = await office.plans.create({ year: 2027, title: "原标题", issuerUnitId: null });
    const updated = await office.plans.update({
      id: plan.id,
      version: plan.version,
      year: 2027,
      title: "新标题",
      docNumber: "徐府〔2027〕1号",
      issuerUnitId: f.ids.gov,
      publishDate: "2027-02-01",
    });
    expect(updated).toMatchObject({
      title: "新标题",
      docNumber: "徐府〔2027〕1号",
      version: plan.version + 1,
    });
    const stale = await outcome(
      office.plans.update({
        id: plan.id,
        version: plan.version,
        year: 2027,
        title: "过期",
        issuerUnitId: null,
      }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(await office.plans.years()).toEqual(expect.arrayContaining([2027, 2023]));
  });

  it("reads a typed deadline phrase into a rule with a due date", async () => {
    const office = await callerAs(f.db, "office");
    const r = await office.tasks.parseDeadline({ phrase: "2023年6月底前", year: 2023 });
    expect(r).toMatchObject({ rule: { kind: "by" }, due: "2023-06-30" });
    const bad = await outcome(office.tasks.parseDeadline({ phrase: "", year: 2023 }));
    expect(bad.code).toBe("BAD_REQUEST");
  });
});
