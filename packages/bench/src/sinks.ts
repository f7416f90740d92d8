/**
 * Where generated rows go, and how they reach the database:
 * - PostgreSQL: each table is written as COPY text to files (big tables in several parts), then
 *   streamed with `COPY … FROM STDIN` through postgres.js, layer by layer, parts in parallel;
 * - PGlite: rows are kept in memory and inserted with multi-row INSERTs in the same order;
 * - tests: rows are only counted and hashed.
 */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, mkdirSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import { identityTables, loadLayers, type Sink, type TableName, tables, type Value } from "./tables.ts";

// ------------------------------------------------------------------ COPY text format

const copySpecial = /[\\\t\n\r]/;
const copyEscapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One field in COPY's text format. */
export function copyField(v: Value): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "t" : "f";
  return copySpecial.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => copyEscapes[c] as string) : v;
}

/** One SQL literal, for multi-row INSERTs. */
export function sqlLiteral(v: Value): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return `'${v.replace(/'/g, "''")}'`;
}

/** Counts rows per table and hashes them (for determinism tests). */
export class CountingSink implements Sink {
  readonly counts = new Map<TableName, number>();
  private readonly hash = createHash("sha256");

  row(table: TableName, values: Value[]): void {
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
    this.hash.update(table);
    for (const v of values) this.hash.update(`\u0001${copyField(v)}`);
    this.hash.update("\n");
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}

type FilePart = { fd: number; path: string; buffer: string[]; bytes: number };

/** A part of the data that can be loaded once the parts before it are: COPY files, per table. */
export type Segment = { index: number; label: string; files: [TableName, string][] };

/**
 * Writes rows as COPY text files under `dir`, one file per table and segment; each `mark` closes
 * the segment's files and hands them over (the loader streams them while the generator goes on).
 */
export class SegmentedCopySink implements Sink {
  private readonly open = new Map<TableName, FilePart>();
  private index = 0;

  constructor(
    private readonly dir: string,
    private readonly onSegment: (segment: Segment) => void,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  row(table: TableName, values: Value[]): void {
    let part = this.open.get(table);
    if (!part) {
      const path = join(this.dir, `${String(this.index).padStart(3, "0")}-${table}.copy`);
      part = { fd: openSync(path, "w"), path, buffer: [], bytes: 0 };
      this.open.set(table, part);
    }
    let line = copyField(values[0] ?? null);
    for (let i = 1; i < values.length; i++) line += `\t${copyField(values[i] ?? null)}`;
    line += "\n";
    part.buffer.push(line);
    part.bytes += line.length;
    if (part.bytes > 1 << 20) this.flush(part);
  }

  private flush(part: FilePart) {
    if (part.buffer.length === 0) return;
    writeSync(part.fd, part.buffer.join(""));
    part.buffer = [];
    part.bytes = 0;
  }

  mark(label: string): void {
    if (this.open.size === 0) return;
    const files: [TableName, string][] = [];
    for (const [table, part] of this.open) {
      this.flush(part);
      closeSync(part.fd);
      files.push([table, part.path]);
    }
    this.open.clear();
    this.onSegment({ index: this.index++, label, files });
  }

  /** Hands over whatever was written since the last mark. */
  close(): void {
    this.mark("the rest");
  }
}

/** Keeps rows in memory, per table (PGlite, small scales). */
export class MemorySink implements Sink {
  readonly rows = new Map<TableName, Value[][]>();
  row(table: TableName, values: Value[]): void {
    let list = this.rows.get(table);
    if (!list) {
      list = [];
      this.rows.set(table, list);
    }
    list.push(values);
  }
}

// ------------------------------------------------------------------ loading

/** Seconds and bytes of one loaded segment. */
export type LoadTiming = { layer: number; tables: TableName[]; seconds: number; bytes: number };

/** Runs `jobs` with at most `limit` at a time, largest first. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One file through `COPY … FROM STDIN`. postgres.js 3.4.9 never settles the stream when the server
 * rejects the data after the last row was sent (porsager/postgres#1173: FK checks run at the end of
 * the statement), so a watchdog looks at the backend: idle while the stream still waits means the
 * COPY failed.
 */
async function copyFile(sql: Sql, table: TableName, path: string): Promise<void> {
  const columns = tables[table] as readonly string[];
  const reserved = await sql.reserve();
  let settled = false;
  try {
    const [me] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const writable = await reserved`copy ${sql(table)} (${sql(columns as string[])}) from stdin`.writable();
    const source = createReadStream(path, { highWaterMark: 1 << 20 });
    let sent = false;
    source.once("end", () => {
      sent = true;
    });
    const watchdog = (async () => {
      let idleChecks = 0;
      while (!settled) {
        await sleep(1000);
        if (!sent || settled) continue;
        const [row] = await sql<
          { state: string | null }[]
        >`select state from pg_stat_activity where pid = ${me?.pid ?? 0}`;
        idleChecks = row?.state?.startsWith("idle") ? idleChecks + 1 : 0;
        if (idleChecks >= 2 && !settled) {
          throw new Error(
            `COPY into ${table} failed on the server, which postgres.js does not report (porsager/postgres#1173). ` +
              `See the error with: psql "$DATABASE_URL" -c "\\copy ${table} (${columns.join(",")}) from '${path}'"`,
          );
        }
      }
    })();
    await Promise.race([pipeline(source, writable), watchdog]);
    settled = true;
    reserved.release();
  } catch (e) {
    settled = true;
    throw e;
  }
}

/**
 * Loads segments in the order they come, each table of a segment after the tables it references
 * (`loadLayers`), independent tables `parallel` at a time. Files are removed once loaded (kept when
 * a COPY fails, to look at).
 */
export class SegmentLoader {
  private chain: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  readonly timings: LoadTiming[] = [];

