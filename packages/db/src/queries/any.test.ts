import { describe, expect, it } from "vitest";
import { isoTime } from "./any.ts";

describe("a time of a raw row as an ISO instant", () => {
  it("rewrites PostgreSQL's UTC text as Date#toISOString writes it, to the millisecond", () => {
    expect(isoTime("2023-06-20 02:30:00+00")).toBe("2023-06-20T02:30:00.000Z");
    expect(isoTime("2023-06-20 02:30:00.5+00")).toBe("2023-06-20T02:30:00.500Z");
    expect(isoTime("2023-06-20 02:30:00.12+00")).toBe("2023-06-20T02:30:00.120Z");
    // Microseconds are cut to milliseconds, as a Date holds them.
    expect(isoTime("2024-02-29 23:59:59.999999+00")).toBe("2024-02-29T23:59:59.999Z");
    for (const text of ["1999-12-31 23:59:59.0001+00", "2026-01-01 00:00:00.123456+00"]) {
      expect(isoTime(text)).toBe(new Date(text).toISOString());
    }
  });

  it("reads text in another time zone, a Date (PGlite) and nothing", () => {
    expect(isoTime("2023-06-20 10:30:00+08")).toBe("2023-06-20T02:30:00.000Z");
    expect(isoTime("2023-06-20 10:30:00.25+05:30")).toBe("2023-06-20T05:00:00.250Z");
    expect(isoTime(new Date(Date.UTC(2023, 5, 20, 2, 30)))).toBe("2023-06-20T02:30:00.000Z");
    expect(isoTime(null)).toBeNull();
  });
});
