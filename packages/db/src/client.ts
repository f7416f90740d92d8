import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { DomainError } from "@gongkai/core";
import { type ExtractTablesWithRelations, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** A database or a transaction: every query function takes this, so tests and transactions pass their own. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbKind = "pglite" | "postgres";

export type DatabaseOptions =
  /** A real PostgreSQL server. */
  | { url: string; max?: number }
  /** Embedded PGlite: a folder that keeps the data, or nothing for in-memory. */
  | { dataDir?: string; loadDataDir?: Blob };

/**
 * Whether the database is reachable, as the API last found it. When a request fails because the
 * connection broke, the API marks it down and probes it on a connection of its own every 250 ms;
 * meanwhile requests are answered 503 at once instead of queueing behind the outage (postgres.js
 * holds queued queries until a connection comes back), and the first probe that succeeds lets them
 * through again.
 */
export type Availability = { readonly available: boolean; failed(): void };

export type Database = {
  db: Db;
  kind: DbKind;
  availability: Availability;
  /** Apply the checked-in migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The PGlite instance, when embedded (to dump it in tests). */
  pglite?: PGlite;
};

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/**
 * libpq's way of naming a Unix socket, `postgres://user@localhost/db?host=/var/run/postgresql`, for
 * postgres.js (which takes the socket's path apart from the URL). On one machine the socket skips
 * the loopback TCP stack: the province bench's HTTP submissions went from ~420/s to ~575/s (BENCHMARKS.md).
 */
export function unixSocket(url: string): { url: string; path: string | null } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get("host");
  if (!host?.startsWith("/")) return { url, path: null };
  parsed.searchParams.delete("host");
  if (!parsed.hostname) parsed.hostname = "localhost";
  return { url: parsed.toString(), path: `${host.replace(/\/$/, "")}/.s.PGSQL.${parsed.port || "5432"}` };
}

/** A postgres.js client for a URL, through the Unix socket when the URL names one (`?host=/dir`). */
export function postgresClient(url: string, options: { max: number }) {
  const socket = unixSocket(url);
  return postgres(socket.url, {
    max: options.max,
    onnotice: () => {},
    // A server that is down answers at once (connection refused); one that does not answer at all
    // (a network partition, a host gone) holds a request for 5 s, not postgres.js's default 30.
    connect_timeout: 5,
    // Between attempts to reconnect after the server went away: postgres.js's default grows to
    // 20 s (its count of failures is shared by the pool), which left requests queued for that long
    // after the database was back. Capped at 1 s, the API answers within a second or two of it.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
    ...(socket.path ? { path: socket.path } : {}),
  });
}

/**
 * The client drizzle is given: every statement prepared. drizzle sends a query it was not asked to
 * `.prepare(name)` with `prepare: false`, and postgres.js then describes such a statement before
 * binding it, every time: two round trips and a parse and plan on the server for each query with
 * parameters. Prepared, postgres.js describes a statement once per connection and keeps it by its
 * text; the texts come from our code (lists of ids go as one array parameter, `anyInt`), so there
 * are boundedly many. Transactions get their own client from postgres.js and keep drizzle's choice.
 */
function preparingEveryStatement(client: postgres.Sql): postgres.Sql {
  const unsafe: postgres.Sql["unsafe"] = (query, parameters, queryOptions) =>
    client.unsafe(query, parameters, { ...queryOptions, prepare: true });
  return new Proxy(client, {
    get: (target, key, receiver) => (key === "unsafe" ? unsafe : Reflect.get(target, key, receiver)),
  });
}

/** The one client factory: PostgreSQL (postgres.js) when given a URL, otherwise embedded PGlite. */
export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  if ("url" in opts) {
    const client = postgresClient(opts.url, { max: opts.max ?? 10 });
    const db = drizzlePostgres(preparingEveryStatement(client), { schema, casing: "snake_case" });
    const probe = postgresClient(opts.url, { max: 1 });
    const availability = watchAvailability(async () => {
      await probe`select 1`;
    });
    return {
      db: db as unknown as Db,
      kind: "postgres",
      availability,
      migrate: () => migratePostgres(db, { migrationsFolder }),
      close: async () => {
        availability.stop();
        await Promise.all([client.end({ timeout: 5 }), probe.end({ timeout: 1 })]);
      },
    };
  }
  const release = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  const pglite = new PGlite({
    // The trigram indexes of the global search (migration 0015 creates the extension).
    extensions: { pg_trgm },
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  await pglite.waitReady;
  const db = drizzlePglite(pglite, { schema, casing: "snake_case" });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    // In this process: it cannot go away on its own.
    availability: { available: true, failed: () => {} },
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: async () => {
      await pglite.close();
      release();
    },
    pglite,
  };
}

/**
 * One process per PGlite data folder: PGlite does not stop a second process opening the same
 * folder, and two writers lose each other's writes. A lock file beside the data holds the owner's
 * pid; a second start refuses with a message saying what to do; a lock left by a process that is no
 * longer running (a crash, kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = `${dataDir.replace(/\/$/, "")}.lock`;
  const take = () => {
    const fd = openSync(path, "wx");
    writeSync(fd, `${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`);
    closeSync(fd);
  };
  try {
    take();
  } catch (e) {
    if ((e as { code?: string }).code !== "EEXIST") throw e;
    const [pid, host] = readFileSync(path, "utf8").split("\n");
    const owner = Number(pid);
    if (host === hostname() && Number.isInteger(owner) && isRunning(owner)) {
      throw new DomainError(
        "CONFLICT",
        `数据目录 ${dataDir} 正由另一个进程(pid ${owner})使用:嵌入式数据库只能由一个进程读写。请先停止那个进程,或为这个进程设置另一个 DATA_DIR;需要多个进程时请改用 PostgreSQL(设置 DATABASE_URL)。`,
      );
    }
    rmSync(path, { force: true });
    take();
  }
  return () => rmSync(path, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

function watchAvailability(probe: () => Promise<void>, intervalMs = 250): Availability & { stop(): void } {
  let down = false;
  let stopped = false;
  const loop = async () => {
    while (down && !stopped) {
      try {
        await probe();
        down = false;
      } catch {
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    }
  };
  return {
    get available() {
      return !down;
    },
    failed() {
      if (down || stopped) return;
      down = true;
      void loop();
    },
    stop() {
      stopped = true;
    },
  };
}

/**
 * A round trip to the database (health checks), given up after `timeoutMs`: a health check must
 * answer "down" promptly, not wait in the pool's queue behind the requests the outage stalled.
 */
export async function ping(db: Db, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("ping timed out"), { code: "CONNECT_TIMEOUT" })),
      timeoutMs,
    );
  });
  try {
    await Promise.race([db.execute(sql`select 1`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** postgres.js's own codes for a connection that broke, and PostgreSQL's for a server going away. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, recovering)
  "08000",
  "08001",
  "08003",
  "08006",
]);

/**
 * Did this fail because the database went away (a restart, a crash, the network), rather than
 * because of the statement? Such a failure says nothing about the request: a read can be tried
 * again, and so can a write that carries its own idempotency key.
 */
export function isConnectionError(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
