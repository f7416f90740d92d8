import { index, integer, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { units } from "./units.ts";
import { users } from "./users.ts";

/** What an API token may do: read plans, tasks, lights and results, or also submit reports. */
export const apiTokenScopeEnum = pgEnum("api_token_scope", ["read", "write"]);

/**
 * Tokens an administrator issues to another system (a province's platform, a city's big screen,
 * an evaluator's tools) for the open REST API at /api/v1. A token acts for one government: it sees
 * what that government's office sees (`unitId` and the units under it). The token itself is shown
 * once, at issue; only its sha256 is kept. A revoked token stays listed, refused.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The system the token is for, as the administrator names it (省政务公开平台、大屏…). */
    name: text().notNull(),
    /** The token's first characters (gk_ and 8 more), to recognise it in lists and logs. */
    prefix: text().notNull(),
    tokenHash: text().notNull().unique(),
    /** The government it acts for: its office's scope. */
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    scope: apiTokenScopeEnum().notNull().default("read"),
    /** The administrator who issued it; what a token writes is done on their authority. */
    createdBy: integer()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    lastUsedIp: text(),
    /** The rate limit's current minute: when it began and the requests counted in it. */
    windowStart: timestamp({ withTimezone: true }),
    windowCount: integer().notNull().default(0),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: integer().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("api_tokens_unit_idx").on(t.unitId)],
);
