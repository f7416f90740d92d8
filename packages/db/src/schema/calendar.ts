import { date, pgEnum, pgTable, text } from "drizzle-orm/pg-core";

export const calendarDayKindEnum = pgEnum("calendar_day_kind", ["holiday", "workday"]);

/**
 * The working-day calendar: only the exceptions to "Monday–Friday work". A `holiday` is a weekday
 * off (春节, 国庆…); a `workday` is a weekend day worked (调休). Seeded from chinese-days; the office
 * adds the next year's schedule when the State Council publishes it.
 */
export const calendarDays = pgTable("calendar_days", {
  date: date({ mode: "string" }).primaryKey(),
  kind: calendarDayKindEnum().notNull(),
  name: text().notNull().default(""),
  source: text().notNull().default("office"),
});
