import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };
import type { Db } from "../client.ts";
import { calendarDays } from "../schema/index.ts";

type ChineseDaysData = { holidays: Record<string, string>; workdays: Record<string, string> };

/** Chinese name of a chinese-days entry ("National Day,国庆节,3" → 国庆节). */
const nameOf = (v: string) => v.split(",")[1] ?? v;

/**
 * Seeds the calendar table from the chinese-days package (State Council schedules it carries).
 * Rows the office entered itself win: existing dates are left alone.
 */
export async function seedCalendar(db: Db): Promise<number> {
  const data = chineseDays as ChineseDaysData;
  const rows = [
    ...Object.entries(data.holidays).map(([date, v]) => ({
      date,
      kind: "holiday" as const,
      name: nameOf(v),
      source: "chinese-days",
    })),
    ...Object.entries(data.workdays).map(([date, v]) => ({
      date,
      kind: "workday" as const,
      name: `${nameOf(v)}调休`,
      source: "chinese-days",
    })),
  ];
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const res = await db
      .insert(calendarDays)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing()
      .returning({ date: calendarDays.date });
    inserted += res.length;
  }
  return inserted;
}
