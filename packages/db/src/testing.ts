/**
 * Test databases: PGlite in memory always, and a real PostgreSQL database per test file when the
 * run's global setup found a server (tooling/vitest/global-setup.ts). Each database is migrated
 * and dropped after; nothing here mocks the database.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { inject } from "vitest";
import { createDatabase, type Database, type Db, type DbKind } from "./client.ts";
import { systemActor } from "./queries/actor.ts";
import { createPlan, setPlanStatus } from "./queries/plans.ts";
import { createTask } from "./queries/tasks.ts";
import { createUnit, updateUnit } from "./queries/units.ts";
import { createUser } from "./queries/users.ts";
import { units } from "./schema/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    pgRunPrefix: string;
  }
}

export type TestDatabase = Database & { drop(): Promise<void> };

/** The database kinds this run tests against. */
export function testDbKinds(): DbKind[] {
  return inject("pgAdminUrl") ? ["pglite", "postgres"] : ["pglite"];
}

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = await createDatabase({});
    await database.migrate();
    return { ...database, drop: () => database.close() };
  }
  const adminUrl = inject("pgAdminUrl");
  if (!adminUrl) throw new Error("no PostgreSQL server for this run");
  const name = `${inject("pgRunPrefix")}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await createDatabase({ url: url.toString(), max: 4 });
  await database.migrate();
  return {
    ...database,
    drop: async () => {
      await database.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/**
 * A district above a town (the tests of issue 17): 青浦区人民政府 with its office account
 * `qingpu-office` (password Office@2026), the town moved under it, and the district's published
 * plan with the given tasks, each answered for by the town.
 */
export async function districtAboveTown(
  db: Db,
  townUnitId: number,
  plan: {
    year: number;
    title: string;
    docNumber?: string;
    tasks: readonly (readonly [string, string, string])[];
  },
) {
  const [town] = await db.select().from(units).where(eq(units.id, townUnitId));
  if (!town) throw new Error(`no unit ${townUnitId}`);
  const district = await createUnit(db, systemActor, {
    parentId: null,
    name: "青浦区人民政府",
    kind: "government",
  });
  await updateUnit(db, systemActor, town.id, { parentId: district.id, name: town.name, kind: town.kind });
  await createUser(db, systemActor, {
    username: "qingpu-office",
    password: "Office@2026",
    displayName: "青浦区政务公开办",
    role: "office",
    unitId: district.id,
  });
  const created = await createPlan(db, systemActor, {
    year: plan.year,
    title: plan.title,
    docNumber: plan.docNumber ?? null,
    issuerUnitId: district.id,
  });
  const none = { unitIds: [], groupIds: [] };
  const upperTaskIds = new Map<string, number>();
  for (const [code, title, content] of plan.tasks) {
    const t = await createTask(db, systemActor, created.id, {
      sectionId: null,
      code,
      title,
      content,
      category: null,
      units: { lead: none, cooperating: none, responsible: { unitIds: [town.id], groupIds: [] } },
      deadlines: [],
    });
    upperTaskIds.set(code, t.id);
  }
  await setPlanStatus(db, systemActor, created.id, "published");
  return { districtUnitId: district.id, planId: created.id, upperTaskIds };
}
