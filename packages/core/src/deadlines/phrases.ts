/**
 * Deadline phrases → rules (see the table in docs/domain.md, "Deadline rules").
 *
 * Every pattern runs on the matching mirror (Simplified, half-width) and is a bounded regular
 * expression or a bounded look-around, so a text of any size is scanned in linear time. Phrases
 * are returned as written (offsets map 1:1 to the original).
 *
 * Edge rules:
 * - `3月31日前` → by that day of the plan's year; an explicit year wins (`2018年6月底前`).
 * - `6月底前`, `6月末`, `到6月` → by the month's last day. `6月前` is ambiguous (end of May or end
 *   of June): it becomes the strict reading, the last day of May, flagged `ambiguousMonth`.
 * - `年底前`, `年内`, `到2023年底`, `“十三五”期末` → by the year's last day.
 * - `…后N个工作日内`, `自…之日起N日内`, `N小时内`, `不超过N个工作日` → after an event (the words
 *   before 后 / 之日起, "" when the text names none).
 * - `每年/每季度/每月…(至少)N次`, `年内…不少于N次`, `按季度` → recurring; a bare `每年` means once.
 * - `期限一般不少于30日` → duration (a minimum, not a due date).
 * - Ongoing wording (`持续推进`, `长期坚持`) is only read from a deadline cell or a typed phrase,
 *   never from running text, where 持续推进 is a verb, not a deadline.
 * - Without a year (none in the phrase, the plan's unknown), a date rule keeps its kind and its
 *   month and day (`by` `--03-31`, no due date yet), flagged `yearUnknown`: setting the plan's year
 *   dates it.
 */
import { matchingMirror } from "../parser/normalize.ts";
import { numeralValue } from "../parser/numerals.ts";
import { isoDate, lastDayOfMonth } from "./dates.ts";
import {
  type DeadlineFlag,
  type DeadlineRule,
  isMonthDay,
  type ParsedDeadline,
  type RecurringRule,
} from "./types.ts";

export type DeadlineOptions = { year?: number | null | undefined };

/** A deadline found in a mirror text: offsets into that text. */
export type FoundDeadline = {
  start: number;
  end: number;
  rule: DeadlineRule;
  flags: DeadlineFlag[];
  /** For `after` rules: where the event's name is, so it can be reported as written. */
  event?: { start: number; end: number };
};

