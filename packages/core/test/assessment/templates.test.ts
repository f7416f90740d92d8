/**
 * Indicator-system templates (issue 18, item 4): each is a valid system whose points add up as its
 * source prints them, and scores a unit whose total was worked out by hand from the source's rules.
 */
import { describe, expect, it } from "vitest";
import {
  assess,
  type Indicator,
  parseIndicatorSystem,
  type SchemeTemplate,
  type ScoreRow,
  schemeTemplates,
} from "../../src/index.ts";

const template = (id: string): SchemeTemplate => {
  const t = schemeTemplates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};
const rows = (unit: string, values: Record<string, number>): ScoreRow[] =>
  Object.entries(values).map(([indicator, value]) => ({ unit, indicator, value }));
const byUnit = (id: string, values: ScoreRow[]) =>
  new Map(assess(template(id).system, values).units.map((u) => [u.unit, u]));

describe("scheme templates", () => {
  it("each is a valid indicator system with a source address", () => {
    expect(schemeTemplates.map((t) => t.id)).toEqual([
      "gov-websites-2019",
      "county-departments-disclosure",
      "sichuan-city-departments",
    ]);
    for (const t of schemeTemplates) {
      expect(parseIndicatorSystem(t.system)).toEqual(t.system);
      expect(t.source.url).toMatch(/^https?:\/\//);
    }
  });

  it("point totals add up as the sources print them", () => {
    const sum = (list: Indicator[] | undefined) => (list ?? []).reduce((s, n) => s + (n.points ?? 0), 0);
    const tops = (id: string) => template(id).system.indicators;
    // 国办秘函〔2019〕19号: 扣分指标 100 分, 加分指标 30 分.
    expect(tops("gov-websites-2019").find((n) => n.name === "扣分指标")?.points).toBe(100);
    expect(tops("gov-websites-2019").find((n) => n.name === "加分指标")?.points).toBe(30);
    // The county table: 6 + 15 + 79 = 100, each category the sum of its rows.
    const county = tops("county-departments-disclosure");
    expect(county.map((n) => n.points)).toEqual([6, 15, 79]);
    for (const n of county) expect(sum(n.children)).toBe(n.points);
    // The Sichuan city table: 15 + 65 + 20 = 100.
    const city = tops("sichuan-city-departments");
    expect(city.map((n) => n.points)).toEqual([15, 65, 20]);
    for (const n of city.filter((x) => x.children)) expect(sum(n.children)).toBe(n.points);
  });

  it("the 2019 website indicators: deductions from 100, bonus only from 80, a veto fails the site", () => {
    const none = { "1.1": 0, "1.2": 0, "1.3": 0, "1.4": 0, "1.5": 0 };
    const units = byUnit("gov-websites-2019", [
      // 扣 12 → 88 ≥ 80, so its 10 bonus points count: 98, 合格.
      ...rows("甲站", { ...none, "2": 12, "3": 10 }),
      // 扣 25 → 75 < 80: the bonus does not count: 75, 合格.
      ...rows("乙站", { ...none, "2": 25, "3": 10 }),
      // 扣 45 → 55: 不合格.
      ...rows("丁站", { ...none, "2": 45, "3": 0 }),
      // 网站不更新 (单项否决): 不合格 whatever else, ranked last.
      ...rows("丙站", { ...none, "1.2": 1, "2": 0, "3": 30 }),
    ]);
    expect(units.get("甲站")).toMatchObject({ total: 98, bonus: 10, grade: "合格", rank: 1 });
    expect(units.get("乙站")).toMatchObject({ total: 75, bonus: 0, grade: "合格", rank: 2 });
    expect(units.get("丁站")).toMatchObject({ total: 55, grade: "不合格", rank: 3 });
    expect(units.get("丙站")).toMatchObject({ vetoed: true, vetoedBy: ["1.2"], grade: "不合格", rank: 4 });
  });

  it("the county table scores a department row by row", () => {
    // 组织保障 2 + 0 + 1.5 = 3.5; 载体 5 + 3 + 4 = 12; 信息公开 22+2+4+5+2+20+1+4+6+2 = 68; total 83.5.
    const unit = byUnit(
      "county-departments-disclosure",
      rows("县教育局", {
        "1.1": 1,
        "1.2": 0,
        "1.3": 1.5,
        "2.1": 5,
        "2.2": 3,
        "2.3": 4,
        "3.1": 22,
        "3.2": 2,
        "3.3": 4,
        "3.4": 5,
        "3.5": 2,
        "3.6": 20,
        "3.7": 1,
        "3.8": 4,
        "3.9": 6,
        "3.10": 2,
      }),
    ).get("县教育局");
    expect(unit?.indicators).toMatchObject({ "1": 3.5, "2": 12, "3": 68 });
    expect(unit?.total).toBe(83.5);
  });

  it("the Sichuan city table scores a department row by row", () => {
    // 组织领导 8 + 5 = 13; 公开内容 5 + 7 + 9.5 + 12 + 20 = 53.5; 制度建设 16; total 82.5.
    const unit = byUnit(
      "sichuan-city-departments",
      rows("市统计局", { "1.1": 8, "1.2": 5, "2.1": 5, "2.2": 7, "2.3": 9.5, "2.4": 12, "2.5": 20, "3": 16 }),
    ).get("市统计局");
    expect(unit?.indicators).toMatchObject({ "1": 13, "2": 53.5, "3": 16 });
    expect(unit?.total).toBe(82.5);
  });
});
