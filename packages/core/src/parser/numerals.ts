/** Chinese and Arabic numerals as written in plans: 3, 十, 二十一, 两, 一百零五, 二〇一一 (digit by digit). */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  "○": 0,
  Ｏ: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };

/** Characters that can appear in a Chinese numeral. */
export const CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千";

/** The value of a numeral, or null if `s` is not one. */
export function numeralValue(s: string): number | null {
  if (s.length === 0) return null;
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let current = 0;
  let sawUnit = false;
  for (const c of s) {
    const d = DIGITS[c];
    if (d !== undefined) {
      current = d;
      continue;
    }
    const u = UNITS[c];
    if (u === undefined) return null;
    sawUnit = true;
    total += (current === 0 && u === 10 ? 1 : current) * u;
    current = 0;
  }
  if (!sawUnit && s.length > 1) {
    // 二〇一一 style: digit by digit.
    let v = 0;
    for (const c of s) {
      const d = DIGITS[c];
      if (d === undefined) return null;
      v = v * 10 + d;
    }
    return v;
  }
  return total + current;
}
