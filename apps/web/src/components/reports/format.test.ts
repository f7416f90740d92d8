import { describe, expect, it } from "vitest";
import { fmtDate, fmtDateTime } from "./format.ts";

describe("dates on screen", () => {
  it("shows an instant in China time to the minute, whatever the computer's zone", () => {
    // 05:36 UTC is 13:36 in Beijing; 16:05 UTC is already the next day there.
    expect(fmtDateTime("2026-12-07T05:36:59Z")).toBe("2026-12-07 13:36");
    expect(fmtDateTime(new Date("2026-12-07T16:05:00Z"))).toBe("2026-12-08 00:05");
    expect(fmtDateTime(null)).toBe("—");
  });

  it("shows a date as written", () => {
    expect(fmtDate("2023-03-31")).toBe("2023-03-31");
  });
});
