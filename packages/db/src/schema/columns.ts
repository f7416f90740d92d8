import { integer, timestamp } from "drizzle-orm/pg-core";

/** Shared column groups. */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

/** Optimistic locking: every update checks and bumps it; a stale write is a CONFLICT. */
export const versioned = {
  version: integer().notNull().default(1),
};
