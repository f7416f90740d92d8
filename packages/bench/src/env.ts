/**
 * The bench's environment, parsed once with zod. Nothing else in the package reads process.env.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/** Unset and empty mean the same: the default. */
const optional = <T extends z.ZodTypeAny>(t: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), t.optional());
const positive = (fallback: number) =>
  z.preprocess((v) => (v === "" || v === undefined ? fallback : v), z.coerce.number().positive());

const schema = z.object({
  /** PostgreSQL to load into and benchmark; unset: PGlite. */
  DATABASE_URL: optional(z.string().url()),
  /** PGlite data directory (tiny: in memory when unset; county: $TMPDIR/gongkai-bench-pglite). */
  BENCH_PGLITE_DIR: optional(z.string()),
  /** Scratch directory for the COPY files of a PostgreSQL load (removed afterwards). */
  BENCH_COPY_DIR: optional(z.string()),
  /** SQL run after the migrations, before loading: to try an index before writing its migration. */
  BENCH_PRE_LOAD_SQL: optional(z.string()),
  /** Seconds of each autocannon run. */
  BENCH_HTTP_SECONDS: positive(10),
  /** Concurrent connections of each autocannon run. */
  BENCH_HTTP_CONNECTIONS: positive(16),
  /** Only run benchmarks whose name contains this. */
  BENCH_ONLY: optional(z.string()),
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  throw new Error(
    `bench environment: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
  );
}

export const env = {
  ...parsed.data,
  defaultPgliteDir: join(tmpdir(), "gongkai-bench-pglite"),
  BENCH_COPY_DIR: parsed.data.BENCH_COPY_DIR ?? join(tmpdir(), "gongkai-bench-copy"),
};
