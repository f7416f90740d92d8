/**
 * Schemes the tests share. Expected values in the tests are worked out by hand from these.
 */
import type { AssessmentScheme, Indicator, ScoreRow } from "../../src/index.ts";

const deduction = (code: string, name: string, points: number, per: number): Indicator => ({
  code,
  name,
  points,
  rule: { type: "deduction", per },
});
const veto = (code: string, name: string): Indicator => ({ code, name, rule: { type: "veto" } });
const bonus = (code: string, name: string, points: number): Indicator => ({
  code,
  name,
  points,
  rule: { type: "bonus" },
});

/**
 * The 2019 national inspection of government websites (国办秘函〔2019〕19号《政府网站与政务新媒体检查
 * 指标》), in its three parts: 单项否决指标 (any one fails the site, 不合格); 扣分指标 worth 100
 * (“单项指标扣分之和不超过该项指标总分值”); 加分指标 worth 30 for portal sites, scored only for a site
 * at 80 or more (“80分以上” includes 80 — how the office reads it, per issue 5); below 60 fails.
 * The split of the 100 points between groups and the points per occurrence are illustrative; the
 * rules are the document's. 用户体验 is the inspector's judgement (manual), so a test can reach the
 * boundaries 59.99 and 79.99.
 */
export const websites2019: AssessmentScheme = {
  name: "2019年全国政府网站抽查",
  share: 5,
  bonus: { threshold: 80, cap: 30 },
  grades: [
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    {
      code: "V",
      name: "单项否决指标",
      children: [
        veto("V1", "安全、泄密事故等严重问题"),
        veto("V2", "站点无法访问"),
        veto("V3", "首页不更新"),
        veto("V4", "栏目不更新"),
        veto("V5", "严重错误"),
        veto("V6", "互动回应差"),
      ],
    },
    {
      code: "D",
      name: "扣分指标",
      points: 100,
      children: [
        {
          code: "D1",
          name: "发布解读",
          points: 40,
          children: [
            deduction("D1a", "政务动态", 10, 1),
            deduction("D1b", "信息公开目录", 10, 2),
            deduction("D1c", "政策文件", 10, 2),
            deduction("D1d", "政策解读", 10, 5),
          ],
        },
        {
          code: "D2",
          name: "办事服务",
          points: 25,
          children: [deduction("D2a", "办事指南", 15, 1), deduction("D2b", "在线办理", 10, 5)],
        },
        { code: "D3", name: "互动交流", points: 15, children: [deduction("D3a", "留言办理", 15, 3)] },
        {
          code: "D4",
          name: "功能设计",
          points: 20,
          children: [
            deduction("D4a", "搜索功能", 10, 5),
            { code: "D4b", name: "用户体验", points: 10, rule: { type: "manual" } },
          ],
        },
      ],
    },
    {
      code: "B",
      name: "加分指标",
      points: 30,
      children: [
        bonus("B1", "创新发展", 10),
        bonus("B2", "集约化建设", 10),
        bonus("B3", "数据开放", 10),
        bonus("B4", "智能服务", 10),
      ],
    },
  ],
};

export const websiteLeaves = {
  veto: ["V1", "V2", "V3", "V4", "V5", "V6"],
  deduction: ["D1a", "D1b", "D1c", "D1d", "D2a", "D2b", "D3a", "D4a"],
  manual: ["D4b"],
  bonus: ["B1", "B2", "B3", "B4"],
};

/** A county's 政务公开 table: 组织保障 6, 载体建设 15 (门户网站 6, 新闻发布会 3, 新媒体 6), 政府信息公开 79. */
export const county: AssessmentScheme = {
  name: "县政务公开工作考核",
  share: 4,
  bonus: null,
  grades: [
    { name: "优秀", min: 90 },
    { name: "良好", min: 80 },
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    deduction("A", "组织保障", 6, 2),
    {
      code: "B",
      name: "载体建设",
      points: 15,
      children: [
        deduction("B1", "门户网站", 6, 1),
        deduction("B2", "新闻发布会", 3, 1.5),
        deduction("B3", "新媒体", 6, 2),
      ],
    },
    {
      code: "C",
      name: "政府信息公开",
      points: 79,
      children: [
        deduction("C1", "主动公开", 40, 2),
        deduction("C2", "依申请公开", 20, 5),
        deduction("C3", "政策解读", 19, 1),
      ],
    },
  ],
};

export const countyLeaves = ["A", "B1", "B2", "B3", "C1", "C2", "C3"];

/** Rows for one unit from an object of leaf → value. */
export const rows = (unit: string, values: Record<string, number>): ScoreRow[] =>
  Object.entries(values).map(([indicator, value]) => ({ unit, indicator, value }));
