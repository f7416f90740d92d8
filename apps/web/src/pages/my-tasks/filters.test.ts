import { describe, expect, it } from "vitest";
import {
  clearFilter,
  defaultYear,
  inScope,
  isFiltered,
  readFilter,
  shownYear,
  writeFilter,
} from "./filters.ts";

const row = (id: number, year: number, planId: number, code: string, title: string) => ({
  id,
  year,
  planId,
  code,
  title,
  roles: ["lead" as const],
});
// A 2023 plan and a 2026 plan whose codes repeat (1, 2 in each), as imported plans do.
const rows = [
  row(1, 2023, 10, "1", "实施政策文件标签化管理"),
  row(2, 2023, 10, "2", "完善行政规范性文件发布规范"),
  row(3, 2026, 20, "1", "深化政务公开标准化建设"),
  row(4, 2026, 20, "2", "加强政策解读"),
  row(5, 2026, 21, "A1", "Open data pilot"),
];

describe("my tasks filters", () => {
  it("defaults to this year when the unit has tasks in it, else its latest year", () => {
    expect(defaultYear([2026, 2023], 2026)).toBe(2026);
    expect(defaultYear([2023, 2021], 2026)).toBe(2023);
    expect(defaultYear([], 2026)).toBeNull();
    expect(shownYear(readFilter(new URLSearchParams("")), [2023, 2026], 2026)).toBe(2026);
    expect(shownYear(readFilter(new URLSearchParams("year=all")), [2023, 2026], 2026)).toBe("all");
  });

  it("narrows by year, plan and keyword in the code or title", () => {
    const ids = (q: string, year: number | "all") =>
      inScope(rows, readFilter(new URLSearchParams(q)), year).map((t) => t.id);
    expect(ids("", 2026)).toEqual([3, 4, 5]);
    expect(ids("", "all")).toEqual([1, 2, 3, 4, 5]);
    // The same code in two years: the year keeps them apart.
    expect(ids("q=1", 2023)).toEqual([1]);
    expect(ids("q=1", "all")).toEqual([1, 3, 5]);
    expect(ids("q=%E5%85%AC%E5%BC%80", 2026)).toEqual([3]); // 公开
    expect(ids("q=+open+", 2026)).toEqual([5]); // spaces around and case ignored
    expect(ids("plan=21", 2026)).toEqual([5]);
    expect(ids("q=标签", 2026)).toEqual([]);
  });

  it("keeps what is set in the address and drops what is back at its default", () => {
    const params = writeFilter(new URLSearchParams("task=7"), {
      year: 2023,
      planId: 10,
      role: "lead",
      light: "overdue",
      q: "政策",
    });
    expect(readFilter(params)).toEqual({ year: 2023, planId: 10, role: "lead", light: "overdue", q: "政策" });
    expect(isFiltered(readFilter(params))).toBe(true);
    const cleared = clearFilter(params);
    expect(cleared.toString()).toBe("task=7");
    expect(isFiltered(readFilter(cleared))).toBe(false);
  });

  it("ignores values in the address that are not a role, a light or a year", () => {
    expect(readFilter(new URLSearchParams("role=boss&light=purple&year=abc&plan=-3"))).toEqual({
      year: null,
      planId: null,
      role: "all",
      light: "all",
      q: "",
    });
  });
});
