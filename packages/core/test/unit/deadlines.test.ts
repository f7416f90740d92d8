import { describe, expect, it } from "vitest";
import {
  dueDateOf,
  parseDeadlinePhrase,
  parseDeadlinePhrases,
  periodsOf,
  WorkingCalendar,
} from "../../src/index.ts";

const y2023 = { year: 2023 };
const one = (text: string, opts = y2023) => {
  const all = parseDeadlinePhrases(text, opts);
  expect(all, text).toHaveLength(1);
  return all[0];
};

describe("deadline phrases in a task's text become rules", () => {
  it.each([
    ["编制目录,并于3月31日前向社会公开", "3月31日前", { kind: "by", date: "2023-03-31", precision: "day" }],
    ["2018年6月底前,出台目录", "2018年6月底前", { kind: "by", date: "2018-06-30", precision: "month" }],
    ["2019年12月底前完成", "2019年12月底前", { kind: "by", date: "2019-12-31", precision: "month" }],
    ["到2023年底,机制趋于完善", "到2023年底", { kind: "by", date: "2023-12-31", precision: "year" }],
    ["年底前完成考核", "年底前", { kind: "by", date: "2023-12-31", precision: "year" }],
    ["未纳入考核的要在年内纳入", "年内", { kind: "by", date: "2023-12-31", precision: "year" }],
    [
      "各地各部门要于2017年年底前建立制度",
      "2017年年底前",
      { kind: "by", date: "2017-12-31", precision: "year" },
    ],
    ["争取到“十三五”期末建成数据库", "到“十三五”期末", { kind: "by", date: "2020-12-31", precision: "year" }],
    ["第三季度末前完成项目库公开", "第三季度末前", { kind: "by", date: "2023-09-30", precision: "month" }],
    ["上半年完成部门预算公开", "上半年", { kind: "by", date: "2023-06-30", precision: "month" }],
    [
      "解读材料应于文件印发后10个工作日内发布",
      "文件印发后10个工作日内",
      { kind: "after", event: "文件印发", amount: 10, unit: "workingDays" },
    ],
    [
      "决策出台后的10个工作日内向社会公开",
      "决策出台后的10个工作日内",
      { kind: "after", event: "决策出台", amount: 10, unit: "workingDays" },
    ],
    [
      "会议主要内容在会议结束后24小时内公开发布",
      "会议结束后24小时内",
      { kind: "after", event: "会议结束", amount: 24, unit: "hours" },
    ],
    [
      "信息自作出行政決定之日起7個工作日內上網公開",
      "自作出行政決定之日起7個工作日內",
      { kind: "after", event: "作出行政決定", amount: 7, unit: "workingDays" },
    ],
    [
      "各部门预决算在批复后20日内公开",
      "批复后20日内",
      { kind: "after", event: "批复", amount: 20, unit: "days" },
    ],
    [
      "压缩企业开办时间至1个工作日内",
      "1个工作日内",
      { kind: "after", event: "", amount: 1, unit: "workingDays" },
    ],
    ["每年至少听取1次工作汇报", "每年至少听取1次", { kind: "recurring", period: "year", times: 1 }],
    ["主要負責人每年至少聽取一次彙報", "每年至少聽取一次", { kind: "recurring", period: "year", times: 1 }],
    [
      "年内邀请公众代表列席本单位决策会议不少于1次",
      "年内邀请公众代表列席本单位决策会议不少于1次",
      { kind: "recurring", period: "year", times: 1 },
    ],
    [
      "年內解讀重要政策措施不少於3次",
      "年內解讀重要政策措施不少於3次",
      { kind: "recurring", period: "year", times: 3 },
    ],
    [
      "每季度要在政府网站公布一次",
      "每季度要在政府网站公布一次",
      { kind: "recurring", period: "quarter", times: 1 },
    ],
    ["按季度公开进展", "按季度", { kind: "recurring", period: "quarter", times: 1 }],
    ["于每年1月31日前公开年度报告", "每年1月31日前", { kind: "recurring", period: "year", times: 1 }],
    [
      "聽取意見的期限一般不少於30日。",
      "聽取意見的期限一般不少於30日",
      { kind: "duration", amount: 30, unit: "days" },
    ],
    [
      "在网站公示,公示期不少于5个工作日",
      "公示期不少于5个工作日",
      { kind: "duration", amount: 5, unit: "workingDays" },
    ],
  ])("%s", (text, phrase, rule) => {
    const d = one(text);
    expect(d?.phrase).toBe(phrase);
    expect(d?.rule).toEqual(rule);
    expect(d?.due).toBe(rule.kind === "by" ? (rule as { date: string }).date : null);
  });

  it("finds every phrase of a sentence, in order", () => {
    const text = "最遲應在5小時內發佈權威信息,在24小時內舉行新聞發佈會,對其他政務輿情應在48小時內予以回應";
    expect(parseDeadlinePhrases(text, y2023).map((d) => d.phrase)).toEqual([
      "最遲應在5小時內",
      "24小時內",
      "48小時內",
    ]);
  });

  it("flags 6月前: end of May or end of June?", () => {
    const d = one("6月前完成市级部门升级改造", { year: 2011 });
    expect(d?.due).toBe("2011-05-31");
    expect(d?.flags.map((f) => f.code)).toEqual(["ambiguousMonth"]);
    expect(d?.flags[0]?.message).toContain("请核对");
  });

  it("keeps a date's month and day when the plan's year is unknown, flagged, instead of inventing a year", () => {
    const d = one("3月31日前向社会公开", { year: null as unknown as number });
    expect(d?.rule).toEqual({ kind: "by", date: "--03-31", precision: "day" });
    expect(d?.due).toBeNull();
    expect(d?.flags.map((f) => f.code)).toEqual(["yearUnknown"]);
    expect(one("6月底前完成", { year: null as unknown as number })?.rule).toEqual({
      kind: "by",
      date: "--06-30",
      precision: "month",
    });
    expect(one("年底前完成", { year: null as unknown as number })?.rule).toEqual({
      kind: "by",
      date: "--12-31",
      precision: "year",
    });
  });

  it("flags a deadline year before the plan's", () => {
    expect(one("2021年6月底前完成")?.flags.map((f) => f.code)).toEqual(["pastYear"]);
  });

  it.each([
    "上海市青浦区徐泾镇人民政府 2023年6月6日",
    "從2017年6月開始,充分運用省內新聞媒體",
    "定期开展规范性文件清理,及时公开清理结果",
    "持续推进政务公开标准化",
    "利用兩年時間,推進基層政務公開",
    "所佔分值權重不應低於4%",
  ])("does not read a deadline into %s", (text) => {
    expect(parseDeadlinePhrases(text, y2023)).toEqual([]);
  });
});

