import { chinaDateTime, localDate } from "@gongkai/core/reports";
import dayjs from "dayjs";
import type { CSSProperties } from "react";

export { periodLabel } from "@gongkai/core/reports";

type DateLike = string | Date | null | undefined;

/** 2023-03-31 */
export const fmtDate = (v: DateLike) => (v ? dayjs(v).format("YYYY-MM-DD") : "—");
/** 2023-03-31 14:05, China time whatever the computer's zone (as downloads and messages say it). */
export const fmtDateTime = (v: DateLike) => (v ? chinaDateTime(new Date(v)) : "—");
/** Today in China (the plans' calendar), whatever the computer's zone: as the server judges lights. */
export const todayIso = () => localDate(new Date());

export function fmtBytes(n: number | null | undefined) {
  if (n === null || n === undefined) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const fmtPercent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** Numbers in tables: right-aligned, tabular figures. */
export const numCell: CSSProperties = { fontVariantNumeric: "tabular-nums" };
