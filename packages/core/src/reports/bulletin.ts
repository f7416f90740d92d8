/**
 * 通报: the figures a bulletin publishes for a plan as of a day — completion by unit and by
 * category, overdue tasks by unit, returned reports, and the units to commend or to name.
 *
 * Rules (stated here, tested at the edges):
 * - Only lead and responsible assignments count (cooperating units are judged with the lead).
 * - Completion rate = done ÷ all counted assignments of the unit.
 * - Commend: no overdue task, no returned report, no open notice, and at least half done.
 * - Name: at least one overdue task, or a notice left unanswered; ordered by overdue count.
 * - Units with overdue tasks come first in the table by unit (most overdue first), then the others by
 *   completion rate; the overdue list is by number of overdue tasks, most first.
 */

import type { IsoDate } from "../deadlines/types.ts";
import { type Category, categoryLabels } from "../domain.ts";
import type { Light } from "./lights.ts";

export type BulletinRow = {
  taskId: number;
  code: string;
  title: string;
  category: Category | null;
  unitId: number;
  unitName: string;
  role: "lead" | "cooperating" | "responsible";
  light: Light;
  dueDate: IsoDate | null;
};
export type ReturnedRow = {
  unitId: number;
  unitName: string;
  taskCode: string;
  taskTitle: string;
  period: string;
  reason: string | null;
};

export type BulletinFigures = {
  asOf: IsoDate;
  totals: { assignments: number; done: number; overdue: number; dueSoon: number; completionRate: number };
  byUnit: {
    unitId: number;
    unitName: string;
    total: number;
    done: number;
    dueSoon: number;
    overdue: number;
    completionRate: number;
    returned: number;
  }[];
  byCategory: {
    category: string;
    label: string;
    total: number;
    done: number;
    overdue: number;
    completionRate: number;
  }[];
  overdueByUnit: { unitName: string; tasks: { code: string; title: string; dueDate: IsoDate | null }[] }[];
  returned: ReturnedRow[];
  commend: string[];
  named: { unitName: string; overdue: number; openNotices: number }[];
};

const rate = (done: number, total: number) => (total ? Math.round((done / total) * 1000) / 1000 : 0);

export function bulletinFigures(
  asOf: IsoDate,
  rows: readonly BulletinRow[],
  returned: readonly ReturnedRow[],
  openNotices: ReadonlyMap<number, number>,
): BulletinFigures {
  const counted = rows.filter((r) => r.role !== "cooperating");
  const units = new Map<number, BulletinFigures["byUnit"][number]>();
  const cats = new Map<string, { total: number; done: number; overdue: number }>();
  const overdue = new Map<string, { code: string; title: string; dueDate: IsoDate | null }[]>();
  for (const r of counted) {
    const u = units.get(r.unitId) ?? {
      unitId: r.unitId,
      unitName: r.unitName,
      total: 0,
      done: 0,
      dueSoon: 0,
      overdue: 0,
      completionRate: 0,
      returned: 0,
    };
    u.total++;
    if (r.light === "done") u.done++;
    if (r.light === "dueSoon") u.dueSoon++;
    if (r.light === "overdue") {
      u.overdue++;
      overdue.set(r.unitName, [
        ...(overdue.get(r.unitName) ?? []),
        { code: r.code, title: r.title, dueDate: r.dueDate },
      ]);
    }
    units.set(r.unitId, u);
    const key = r.category ?? "none";
    const c = cats.get(key) ?? { total: 0, done: 0, overdue: 0 };
    c.total++;
    if (r.light === "done") c.done++;
    if (r.light === "overdue") c.overdue++;
    cats.set(key, c);
  }
  for (const r of returned) {
    const u = units.get(r.unitId);
    if (u) u.returned++;
  }
  const byUnit = [...units.values()]
    .map((u) => ({ ...u, completionRate: rate(u.done, u.total) }))
    .sort(
      (a, b) =>
        Number(b.overdue > 0) - Number(a.overdue > 0) ||
        b.overdue - a.overdue ||
        b.completionRate - a.completionRate ||
        a.unitName.localeCompare(b.unitName, "zh-CN"),
    );
  const totals = byUnit.reduce(
    (t, u) => ({
      assignments: t.assignments + u.total,
      done: t.done + u.done,
      overdue: t.overdue + u.overdue,
      dueSoon: t.dueSoon + u.dueSoon,
    }),
    { assignments: 0, done: 0, overdue: 0, dueSoon: 0 },
  );
  const commend = byUnit
    .filter(
      (u) =>
        u.overdue === 0 &&
        u.returned === 0 &&
        !(openNotices.get(u.unitId) ?? 0) &&
        u.done * 2 >= u.total &&
        u.done > 0,
    )
    .map((u) => u.unitName);
  const named = byUnit
    .filter((u) => u.overdue > 0 || (openNotices.get(u.unitId) ?? 0) > 0)
    .map((u) => ({ unitName: u.unitName, overdue: u.overdue, openNotices: openNotices.get(u.unitId) ?? 0 }))
    .sort(
      (a, b) =>
        b.overdue - a.overdue ||
        b.openNotices - a.openNotices ||
        a.unitName.localeCompare(b.unitName, "zh-CN"),
    );
  return {
    asOf,
    totals: { ...totals, completionRate: rate(totals.done, totals.assignments) },
    byUnit,
    byCategory: [...cats].map(([category, c]) => ({
      category,
      label: category === "none" ? "未分类" : categoryLabels[category as Category],
      ...c,
      completionRate: rate(c.done, c.total),
    })),
    overdueByUnit: [...overdue]
      .map(([unitName, tasks]) => ({ unitName, tasks }))
      .sort((a, b) => b.tasks.length - a.tasks.length || a.unitName.localeCompare(b.unitName, "zh-CN")),
    returned: [...returned],
    commend,
    named,
  };
}
