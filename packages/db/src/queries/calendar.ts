import { WorkingCalendar } from "@gongkai/core";
import { and, asc, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { calendarDays } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { prepared } from "./prepared.ts";

const calendars = new WeakMap<Db, { fingerprint: string; calendar: WorkingCalendar }>();

/**
 * The working-day calendar, from the calendar table (holidays and 调休 make-up days). Every light
 * asks for it: the days are read again only when a fingerprint of them (one aggregate row) has
 * changed since this handle last read them, so that an edit by any process shows at once and the
 * same calendar object — with the working-day counts worked out on it — serves the requests between.
 */
export async function loadCalendar(db: Db): Promise<WorkingCalendar> {
  const [current] = await prepared(db, "calendar.fingerprint", () =>
    db
      .select({
        fingerprint: sql<string>`count(*)::text || ':' || coalesce(sum(hashtext(${calendarDays.date}::text || ${calendarDays.kind}::text)), 0)::text`,
      })
      .from(calendarDays)
      .prepare("calendarFingerprint"),
  ).execute();
  const fingerprint = current?.fingerprint ?? "";
  const had = calendars.get(db);
  if (had?.fingerprint === fingerprint) return had.calendar;
  const rows = await db.select().from(calendarDays).orderBy(asc(calendarDays.date));
  const calendar = new WorkingCalendar(rows.map((r) => ({ date: r.date, kind: r.kind })));
  calendars.set(db, { fingerprint, calendar });
  return calendar;
}

export async function listCalendarDays(db: Db, year: number) {
  return db
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.date, `${year}-01-01`), lte(calendarDays.date, `${year}-12-31`)))
    .orderBy(asc(calendarDays.date));
}

/**
 * The office adds or corrects days (next year's schedule when the State Council announces it):
 * rows by date are replaced, marked as entered by the office.
 */
export async function upsertCalendarDays(
  db: Db,
  actor: Actor,
  days: { date: string; kind: "holiday" | "workday"; name: string }[],
) {
  return db.transaction(async (tx) => {
    const before = await tx
      .select()
      .from(calendarDays)
      .where(
        inArray(
          calendarDays.date,
          days.map((d) => d.date),
        ),
      );
    for (const d of days) {
      await tx
        .insert(calendarDays)
        .values({ ...d, source: "office" })
        .onConflictDoUpdate({
          target: calendarDays.date,
          set: { kind: d.kind, name: d.name, source: "office" },
        });
    }
    await recordAudit(tx, actor, {
      action: "calendar.upsert",
      entityType: "calendar",
      entityId: days[0]?.date.slice(0, 4) ?? "",
      before,
      after: days,
    });
    return days.length;
  });
}

export async function deleteCalendarDays(db: Db, actor: Actor, dates: string[]) {
  return db.transaction(async (tx) => {
    const before = await tx.delete(calendarDays).where(inArray(calendarDays.date, dates)).returning();
    await recordAudit(tx, actor, {
      action: "calendar.delete",
      entityType: "calendar",
      entityId: dates[0]?.slice(0, 4) ?? "",
      before,
    });
    return before.length;
  });
}