  constructor(
    private readonly sql: Sql,
    private readonly opts: { parallel: number; log: (line: string) => void },
  ) {}

  enqueue(segment: Segment): void {
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await this.load(segment);
      } catch (e) {
        this.failed = e;
      }
    });
  }

  private async load(segment: Segment) {
    const started = performance.now();
    const byTable = new Map(segment.files.map(([table, path]) => [table, path]));
    let bytes = 0;
    for (const layer of loadLayers) {
      const jobs = layer.flatMap((table) => {
        const path = byTable.get(table);
        return path ? [{ table, path, bytes: statSync(path).size }] : [];
      });
      jobs.sort((a, b) => b.bytes - a.bytes);
      bytes += jobs.reduce((sum, j) => sum + j.bytes, 0);
      await pool(
        jobs.filter((j) => j.bytes > 0).map((j) => () => copyFile(this.sql, j.table, j.path)),
        this.opts.parallel,
      );
    }
    for (const [, path] of segment.files) rmSync(path, { force: true });
    const seconds = (performance.now() - started) / 1000;
    this.timings.push({ layer: segment.index, tables: [...byTable.keys()], seconds, bytes });
    this.opts.log(
      `  segment ${segment.index} (${segment.label}): ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s`,
    );
  }

  /** Resolves when every segment handed over so far is loaded; rejects with the first failure. */
  async done(): Promise<LoadTiming[]> {
    await this.chain;
    if (this.failed) throw this.failed;
    return this.timings;
  }
}

/** Inserts the rows kept in memory into PGlite with multi-row INSERTs, in load order. */
export async function insertRows(pglite: PGlite, sink: MemorySink, batch = 500): Promise<void> {
  for (const layer of loadLayers) {
    for (const table of layer) {
      const rows = sink.rows.get(table) ?? [];
      const columns = (tables[table] as readonly string[]).map((c) => `"${c}"`).join(", ");
      const overriding = identityTables.includes(table) ? " overriding system value" : "";
      for (let i = 0; i < rows.length; i += batch) {
        const values = rows
          .slice(i, i + batch)
          .map((r) => `(${r.map(sqlLiteral).join(", ")})`)
          .join(",\n");
        await pglite.exec(`insert into "${table}" (${columns})${overriding} values ${values}`);
      }
    }
  }
}

/** Moves each identity sequence past the ids that were loaded. */
export function resetSequencesSql(): string {
  return identityTables
    .map(
      (t) =>
        `select setval(pg_get_serial_sequence('"${t}"', 'id'), coalesce((select max(id) from "${t}"), 0) + 1, false);`,
    )
    .join("\n");
}
