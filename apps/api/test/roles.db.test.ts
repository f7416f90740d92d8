import { randomBytes } from "node:crypto";
import { createDatabase, type Database, verifyAuditChain } from "@gongkai/db";
import { auditLog } from "@gongkai/db/schema";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { parseEnv } from "../src/env.ts";
import { prepareDatabase } from "../src/server.ts";

/**
 * Least privilege on PostgreSQL (issue 16, item 6): the application's role may only work with rows.
 * The attacks that worked as the application's user — switching the audit log's triggers off and
 * deleting from it, rewriting it, creating or dropping tables — are refused; the application itself
 * (the whole demo written through its role) works. Roles are per cluster, so each run makes its
 * own and drops them.
 */
const adminUrl = inject("pgAdminUrl");

describe.runIf(adminUrl)("the application's database role on postgres", () => {
  const tag = randomBytes(3).toString("hex");
  const ownerRole = `gk_owner_${tag}`;
  const appRole = `gk_app_${tag}`;
  const dbName = `${inject("pgRunPrefix")}_roles_${tag}`;
  const urlAs = (user: string) => {
    const url = new URL(adminUrl ?? "");
    url.username = user;
    url.password = "";
    url.pathname = `/${dbName}`;
    return url.toString();
  };
  let app: Database;
  let printed: string[] = [];

  beforeAll(async () => {
    const admin = postgres(adminUrl ?? "", { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role ${ownerRole} login`);
    await admin.unsafe(`create role ${appRole} login`);
    await admin.unsafe(`create database "${dbName}" owner ${ownerRole}`);
    await admin.end();
    app = await createDatabase({ url: urlAs(appRole), max: 2 });
    // As the server starts: migrations as the owner, then the demo written as the application.
    const env = parseEnv({
      DATABASE_URL: urlAs(appRole),
      MIGRATION_DATABASE_URL: urlAs(ownerRole),
      SEED_DEMO: "true",
    });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await prepareDatabase(app, env);
    } finally {
      printed = log.mock.calls.map((c) => String(c[0]));
      log.mockRestore();
    }
  }, 180_000);

  it("a first start says what it is loading, step by step, and when the demo is in", () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const demoYear = Number(today.slice(0, 4)) - (today.slice(5) < "03-01" ? 1 : 0);
    expect(printed[0]).toBe("首次启动:正在载入演示数据……");
    expect(printed).toEqual(
      expect.arrayContaining([
        "  · 单位目录和演示账号",
        // The demo lives in this year (in January and February, the year just ended).
        `  · ${demoYear} 年工作要点和任务分工`,
        "  · 一年的进展报告、审核和督办",
        "  · 第三方评估项目和排名",
      ]),
    );
    expect(printed.at(-1)).toMatch(/^演示数据已载入\(\d+ 秒\)。$/);
  });

  afterAll(async () => {
    await app?.close();
    const admin = postgres(adminUrl ?? "", { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.unsafe(`drop role if exists ${appRole}`);
    await admin.unsafe(`drop role if exists ${ownerRole}`);
    await admin.end();
  });

  it("runs the application through the restricted role: the demo is written and its audit chain verifies", async () => {
    const [users] = (await app.db.execute(sql`select count(*)::int as n from users`)) as unknown as {
      n: number;
    }[];
    expect(users?.n).toBeGreaterThan(5);
    const report = await verifyAuditChain(app.db);
    expect(report.rows).toBeGreaterThan(10);
    expect(report.problems).toEqual([]);
    // The tables belong to the owner, not to the role the application connects as.
    const owned = (await app.db.execute(
      sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner = current_user`,
    )) as unknown as { n: number }[];
    expect(owned[0]?.n).toBe(0);
  });

  it.each([
    ["switching the audit log's triggers off", "alter table audit_log disable trigger all"],
    ["deleting from the audit log", "delete from audit_log"],
    ["rewriting the audit log", "update audit_log set action = 'x'"],
    ["emptying the audit log", "truncate audit_log"],
    ["creating a table", "create table stolen (x text)"],
    ["dropping a table", "drop table users"],
    ["adding a column", "alter table users add column x text"],
    [
      "replacing the chain's function",
      "create or replace function audit_log_seal_pending(integer, boolean) returns integer language plpgsql as $$ begin return 0; end $$",
    ],
  ])("refuses %s", async (_, statement) => {
    const error = await app.db.execute(sql.raw(statement)).then(
      () => null,
      (e: unknown) => (e as { cause?: { code?: string; message?: string } }).cause,
    );
    // 42501 insufficient_privilege: "permission denied" or "must be owner".
    expect(error?.code, error?.message).toBe("42501");
  });

  it("still appends to the audit log, and the rows it appends join the chain", async () => {
    const before = await verifyAuditChain(app.db);
    await app.db.insert(auditLog).values({ action: "test.append", entityType: "test", entityId: "1" });
    const after = await verifyAuditChain(app.db);
    expect(after.problems).toEqual([]);
    expect(after.rows).toBe(before.rows + 1);
  });
});
