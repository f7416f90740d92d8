import { localDate } from "@gongkai/core";

/** The year of the demo plan's document (徐府〔2023〕32号) and of the year of work written for it. */
export const documentYear = 2023;

/**
 * The demo's calendar. The demo plan is 徐泾镇's 2023 要点, a real document, with a year of work
 * written for it. A newcomer opens the demo on some day of some year, and lights, reminders and the
 * trend only mean something if the plan is that year's: so the document's years are moved to
 * `year` (2023 → year, 2022 → year − 1, 2024 → year + 1), in dates, periods and text alike, and
 * what would fall after `asOf` has not happened yet. Without a year the demo keeps the document's
 * (tests name its dates); without `asOf` every event happens.
 */
export type DemoClock = {
  year: number;
  asOf: Date | null;
  /** A date, a timestamp or a period (`2023-Q4`) moved to the demo's year. */
  date(iso: string): string;
  /** A timestamp moved to the demo's year. */
  at(iso: string): Date;
  /** The same, but no later than `asOf` (work under way: done so far). */
  soFar(iso: string): Date;
  /** A day moved, but no later than the day of `asOf`. */
  daySoFar(day: string): string;
  /** Whether a moment (given in the document's years) has come by `asOf`. */
  happened(iso: string): boolean;
  /** Years written in text (2023年, 〔2023〕, 2024年3月) moved. */
  text(s: string): string;
};

export function demoClock(opts: { year?: number; asOf?: Date } = {}): DemoClock {
  const year = opts.year ?? documentYear;
  const asOf = opts.asOf ?? null;
  const shift = year - documentYear;
  const move = (y: string) => String(Number(y) + shift);
  const date = (iso: string) => iso.replace(/^(\d{4})/, (y) => move(y));
  const at = (iso: string) => new Date(date(iso));
  return {
    year,
    asOf,
    date,
    at,
    soFar: (iso) => {
      const d = at(iso);
      return asOf && d > asOf ? asOf : d;
    },
    daySoFar: (day) => {
      const d = date(day);
      const today = asOf ? localDate(asOf) : null;
      return today && d > today ? today : d;
    },
    happened: (iso) => !asOf || at(iso) <= asOf,
    // A year is four digits before 年 or 〕 (2023年, 〔2023〕), and only the years around the
    // document's: not 2000 in “2000字”, not a law's year. Addresses are left as published.
    text: (s) => (shift === 0 ? s : s.replace(/(?<!\d)(20(?:19|2\d))(?=年|〕)/g, move)),
  };
}

/**
 * The year a demo loaded at `now` lives in: this year from March on; in January and February the
 * year just ended, whose reports are being closed and whose assessment is under way — a plan
 * published that June with nothing done yet would show nothing to a newcomer.
 */
export function demoYearAt(now: Date): number {
  const today = localDate(now);
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= "03-01" ? year : year - 1;
}
