import { describe, expect, it } from "vitest";
import { afterQuietHours, retryDelayMs } from "./index.ts";

/** An instant given in China time (UTC+8). */
const china = (s: string) => new Date(`${s}+08:00`);

describe("afterQuietHours", () => {
  it("lets a day-time message go at once, 08:00 sharp included", () => {
    expect(afterQuietHours(china("2026-03-02T08:00:00"))).toEqual(china("2026-03-02T08:00:00"));
    expect(afterQuietHours(china("2026-03-02T13:15:00"))).toEqual(china("2026-03-02T13:15:00"));
    expect(afterQuietHours(china("2026-03-02T21:59:59"))).toEqual(china("2026-03-02T21:59:59"));
  });
  it("holds a message from 22:00 until 08:00 the next morning, China time", () => {
    expect(afterQuietHours(china("2026-03-02T22:00:00"))).toEqual(china("2026-03-03T08:00:00"));
    expect(afterQuietHours(china("2026-03-02T23:30:00"))).toEqual(china("2026-03-03T08:00:00"));
    // Past midnight (still the previous day in UTC until 08:00 China time): the same morning.
    expect(afterQuietHours(china("2026-03-03T00:10:00"))).toEqual(china("2026-03-03T08:00:00"));
    expect(afterQuietHours(china("2026-03-03T07:59:00"))).toEqual(china("2026-03-03T08:00:00"));
    // Across a month's and a year's end.
    expect(afterQuietHours(china("2026-12-31T23:00:00"))).toEqual(china("2027-01-01T08:00:00"));
  });
});

describe("retryDelayMs", () => {
  it("doubles from 30 s and stops at an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n) / 1000)).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
    expect(retryDelayMs(0)).toBe(30_000);
    expect(retryDelayMs(1000)).toBe(3_600_000);
  });
});
