import { createCaller } from "@gongkai/api";
import { createSession, getSessionUser } from "@gongkai/db";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlCapture } from "../src/capture.ts";
import { benchNow, benchYear, scales } from "../src/generate.ts";
import { type SeedReport, seedDatabase, selectRows } from "../src/load.ts";

/** The generator keeps working with the schema: the tiny scale loads, and a read of the suite runs on it. */
describe.each(testDbKinds())("bench seed (tiny) on %s", (kind) => {
  let database: TestDatabase;
  let report: SeedReport;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    report = await seedDatabase(database, { scale: scales.tiny });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("loads every generated row and moves the sequences past them", async () => {
    const [got] = await selectRows<{ units: number; reports: number; audit: number; reportSeq: number }>(
      database.db,
      sql`select (select count(*) from units)::int as units, (select count(*) from progress_reports)::int as reports,
                 (select count(*) from audit_log)::int as audit,
                 (select last_value from progress_reports_id_seq)::int as "reportSeq"`,
    );
    expect(got?.units).toBe(report.summary.rows.units);
    expect(got?.reports).toBe(report.summary.rows.progress_reports);
    // Publishing the evaluation adds audit rows of its own.
    expect(got?.audit).toBeGreaterThanOrEqual(report.summary.rows.audit_log ?? 0);
    expect(got?.reportSeq).toBeGreaterThanOrEqual(report.summary.rows.progress_reports ?? 0);
    expect(report.evaluationPublished).toBe(true);
  });

  it("answers a unit's task list through the API, and the same SQL replayed", async () => {
    const { db } = database;
    const [unitUser] = await db.query.users.findMany({
      where: (u, { eq }) => eq(u.username, "unit-4"),
    });
    expect(unitUser).toBeDefined();
    const { token } = await createSession(db, unitUser?.id ?? 0, benchNow);
    const user = await getSessionUser(db, token, benchNow);
    const ctx = {
      db,
      dbKind: database.kind,
      now: () => benchNow,
      user,
      sessionToken: token,
      cookies: { setSession: () => {}, clearSession: () => {} },
      clientIp: "127.0.0.1",
      userAgent: "vitest",
    };
    const tasks = await createCaller(ctx).tasks.mine({ year: benchYear });
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks[0]?.assignments.some((a) => a.unitId === 4)).toBe(true);

    const capture = new SqlCapture(database);
    const rounds = await capture.capture((handle) =>
      createCaller({ ...ctx, db: handle }).tasks.mine({ year: benchYear }),
    );
    // The whole list, its lead units and deadlines included, is one statement.
    expect(rounds.flat()).toHaveLength(1);
    expect(await capture.replay(rounds)).toBeGreaterThan(0);
  });
});