describe("a phrase typed by a person", () => {
  it("reads what it can", () => {
    expect(parseDeadlinePhrase(" 2024年6月底前完成 ", { year: 2024 })).toMatchObject({
      phrase: "2024年6月底前完成",
      rule: { kind: "by", date: "2024-06-30" },
      due: "2024-06-30",
      flags: [],
    });
  });

  it.each([
    ["2024-06-30", "2024-06-30"],
    ["2024年9月1日", "2024-09-01"],
  ])("a date on its own (a spreadsheet cell) is due that day: %s", (phrase, due) => {
    expect(parseDeadlinePhrase(phrase, { year: 2024 })).toMatchObject({
      rule: { kind: "by", date: due },
      due,
      flags: [],
    });
  });

  it.each(["持续推进", "长期坚持", "全年", "常态化开展"])("%s has no due date", (phrase) => {
    expect(parseDeadlinePhrase(phrase, { year: 2024 })).toEqual({
      phrase,
      rule: { kind: "ongoing" },
      due: null,
      flags: [],
    });
  });

  it("marks what it cannot read as ongoing, flagged for a person", () => {
    const d = parseDeadlinePhrase("视上级要求而定", { year: 2024 });
    expect(d.rule).toEqual({ kind: "ongoing" });
    expect(d.flags.map((f) => f.code)).toEqual(["unrecognised"]);
    expect(d.flags[0]?.message).toContain("视上级要求而定");
  });
});

describe("due dates", () => {
  const weekdays = new WorkingCalendar([]);
  it("a by-rule is due on its date; rules without a date have none", () => {
    expect(dueDateOf({ kind: "by", date: "2023-03-31", precision: "day" }, { calendar: weekdays })).toBe(
      "2023-03-31",
    );
    expect(dueDateOf({ kind: "recurring", period: "year", times: 1 }, { calendar: weekdays })).toBeNull();
    expect(dueDateOf({ kind: "duration", amount: 30, unit: "days" }, { calendar: weekdays })).toBeNull();
    expect(dueDateOf({ kind: "ongoing" }, { calendar: weekdays })).toBeNull();
  });

  it("an after-rule needs the event's date", () => {
    const rule = { kind: "after", event: "印发", amount: 3, unit: "workingDays" } as const;
    expect(dueDateOf(rule, { calendar: weekdays })).toBeNull();
    expect(dueDateOf(rule, { eventDate: "2023-06-02", calendar: weekdays })).toBe("2023-06-07");
  });

  it("counts days and hours from the event day", () => {
    const days = { kind: "after", event: "批复", amount: 20, unit: "days" } as const;
    expect(dueDateOf(days, { eventDate: "2023-01-20", calendar: weekdays })).toBe("2023-02-09");
    const hours = (amount: number) => ({ kind: "after", event: "", amount, unit: "hours" }) as const;
    expect(dueDateOf(hours(5), { eventDate: "2023-12-31", calendar: weekdays })).toBe("2023-12-31");
    expect(dueDateOf(hours(24), { eventDate: "2023-12-31", calendar: weekdays })).toBe("2024-01-01");
    expect(dueDateOf(hours(48), { eventDate: "2024-02-28", calendar: weekdays })).toBe("2024-03-01");
  });
});

describe("reporting periods of a recurring rule", () => {
  const rule = (period: "year" | "halfYear" | "quarter" | "month" | "week") =>
    ({ kind: "recurring", period, times: 1 }) as const;
  it("quarters, halves, months and the year", () => {
    expect(periodsOf(rule("quarter"), 2024)).toEqual([
      { start: "2024-01-01", end: "2024-03-31" },
      { start: "2024-04-01", end: "2024-06-30" },
      { start: "2024-07-01", end: "2024-09-30" },
      { start: "2024-10-01", end: "2024-12-31" },
    ]);
    expect(periodsOf(rule("halfYear"), 2023)).toEqual([
      { start: "2023-01-01", end: "2023-06-30" },
      { start: "2023-07-01", end: "2023-12-31" },
    ]);
    expect(periodsOf(rule("month"), 2024)[1]).toEqual({ start: "2024-02-01", end: "2024-02-29" });
    expect(periodsOf(rule("year"), 2023)).toEqual([{ start: "2023-01-01", end: "2023-12-31" }]);
  });

  it("weeks run Monday to Sunday, clipped to the year", () => {
    const weeks = periodsOf(rule("week"), 2023);
    expect(weeks[0]).toEqual({ start: "2023-01-01", end: "2023-01-01" });
    expect(weeks[1]).toEqual({ start: "2023-01-02", end: "2023-01-08" });
    expect(weeks.at(-1)).toEqual({ start: "2023-12-25", end: "2023-12-31" });
    expect(weeks).toHaveLength(53);
  });
});
