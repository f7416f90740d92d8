import { bigint, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/**
 * An uploaded file (evidence, screenshots). The bytes live in the file store under `storageKey`
 * (derived from the sha256, never from the uploaded name); the name is kept for downloads only.
 */
export const storedFiles = pgTable(
  "stored_files",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    sha256: text().notNull(),
    sizeBytes: bigint({ mode: "number" }).notNull(),
    /** The type read from the bytes (application/pdf, image/png…), not from the name. */
    mimeType: text().notNull(),
    fileName: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: integer().references(() => users.id, { onDelete: "set null" }),
    /** The unit on whose behalf it was uploaded (download permission). */
    unitId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stored_files_sha_idx").on(t.sha256)],
);
