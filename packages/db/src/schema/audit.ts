import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/**
 * Append-only: a trigger (migration 0001) refuses UPDATE and DELETE. One row per change, with the
 * entity as it was and as it became. Hash-chained (migrations 0012, 0014): within about a second of
 * its transaction's commit, each row takes the next `seq` and `hash` = sha256(the previous row's
 * hash and its own fields), so a changed or removed row breaks the chain (`pnpm audit:verify`).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: integer().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    regionCode: text(),
    /** Position in the hash chain, in the order rows were sealed (after their transaction
     * committed, by `audit_log_seal_pending`); null until then. */
    seq: bigint({ mode: "number" }),
    prevHash: text(),
    hash: text(),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entityType, t.entityId, t.at),
    index("audit_log_at_idx").on(t.at),
    uniqueIndex("audit_log_seq_idx").on(t.seq),
    // The rows waiting to be sealed: a few at any time, found without reading the log.
    index("audit_log_unsealed_idx").on(t.id).where(sql`${t.seq} is null`),
  ],
);
