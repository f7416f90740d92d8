import { describe, expect, it } from "vitest";
import { chineseDate } from "./chinese-date.ts";

describe("chineseDate", () => {
  it("writes the year digit by digit with 〇, month and day in words", () => {
    expect(chineseDate("2026-12-07")).toBe("二〇二六年十二月七日");
    expect(chineseDate("2023-06-06")).toBe("二〇二三年六月六日");
    expect(chineseDate("2020-01-10")).toBe("二〇二〇年一月十日");
    expect(chineseDate("2024-11-20")).toBe("二〇二四年十一月二十日");
    expect(chineseDate("2025-10-31")).toBe("二〇二五年十月三十一日");
    expect(chineseDate("2008-02-29")).toBe("二〇〇八年二月二十九日");
  });
  it("refuses what is not a date", () => {
    expect(() => chineseDate("12/07/2026")).toThrow(RangeError);
  });
});
