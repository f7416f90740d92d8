import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
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

export type Database = {
  db: Db;
  kind: DbKind;
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
    return {
      db: db as unknown as Db,
      kind: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const pglite = new PGlite({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  await pglite.waitReady;
  const db = drizzlePglite(pglite, { schema, casing: "snake_case" });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => pglite.close(),
    pglite,
  };
}

/** A round trip to the database (health checks). */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
