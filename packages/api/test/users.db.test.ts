import { sessions } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";

describe.each(testDbKinds())("users on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("lets the admin create a unit account whose owner chooses a password at first sign-in, then sees its tasks", async () => {
    const admin = await callerAs(f.db, "admin");
    const user = await admin.users.create({
      username: "jingji",
      displayName: "经发办联络员",
      role: "unit",
      unitId: f.ids.dangzheng,
      password: "Jingfa#Lianluo-7",
    });
    expect(user).not.toHaveProperty("passwordHash");
    expect((await admin.users.list()).map((u) => u.username)).toContain("jingji");
    const anon = await callerAs(f.db, null);
    const signedIn = await anon.auth.signIn({ username: "jingji", password: "Jingfa#Lianluo-7" });
    expect(signedIn?.passwordChange).toBe("required");
    // Until the password is changed nothing else answers.
    const first = await callerAs(f.db, "jingji");
    const blocked = await outcome(first.tasks.mine({ year: 2023 }));
    expect(blocked.code).toBe("FORBIDDEN");
    expect(blocked.message).toContain("请先修改密码");
    const changed = await first.auth.changePassword({
      currentPassword: "Jingfa#Lianluo-7",
      newPassword: "Qiuyu-Dengta-58",
    });
    expect(changed?.passwordChange ?? null).toBeNull();
    const unit = await callerAs(f.db, "jingji");
    expect((await unit.tasks.mine({ year: 2023 })).length).toBeGreaterThan(20);
  });

  it("refuses a weak password, a duplicate username and a unit account without a unit", async () => {
    const admin = await callerAs(f.db, "admin");
    const weak = await outcome(
      admin.users.create({
        username: "weak",
        displayName: "弱",
        role: "office",
        unitId: f.ids.gov,
        password: "12345678",
      }),
    );
    expect(weak.code).toBe("BAD_REQUEST");
    expect(weak.message).toContain("「密码」");
    // Long enough, three classes, and still one of the first a guesser tries.
    const guessable = await outcome(
      admin.users.create({
        username: "guess",
        displayName: "易猜",
        role: "office",
        unitId: f.ids.gov,
        password: "Admin@123456",
      }),
    );
    expect(guessable.code).toBe("BAD_REQUEST");
    expect(guessable.message).toContain("容易被猜到");
    expect((await admin.users.list()).map((u) => u.username)).not.toContain("guess");
    const dup = await outcome(
      admin.users.create({
        username: "office",
        displayName: "重",
        role: "office",
        unitId: f.ids.gov,
        password: "Hb7#qL2v!xP9",
      }),
    );
    expect(dup.code).toBe("CONFLICT");
    const noUnit = await outcome(
      admin.users.create({
        username: "nounit",
        displayName: "无",
        role: "unit",
        unitId: null,
        password: "Hb7#qL2v!xP9",
      }),
    );
    expect(noUnit.code).toBe("BAD_REQUEST");
    expect(noUnit.message).toContain("所属单位");
  });

  it("resetting a password ends the user's sessions; an admin cannot demote themself", async () => {
    const admin = await callerAs(f.db, "admin");
    await callerAs(f.db, "qianming");
    const target = (await admin.users.list()).find((u) => u.username === "qianming");
    if (!target) throw new Error("qianming missing");
    expect((await f.db.select().from(sessions).where(eq(sessions.userId, target.id))).length).toBeGreaterThan(
      0,
    );
    await admin.users.update({
      id: target.id,
      username: "qianming",
      displayName: target.displayName,
      role: "unit",
      unitId: target.unitId,
      password: "Chongzhi#Mima-41",
    });
    expect(await f.db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual([]);
    // A password someone else set is a reset: its owner changes it at the next sign-in.
    const anon = await callerAs(f.db, null);
    const back = await anon.auth.signIn({ username: "qianming", password: "Chongzhi#Mima-41" });
    expect(back?.passwordChange).toBe("required");
    const me = (await admin.users.list()).find((u) => u.username === "admin");
    const self = await outcome(
      admin.users.update({
        id: me?.id ?? 0,
        username: "admin",
        displayName: "x",
        role: "office",
        unitId: f.ids.gov,
      }),
    );
    expect(self.code).toBe("BAD_REQUEST");
  });

  it("shows the admin the audit log and the office the working-day calendar", async () => {
    const admin = await callerAs(f.db, "admin");
    const audit = await admin.audit.list({ limit: 5 });
    expect(audit).toHaveLength(5);
    const office = await callerAs(f.db, "office");
    const days = await office.calendar.list({ year: 2023 });
    expect(days.find((d) => d.date === "2023-10-07")).toMatchObject({ kind: "workday" });
    expect(days.find((d) => d.date === "2023-10-02")).toMatchObject({ kind: "holiday" });
  });
});
