/**
 * Integration-test harness: a real database (PGlite, and PostgreSQL when the run has one) with the
 * demo directory, accounts and plan, plus a second town outside the demo office's scope; callers
 * signed in as each demo account through real sessions.
 */

import type { DbKind } from "@gongkai/db";
import {
  createSession,
  createUnit,
  createUser,
  type Db,
  getSessionUser,
  seedDemo,
  systemActor,
} from "@gongkai/db";
import { createTestDatabase, type TestDatabase } from "@gongkai/db/testing";
import { TRPCError } from "@trpc/server";
import { type Context, createCaller } from "../src/index.ts";

export const fixedNow = new Date("2023-07-01T02:00:00Z");

export type Fixture = {
  database: TestDatabase;
  db: Db;
  ids: {
    gov: number;
    dangzheng: number;
    qianming: number;
    otherGov: number;
    otherDept: number;
    planId: number;
  };
};

export async function createFixture(kind: DbKind): Promise<Fixture> {
  const database = await createTestDatabase(kind);
  const { db } = database;
  await seedDemo(db, { activity: false });
  const unitsByName = new Map((await db.query.units.findMany()).map((u) => [u.name, u.id]));
  const id = (name: string) => {
    const v = unitsByName.get(name);
    if (v === undefined) throw new Error(`fixture unit ${name} missing`);
    return v;
  };
  // A second town with its own office, outside 徐泾镇's scope.
  const otherGov = await createUnit(db, systemActor, {
    parentId: null,
    name: "白鹤镇人民政府",
    kind: "town",
  });
  const otherDept = await createUnit(db, systemActor, {
    parentId: otherGov.id,
    name: "党政办公室",
    kind: "department",
  });
  await createUser(db, systemActor, {
    username: "baihe-office",
    password: "Office@2026",
    displayName: "白鹤镇政务公开办",
    role: "office",
    unitId: otherGov.id,
  });
  await createUser(db, systemActor, {
    username: "baihe-unit",
    password: "Unit@2026",
    displayName: "白鹤镇党政办",
    role: "unit",
    unitId: otherDept.id,
  });
  const plan = await db.query.plans.findFirst();
  if (!plan) throw new Error("demo plan missing");
  return {
    database,
    db,
    ids: {
      gov: id("徐泾镇人民政府"),
      dangzheng: id("党政办公室"),
      qianming: id("前明村村民委员会"),
      otherGov: otherGov.id,
      otherDept: otherDept.id,
      planId: plan.id,
    },
  };
}

export type TestCaller = ReturnType<typeof createCaller>;

/** A caller as `username` (signed in through a real session), or anonymous. */
export async function callerAs(
  db: Db,
  username: string | null,
  now = fixedNow,
  clientIp = "127.0.0.1",
): Promise<TestCaller> {
  return (await callerWithCookies(db, username, now, clientIp)).caller;
}

/** The ids of a plan's tasks by their code, as the office sees the plan (throws on an unknown code). */
export async function taskIdsByCode(db: Db, planId: number): Promise<(code: string) => number> {
  const detail = await (await callerAs(db, "office")).plans.get({ id: planId });
  return (code) => {
    const t = detail.tasks.find((x) => x.code === code);
    if (!t) throw new Error(`task ${code} missing`);
    return t.id;
  };
}

/** A caller and the cookies its calls set ("set:<token>" or "clear"). */
export async function callerWithCookies(
  db: Db,
  username: string | null,
  now = fixedNow,
  clientIp = "127.0.0.1",
) {
  let user = null;
  let token: string | null = null;
  if (username) {
    const row = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, username) });
    if (!row) throw new Error(`no user ${username}`);
    token = (await createSession(db, row.id, now)).token;
    user = await getSessionUser(db, token, now);
  }
  const cookies: string[] = [];
  const ctx: Context = {
    db,
    dbKind: "pglite",
    now: () => now,
    user,
    sessionToken: token,
    cookies: {
      setSession: (t) => cookies.push(`set:${t}`),
      clearSession: () => cookies.push("clear"),
    },
    clientIp,
    userAgent: "vitest",
  };
  return { caller: createCaller(ctx), cookies };
}

/** The tRPC error code a call failed with (and its message), or "OK". */
export async function outcome(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: "OK", message: "" };
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
}

/** Chinese characters in a message (rejections must be in Chinese). */
export const isChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);
