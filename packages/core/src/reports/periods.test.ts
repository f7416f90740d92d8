import { describe, expect, it } from "vitest";
import {
  chinaDateTime,
  localDate,
  periodByKey,
  periodLabel,
  periodOf,
  reportingPeriods,
  trendDays,
} from "./periods.ts";

describe("reporting periods", () => {
  it("splits a year by cycle with stable keys and last days of months", () => {
    expect(reportingPeriods(2024, "quarter").map((p) => [p.key, p.start, p.end])).toEqual([
      ["2024-Q1", "2024-01-01", "2024-03-31"],
      ["2024-Q2", "2024-04-01", "2024-06-30"],
      ["2024-Q3", "2024-07-01", "2024-09-30"],
      ["2024-Q4", "2024-10-01", "2024-12-31"],
    ]);
    expect(reportingPeriods(2024, "month")[1]).toMatchObject({
      key: "2024-02",
      end: "2024-02-29",
      label: "2024年2月",
    });
    expect(reportingPeriods(2023, "halfYear").map((p) => p.label)).toEqual(["2023年上半年", "2023年下半年"]);
    expect(reportingPeriods(2023, "year")).toEqual([
      { key: "2023", start: "2023-01-01", end: "2023-12-31", label: "2023年度" },
    ]);
  });

  it("finds the period of a date, and refuses keys of another cycle", () => {
    expect(periodOf("2023-09-30", "quarter").key).toBe("2023-Q3");
    expect(periodOf("2023-10-01", "quarter").key).toBe("2023-Q4");
    expect(periodByKey("2023-Q3", "quarter")?.end).toBe("2023-09-30");
    expect(periodByKey("2023-Q5", "quarter")).toBeNull();
    expect(periodByKey("2023-07", "quarter")).toBeNull();
  });

  it("takes the calendar day in China time, not UTC", () => {
    expect(localDate(new Date("2023-06-30T16:30:00Z"))).toBe("2023-07-01");
    expect(localDate(new Date("2023-06-30T15:59:59Z"))).toBe("2023-06-30");
  });
});

describe("trend days", () => {
  it("samples whole weeks from the start, today last, at most the points asked for", () => {
    expect(trendDays("2023-06-07", "2023-07-01", 12)).toEqual([
      "2023-06-07",
      "2023-06-14",
      "2023-06-21",
      "2023-06-28",
      "2023-07-01",
    ]);
    // Half a year: three weeks apart, nine Wednesdays and today.
    const half = trendDays("2023-01-04", "2023-07-01", 12);
    expect(half.length).toBeLessThanOrEqual(12);
    expect(half.slice(0, 3)).toEqual(["2023-01-04", "2023-01-25", "2023-02-15"]);
    expect(half.at(-1)).toBe("2023-07-01");
    expect(trendDays("2023-07-01", "2023-07-01", 12)).toEqual(["2023-07-01"]);
  });

  it("asks for the same past days from one day to the next (kept days are read again)", () => {
    const monday = trendDays("2023-01-02", "2023-09-10", 12).slice(0, -1);
    const tuesday = trendDays("2023-01-02", "2023-09-11", 12).slice(0, -1);
    expect(tuesday.filter((d) => monday.includes(d)).length).toBeGreaterThanOrEqual(monday.length - 1);
    for (const d of [...monday, ...tuesday]) expect(new Date(`${d}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it("writes an instant in China time to the minute, the day turning at 16:00 UTC", () => {
    expect(chinaDateTime(new Date("2026-12-07T05:36:59Z"))).toBe("2026-12-07 13:36");
    expect(chinaDateTime(new Date("2026-12-07T16:05:00Z"))).toBe("2026-12-08 00:05");
    expect(chinaDateTime(new Date("2026-12-31T15:59:00Z"))).toBe("2026-12-31 23:59");
  });
});

describe("periods in words", () => {
  it("names every cycle's period in Chinese, and leaves a key it does not know as it is", () => {
    expect(periodLabel("2026-Q4")).toBe("2026年第四季度");
    expect(periodLabel("2026-H1")).toBe("2026年上半年");
    expect(periodLabel("2026-07")).toBe("2026年7月");
    expect(periodLabel("2026")).toBe("2026年度");
    expect(periodLabel("2026-Q5")).toBe("2026-Q5");
  });
});
