/**
 * Test databases: PGlite in memory always, and a real PostgreSQL database per test file when the
 * run's global setup found a server (tooling/vitest/global-setup.ts). Each database is migrated
 * and dropped after; nothing here mocks the database.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDatabase, type Database, type DbKind } from "./client.ts";

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
