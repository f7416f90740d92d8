import { bigint, boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { timestamps } from "./columns.ts";
import { roleEnum } from "./enums.ts";
import { units } from "./units.ts";

export const users = pgTable(
  "users",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    username: text().notNull().unique(),
    displayName: text().notNull(),
    /** argon2id, PHC string. */
    passwordHash: text().notNull(),
    role: roleEnum().notNull(),
    /** unit users: their unit; office users: the government whose work they run (their scope). */
    unitId: integer().references(() => units.id, { onDelete: "restrict" }),
    active: boolean().notNull().default(true),
    /** Set by an administrator's reset and for new accounts: the next sign-in must choose a password. */
    mustChangePassword: boolean().notNull().default(false),
    passwordChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** TOTP second factor (RFC 6238), base32; null when not enrolled. */
    totpSecret: text(),
    /** The last time step accepted, so a code cannot be used twice. */
    totpLastStep: bigint({ mode: "number" }),
    /** A demo account (loaded with the demo data; listed on the sign-in page). */
    demo: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [index("users_unit_idx").on(t.unitId)],
);

/** Server-side sessions; the cookie carries a random token, the table only its sha256. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Last request (kept to the minute): a session idle longer than the idle timeout ends. */
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed sign-ins per key (username, client address): repeated failures are slowed down. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  lockedUntil: timestamp({ withTimezone: true }),
  lastFailureAt: timestamp({ withTimezone: true }).notNull(),
});
