/**
 * `pnpm bench:seed --scale province|county|tiny [--fresh] [--seed N]`
 *
 * Loads the synthetic data into the PostgreSQL database at DATABASE_URL (created when missing;
 * `--fresh` drops it first, only when its name contains "bench"), or into PGlite when DATABASE_URL
 * is unset (tiny and county only: BENCH_PGLITE_DIR, in memory for tiny without it). Migrations run
 * first. Prints the time each step took and the rows of each table.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { createDatabase, type Database, postgresClient } from "@gongkai/db";
import { env } from "./env.ts";
import { type ScaleName, scaleNames, scales } from "./generate.ts";
import { rawClient, seedDatabase } from "./load.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "tiny" },
    fresh: { type: "boolean", default: false },
    seed: { type: "string" },
  },
});
const scaleName = values.scale as ScaleName;
if (!scaleNames.includes(scaleName)) {
  console.error(`unknown scale "${values.scale}": use one of ${scaleNames.join(", ")}`);
  process.exit(2);
}
const scale = scales[scaleName];
const log = (line: string) => console.error(line);
const started = performance.now();

/** Creates the database when missing; with --fresh drops it first (bench databases only). */
async function prepareServerDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgresClient(admin.toString(), { max: 1 });
  try {
    if (values.fresh) {
      if (!name.includes("bench"))
        throw new Error(`--fresh drops the database: refusing for "${name}" (its name must contain "bench")`);
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      log(`dropped database ${name}`);
    }
    const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await sql.unsafe(`create database "${name}"`);
      log(`created database ${name}`);
    }
  } finally {
    await sql.end();
  }
}

let database: Database;
if (env.DATABASE_URL) {
  await prepareServerDatabase(env.DATABASE_URL);
  database = await createDatabase({ url: env.DATABASE_URL, max: 8 });
} else {
  if (scaleName === "province") {
    console.error("the province scale needs PostgreSQL: set DATABASE_URL (PGlite takes tiny and county)");
    process.exit(2);
  }
  const dir = env.BENCH_PGLITE_DIR ?? (scaleName === "tiny" ? undefined : env.defaultPgliteDir);
  if (dir && values.fresh && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  database = await createDatabase(dir ? { dataDir: dir } : {});
  log(`PGlite ${dir ?? "in memory"}`);
}

try {
  const migrateStarted = performance.now();
  await database.migrate();
  if (env.BENCH_PRE_LOAD_SQL) {
    const text = readFileSync(env.BENCH_PRE_LOAD_SQL, "utf8");
    const raw = rawClient(database);
    if (raw.kind === "postgres") await raw.sql.unsafe(text);
    else await raw.pglite.exec(text);
    log(`ran ${env.BENCH_PRE_LOAD_SQL}`);
  }
  log(`migrations in ${((performance.now() - migrateStarted) / 1000).toFixed(1)} s`);
  const report = await seedDatabase(database, {
    scale,
    copyDir: env.BENCH_COPY_DIR,
    generateIn: "child",
    log,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  });
  const total = (performance.now() - started) / 1000;
  log(`\n${scaleName}: loaded in ${total.toFixed(1)} s (${database.kind})`);
  for (const [table, n] of Object.entries(report.summary.rows))
    log(`  ${table.padEnd(26)} ${n?.toLocaleString("en")}`);
  log(`  units by kind: ${JSON.stringify(report.summary.unitsByLevel)}`);
  console.log(
    JSON.stringify({
      name: `seed/${scaleName}`,
      kind: database.kind,
      seconds: Math.round(total * 10) / 10,
      steps: Object.fromEntries(Object.entries(report.seconds).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      rows: report.summary.rows,
    }),
  );
} finally {
  await database.close();
}
