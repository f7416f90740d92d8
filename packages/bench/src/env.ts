/**
 * The bench's environment, parsed once. Nothing else in the package reads process.env.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";

const source = process.env;
const number = (name: string, fallback: number) => {
  const v = source[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${v}`);
  return n;
};

export const env = {
  /** PostgreSQL to load into and benchmark; unset: PGlite. */
  DATABASE_URL: source.DATABASE_URL || undefined,
  /** PGlite data directory (tiny: in memory when unset; county: this default). */
  BENCH_PGLITE_DIR: source.BENCH_PGLITE_DIR || undefined,
  defaultPgliteDir: join(tmpdir(), "gongkai-bench-pglite"),
  /** Scratch directory for the COPY files of a PostgreSQL load (removed afterwards). */
  BENCH_COPY_DIR: source.BENCH_COPY_DIR || join(tmpdir(), "gongkai-bench-copy"),
  /** SQL run after the migrations, before loading: to try an index before writing its migration. */
  BENCH_PRE_LOAD_SQL: source.BENCH_PRE_LOAD_SQL || undefined,
  /** Seconds of each autocannon run. */
  BENCH_HTTP_SECONDS: number("BENCH_HTTP_SECONDS", 10),
  /** Concurrent connections of each autocannon run. */
  BENCH_HTTP_CONNECTIONS: number("BENCH_HTTP_CONNECTIONS", 16),
  /** Only run benchmarks whose name contains this. */
  BENCH_ONLY: source.BENCH_ONLY || undefined,
};
