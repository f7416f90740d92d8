import type { Role } from "@gongkai/core";
import { testDbKinds } from "@gongkai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, type Meta } from "../src/index.ts";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";
import * as domains from "./permissions/index.ts";

/**
 * Who may call what. Every procedure of the router must be listed in ./permissions/ (one file per
 * domain): a new procedure without a decision fails this test. Each is then called as every role; the roles not listed must be
 * refused by the middleware before anything else happens.
 */
const expected: Record<string, Meta["roles"]> = Object.assign({}, ...Object.values(domains));

const accounts: Record<Role | "anonymous", string | null> = {
  anonymous: null,
  admin: "admin",
  office: "office",
  unit: "dangzheng",
  evaluator: "evaluator",
};

type Procedures = Record<string, { _def: { meta?: Meta; type: "query" | "mutation" } }>;
const procedures = appRouter._def.procedures as unknown as Procedures;

function call(caller: object, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

it("every procedure has a permission decision, and its meta matches it", () => {
  const paths = Object.keys(procedures).sort();
  expect(paths).toEqual(Object.keys(expected).sort());
  for (const path of paths) expect(procedures[path]?._def.meta?.roles, path).toEqual(expected[path]);
});

describe.each(testDbKinds())("permissions on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  for (const [path, roles] of Object.entries(expected)) {
    it(`${path}: refused for roles without access, let through for the others`, async () => {
      for (const [role, username] of Object.entries(accounts)) {
        const caller = await callerAs(f.db, username);
        // `{}` is never a complete input: allowed callers get past the middleware to validation
        // (or a harmless read); refused callers never reach it.
        const { code } = await outcome(call(caller, path, path === "auth.signOut" ? undefined : {}));
        const allowed =
          roles === "public" ||
          (roles === "signedIn" && role !== "anonymous") ||
          (Array.isArray(roles) && (roles as readonly string[]).includes(role));
        if (allowed) expect(["UNAUTHORIZED", "FORBIDDEN"], `${path} as ${role}`).not.toContain(code);
        else expect(code, `${path} as ${role}`).toBe(role === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN");
      }
    });
  }
});

/**
 * Ordinary bad input never reaches the database as a 500: a NUL in any text (PostgreSQL stores
 * none) and ids past 2^31 (no row has one; the column is 32-bit) — sent to every procedure as a
 * caller it admits.
 */
describe.each(testDbKinds())("bad input to every procedure on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  const callerFor = (roles: Meta["roles"]) => {
    if (roles === "public") return null;
    if (roles === "signedIn") return "office";
    const role = (roles as readonly string[])[0] as Role;
    return accounts[role] ?? null;
  };
  const bigIds = Object.fromEntries(
    [
      "id",
      "planId",
      "taskId",
      "reportId",
      "unitId",
      "projectId",
      "schemeId",
      "sectionId",
      "noticeId",
      "fileId",
      "groupId",
      "userId",
      "appealId",
      "versionId",
    ].map((k) => [k, 2 ** 31]),
  );

  it("refuses a NUL anywhere in the input with BAD_REQUEST in Chinese, and ids past 2^31 without a 500", async () => {
    const problems: string[] = [];
    for (const [path, roles] of Object.entries(expected)) {
      if (path === "auth.signOut") continue;
      const caller = await callerAs(f.db, callerFor(roles));
      const nul = await outcome(
        call(caller, path, { username: "a\u0000b", title: "x\u0000", text: "\u0000", ...bigIds }),
      );
      if (nul.code !== "BAD_REQUEST" || !/NUL/.test(nul.message))
        problems.push(`${path} NUL → ${nul.code} ${nul.message}`);
      const big = await outcome(call(caller, path, bigIds));
      if (big.code === "INTERNAL_SERVER_ERROR") problems.push(`${path} id 2^31 → ${big.code} ${big.message}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
