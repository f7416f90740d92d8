/**
 * Loading a generated scale into a migrated database: COPY on PostgreSQL, multi-row INSERTs on
 * PGlite; then sequences, statistics, and the evaluation's published ranking.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import {
  type Database,
  hashPassword,
  keepUnitScores,
  loadCalendar,
  projectAccess,
  publishEvaluationResults,
  schema,
  schemeUnits,
  seedCalendar,
  systemActor,
} from "@gongkai/db";
import { sql as dsql, type SQL } from "drizzle-orm";
import type { Sql } from "postgres";
import { benchNow, benchPassword, type GeneratedSummary, generate, type Scale } from "./generate.ts";
import type { ChildParams } from "./generate-child.ts";
import {
  insertRows,
  type LoadTiming,
  MemorySink,
  resetSequencesSql,
  type Segment,
  SegmentedCopySink,
  SegmentLoader,
} from "./sinks.ts";
import { tableNames } from "./tables.ts";

export type SeedOptions = {
  scale: Scale;
  seed?: number;
  /** Where the COPY files go (PostgreSQL); removed after loading. */
  copyDir?: string;
  /** COPY streams at a time. */
  parallel?: number;
  /** PostgreSQL: generate in this process (tests) or in a child process, alongside the load (CLI). */
  generateIn?: "inline" | "child";
  log?: (line: string) => void;
};

export type SeedReport = {
  summary: GeneratedSummary;
  seconds: Record<"calendar" | "generate" | "load" | "finish" | "keep" | "publish" | "total", number>;
  layers: LoadTiming[];
  evaluationPublished: boolean;
};

/** The raw driver under a database: postgres.js or PGlite. */
export function rawClient(
  database: Database,
): { kind: "postgres"; sql: Sql } | { kind: "pglite"; pglite: PGlite } {
  const client = (database.db as unknown as { $client: unknown }).$client;
  return database.kind === "postgres"
    ? { kind: "postgres", sql: client as Sql }
    : { kind: "pglite", pglite: (database.pglite ?? client) as PGlite };
}

/** Rows of a raw statement, whichever driver runs it (postgres.js gives an array, PGlite `{ rows }`). */
export async function selectRows<T>(db: Database["db"], query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** The working-day calendar's exceptions, for a generator in another process. */
async function calendarRows(database: Database) {
  return selectRows<{ date: string; kind: "holiday" | "workday" }>(
    database.db,
    dsql`select to_char(date, 'YYYY-MM-DD') as date, kind from calendar_days order by date`,
  );
}

/** Runs the generator in a child process; `onSegment` gets each segment as its files close. */
function generateInChild(
  params: ChildParams,
  onSegment: (segment: Segment) => void,
): Promise<GeneratedSummary> {
  mkdirSync(params.dir, { recursive: true });
  const file = join(params.dir, "params.json");
  writeFileSync(file, JSON.stringify(params));
  const script = fileURLToPath(new URL("./generate-child.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, file], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let summary: GeneratedSummary | null = null;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const message = JSON.parse(line) as
        | { type: "segment"; segment: Segment }
        | { type: "done"; summary: GeneratedSummary };
      if (message.type === "segment") onSegment(message.segment);
      else summary = message.summary;
    });
    child.once("error", reject);
    child.once("close", (code) =>
      summary
        ? resolve(summary)
        : reject(new Error(`the generator process exited (${code}) before finishing`)),
    );
  });
}

/** Units already in the database (the generator needs an empty one). */
export async function countUnits(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: dsql<number>`count(*)::int` }).from(schema.units);
  return row?.n ?? 0;
}

