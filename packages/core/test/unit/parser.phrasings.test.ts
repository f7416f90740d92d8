/**
 * Phrasings and layouts the importer issue lists that the public corpus (corpus/) does not show
 * yet. Each case is a short text in that phrasing with the reading a person would enter; the
 * expected values come from reading the text, not from the parser.
 */
import { describe, expect, it } from "vitest";
import { parsePlanDocument, toParseOutput } from "../../src/index.ts";

const tasksOf = (text: string, year = 2023) =>
  toParseOutput(parsePlanDocument(text, { year })).plans.flatMap((p) => p.tasks);
const roles = (t: { lead: string[]; cooperating: string[]; responsible: string[] } | undefined) =>
  t ? { lead: t.lead, cooperating: t.cooperating, responsible: t.responsible } : null;

describe("unit phrases", () => {
  it("reads 主办 / 协办 columns as lead and cooperating", () => {
    const [t] = tasksOf(
      "2023年政务公开任务分工表\n序号 | 工作任务 | 主办 | 协办 | 完成时限\n1 | 公开重大行政决策事项目录 | 县政府办 | 县司法局 | 3月31日前",
    );
    expect(roles(t)).toEqual({ lead: ["县政府办"], cooperating: ["县司法局"], responsible: [] });
    expect(t?.deadlines.map((d) => d.due)).toEqual(["2023-03-31"]);
  });

  it("follows a rule the document states once: 逗号前为牵头单位", () => {
    const text = [
      "2023年某县政务公开工作要点",
      "(责任单位中逗号前为牵头单位,下同)",
      "一、推进决策公开",
      "1.公开重大行政决策事项目录。(县政府办,县司法局、县发改委)",
      "2.做好政策解读。(县政府办)",
    ].join("\n");
    const [a, b] = tasksOf(text);
    expect(roles(a)).toEqual({ lead: ["县政府办"], cooperating: [], responsible: ["县司法局", "县发改委"] });
    expect(roles(b)).toEqual({ lead: [], cooperating: [], responsible: ["县政府办"] });
  });

  it("keeps numbered unit names (网格1、网格2) as units, not item numbers", () => {
    const [t] = tasksOf(
      "2023年某社区政务公开工作要点\n一、公开网格服务信息\n1.公开网格员名单和联系方式。(责任单位:网格1、网格2、网格3)",
    );
    expect(t?.responsible).toEqual(["网格1", "网格2", "网格3"]);
  });

  it("leaves notes inside a unit list out (以下均需各县市区落实, 不再逐一列出)", () => {
    const [t] = tasksOf(
      "2023年某市政务公开工作要点\n一、推进决策公开\n1.公开决策事项目录。(牵头单位:市政府办公室;责任单位:市直各部门,以下均需各县市区落实,不再逐一列出)",
    );
    expect(roles(t)).toEqual({ lead: ["市政府办公室"], cooperating: [], responsible: ["市直各部门"] });
  });

  it("splits a cell 办公室牵头,各科室配合 into roles, with no role word left in a name", () => {
    const [t] = tasksOf(
      "某局2023年政务公开任务清单\n序号 | 工作任务 | 责任科室\n1 | 更新政府信息公开指南 | 办公室牵头,各科室配合",
    );
    expect(roles(t)).toEqual({ lead: ["办公室"], cooperating: ["各科室"], responsible: [] });
  });

  it("reads 此项工作由X负责,Y配合 and (X、Y分别负责落实)", () => {
    const [a, b] = tasksOf(
      "2023年某市政务公开工作要点\n一、推进公开\n(一)编制年度报告。此项工作由市政府办公室负责,市监察局配合。\n(二)公开财政预决算。(市财政局、市审计局分别负责落实)",
    );
    expect(roles(a)).toEqual({ lead: ["市政府办公室"], cooperating: ["市监察局"], responsible: [] });
    expect(roles(b)).toEqual({ lead: [], cooperating: [], responsible: ["市财政局", "市审计局"] });
  });
});

describe("table rows", () => {
  it("takes the item number, not the row number, when both are columns (4 | 12. | …)", () => {
    const tasks = tasksOf(
      "某县2023年政务公开任务分工表\n序号 | 要点编号 | 工作任务 | 责任单位\n4 | 12. | 公开财政预决算信息 | 县财政局\n5 | 13. | 公开重大建设项目信息 | 县发改委",
    );
    expect(tasks.map((t) => t.code)).toEqual(["12", "13"]);
    expect(tasks.map((t) => t.responsible)).toEqual([["县财政局"], ["县发改委"]]);
  });

  it("reads an item number glued to a year (5.2020年8月底前…) as item 5 with its deadline", () => {
    const tasks = tasksOf(
      "2020年某县政务公开工作要点\n一、推进公开\n4.公开权责清单。(县政府办负责)\n5.2020年8月底前完成政务公开专区建设。(县政务服务中心负责)",
      2020,
    );
    expect(tasks.map((t) => t.code)).toEqual(["4.", "5."]);
    expect(tasks[1]?.deadlines.map((d) => d.due)).toEqual(["2020-08-31"]);
  });
});

describe("when the plan's year is unknown", () => {
  it("keeps a dated phrase as a month and day, not as ongoing", () => {
    const out = toParseOutput(
      parsePlanDocument("某局政务公开工作要点\n一、推进公开\n1.公开部门预算。3月31日前完成。(办公室负责)"),
    );
    expect(out.plans[0]?.year).toBeNull();
    expect(out.plans[0]?.tasks[0]?.deadlines).toEqual([
      { phrase: "3月31日前", kind: "by", due: null, monthDay: "03-31" },
    ]);
  });
});

describe("sanity", () => {
  it("makes no task of an item with no text (50,000 lines of 一、)", () => {
    const out = parsePlanDocument(`2023年政务公开工作要点\n${"一、\n".repeat(50_000)}`, { year: 2023 });
    expect(out.plans.flatMap((p) => p.tasks)).toEqual([]);
    expect(out.warnings.join("")).toMatch(/没有识别到任务|没有/);
  });

  it("says why a document gave no task", () => {
    const out = parsePlanDocument(
      "某县政务公开工作考核办法\n一、考核内容\n(一)信息公开(30分)\n(二)政策解读(20分)\n(三)回应关切(20分)\n(四)平台建设(30分)",
    );
    expect(out.plans).toEqual([]);
    expect(out.warnings[0]).toMatch(/考核办法或评分细则/);
  });
});
