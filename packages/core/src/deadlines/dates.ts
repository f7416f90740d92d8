/**
 * Calendar-date arithmetic on ISO dates (`YYYY-MM-DD`). Dates carry no time zone: they are days
 * of the plan's local calendar, so all arithmetic runs on UTC midnights and never on "now".
 */
import type { IsoDate } from "./types.ts";

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A valid calendar date as `YYYY-MM-DD`, or null (2023-02-30 is not a date). */
export function isoDate(year: number, month: number, day: number): IsoDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function isIsoDate(s: string): s is IsoDate {
  const m = ISO.exec(s);
  return m !== null && isoDate(Number(m[1]), Number(m[2]), Number(m[3])) !== null;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last day of a month; month 0 is December of the year before. */
export function lastDayOfMonth(year: number, month: number): IsoDate {
  const y = month <= 0 ? year - 1 : year;
  const m = month <= 0 ? 12 + month : month;
  return `${pad(y, 4)}-${pad(m)}-${pad(daysInMonth(y, m))}`;
}

function toDays(date: IsoDate): number {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function fromDays(days: number): IsoDate {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDays(toDays(date) + n);
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDays(b) - toDays(a);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const wd = new Date(toDays(date) * DAY_MS).getUTCDay();
  return wd === 0 ? 7 : wd;
}