/** Loads the scale into an empty, migrated database. */
export async function seedDatabase(database: Database, opts: SeedOptions): Promise<SeedReport> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const lap = (() => {
    let last = t0;
    return () => {
      const now = performance.now();
      const s = (now - last) / 1000;
      last = now;
      return s;
    };
  })();
  const { db } = database;
  await seedCalendar(db);
  if ((await countUnits(database)) > 0) {
    throw new Error(
      "the database already holds units: seed into an empty database (--fresh drops and recreates it)",
    );
  }
  const passwordHash = await hashPassword(benchPassword);
  const calendar = await loadCalendar(db);
  const calendarSeconds = lap();

  const raw = rawClient(database);
  let summary: GeneratedSummary;
  let layers: LoadTiming[] = [];
  let generateSeconds: number;
  if (raw.kind === "postgres") {
    // Segments are streamed with COPY as soon as they are written; the generator runs on (in a child
    // process of its own with `generateIn: "child"`, so both cores work).
    const dir = opts.copyDir ?? join(tmpdir(), `gongkai-bench-copy-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    const loader = new SegmentLoader(raw.sql, { parallel: opts.parallel ?? 2, log });
    const generated = performance.now();
    let generatedSeconds = 0;
    if (opts.generateIn === "child") {
      summary = await generateInChild(
        {
          scale: opts.scale.name,
          dir,
          passwordHash,
          calendar: await calendarRows(database),
          ...(opts.seed ? { seed: opts.seed } : {}),
        },
        (segment) => loader.enqueue(segment),
      );
    } else {
      const sink = new SegmentedCopySink(dir, (segment) => loader.enqueue(segment));
      summary = generate(opts.scale, sink, {
        passwordHash,
        calendar,
        ...(opts.seed ? { seed: opts.seed } : {}),
      });
      sink.close();
    }
    generatedSeconds = (performance.now() - generated) / 1000;
    log(
      `generated ${Object.values(summary.rows)
        .reduce((sum, n) => sum + (n ?? 0), 0)
        .toLocaleString("en")} rows in ${generatedSeconds.toFixed(1)} s (loading alongside)`,
    );
    layers = await loader.done();
    rmSync(dir, { recursive: true, force: true });
    generateSeconds = generatedSeconds;
  } else {
    const sink = new MemorySink();
    summary = generate(opts.scale, sink, {
      passwordHash,
      calendar,
      ...(opts.seed ? { seed: opts.seed } : {}),
    });
    generateSeconds = lap();
    await insertRows(raw.pglite, sink);
  }
  const loadSeconds = lap();
  log(`loaded in ${loadSeconds.toFixed(1)} s (generation included on PostgreSQL)`);

  // Sequences past the loaded ids; statistics (and, on PostgreSQL, the visibility map) up to date.
  if (raw.kind === "postgres") {
    await raw.sql.unsafe(resetSequencesSql());
    await raw.sql.unsafe(`vacuum (analyze) ${tableNames.map((t) => `"${t}"`).join(", ")}`);
  } else {
    await raw.pglite.exec(resetSequencesSql());
    await raw.pglite.exec("analyze");
  }
  const finishSeconds = lap();
  log(`sequences, vacuum and analyze in ${finishSeconds.toFixed(1)} s`);

  // The assessment's units' scores, kept as the office's last change of a value would keep them.
  const [scheme] = await db
    .select()
    .from(schema.assessmentSchemes)
    .where(dsql`${schema.assessmentSchemes.id} = ${summary.assessmentSchemeId}`);
  if (scheme) await keepUnitScores(db, scheme, await schemeUnits(db, scheme));
  if (raw.kind === "postgres") await raw.sql.unsafe("analyze assessment_unit_scores");
  else await raw.pglite.exec("analyze assessment_unit_scores");
  const keepSeconds = lap();
  log(`assessment scores kept in ${keepSeconds.toFixed(1)} s`);

  // The public ranking page needs a published version: publish it the way the lead would.
  let evaluationPublished = false;
  try {
    const project = await projectAccess(db, systemActor, summary.evaluationProjectId);
    await publishEvaluationResults(db, systemActor, project, null, benchNow);
    evaluationPublished = true;
  } catch (e) {
    log(
      `warning: the evaluation could not be published (${(e as Error).message}); the public page bench will be skipped`,
    );
  }
  const publishSeconds = lap();
  if (evaluationPublished) log(`evaluation results published in ${publishSeconds.toFixed(1)} s`);
  return {
    summary,
    seconds: {
      calendar: calendarSeconds,
      generate: generateSeconds,
      load: loadSeconds,
      finish: finishSeconds,
      keep: keepSeconds,
      publish: publishSeconds,
      total: (performance.now() - t0) / 1000,
    },
    layers,
    evaluationPublished,
  };
}