const N = "(\\d{1,4}|[零〇○一二两三四五六七八九十百]{1,5})";
const CLAUSE_END = /[,。;:!?\n()]/;
const PUNCT = /[,。;:!?\n()、\s|"“”‘’《》]/;
/** Words that end an event's name when scanning back from 后 (they are not part of the event). */
const EVENT_STOP = new Set([..."在于应要须需并将即均必可由从自对向并且经把被"]);
const EVENT_VERB =
  /(公布|印发|发布|出台|受理|收到|签订|作出|做出|批准|批复|结束|发生|召开|报送|提交|通过|生效|立案|登记)$/;
const HEDGES = /^(原则上|一般|最迟|最长|务必|必须|应当|需要|须|均)/;

const flag = (code: DeadlineFlag["code"], message: string): DeadlineFlag => ({ code, message });

const yearUnknownFlag = (phrase: string) =>
  flag("yearUnknown", `“${phrase}”未写明年份,计划年份也未知:请先确定计划年份再核对该时限。`);

function dated(
  date: string | null,
  precision: "day" | "month" | "year",
  flags: DeadlineFlag[],
): { rule: DeadlineRule; flags: DeadlineFlag[] } | null {
  if (date === null) return null;
  return { rule: { kind: "by", date, precision }, flags };
}

type Ctx = { text: string; year: number | null; out: FoundDeadline[] };

function push(ctx: Ctx, start: number, end: number, r: { rule: DeadlineRule; flags: DeadlineFlag[] } | null) {
  if (r) ctx.out.push({ start, end, rule: r.rule, flags: r.flags });
}

/** A by-rule in year `explicit ?? plan year`; without any year: its month and day + yearUnknown. */
function byInYear(
  ctx: Ctx,
  start: number,
  end: number,
  explicit: number | null,
  make: (year: number) => string | null,
  precision: "day" | "month" | "year",
  extra: DeadlineFlag[] = [],
) {
  const year = explicit ?? ctx.year;
  const phrase = ctx.text.slice(start, end);
  if (year === null) {
    // A leap year, so that 2月29日 survives until the year is known.
    const date = make(2000);
    const flags = [...extra, yearUnknownFlag(phrase)];
    push(
      ctx,
      start,
      end,
      date === null ? null : { rule: { kind: "by", date: `--${date.slice(5)}`, precision }, flags },
    );
    return;
  }
  const flags = [...extra];
  if (explicit !== null && ctx.year !== null && explicit < ctx.year) {
    flags.push(flag("pastYear", `“${phrase}”的年份早于计划年份${ctx.year}年,请核对。`));
  }
  push(ctx, start, end, dated(make(year), precision, flags));
}

const monthValue = (s: string) => {
  const v = numeralValue(s);
  return v !== null && v >= 1 && v <= 12 ? v : null;
};
const yearOf = (s: string | undefined) => (s === undefined ? null : Number(s));

function scanDates(ctx: Ctx) {
  const { text } = ctx;
  // 3月31日前, 到2024年6月30日, 截至9月30日
  for (const m of text.matchAll(
    /(到|截至|截止到|截止)?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(之前|以前|前)?/g,
  )) {
    if (!m[1] && !m[5]) continue;
    const month = Number(m[3]);
    const day = Number(m[4]);
    const start = m.index;
    byInYear(ctx, start, start + m[0].length, yearOf(m[2]), (y) => isoDate(y, month, day), "day");
  }
  // 6月底前, 2018年12月底前, 到6月, 6月前 (ambiguous), 6月中旬前
  for (const m of text.matchAll(
    /(到|截至|截止到|截止)?(?:(\d{4})年)?(\d{1,2}|十[一二]?|[一二三四五六七八九])月(份)?(底|末|上旬|中旬|下旬)?(之前|以前|前)?/g,
  )) {
    const [, prefix, y, mo, , part, before] = m;
    if (!prefix && !part && !before) continue;
    if (part && (part === "上旬" || part === "中旬") && !before) continue;
    const month = monthValue(mo ?? "");
    if (month === null) continue;
    const start = m.index;
    const end = start + m[0].length;
    const after = text[end];
    if (after !== undefined && /[\d一二三四五六七八九十]/.test(after)) continue;
    if (!part && before === undefined && after === "日") continue;
    if (part === "上旬") byInYear(ctx, start, end, yearOf(y), (yy) => isoDate(yy, month, 10), "day");
    else if (part === "中旬") byInYear(ctx, start, end, yearOf(y), (yy) => isoDate(yy, month, 20), "day");
    else if (part || !before)
      byInYear(ctx, start, end, yearOf(y), (yy) => lastDayOfMonth(yy, month), "month");
    else {
      const phrase = text.slice(start, end);
      const ambiguous = flag(
        "ambiguousMonth",
        `“${phrase}”可理解为${month === 1 ? "上年12" : month - 1}月底前或${month}月底前,已按较早的${month === 1 ? "上年12" : month - 1}月底计,请核对。`,
      );
      byInYear(ctx, start, end, yearOf(y), (yy) => lastDayOfMonth(yy, month - 1), "month", [ambiguous]);
    }
  }
  // 年底前, 2018年年底前, 到2023年底, 2020年末
  for (const m of text.matchAll(
    /(到|截至|截止到)?(?:(\d{4})年(?:年底|年末|底|末)|年底|年末)(之前|以前|前)?/g,
  )) {
    const start = m.index;
    if (!m[2] && /[每上去往历前明]/.test(text[start - 1] ?? "")) continue;
    // 2016年末政府债务余额: a point in time a figure is taken at, not a deadline.
    const after = text.slice(start + m[0].length, start + m[0].length + 4);
    if (
      !m[1] &&
      !m[3] &&
      /^[\u4e00-\u9fff]/.test(after) &&
      !/^(完成|实现|基本|全面|前|要|将|力争|建成|形成|达到|出台|公开|发布|制定|建立)/.test(after)
    )
      continue;
    byInYear(ctx, start, start + m[0].length, yearOf(m[2]), (y) => isoDate(y, 12, 31), "year");
  }
  // 年内, 2023年内, 年度内 (not 两年内 / 3年内: a duration)
  for (const m of text.matchAll(/(\d{4})?年度?内/g)) {
    let start = m.index;
    let explicit = yearOf(m[1]);
    const before = text.slice(Math.max(0, start - 5), start);
    const prevYear = /(\d{4})年$/.exec(before);
    if (!m[1] && prevYear) {
      explicit = Number(prevYear[1]);
      start -= prevYear[0].length;
    } else if (!m[1] && /[\d零〇○一二两三四五六七八九十百几多半]$/.test(before)) continue;
    byInYear(ctx, start, m.index + m[0].length, explicit, (y) => isoDate(y, 12, 31), "year");
  }
  // 到“十三五”期末 (five-year plans: 十一五 ends 2010, 十四五 ends 2025)
  for (const m of text.matchAll(/(到)?["“]?十([一二三四五六七八九])五["”]?(?:规划)?(?:期末|末)/g)) {
    const n = 10 + (numeralValue(m[2] ?? "") ?? 0);
    const end = 2010 + 5 * (n - 11);
    push(ctx, m.index, m.index + m[0].length, dated(isoDate(end, 12, 31), "year", []));
  }
  // 上半年, 2024年下半年, 第一季度, 三季度末
  for (const m of text.matchAll(/(?:(\d{4})年)?(上半年|下半年)(底|末)?(之前|以前|前|内)?/g)) {
    if (/[每]/.test(text[m.index - 1] ?? "")) continue;
    const month = m[2] === "上半年" ? 6 : 12;
    byInYear(ctx, m.index, m.index + m[0].length, yearOf(m[1]), (y) => lastDayOfMonth(y, month), "month");
  }
  for (const m of text.matchAll(/(?:(\d{4})年)?(第)?([一二三四1-4])季度(末|底)?(之前|以前|前|内)?/g)) {
    if (!m[2] && !m[4] && !m[5]) continue;
    if (/[每、]/.test(text[m.index - 1] ?? "")) continue;
    const q = numeralValue(m[3] ?? "") ?? 1;
    byInYear(ctx, m.index, m.index + m[0].length, yearOf(m[1]), (y) => lastDayOfMonth(y, q * 3), "month");
  }
  // 到2020年, (a target year named alone)
  for (const m of text.matchAll(/(到|截至|截止到)(\d{4})年(?=[,。;\s]|$)/g)) {
    byInYear(ctx, m.index, m.index + m[0].length, Number(m[2]), (y) => isoDate(y, 12, 31), "year");
  }
}

/** The event before `pos` (the number), scanning back over at most `max` characters. */
function eventBefore(text: string, pos: number): { start: number; event: string; eventStart: number } {
  let j = pos;
  if (text[j - 1] === "的" && /[后起]/.test(text[j - 2] ?? "")) j--;
  let anchored = false;
  for (const anchor of ["之日起", "日起", "之后", "以后", "后", "起"]) {
    if (text.slice(j - anchor.length, j) === anchor) {
      j -= anchor.length;
      anchored = true;
      break;
    }
  }
  const max = anchored ? 16 : 12;
  let k = j;
  while (k > 0 && j - k < max) {
    const c = text[k - 1] as string;
    if (PUNCT.test(c) && c !== "《" && c !== "》" && c !== "“" && c !== "”") break;
    if (EVENT_STOP.has(c)) break;
    k--;
  }
  if (j - k >= max && k > 0 && !PUNCT.test(text[k - 1] as string) && !EVENT_STOP.has(text[k - 1] as string)) {
    // No clear start within reach: name no event rather than half a word.
    return { start: anchored ? j : pos, event: "", eventStart: j };
  }
  let event = text.slice(k, j);
  const hedge = HEDGES.exec(event);
  if (hedge) {
    event = event.slice(hedge[0].length);
    k += hedge[0].length;
  }
  // Without 后 / 之日起, only words that name an event (公布, 印发, 收到…) make one.
  if (!anchored && !EVENT_VERB.test(event)) {
    event = "";
    k = j;
  }
  let start = event === "" && !anchored ? pos : k;
  // 自…之日起 / 从…起: the phrase starts at 自.
  if (anchored && (text[k - 1] === "自" || text[k - 1] === "从")) start = k - 1;
  // 最迟(应)(在): kept with the phrase.
  const lead = /最迟(应当|应)?(在|于)?$/.exec(text.slice(Math.max(0, start - 5), start));
  if (lead && event === "") start -= lead[0].length;
  return { start, event, eventStart: k };
}

function scanAfter(ctx: Ctx) {
  const { text } = ctx;
  const unitOf = (u: string): { unit: "workingDays" | "days" | "hours"; factor: number } =>
    u === "工作日"
      ? { unit: "workingDays", factor: 1 }
      : u === "小时"
        ? { unit: "hours", factor: 1 }
        : u === "周" || u === "星期"
          ? { unit: "days", factor: 7 }
          : { unit: "days", factor: 1 };
  for (const m of text.matchAll(
    // 法定时限(20个工作日)内: the period in brackets before 内.
    new RegExp(`${N}(个)?(工作日|日|天|个小时|小时|周|星期)\\)?(之内|以内|内)`, "g"),
  )) {
    const value = numeralValue(m[1] ?? "");
    if (value === null || value === 0) continue;
    const before = text[m.index - 1] ?? "";
    if (before === "月" || before === "每" || /\d/.test(before)) continue;
    const { unit, factor } = unitOf((m[3] ?? "").replace("个", ""));
    const { start, event, eventStart } = eventBefore(text, m.index);
    ctx.out.push({
      start,
      end: m.index + m[0].length,
      rule: { kind: "after", event, amount: value * factor, unit },
      flags: [],
      event: { start: eventStart, end: eventStart + event.length },
    });
  }
  for (const m of text.matchAll(
    new RegExp(`(不超过|不得超过|最长不超过)${N}(个)?(工作日|日|天|小时)(?!内)`, "g"),
  )) {
    const value = numeralValue(m[2] ?? "");
    if (value === null || value === 0) continue;
    const { unit, factor } = unitOf(m[4] ?? "");
    push(ctx, m.index, m.index + m[0].length, {
      rule: { kind: "after", event: "", amount: value * factor, unit },
      flags: [],
    });
  }
}

const PERIODS: Record<string, RecurringRule["period"]> = {
  年: "year",
  年度: "year",
  半年: "halfYear",
  季度: "quarter",
  季: "quarter",
  月: "month",
  周: "week",
  星期: "week",
};

const TIMES = new RegExp(`(?:至少|不少于|不低于|最少)?${N}(?:次|回|场)`);

/** `(至少)N次` within the same clause after `from` (at most 30 characters): its value and end. */
function timesAfter(text: string, from: number): { times: number; end: number } | null {
  let limit = from;
  while (limit < text.length && limit - from < 30 && !CLAUSE_END.test(text[limit] as string)) limit++;
  const m = TIMES.exec(text.slice(from, limit));
  if (!m) return null;
  const times = numeralValue(m[1] ?? "");
  if (times === null || times === 0) return null;
  return { times, end: from + m.index + m[0].length };
}

function scanRecurring(ctx: Ctx) {
  const { text } = ctx;
  for (const m of text.matchAll(/每(半年|年度|季度|年|季|月|周|星期)/g)) {
    const period = PERIODS[m[1] ?? ""] ?? "year";
    let end = m.index + m[0].length;
    // 每年1月31日前, 每月10日前: a date within each period is part of the phrase.
    const within = /^(\d{1,2}月)?(\d{1,2}日|底|末)?(之前|以前|前)/.exec(text.slice(end, end + 10));
    if (within && (within[1] || within[2])) end += within[0].length;
    const t = timesAfter(text, end);
    push(ctx, m.index, t ? t.end : end, {
      rule: { kind: "recurring", period, times: t ? t.times : 1 },
      flags: [],
    });
  }
  for (const m of text.matchAll(/年内|全年|年度内/g)) {
    if (/[\d零〇○一二两三四五六七八九十百几多]/.test(text[m.index - 1] ?? "")) continue;
    const t = timesAfter(text, m.index + m[0].length);
    if (!t) continue;
    push(ctx, m.index, t.end, { rule: { kind: "recurring", period: "year", times: t.times }, flags: [] });
  }
  for (const m of text.matchAll(/按(季度|季|月|周)(?!份)/g)) {
    push(ctx, m.index, m.index + m[0].length, {
      rule: { kind: "recurring", period: PERIODS[m[1] ?? ""] ?? "month", times: 1 },
      flags: [],
    });
  }
}

function scanDuration(ctx: Ctx) {
  const { text } = ctx;
  for (const m of text.matchAll(
    new RegExp(`(不少于|不得少于|不短于)${N}(个)?(工作日|日|天|小时)(?!内)`, "g"),
  )) {
    const value = numeralValue(m[2] ?? "");
    if (value === null || value === 0) continue;
    const u = m[4] ?? "";
    const unit = u === "工作日" ? "workingDays" : u === "小时" ? "hours" : "days";
    // The thing that lasts (聽取意見的期限一般, 公示期) is part of the phrase.
    let k = m.index;
    while (k > 0 && m.index - k < 12 && !PUNCT.test(text[k - 1] as string)) k--;
    const start = m.index - k >= 12 ? m.index : k;
    push(ctx, start, m.index + m[0].length, { rule: { kind: "duration", amount: value, unit }, flags: [] });
  }
}

/**
 * Every deadline phrase in `mirror` (a matching mirror, see parser/normalize.ts), in text order,
 * without overlaps (the earliest, then the longest, wins).
 */
export function findDeadlines(mirror: string, opts: DeadlineOptions = {}): FoundDeadline[] {
  const ctx: Ctx = { text: mirror, year: opts.year ?? null, out: [] };
  // Cheap look-outs first: most cells and sentences hold none of these words.
  if (/[每按]|年内|全年|年度内/.test(mirror)) scanRecurring(ctx);
  if (/[月年季五]/.test(mirror)) scanDates(ctx);
  if (/内|超过/.test(mirror)) scanAfter(ctx);
  if (/不少于|不得少于|不短于/.test(mirror)) scanDuration(ctx);
  ctx.out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: FoundDeadline[] = [];
  let reach = -1;
  for (const f of ctx.out) {
    if (f.start < reach) continue;
    kept.push(f);
    reach = f.end;
  }
  return kept;
}

/** A found deadline as reported: phrase and event as written in `original` (same offsets as the mirror). */
export function toParsedDeadline(original: string, f: FoundDeadline): ParsedDeadline {
  const rule: DeadlineRule =
    f.rule.kind === "after" && f.event
      ? { ...f.rule, event: original.slice(f.event.start, f.event.end) }
      : f.rule;
  return {
    phrase: original.slice(f.start, f.end),
    rule,
    due: f.rule.kind === "by" && !isMonthDay(f.rule.date) ? f.rule.date : null,
    flags: f.flags,
  };
}

/** `f` with its offsets moved by `by` (found in a slice starting at `by`). */
export function shiftFound(f: FoundDeadline, by: number): FoundDeadline {
  return {
    ...f,
    start: f.start + by,
    end: f.end + by,
    ...(f.event ? { event: { start: f.event.start + by, end: f.event.end + by } } : {}),
  };
}

/** All deadline phrases in a task's text, as written, in order. */
export function parseDeadlinePhrases(text: string, opts: DeadlineOptions = {}): ParsedDeadline[] {
  return findDeadlines(matchingMirror(text), opts).map((f) => toParsedDeadline(text, f));
}

/** Wording that means "no due date": 持续推进, 长期坚持, 常态化, 全年… */
const ONGOING = /持续|长期|常态|全年|常年|动态|及时|随时|适时|经常|日常|不定期/;

export function isOngoingWording(mirror: string): boolean {
  return ONGOING.test(mirror);
}

/**
 * One phrase typed by a person (or one deadline cell). The first rule found wins; a date on its
 * own is `by` that day; wording such as 持续推进 is `ongoing`; anything else is `ongoing` flagged
 * `unrecognised`.
 */
export function parseDeadlinePhrase(phrase: string, opts: DeadlineOptions = {}): ParsedDeadline {
  const text = phrase.trim();
  const mirror = matchingMirror(text);
  const first = findDeadlines(mirror, opts)[0];
  if (first) return { ...toParsedDeadline(text, first), phrase: text };
  // A date on its own (2023-06-30, 2023年6月30日, a spreadsheet date cell) is the day it is due by.
  const date = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(mirror);
  const day = date ? isoDate(Number(date[1]), Number(date[2]), Number(date[3])) : null;
  if (day) {
    const rule: DeadlineRule = { kind: "by", date: day, precision: "day" };
    const past = opts.year != null && Number(date?.[1]) < opts.year;
    const flags = past ? [flag("pastYear", `“${text}”的年份早于计划年份${opts.year}年,请核对。`)] : [];
    return { phrase: text, rule, due: day, flags };
  }
  // A month on its own in a deadline cell (2021年2月公布预算信息): by that month's end.
  const month = /^(?:(\d{4})年)?(\d{1,2})月(?![\d日])(份)?/.exec(mirror);
  if (month) {
    const y = month[1] ? Number(month[1]) : (opts.year ?? null);
    const m = Number(month[2]);
    if (m >= 1 && m <= 12) {
      const date = y === null ? `--${lastDayOfMonth(2001, m).slice(5)}` : lastDayOfMonth(y, m);
      const flags = y === null ? [yearUnknownFlag(text)] : [];
      return {
        phrase: text,
        rule: { kind: "by", date, precision: "month" },
        due: y === null ? null : date,
        flags,
      };
    }
  }
  if (text !== "" && isOngoingWording(mirror))
    return { phrase: text, rule: { kind: "ongoing" }, due: null, flags: [] };
  return {
    phrase: text,
    rule: { kind: "ongoing" },
    due: null,
    flags: [
      flag(
        "unrecognised",
        text === ""
          ? "未填写时限,已按持续推进处理;如有完成时限请填写,例如“6月底前”。"
          : `未能识别时限“${text}”,已按持续推进处理;请改写(例如“6月底前”“每季度”“印发后10个工作日内”)或手动选择规则。`,
      ),
    ],
  };
}
