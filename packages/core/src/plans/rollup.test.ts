import { describe, expect, it } from "vitest";
import { WorkingCalendar } from "../deadlines/calendar.ts";
import { trafficLight } from "../reports/lights.ts";
import { childRegionOf, groupLight, pathIds, type RollupGroup, regionTrail, rollupCells } from "./rollup.ts";

// No holidays: Monday to Friday are working days. 2023-06-12 is a Monday.
const calendar = new WorkingCalendar([]);
const today = "2023-06-12";
const base = { done: false, periodMissed: false, firstDue: null, openPeriodEnd: null, dueSoonWorkingDays: 5 };

describe("the light of a roll-up group", () => {
  it("is done once approved as done, whatever the dates", () => {
    expect(
      groupLight({ ...base, done: true, periodMissed: true, firstDue: "2023-01-31" }, today, calendar),
    ).toBe("done");
  });

  it("is overdue the day after the due date, not on it", () => {
    expect(groupLight({ ...base, firstDue: "2023-06-11" }, today, calendar)).toBe("overdue");
    // On the due day: due soon (0 working days left).
    expect(groupLight({ ...base, firstDue: "2023-06-12" }, today, calendar)).toBe("dueSoon");
  });

  it("is due soon within the working days (weekends not counted), on track beyond", () => {
    // 2023-06-19 (Mon) is 5 working days after Monday the 12th; the 20th is 6.
    expect(groupLight({ ...base, firstDue: "2023-06-19" }, today, calendar)).toBe("dueSoon");
    expect(groupLight({ ...base, firstDue: "2023-06-20" }, today, calendar)).toBe("onTrack");
    expect(groupLight({ ...base, openPeriodEnd: "2023-06-16" }, today, calendar)).toBe("dueSoon");
    expect(groupLight({ ...base, openPeriodEnd: "2023-06-30" }, today, calendar)).toBe("onTrack");
  });

  it("is overdue when a closed period missed its reports, even with a due date far ahead", () => {
    expect(groupLight({ ...base, periodMissed: true, firstDue: "2023-12-31" }, today, calendar)).toBe(
      "overdue",
    );
  });

  it("gives what trafficLight gives for the same assignment", () => {
    // A quarterly rule (the first quarter approved, the second open) and a due date at the month's end.
    const light = trafficLight({
      deadlines: [
        { rule: { kind: "recurring", period: "quarter", times: 1 }, dueDate: null },
        { rule: { kind: "by", date: "2023-06-30", precision: "month" }, dueDate: "2023-06-30" },
      ],
      approved: [{ status: "inProgress", on: "2023-02-10" }],
      today: "2023-06-26",
      year: 2023,
      calendar,
      dueSoonWorkingDays: 5,
    }).light;
    expect(light).toBe("dueSoon");
    expect(
      groupLight({ ...base, firstDue: "2023-06-30", openPeriodEnd: "2023-06-30" }, "2023-06-26", calendar),
    ).toBe(light);
  });
});

describe("roll-up cells", () => {
  const group = (g: Partial<RollupGroup>): RollupGroup => ({
    upperTaskId: 1,
    regionId: 10,
    assignments: 1,
    awaitingReview: 0,
    ...base,
    ...g,
  });

  it("counts assignments by light per task and region, with totals both ways and zeros where nothing is", () => {
    const r = rollupCells({
      upperTaskIds: [1, 2],
      regionIds: [10, 20],
      groups: [
        group({ done: true, assignments: 3 }),
        group({ firstDue: "2023-05-31", assignments: 2, awaitingReview: 1 }),
        group({ regionId: 20, assignments: 4 }),
        group({ upperTaskId: 2, regionId: 20, periodMissed: true, assignments: 1 }),
        // Outside the regions asked for: not counted.
        group({ regionId: 30, assignments: 9 }),
      ],
      taskCounts: [
        { upperTaskId: 1, regionId: 10, tasks: 2 },
        { upperTaskId: 1, regionId: 20, tasks: 1 },
        { upperTaskId: 2, regionId: 20, tasks: 1 },
      ],
      today,
      calendar,
    });
    expect(r.cell(1, 10)).toEqual({
      done: 3,
      onTrack: 0,
      dueSoon: 0,
      overdue: 2,
      assignments: 5,
      awaitingReview: 1,
      tasks: 2,
      completionRate: 3 / 5,
    });
    expect(r.cell(2, 10)).toMatchObject({ assignments: 0, tasks: 0, completionRate: 0 });
    expect(r.taskTotal(1)).toMatchObject({ done: 3, onTrack: 4, overdue: 2, assignments: 9, tasks: 3 });
    expect(r.regionTotal(20)).toMatchObject({ onTrack: 4, overdue: 1, assignments: 5, tasks: 2 });
    expect(r.total).toMatchObject({ done: 3, onTrack: 4, dueSoon: 0, overdue: 3, assignments: 10, tasks: 4 });
  });
});

describe("regions from unit paths", () => {
  it("finds the child region one level below, the region itself, or nothing outside", () => {
    expect(pathIds("/1/7/12/")).toEqual([1, 7, 12]);
    expect(childRegionOf("/1/7/12/40/", "/1/")).toBe(7);
    expect(childRegionOf("/1/7/", "/1/7/")).toBe(7);
    expect(childRegionOf("/1/70/", "/1/7/")).toBeNull();
    expect(childRegionOf("/2/7/", "/1/")).toBeNull();
  });

  it("builds the breadcrumb from the viewer's top region, and none outside it", () => {
    const names = new Map([
      [1, "省"],
      [7, "市"],
      [12, "县"],
    ]);
    expect(regionTrail("/1/7/12/", "/1/7/", names)).toEqual([
      { id: 7, name: "市" },
      { id: 12, name: "县" },
    ]);
    expect(regionTrail("/1/8/", "/1/7/", names)).toBeNull();
  });
});
