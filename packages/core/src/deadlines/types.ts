/**
 * A deadline is a rule, not just a date (docs/domain.md, "Deadline rules").
 * Dates are ISO calendar dates `YYYY-MM-DD` (no time zone: the plan's local calendar).
 */
export type IsoDate = string;

/**
 * A month and day without a year (ISO 8601 `--MM-DD`): a dated phrase (`3月31日前`) in a plan
 * whose year is not known yet. It keeps its kind and date until the office sets the year.
 */
export type MonthDay = string;

/** Is this `by` date a month and day still waiting for its year? */
export const isMonthDay = (date: string): boolean => date.startsWith("--");

export type ByRule = {
  kind: "by";
  /** The last day on which the work is on time (inclusive); `--MM-DD` while the year is unknown. */
  date: IsoDate | MonthDay;
  /** How the phrase named the date: a day (3月31日前), a month end (6月底前), the year end (年底前). */
  precision: "day" | "month" | "year";
};

export type AfterRule = {
  kind: "after";
  /** The event the period counts from, as written (文件印发, 决策出台, 会议结束…). */
  event: string;
  amount: number;
  unit: "workingDays" | "days" | "hours";
};

export type RecurringRule = {
  kind: "recurring";
  period: "year" | "halfYear" | "quarter" | "month" | "week";
  /** At least this many times per period. */
  times: number;
};

export type DurationRule = {
  kind: "duration";
  /** A minimum length (聽取意見的期限一般不少於30日): something to check, not a due date. */
  amount: number;
  unit: "days" | "workingDays" | "hours";
};

export type OngoingRule = { kind: "ongoing" };

export type DeadlineRule = ByRule | AfterRule | RecurringRule | DurationRule | OngoingRule;

/** Why a parsed deadline needs a person to look at it. */
export type DeadlineFlag = {
  code: "ambiguousMonth" | "yearUnknown" | "unrecognised" | "pastYear";
  message: string;
};

export type ParsedDeadline = {
  /** The phrase as written in the document. */
  phrase: string;
  rule: DeadlineRule;
  /** The due date when the rule has one on its own (`by` with a year), else null. */
  due: IsoDate | null;
  flags: DeadlineFlag[];
};
