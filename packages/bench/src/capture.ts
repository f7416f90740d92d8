/**
 * The SQL a query function sends, captured once through a drizzle logger on the same driver, then
 * replayed through the raw driver (postgres.js or PGlite) without drizzle, tRPC or any JavaScript
 * work on the rows: `<name>/sql` is the database's share of `<name>`.
 */
import type { PGlite } from "@electric-sql/pglite";
import { type Database, type Db, schema } from "@gongkai/db";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { rawClient } from "./load.ts";

export type Statement = { text: string; params: unknown[] };
/** Statements sent in the same turn of the event loop (awaited together with Promise.all). */
export type Round = Statement[];

export class SqlCapture {
  /** A database handle on the same connection pool that records what it sends while capturing. */
  readonly db: Db;
  private recording: Round[] | null = null;
  private round: Round | null = null;
  private readonly raw: ReturnType<typeof rawClient>;

  constructor(database: Database) {
    this.raw = rawClient(database);
    const logger = {
      logQuery: (text: string, params: unknown[]) => {
        if (!this.recording) return;
        if (!this.round) {
          const round: Round = [];
          this.round = round;
          this.recording.push(round);
          // A statement that waits for an earlier one's result is sent in a later turn.
          setImmediate(() => {
            if (this.round === round) this.round = null;
          });
        }
        this.round.push({ text, params: [...params] });
      },
    };
    this.db = (this.raw.kind === "postgres"
      ? drizzlePostgres(this.raw.sql, { schema, casing: "snake_case", logger })
      : drizzlePglite(this.raw.pglite, { schema, casing: "snake_case", logger })) as unknown as Db;
  }

  /** The statements `fn` sends, in rounds (reads only: a transaction's BEGIN/COMMIT are not logged). */
  async capture(fn: (db: Db) => Promise<unknown>): Promise<Round[]> {
    this.recording = [];
    this.round = null;
    try {
      await fn(this.db);
      return this.recording;
    } finally {
      this.recording = null;
      this.round = null;
    }
  }

  /**
   * Sends the statements again as drizzle sent them (rows as arrays): round after round,
   * the statements of a round together, as the query function does.
   */
  async replay(rounds: Round[]): Promise<number> {
    let rows = 0;
    for (const round of rounds) {
      const counts = await Promise.all(round.map((s) => this.send(s)));
      rows += counts.reduce((a, b) => a + b, 0);
    }
    return rows;
  }

  private async send(s: Statement): Promise<number> {
    if (this.raw.kind === "postgres") {
      const sql: Sql = this.raw.sql;
      // Prepared as the application's client prepares them (postgres.js's default): a repeated
      // statement is parsed and planned once per connection, on both sides of the ratio.
      return (await sql.unsafe(s.text, s.params as never[], { prepare: true }).values()).length;
    }
    const pglite: PGlite = this.raw.pglite;
    return (await pglite.query(s.text, s.params as unknown[], { rowMode: "array" })).rows.length;
  }
}
