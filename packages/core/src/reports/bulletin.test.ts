import { describe, expect, it } from "vitest";
import { type BulletinRow, bulletinFigures } from "./bulletin.ts";

let nextTask = 1;
const row = (
  unitId: number,
  unitName: string,
  light: BulletinRow["light"],
  extra: Partial<BulletinRow> = {},
): BulletinRow => ({
  taskId: nextTask++,
  code: "1",
  title: "任务",
  category: "decision",
  unitId,
  unitName,
  role: "lead",
  light,
  dueDate: "2023-03-31",
  ...extra,
});

describe("bulletin figures", () => {
  it("computes completion by unit and category, lists overdue tasks, commends and names units", () => {
    const rows = [
      row(1, "甲科", "done"),
      row(1, "甲科", "done"),
      row(2, "乙科", "done"),
      row(2, "乙科", "overdue", { code: "7", title: "逾期任务", category: "service" }),
      row(3, "丙科", "onTrack"),
      row(3, "丙科", "done", { role: "cooperating" }), // cooperating: not counted
    ];
    const f = bulletinFigures("2023-07-01", rows, [], new Map());
    expect(f.totals).toEqual({ assignments: 5, done: 3, overdue: 1, dueSoon: 0, completionRate: 0.6 });
    // 乙科 has an overdue task: it comes first although 甲科 completed more.
    expect(f.byUnit.map((u) => [u.unitName, u.total, u.done, u.completionRate])).toEqual([
      ["乙科", 2, 1, 0.5],
      ["甲科", 2, 2, 1],
      ["丙科", 1, 0, 0],
    ]);
    expect(f.byCategory.find((c) => c.category === "service")).toMatchObject({
      label: "服务公开",
      total: 1,
      overdue: 1,
    });
    expect(f.overdueByUnit).toEqual([
      { unitName: "乙科", tasks: [{ code: "7", title: "逾期任务", dueDate: "2023-03-31" }] },
    ]);
    expect(f.commend).toEqual(["甲科"]);
    expect(f.named).toEqual([{ unitName: "乙科", overdue: 1, openNotices: 0 }]);
  });

  it("lists the unit with the most overdue tasks first, in the table and in the overdue list", () => {
    const rows = [
      row(1, "甲科", "overdue", { code: "1" }),
      row(2, "乙科", "overdue", { code: "2" }),
      row(2, "乙科", "overdue", { code: "3" }),
      row(2, "乙科", "done"),
      row(3, "丙科", "done"),
    ];
    const f = bulletinFigures("2023-07-01", rows, [], new Map());
    expect(f.byUnit.map((u) => u.unitName)).toEqual(["乙科", "甲科", "丙科"]);
    expect(f.overdueByUnit.map((u) => [u.unitName, u.tasks.length])).toEqual([
      ["乙科", 2],
      ["甲科", 1],
    ]);
  });

  it("does not commend a unit with a returned report or an open notice, and names one with an open notice", () => {
    const rows = [row(1, "甲科", "done"), row(2, "乙科", "done")];
    const f = bulletinFigures(
      "2023-07-01",
      rows,
      [
        {
          unitId: 1,
          unitName: "甲科",
          taskCode: "1",
          taskTitle: "任务",
          period: "2023-Q2",
          reason: "材料不全",
        },
      ],
      new Map([[2, 1]]),
    );
    expect(f.commend).toEqual([]);
    expect(f.named).toEqual([{ unitName: "乙科", overdue: 0, openNotices: 1 }]);
    expect(f.byUnit.find((u) => u.unitName === "甲科")?.returned).toBe(1);
  });
});
