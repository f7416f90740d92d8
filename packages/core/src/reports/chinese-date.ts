import type { IsoDate } from "../deadlines/types.ts";

const digits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1–31 as 公文 writes a month or day: 七, 十, 十二, 二十, 二十一, 三十一. */
function smallNumber(n: number): string {
  if (n < 10) return digits[n] ?? "";
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : digits[tens]}十${ones === 0 ? "" : digits[ones]}`;
}

/**
 * A date as a 公文 signs it (GB/T 9704-2012 成文日期): the year digit by digit with 〇 for zero,
 * month and day in words without a leading zero — 2026-12-07 → 二〇二六年十二月七日.
 */
export function chineseDate(date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  const [, y = "", mo = "", d = ""] = m;
  const year = [...y].map((c) => digits[Number(c)]).join("");
  return `${year}年${smallNumber(Number(mo))}月${smallNumber(Number(d))}日`;
}
