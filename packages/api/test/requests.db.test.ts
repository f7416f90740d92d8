import { plans, requestKeys, supervisionNotices, users } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";

/**
 * No double actions (issue 15): a creating request sent twice with its key — a double click, a
 * retry after a lost answer — creates one thing and answers both with it; a key is not reusable by
 * another user or for another request. And one notice to many units at once, each its own.
 */
describe.each(testDbKinds())("request keys and bulk notices on %s", (kind) => {
  let f: Fixture;
  let task: (code: string) => number;
  beforeAll(async () => {
    f = await createFixture(kind);
    const office = await callerAs(f.db, "office");
    const detail = await office.plans.get({ id: f.ids.planId });
    task = (code) => detail.tasks.find((t) => t.code === code)?.id ?? 0;
  });
  afterAll(() => f?.database.drop());

  it("creates one notice for a double-clicked 下发, answering both clicks with it", async () => {
    const office = await callerAs(f.db, "office");
    const input = {
      taskId: task("17"),
      unitId: f.ids.dangzheng,
      level: "remind" as const,
      content: "请报送公文公开属性认定情况(双击测试)。",
      requestKey: `double-notice-${kind}`,
    };
    const [a, b] = await Promise.all([office.supervision.issue(input), office.supervision.issue(input)]);
    expect(b.id).toBe(a.id);
    const rows = await f.db
      .select()
      .from(supervisionNotices)
      .where(eq(supervisionNotices.content, input.content));
    expect(rows).toHaveLength(1);
    // Later, the same key again (a retry after a lost answer) still answers with the same notice.
    expect((await office.supervision.issue(input)).id).toBe(a.id);
  });

  it("creates one plan and one user for double submissions of their forms", async () => {
    const office = await callerAs(f.db, "office");
    const plan = {
      year: 2024,
      title: "双击测试工作要点",
      issuerUnitId: f.ids.gov,
      requestKey: `double-plan-${kind}`,
    };
    const [p1, p2] = await Promise.all([office.plans.create(plan), office.plans.create(plan)]);
    expect(p2.id).toBe(p1.id);
    expect(await f.db.select().from(plans).where(eq(plans.title, plan.title))).toHaveLength(1);

    const admin = await callerAs(f.db, "admin");
    const user = {
      username: "shuangji",
      displayName: "双击测试",
      role: "evaluator" as const,
      unitId: null,
      password: "Qiuye#Dengta-58",
      requestKey: `double-user-${kind}`,
    };
    const [u1, u2] = await Promise.all([admin.users.create(user), admin.users.create(user)]);
    expect(u2.id).toBe(u1.id);
    expect(await f.db.select().from(users).where(eq(users.username, "shuangji"))).toHaveLength(1);
  });

  it("refuses a key used by someone else or for another kind of request, creating nothing", async () => {
    const office = await callerAs(f.db, "office");
    const other = await callerAs(f.db, "baihe-office");
    const key = `shared-${kind}`;
    await office.plans.create({ year: 2024, title: "标识测试一", issuerUnitId: f.ids.gov, requestKey: key });
    const stolen = await outcome(
      other.plans.create({ year: 2024, title: "标识测试二", issuerUnitId: f.ids.otherGov, requestKey: key }),
    );
    expect(stolen.code).toBe("CONFLICT");
    expect(stolen.message).toContain("请刷新页面");
    const otherKind = await outcome(
      office.supervision.issue({
        taskId: task("17"),
        unitId: f.ids.dangzheng,
        level: "remind",
        content: "标识测试",
        requestKey: key,
      }),
    );
    expect(otherKind.code).toBe("CONFLICT");
    expect(await f.db.select().from(plans).where(eq(plans.title, "标识测试二"))).toEqual([]);
    expect(await f.db.select().from(requestKeys).where(eq(requestKeys.key, key))).toHaveLength(1);
  });

  it("sends one notice to many units, each its own and tracked separately", async () => {
    const office = await callerAs(f.db, "office");
    const detail = await office.plans.get({ id: f.ids.planId });
    // Every unit on task 18, however many: one notice each.
    const t18 = detail.tasks.find((t) => t.code === "18");
    const unitIds = [...new Set((t18?.assignments ?? []).map((a) => a.unitId))];
    expect(unitIds.length).toBeGreaterThanOrEqual(1);
    const issued = await office.supervision.issueMany({
      targets: unitIds.map((unitId) => ({ taskId: task("18"), unitId })),
      level: "supervise",
      content: "请于期限内报送保密审查制度落实情况(批量督办)。",
      requestKey: `bulk-${kind}`,
    });
    expect(issued.map((n) => n.unitId).sort()).toEqual([...unitIds].sort());
    expect(new Set(issued.map((n) => n.id)).size).toBe(unitIds.length);
    // Replying to one leaves the others open.
    const first = issued[0];
    if (!first) throw new Error("no notice");
    const unitUser = (await f.db.query.users.findFirst({ where: (u, { eq }) => eq(u.unitId, first.unitId) }))
      ?.username;
    if (unitUser) {
      const unit = await callerAs(f.db, unitUser);
      await unit.supervision.reply({ id: first.id, reply: "已落实。" });
      const listed = await office.supervision.list({});
      expect(listed.find((n) => n.id === first.id)?.state).toBe("replied");
      for (const n of issued.slice(1)) expect(listed.find((x) => x.id === n.id)?.state).toBe("open");
    }
  });

  it("issues none of a bulk notice when one of its units is not on the task", async () => {
    const office = await callerAs(f.db, "office");
    const content = "全有或全无测试。";
    const refused = await outcome(
      office.supervision.issueMany({
        targets: [
          { taskId: task("17"), unitId: f.ids.dangzheng },
          { taskId: task("17"), unitId: f.ids.qianming },
        ],
        level: "remind",
        content,
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("没有承担");
    expect(
      await f.db.select().from(supervisionNotices).where(eq(supervisionNotices.content, content)),
    ).toEqual([]);
  });
});
