import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  createDatabase,
  currentRole,
  type Database,
  grantAppRole,
  seedCalendar,
  seedDemoIfEmpty,
} from "@gongkai/db";
import type { Env } from "./env.ts";

/** The database the environment names: PostgreSQL at DATABASE_URL, else PGlite in DATA_DIR/pglite. */
export async function openDatabase(env: Env): Promise<Database> {
  if (env.DATABASE_URL) return createDatabase({ url: env.DATABASE_URL });
  const dataDir = join(env.DATA_DIR, "pglite");
  await mkdir(dataDir, { recursive: true });
  return createDatabase({ dataDir });
}

/**
 * Migrations, the working-day calendar, and (on an empty embedded database) the demo. With
 * MIGRATION_DATABASE_URL the migrations run as that (owner) role, which then grants the
 * application's role (DATABASE_URL's) rows only — see `grantAppRole` and docs/security.md.
 */
export async function prepareDatabase(database: Database, env: Env): Promise<{ demoLoaded: boolean }> {
  if (env.MIGRATION_DATABASE_URL && database.kind === "postgres") {
    const owner = await createDatabase({ url: env.MIGRATION_DATABASE_URL, max: 1 });
    try {
      await owner.migrate();
      const app = await currentRole(database.db);
      if (app !== (await currentRole(owner.db))) await grantAppRole(owner.db, app);
    } finally {
      await owner.close();
    }
  } else {
    await database.migrate();
  }
  await seedCalendar(database.db);
  const wantDemo = env.SEED_DEMO ? env.SEED_DEMO === "true" : database.kind === "pglite";
  if (!wantDemo) return { demoLoaded: false };
  // A first start loads the demo for tens of seconds: say what it is doing, step by step.
  let started = 0;
  const demoLoaded = await seedDemoIfEmpty(database.db, (step) => {
    if (started === 0) {
      started = Date.now();
      console.log("首次启动:正在载入演示数据……");
    }
    console.log(`  · ${step}`);
  });
  if (demoLoaded) console.log(`演示数据已载入(${((Date.now() - started) / 1000).toFixed(0)} 秒)。`);
  return { demoLoaded };
}
