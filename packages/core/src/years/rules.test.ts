import { describe, expect, it } from "vitest";
import {
  change,
  compareYears,
  finishedBy,
  meanOf,
  overdueDays,
  rankChange,
  scoreChanges,
  yearCutoff,
  yearFigures,
  yearInProgress,
} from "./rules.ts";

describe("the cut-off of a year", () => {
  it("is the year's last day once it is over, else today", () => {
    expect(yearCutoff(2022, "2023-07-01")).toBe("2022-12-31");
    expect(yearCutoff(2023, "2023-07-01")).toBe("2023-07-01");
    expect(yearCutoff(2023, "2023-12-31")).toBe("2023-12-31");
    expect(yearInProgress(2023, "2023-12-31")).toBe(true);
    expect(yearInProgress(2023, "2024-01-01")).toBe(false);
  });
});

describe("overdue days of a unit-task", () => {
  const cutoff = "2022-12-31";
  it("counts a late finish from the due date to the day it was finished", () => {
    // due 3-31, finished 4-10: 10 days late
    expect(overdueDays("2022-03-31", "2022-04-10", cutoff)).toBe(10);
  });
  it("counts nothing for a finish on or before the due date", () => {
    expect(overdueDays("2022-03-31", "2022-03-31", cutoff)).toBe(0);
    expect(overdueDays("2022-03-31", "2022-01-05", cutoff)).toBe(0);
  });
  it("counts an open task to the cut-off, and a finish after the cut-off as open", () => {
    // due 12-01, open at 12-31: 30 days
    expect(overdueDays("2022-12-01", null, cutoff)).toBe(30);
    expect(overdueDays("2022-12-01", "2023-02-01", cutoff)).toBe(30);
    expect(finishedBy("2023-02-01", cutoff)).toBe(false);
    expect(finishedBy("2022-12-31", cutoff)).toBe(true);
  });
  it("counts nothing for a task not yet due or without a dated deadline", () => {
    expect(overdueDays("2023-09-30", null, "2023-07-01")).toBe(0);
    expect(overdueDays(null, null, cutoff)).toBe(0);
  });
  it("counts across a leap day in calendar days", () => {
    expect(overdueDays("2024-02-28", "2024-03-01", "2024-12-31")).toBe(2);
  });
});

describe("a year's figures", () => {
  it("gives shares and the mean overdue days from counts", () => {
    const f = yearFigures(
      { year: 2022, unitTasks: 8, done: 6, overdue: 2, overdueDays: 45, returns: 3 },
      "2023-07-01",
    );
    expect(f.completion).toBe(0.75);
    expect(f.overdueShare).toBe(0.25);
    expect(f.averageOverdueDays).toBe(22.5);
    expect(f.empty).toBe(false);
    expect(f.inProgress).toBe(false);
  });
  it("has no shares for a year without unit-tasks", () => {
    const f = yearFigures(
      { year: 2023, unitTasks: 0, done: 0, overdue: 0, overdueDays: 0, returns: 0 },
      "2023-07-01",
    );
    expect(f).toMatchObject({ completion: null, overdueShare: null, averageOverdueDays: null, empty: true });
    expect(f.inProgress).toBe(true);
  });
});

describe("comparing years", () => {
  it("gives each year the change from the year before and lists a missing year as empty", () => {
    const rows = compareYears(
      [
        { year: 2023, unitTasks: 4, done: 3, overdue: 1, overdueDays: 5, returns: 1 },
        { year: 2020, unitTasks: 2, done: 1, overdue: 1, overdueDays: 10, returns: 0 },
        { year: 2021, unitTasks: 5, done: 5, overdue: 0, overdueDays: 0, returns: 2 },
      ],
      "2023-07-01",
    );
    expect(rows.map((r) => r.year)).toEqual([2020, 2021, 2022, 2023]);
    expect(rows[0]?.change.previousYear).toBeNull();
    // 2021 against 2020: completion 1 - 0.5, overdue 0 - 1, days 0 - 10, returns 2 - 0
    expect(rows[1]?.change).toEqual({
      previousYear: 2020,
      completion: 0.5,
      overdue: -1,
      overdueDays: -10,
      returns: 2,
    });
    expect(rows[2]?.empty).toBe(true);
    expect(rows[2]?.change.completion).toBeNull();
    // 2022 had nothing: 2023 has no year to compare with
    expect(rows[3]?.change).toEqual({
      previousYear: null,
      completion: null,
      overdue: null,
      overdueDays: null,
      returns: null,
    });
    expect(rows[3]?.inProgress).toBe(true);
  });
  it("is empty without counts", () => {
    expect(compareYears([], "2023-07-01")).toEqual([]);
  });
});

describe("score changes", () => {
  it("compares a score with the same tier's the year before", () => {
    const rows = scoreChanges([
      { year: 2023, tier: "镇直部门", total: 88.5, rank: 1, of: 3, max: 100 },
      { year: 2022, tier: "镇直部门", total: 90, rank: 3, of: 3, max: 100 },
      { year: 2023, tier: "村居", total: 70, rank: 2, of: 5, max: 100 },
    ]);
    expect(rows.map((r) => [r.year, r.tier])).toEqual([
      [2022, "镇直部门"],
      [2023, "村居"],
      [2023, "镇直部门"],
    ]);
    expect(rows[2]).toMatchObject({ previousTotal: 90, previousRank: 3, delta: -1.5, rankChange: 2 });
    expect(rows[1]).toMatchObject({ previousTotal: null, delta: null, rankChange: null });
  });
  it("has no change when either value is missing", () => {
    expect(change(null, 3)).toBeNull();
    expect(change(3, undefined)).toBeNull();
    expect(rankChange(4, 1)).toBe(-3);
    expect(meanOf([null, 80, 90])).toBe(85);
    expect(meanOf([null])).toBeNull();
  });
});
