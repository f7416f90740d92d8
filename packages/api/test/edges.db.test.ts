import { testDbKinds } from "@gongkai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, isChinese, outcome } from "./harness.ts";

/** The error cases of foundation procedures not covered by the flow tests: each rejects in Chinese and changes nothing. */
describe.each(testDbKinds())("foundation error cases on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("refuses out-of-range years and limits", async () => {
    const office = await callerAs(f.db, "office");
    const admin = await callerAs(f.db, "admin");
    const unit = await callerAs(f.db, "dangzheng");
    for (const r of [
      await outcome(office.plans.list({ year: 1999 })),
      await outcome(office.calendar.list({ year: 3000 })),
      await outcome(unit.tasks.mine({ year: 20230 })),
      await outcome(admin.audit.list({ limit: 0 })),
    ]) {
      expect(r.code).toBe("BAD_REQUEST");
      expect(isChinese(r.message)).toBe(true);
    }
  });

  it("refuses a plan without a title and a section of another town's plan", async () => {
    const office = await callerAs(f.db, "office");
    const noTitle = await outcome(office.plans.create({ year: 2026, title: "", issuerUnitId: null }));
    expect(noTitle.message).toContain("「标题」");
    const other = await callerAs(f.db, "baihe-office");
    expect(
      (await outcome(other.plans.sections.create({ planId: f.ids.planId, code: "六、", title: "越权" })))
        .code,
    ).toBe("NOT_FOUND");
    expect((await outcome(office.plans.sections.update({ id: 999_999, code: "", title: "无" }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (await outcome(office.plans.update({ id: 999_999, year: 2026, title: "无", issuerUnitId: null }))).code,
    ).toBe("NOT_FOUND");
  });

  it("deletes a task of a draft plan, and refuses a task of a plan out of scope", async () => {
    const office = await callerAs(f.db, "office");
    const plan = await office.plans.create({ year: 2026, title: "草稿", issuerUnitId: null });
    const task = await office.tasks.create({
      planId: plan.id,
      sectionId: null,
      code: "1",
      title: "将被删除",
      content: "",
      category: null,
    });
    await office.tasks.delete({ id: task.id });
    expect((await office.plans.get({ id: plan.id })).tasks).toEqual([]);
    const other = await callerAs(f.db, "baihe-office");
    const t = (await office.plans.get({ id: f.ids.planId })).tasks[0];
    expect((await outcome(other.tasks.delete({ id: t?.id ?? 0 }))).code).toBe("NOT_FOUND");
    expect(
      (
        await outcome(
          other.tasks.update({
            id: t?.id ?? 0,
            version: t?.version ?? 1,
            sectionId: null,
            code: "1",
            title: "越权修改",
            content: "",
            category: null,
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await outcome(
          office.tasks.create({
            planId: plan.id,
            sectionId: 999_999,
            code: "1",
            title: "x",
            content: "",
            category: null,
          }),
        )
      ).message,
    ).toContain("章节");
  });

  it("refuses group edits with units out of scope, and deleting a group that does not exist", async () => {
    const office = await callerAs(f.db, "office");
    const g = (await office.units.groups.list())[0];
    if (!g) throw new Error("no group");
    const r = await outcome(
      office.units.groups.update({ ...g, memberIds: [...g.memberIds, f.ids.otherDept] }),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toContain("不在您的管理范围内");
    expect((await office.units.groups.list()).find((x) => x.id === g.id)?.memberIds).toEqual(g.memberIds);
    expect((await outcome(office.units.groups.delete({ id: 999_999 }))).code).toBe("NOT_FOUND");
    const other = await callerAs(f.db, "baihe-office");
    expect((await outcome(other.units.groups.delete({ id: g.id }))).code).toBe("NOT_FOUND");
  });

  it("refuses a unit with an invalid region code or no parent for an office user", async () => {
    const office = await callerAs(f.db, "office");
    const badCode = await outcome(
      office.units.create({
        parentId: f.ids.gov,
        name: "错码单位",
        kind: "department",
        regionCode: "12AB",
        aliases: [],
      }),
    );
    expect(badCode.message).toContain("行政区划代码");
    const noParent = await outcome(
      office.units.create({ parentId: null, name: "顶级单位", kind: "government", aliases: [] }),
    );
    expect(noParent.message).toContain("上级单位");
  });
});
