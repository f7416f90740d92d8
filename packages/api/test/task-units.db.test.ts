import { auditLog, taskAssignments, units } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";

/**
 * 批量设置单位 (issue 15): the office ticks tasks of a plan and sets their lead unit and/or adds or
 * replaces their cooperating units in one call, all or none, each task audited, once per key.
 */
describe.each(testDbKinds())("setting units on many tasks on %s", (kind) => {
  let f: Fixture;
  let unit: (name: string) => number;
  beforeAll(async () => {
    f = await createFixture(kind);
    const rows = await f.db.select({ id: units.id, name: units.name, path: units.path }).from(units);
    unit = (name) => {
      const u = rows.find((r) => r.name === name && r.id !== f.ids.otherDept);
      if (!u) throw new Error(`unit ${name} missing`);
      return u.id;
    };
  });
  afterAll(() => f?.database.drop());

  const taskOf = async (code: string) => {
    const office = await callerAs(f.db, "office");
    const t = (await office.plans.get({ id: f.ids.planId })).tasks.find((x) => x.code === code);
    if (!t) throw new Error(`task ${code} missing`);
    return t;
  };
  const rolesOf = async (taskId: number) =>
    (
      await f.db
        .select({ unitId: taskAssignments.unitId, role: taskAssignments.role })
        .from(taskAssignments)
        .where(eq(taskAssignments.taskId, taskId))
    )
      .map((a) => `${a.role}:${a.unitId}`)
      .sort();

  it("sets the lead and adds a cooperating unit on two tasks, auditing each", async () => {
    const [a, b] = [await taskOf("3"), await taskOf("4")];
    const yingshang = unit("营商环境办公室");
    const shequ = unit("社区管理办公室");
    const office = await callerAs(f.db, "office");
    const done = await office.tasks.setUnits({
      planId: f.ids.planId,
      tasks: [a, b].map((t) => ({ id: t.id, version: t.version })),
      lead: { unitIds: [yingshang], groupIds: [] },
      cooperating: { mode: "add", units: { unitIds: [shequ], groupIds: [] } },
      requestKey: `set-units-${kind}-1`,
    });
    expect(done.taskIds).toEqual([a.id, b.id]);
    for (const t of [a, b]) {
      const roles = await rolesOf(t.id);
      // The new lead replaces the old ones; 社区管理办公室 is added; responsible units stay.
      expect(roles.filter((r) => r.startsWith("lead:"))).toEqual([`lead:${yingshang}`]);
      expect(roles).toContain(`cooperating:${shequ}`);
      const oldCooperating = t.assignments.filter((x) => x.role === "cooperating" && x.unitId !== yingshang);
      for (const c of oldCooperating) expect(roles).toContain(`cooperating:${c.unitId}`);
      const responsible = t.assignments.filter((x) => x.role === "responsible");
      expect(roles.filter((r) => r.startsWith("responsible:"))).toHaveLength(responsible.length);
      const audit = await f.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, "task"), eq(auditLog.entityId, String(t.id))));
      expect(audit.filter((x) => x.action === "task.units")).toHaveLength(1);
    }
    const after = await taskOf("3");
    expect(after.version).toBe(a.version + 1);
    expect(after.assignments.find((x) => x.role === "lead")?.unitName).toBe("营商环境办公室");
  });

  it("replaces the cooperating units without touching the lead", async () => {
    const t = await taskOf("5");
    const chengyun = unit("城市运行管理中心");
    const office = await callerAs(f.db, "office");
    await office.tasks.setUnits({
      planId: f.ids.planId,
      tasks: [{ id: t.id, version: t.version }],
      cooperating: { mode: "replace", units: { unitIds: [chengyun], groupIds: [] } },
    });
    const roles = await rolesOf(t.id);
    expect(roles.filter((r) => r.startsWith("cooperating:"))).toEqual([`cooperating:${chengyun}`]);
    expect(roles.filter((r) => r.startsWith("lead:"))).toEqual(
      t.assignments
        .filter((x) => x.role === "lead")
        .map((x) => `lead:${x.unitId}`)
        .sort(),
    );
  });

  it("changes nothing when one task id is bad, naming it in Chinese", async () => {
    const [a, b] = [await taskOf("6"), await taskOf("7")];
    const before = [await rolesOf(a.id), await rolesOf(b.id)];
    const office = await callerAs(f.db, "office");
    const lead = { unitIds: [unit("社区事务受理服务中心")], groupIds: [] };
    const missing = await outcome(
      office.tasks.setUnits({
        planId: f.ids.planId,
        tasks: [
          { id: a.id, version: a.version },
          { id: 999_999, version: 1 },
          { id: b.id, version: b.version },
        ],
        lead,
      }),
    );
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toContain("ID 999999");
    expect(missing.message).toContain("没有修改任何任务");
    // A task edited since the list was shown: refused, naming its code and title.
    const stale = await outcome(
      office.tasks.setUnits({
        planId: f.ids.planId,
        tasks: [
          { id: a.id, version: a.version },
          { id: b.id, version: b.version - 1 || 99 },
        ],
        lead,
      }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toContain(`任务 7「${b.title}」`);
    expect([await rolesOf(a.id), await rolesOf(b.id)]).toEqual(before);
    expect((await taskOf("6")).version).toBe(a.version);
    const audit = await f.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "task.units"), inArray(auditLog.entityId, [String(a.id), String(b.id)])),
      );
    expect(audit).toEqual([]);

    // Nor may another town's office, a unit, or a call with nothing to set.
    const other = await callerAs(f.db, "baihe-office");
    const outside = await outcome(
      other.tasks.setUnits({ planId: f.ids.planId, tasks: [{ id: a.id, version: a.version }], lead }),
    );
    expect(outside.code).toBe("NOT_FOUND");
    const nothing = await outcome(
      office.tasks.setUnits({ planId: f.ids.planId, tasks: [{ id: a.id, version: a.version }] }),
    );
    expect(nothing.code).toBe("BAD_REQUEST");
    expect(nothing.message).toContain("请选择牵头单位或配合单位");
    expect([await rolesOf(a.id), await rolesOf(b.id)]).toEqual(before);
  });

  it("sets once for the same request key sent twice, answering both alike", async () => {
    const t = await taskOf("8");
    const office = await callerAs(f.db, "office");
    const input = {
      planId: f.ids.planId,
      tasks: [{ id: t.id, version: t.version }],
      cooperating: { mode: "add" as const, units: { unitIds: [unit("前明村村民委员会")], groupIds: [] } },
      requestKey: `set-units-${kind}-twice`,
    };
    const first = await office.tasks.setUnits(input);
    expect(await office.tasks.setUnits(input)).toEqual(first);
    expect((await taskOf("8")).version).toBe(t.version + 1);
  });
});
