/**
 * The working-day calendar with the State Council's real 2023 and 2024 schedules, taken from the
 * chinese-days package (the data the calendar table is seeded from). Spot checks against the
 * notices (国办发明电〔2022〕16号, 〔2023〕7号): 2023-09-29…10-06 off, 2023-10-07 and 10-08
 * (Saturday, Sunday) worked; 2024 春节 02-10…02-17 off with 02-04 and 02-18 (Sundays) worked.
 */
import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CalendarException, WorkingCalendar } from "../../src/index.ts";

type Data = { holidays: Record<string, string>; workdays: Record<string, string> };
const data = chineseDays as Data;
const inYears = (date: string) => date.startsWith("2023-") || date.startsWith("2024-");
const exceptions: CalendarException[] = [
  ...Object.keys(data.holidays)
    .filter(inYears)
    .map((date) => ({ date, kind: "holiday" as const })),
  ...Object.keys(data.workdays)
    .filter(inYears)
    .map((date) => ({ date, kind: "workday" as const })),
];
const cal = new WorkingCalendar(exceptions);

describe("2023 and 2024 on the State Council's schedule", () => {
  it("国庆 2023: 09-29 to 10-06 off, the weekend after worked", () => {
    for (const d of [
      "2023-09-29",
      "2023-09-30",
      "2023-10-01",
      "2023-10-02",
      "2023-10-03",
      "2023-10-04",
      "2023-10-05",
      "2023-10-06",
    ]) {
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    expect(cal.isWorkingDay("2023-10-07")).toBe(true);
    expect(cal.isWorkingDay("2023-10-08")).toBe(true);
    expect(cal.isWorkingDay("2023-10-14")).toBe(false);
    expect(cal.isWorkingDay("2023-10-16")).toBe(true);
  });

  it("春节 2023 and 2024 with their make-up days", () => {
    expect(cal.isWorkingDay("2023-01-23")).toBe(false);
    expect(cal.isWorkingDay("2023-01-28")).toBe(true);
    expect(cal.isWorkingDay("2023-01-29")).toBe(true);
    for (let d = 10; d <= 17; d++) expect(cal.isWorkingDay(`2024-02-${d}`)).toBe(false);
    expect(cal.isWorkingDay("2024-02-04")).toBe(true);
    expect(cal.isWorkingDay("2024-02-18")).toBe(true);
    expect(cal.isWorkingDay("2024-10-12")).toBe(true);
  });

  it("counts a year's working days: 249 in 2023, 251 in 2024", () => {
    // 2023: 260 weekdays − 18 weekday holidays + 7 make-up days; 2024: 262 − 19 + 8.
    expect(cal.workingDaysBetween("2022-12-31", "2023-12-31")).toBe(249);
    expect(cal.workingDaysBetween("2023-12-31", "2024-12-31")).toBe(251);
    expect(cal.workingDaysBetween("2023-09-30", "2023-10-31")).toBe(19);
  });

  it("N个工作日内 after an event lands on the N-th working day after it", () => {
    // Thursday before 国庆: the 1st and 2nd working days are the make-up weekend.
    expect(cal.addWorkingDays("2023-09-28", 1)).toBe("2023-10-07");
    expect(cal.addWorkingDays("2023-09-28", 3)).toBe("2023-10-09");
    // 10 working days from Monday 09-25: 3 before the holiday, 7 after.
    expect(cal.addWorkingDays("2023-09-25", 10)).toBe("2023-10-13");
    // Without the schedule the same count ends four days earlier.
    expect(new WorkingCalendar().addWorkingDays("2023-09-25", 10)).toBe("2023-10-09");
    // 除夕 2024-02-09 (Friday) was a working day; the next one is Sunday 02-18.
    expect(cal.addWorkingDays("2024-02-08", 1)).toBe("2024-02-09");
    expect(cal.addWorkingDays("2024-02-09", 1)).toBe("2024-02-18");
    expect(cal.addWorkingDays("2023-10-09", 0)).toBe("2023-10-09");
    expect(cal.addWorkingDays("2023-10-09", -1)).toBe("2023-10-08");
  });

  it("adding and counting agree, both ways", () => {
    const day = fc
      .integer({ min: 0, max: 700 })
      .map((n) => new Date(Date.UTC(2023, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: -40, max: 40 }), (d, n) => {
        const to = cal.addWorkingDays(d, n);
        expect(cal.workingDaysBetween(d, to)).toBe(n);
        if (n !== 0) expect(cal.isWorkingDay(to)).toBe(true);
      }),
    );
  });

  it("the office's own entry wins (the calendar is data)", () => {
    const office = new WorkingCalendar([...exceptions, { date: "2024-12-31", kind: "holiday" }]);
    expect(cal.isWorkingDay("2024-12-31")).toBe(true);
    expect(office.isWorkingDay("2024-12-31")).toBe(false);
  });
});
