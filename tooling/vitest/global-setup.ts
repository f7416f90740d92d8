import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { env } from "./env.ts";

/**
 * Runs once per `vitest run`. When a PostgreSQL server answers on 127.0.0.1:5432 (or at
 * TEST_PG_ADMIN_URL), creates a template database for this run — migrated once by the first test
 * file that needs it — and drops every database of the run at the end. With CI set, an
 * unreachable server fails the run instead of skipping the PostgreSQL pass.
 */
const adminUrl = env.TEST_PG_ADMIN_URL;

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    pgRunPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const runPrefix = `gk_test_${process.pid}_${Date.now().toString(36)}`;
  let reachable = false;
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    reachable = true;
  } catch (e) {
    if (env.CI) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw new Error(`CI is set but PostgreSQL at ${adminUrl} is unreachable: ${(e as Error).message}`);
    }
    console.warn(`[tests] PostgreSQL at ${adminUrl} is unreachable: database tests run on PGlite only.`);
  }
  project.provide("pgAdminUrl", reachable ? adminUrl : null);
  project.provide("pgRunPrefix", runPrefix);

  return async () => {
    if (reachable) {
      const dbs = await sql<{ datname: string }[]>`
        select datname from pg_database where datname like ${`${runPrefix}%`}`;
      for (const { datname } of dbs) {
        await sql.unsafe(`drop database if exists "${datname}" with (force)`);
      }
    }
    await sql.end({ timeout: 2 });
  };
}
