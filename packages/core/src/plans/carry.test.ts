import { describe, expect, it } from "vitest";
import { type CarryTask, movePhraseToYear, moveRuleToYear, splitForCarry } from "./carry.ts";

const task = (id: number, ...assignments: [string, "lead" | "cooperating" | "responsible", string][]) =>
  ({
    id,
    code: String(id),
    title: `任务${id}`,
    assignments: assignments.map(([unitName, role, light], i) => ({
      unitId: id * 10 + i,
      unitName,
      role,
      light: light as "done",
    })),
  }) satisfies CarryTask;

describe("carrying a year's plan into the next", () => {
  it("continues a task any lead or responsible unit has not finished, naming those units", () => {
    const split = splitForCarry([
      task(1, ["党政办", "lead", "done"], ["城运中心", "cooperating", "overdue"]),
      task(
        2,
        ["社区办", "lead", "done"],
        ["前明村", "responsible", "overdue"],
        ["光联村", "responsible", "done"],
      ),
      task(3, ["营商办", "lead", "onTrack"]),
      task(4),
    ]);
    // 1: its lead finished; a cooperating unit behind does not keep the task open.
    expect(split.finished.map((t) => t.id)).toEqual([1]);
    expect(split.unfinished.map((u) => [u.task.id, u.notDone.map((a) => a.unitName)])).toEqual([
      [2, ["前明村"]],
      [3, ["营商办"]],
    ]);
    expect(split.unassigned.map((t) => t.id)).toEqual([4]);
  });

  it("moves dated deadlines to the new year and keeps rules without a date", () => {
    expect(moveRuleToYear({ kind: "by", date: "2025-03-31", precision: "day" }, 2026)).toEqual({
      kind: "by",
      date: "2026-03-31",
      precision: "day",
    });
    // 29 February has no day in 2025; 2月底前 is the 29th again in 2028.
    expect(moveRuleToYear({ kind: "by", date: "2024-02-29", precision: "day" }, 2025)).toMatchObject({
      date: "2025-02-28",
    });
    expect(moveRuleToYear({ kind: "by", date: "2027-02-28", precision: "month" }, 2028)).toMatchObject({
      date: "2028-02-29",
    });
    expect(moveRuleToYear({ kind: "by", date: "--06-30", precision: "month" }, 2026)).toMatchObject({
      date: "2026-06-30",
    });
    const quarterly = { kind: "recurring", period: "quarter", times: 1 } as const;
    expect(moveRuleToYear(quarterly, 2026)).toBe(quarterly);
    const after = { kind: "after", event: "决策出台", amount: 10, unit: "workingDays" } as const;
    expect(moveRuleToYear(after, 2026)).toBe(after);
    expect(movePhraseToYear("2025年6月底前", 2025, 2026)).toBe("2026年6月底前");
    expect(movePhraseToYear("3月31日前", 2025, 2026)).toBe("3月31日前");
  });
});
