/**
 * The database `pnpm bench` runs against: PostgreSQL at DATABASE_URL, else the PGlite directory a
 * county or tiny seed left (BENCH_PGLITE_DIR). Null, with the reason, when nothing is loaded.
 */
import { existsSync } from "node:fs";
import { createDatabase, type Database } from "@gongkai/db";
import { env } from "./env.ts";
import { countUnits } from "./load.ts";

export type Target = { database: Database; where: string; url: string | null };

export async function openTarget(): Promise<Target | { missing: string }> {
  if (env.DATABASE_URL) {
    let database: Database | undefined;
    try {
      database = await createDatabase({ url: env.DATABASE_URL, max: 10 });
      const n = await countUnits(database);
      if (n === 0) {
        await database.close();
        return { missing: `the database at DATABASE_URL holds no units` };
      }
    } catch (e) {
      await database?.close().catch(() => {});
      return { missing: `the database at DATABASE_URL cannot be read (${(e as Error).message})` };
    }
    // Data loaded by an earlier version gets the tables added since (e.g. light_days).
    await database.migrate();
    const u = new URL(env.DATABASE_URL);
    return { database, where: `PostgreSQL ${u.host}${u.pathname}`, url: env.DATABASE_URL };
  }
  const dir = env.BENCH_PGLITE_DIR ?? env.defaultPgliteDir;
  if (!existsSync(dir)) return { missing: `DATABASE_URL is unset and there is no PGlite data in ${dir}` };
  const database = await createDatabase({ dataDir: dir });
  try {
    if ((await countUnits(database)) === 0) {
      await database.close();
      return { missing: `the PGlite data in ${dir} holds no units` };
    }
  } catch (e) {
    await database.close().catch(() => {});
    return { missing: `the PGlite data in ${dir} cannot be read (${(e as Error).message})` };
  }
  await database.migrate();
  return { database, where: `PGlite ${dir}`, url: null };
}
