/**
 * Reporting periods (报送周期): units report progress once per period of their plan's cycle.
 * Keys are stable strings: 2023-07 (month), 2023-Q3 (quarter), 2023-H2 (half year), 2023 (year).
 */
import { addDays, daysBetween, isoDate, lastDayOfMonth } from "../deadlines/dates.ts";
import type { IsoDate } from "../deadlines/types.ts";

export const reportingCycles = ["month", "quarter", "halfYear", "year"] as const;
export type ReportingCycle = (typeof reportingCycles)[number];
export const reportingCycleLabels: Record<ReportingCycle, string> = {
  month: "每月",
  quarter: "每季度",
  halfYear: "每半年",
  year: "每年",
};

export type ReportingPeriod = { key: string; start: IsoDate; end: IsoDate; label: string };

const monthsPer: Record<ReportingCycle, number> = { month: 1, quarter: 3, halfYear: 6, year: 12 };

function periodAt(year: number, index: number, cycle: ReportingCycle): ReportingPeriod {
  const step = monthsPer[cycle];
  const firstMonth = index * step + 1;
  const start = isoDate(year, firstMonth, 1) as IsoDate;
  const end = lastDayOfMonth(year, firstMonth + step - 1);
  const n = index + 1;
  switch (cycle) {
    case "month":
      return { key: `${year}-${String(n).padStart(2, "0")}`, start, end, label: `${year}年${n}月` };
    case "quarter":
      return { key: `${year}-Q${n}`, start, end, label: `${year}年第${"一二三四"[index]}季度` };
    case "halfYear":
      return { key: `${year}-H${n}`, start, end, label: `${year}年${n === 1 ? "上" : "下"}半年` };
    case "year":
      return { key: `${year}`, start, end, label: `${year}年度` };
  }
}

/** All periods of a year, in order. */
export function reportingPeriods(year: number, cycle: ReportingCycle): ReportingPeriod[] {
  return Array.from({ length: 12 / monthsPer[cycle] }, (_, i) => periodAt(year, i, cycle));
}

/** The period a date falls in. */
export function periodOf(date: IsoDate, cycle: ReportingCycle): ReportingPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return periodAt(year, Math.floor((month - 1) / monthsPer[cycle]), cycle);
}

/** A period by key, if the key is one of the cycle's (refuses 2023-Q5, 2023-13…). */
export function periodByKey(key: string, cycle: ReportingCycle): ReportingPeriod | null {
  const year = Number(key.slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return null;
  return reportingPeriods(year, cycle).find((p) => p.key === key) ?? null;
}

/** 2023-Q4 → 2023年第四季度 (any cycle, read from the key's form; an unknown key as it is). */
export function periodLabel(key: string): string {
  const cycle: ReportingCycle = /-Q\d$/.test(key)
    ? "quarter"
    : /-H\d$/.test(key)
      ? "halfYear"
      : /^\d{4}-\d{2}$/.test(key)
        ? "month"
        : "year";
  return periodByKey(key, cycle)?.label ?? key;
}

/** The calendar day of an instant in the plan's time zone (China Standard Time, UTC+8, no DST). */
export function localDate(at: Date, timeZone = "Asia/Shanghai"): IsoDate {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
  return parts;
}

/**
 * An instant as offices read it, in China Standard Time to the minute: `2026-12-07 13:36`
 * (on screen, in downloads and in messages, whatever the computer's own zone).
 */
export function chinaDateTime(at: Date, timeZone = "Asia/Shanghai"): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * The days a trend shows: up to `points` days from `from` to `to` (both included), whole weeks
 * apart from `from`. As `to` moves on, the same days come back (a store can keep them once judged)
 * and they fall on one weekday.
 */
export function trendDays(from: IsoDate, to: IsoDate, points: number): IsoDate[] {
  const days = daysBetween(from, to);
  if (days <= 0) return [to];
  const step = 7 * Math.max(1, Math.ceil(days / Math.max(1, points - 1) / 7));
  const out: IsoDate[] = [];
  for (let d = 0; d < days; d += step) out.push(addDays(from, d));
  out.push(to);
  return out;
}
