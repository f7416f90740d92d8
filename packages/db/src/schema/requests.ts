import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/**
 * One row per creating request that carried a key (a form's 提交, 确认导入, 发出督办…): a double
 * click, a retried request or a second tab with the same key gets the first request's result
 * instead of creating the thing twice. The key is inserted first in the request's transaction, so
 * a concurrent second request waits for the first to commit and then finds its result.
 */
export const requestKeys = pgTable(
  "request_keys",
  {
    key: text().primaryKey(),
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    /** The procedure that used the key (a key is never replayed for another). */
    kind: text().notNull(),
    /** What the request answered, as JSON (what the client received the first time). */
    result: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("request_keys_created_idx").on(t.createdAt)],
);
