import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamps } from "./columns.ts";
import { unitKindEnum } from "./enums.ts";

/**
 * The unit directory: a tree (province → city → county → town → village, departments under each
 * government). `path` is the materialised path of ids ("/1/5/23/") so a subtree is one indexed
 * prefix scan; `regionCode` is the 行政区划代码 of the region the unit belongs to, the key large
 * tables would be distributed by.
 */
export const units = pgTable(
  "units",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer().references((): AnyPgColumn => units.id, { onDelete: "restrict" }),
    path: text().notNull().default(""),
    name: text().notNull(),
    shortName: text(),
    kind: unitKindEnum().notNull(),
    regionCode: text(),
    aliases: text().array().notNull().default(sql`'{}'::text[]`),
    sortOrder: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("units_parent_name_uq").on(sql`coalesce(${t.parentId}, 0)`, t.name),
    index("units_path_idx").on(t.path.op("text_pattern_ops")),
    index("units_name_idx").on(t.name),
    // The global search and the unit pickers' server side: `ILIKE '%…%'` on the name (pg_trgm).
    index("units_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
  ],
);

/** A named set of units that documents use instead of listing them (各村(社区), 镇直各单位). */
export const unitGroups = pgTable(
  "unit_groups",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The government whose group this is (徐泾镇人民政府 owns 各村(居)). */
    ownerUnitId: integer().references(() => units.id, { onDelete: "restrict" }),
    name: text().notNull(),
    aliases: text().array().notNull().default(sql`'{}'::text[]`),
    ...timestamps,
  },
  (t) => [uniqueIndex("unit_groups_owner_name_uq").on(sql`coalesce(${t.ownerUnitId}, 0)`, t.name)],
);

export const unitGroupMembers = pgTable(
  "unit_group_members",
  {
    groupId: integer()
      .notNull()
      .references(() => unitGroups.id, { onDelete: "cascade" }),
    unitId: integer()
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.unitId] }), index("unit_group_members_unit_idx").on(t.unitId)],
);
