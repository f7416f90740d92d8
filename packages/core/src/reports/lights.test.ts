import { describe, expect, it } from "vitest";
import { WorkingCalendar } from "../deadlines/calendar.ts";
import type { DeadlineRule } from "../deadlines/types.ts";
import { type ApprovedReport, onTime, trafficLight } from "./lights.ts";

// The 2023 National Day holiday as the State Council published it: 9-29 … 10-06 off,
// Saturday 10-07 and Sunday 10-08 worked (调休).
const calendar = new WorkingCalendar([
  ...[
    "2023-09-29",
    "2023-09-30",
    "2023-10-01",
    "2023-10-02",
    "2023-10-03",
    "2023-10-04",
    "2023-10-05",
    "2023-10-06",
  ].map((date) => ({ date, kind: "holiday" as const })),
  { date: "2023-10-07", kind: "workday" },
  { date: "2023-10-08", kind: "workday" },
]);
const by = (date: string): { rule: DeadlineRule; dueDate: string } => ({
  rule: { kind: "by", date, precision: "day" },
  dueDate: date,
});
const light = (
  deadlines: { rule: DeadlineRule; dueDate: string | null }[],
  today: string,
  approved: ApprovedReport[] = [],
  dueSoonWorkingDays = 3,
) => trafficLight({ deadlines, approved, today, year: 2023, calendar, dueSoonWorkingDays });

describe("traffic lights", () => {
  it("is on time through the due day and overdue from the day after", () => {
    expect(light([by("2023-03-31")], "2023-03-31").light).toBe("dueSoon");
    expect(light([by("2023-03-31")], "2023-04-01").light).toBe("overdue");
    expect(light([by("2023-03-31")], "2023-04-01").reason).toContain("2023-03-31");
  });

  it("is green once an approved report says done, even after the due date", () => {
    expect(light([by("2023-03-31")], "2023-05-01", [{ status: "done", on: "2023-04-10" }]).light).toBe(
      "done",
    );
    expect(light([by("2023-03-31")], "2023-05-01", [{ status: "inProgress", on: "2023-03-10" }]).light).toBe(
      "overdue",
    );
  });

  it("counts working days for 'due soon' across the National Day holiday and its 调休 days", () => {
    // From Thu 9-28 to Mon 10-09: working days after 9-28 are 10-07, 10-08, 10-09 → 3.
    expect(light([by("2023-10-09")], "2023-09-28", [], 3).light).toBe("dueSoon");
    expect(light([by("2023-10-10")], "2023-09-28", [], 3).light).toBe("onTrack");
    // Across an ordinary weekend: Fri 6-09 to Wed 6-14 is 3 working days.
    expect(light([by("2023-06-14")], "2023-06-09", [], 3).light).toBe("dueSoon");
    expect(light([by("2023-06-15")], "2023-06-09", [], 3).light).toBe("onTrack");
  });

  it("waits for an `after` event before it has a due date", () => {
    const after: DeadlineRule = { kind: "after", event: "决策出台", amount: 10, unit: "workingDays" };
    expect(light([{ rule: after, dueDate: null }], "2023-12-01")).toMatchObject({
      light: "onTrack",
      dueDate: null,
    });
    expect(light([{ rule: after, dueDate: "2023-10-18" }], "2023-10-19").light).toBe("overdue");
  });

  it("makes a recurring task overdue for a past period without enough approved reports", () => {
    const quarterly: DeadlineRule = { kind: "recurring", period: "quarter", times: 1 };
    const q = [{ rule: quarterly, dueDate: null }];
    // Q1 reported, Q2 not: on 7-01 the Q2 obligation is overdue.
    expect(light(q, "2023-07-01", [{ status: "inProgress", on: "2023-02-15" }])).toMatchObject({
      light: "overdue",
      dueDate: "2023-06-30",
    });
    // Both reported: on track for Q3.
    expect(
      light(q, "2023-07-01", [
        { status: "inProgress", on: "2023-02-15" },
        { status: "inProgress", on: "2023-05-20" },
      ]),
    ).toMatchObject({ light: "onTrack", dueDate: "2023-09-30" });
    // 每年至少听取1次: due soon near the year end, overdue after it.
    const yearly = [{ rule: { kind: "recurring", period: "year", times: 1 } as DeadlineRule, dueDate: null }];
    expect(light(yearly, "2023-12-27").light).toBe("dueSoon");
    expect(light(yearly, "2024-01-02").light).toBe("overdue");
  });

  it("takes the worst light among several deadlines, and treats ongoing as on track", () => {
    expect(light([by("2023-12-31"), by("2023-03-31")], "2023-06-01").light).toBe("overdue");
    expect(light([{ rule: { kind: "ongoing" }, dueDate: null }], "2023-06-01").light).toBe("onTrack");
    expect(light([], "2023-06-01").light).toBe("onTrack");
  });

  it("says a report on the due day is on time", () => {
    expect(onTime("2023-03-31", "2023-03-31")).toBe(true);
    expect(onTime("2023-04-01", "2023-03-31")).toBe(false);
  });
});
