import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCalendar, systemActor, upsertCalendarDays } from "../src/index.ts";
import { createTestDatabase, type TestDatabase, testDbKinds } from "../src/testing.ts";

/**
 * The working-day calendar is read once and kept while its days are unchanged (every light asks
 * for it); an office's edit shows in the very next read.
 */
describe.each(testDbKinds())("the working-day calendar on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.drop());

  it("keeps the calendar between reads and reads it again after an edit", async () => {
    const { db } = database;
    await upsertCalendarDays(db, systemActor, [{ date: "2023-10-02", kind: "holiday", name: "国庆节" }]);
    const first = await loadCalendar(db);
    expect(first.isWorkingDay("2023-10-02")).toBe(false);
    expect(await loadCalendar(db)).toBe(first);

    // The office corrects the day: the next read sees it.
    await upsertCalendarDays(db, systemActor, [{ date: "2023-10-02", kind: "workday", name: "调休上班" }]);
    const edited = await loadCalendar(db);
    expect(edited).not.toBe(first);
    expect(edited.isWorkingDay("2023-10-02")).toBe(true);

    // A new day counts too (a count or a day of a different kind changes the fingerprint).
    await upsertCalendarDays(db, systemActor, [{ date: "2023-10-03", kind: "holiday", name: "国庆节" }]);
    expect((await loadCalendar(db)).isWorkingDay("2023-10-03")).toBe(false);
  });
});
