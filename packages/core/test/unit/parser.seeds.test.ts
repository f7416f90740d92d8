import { describe, expect, it } from "vitest";
import { type ParsedPlan, parsePlanDocument, toParseOutput } from "../../src/index.ts";
import { seedExpected, seedNames, seedText } from "./fixtures.ts";

const parse = (name: string) => parsePlanDocument(seedText(name), {});
const task = (plan: ParsedPlan | undefined, section: string | null, code: string) => {
  const t = plan?.tasks.find((x) => x.code === code && (section === null || x.section === section));
  if (!t) throw new Error(`no task ${code} in ${section}`);
  return t;
};

describe("the five seeds parse to what a careful reader wrote down", () => {
  for (const name of seedNames) {
    it(`${name}: every plan, task, unit and deadline`, () => {
      expect(toParseOutput(parse(name)).plans).toEqual(seedExpected(name).plans);
    });
  }
});

describe("what the office sees in the preview", () => {
  it("001 gives exactly its 28 numbered tasks; 总体要求 is preamble", () => {
    const { plans } = parse("001_6b261e1ba6fd1902");
    expect(plans).toHaveLength(1);
    expect(plans[0]?.tasks.map((t) => t.code)).toEqual(Array.from({ length: 28 }, (_, i) => String(i + 1)));
    expect(plans[0]?.tasks.some((t) => t.title === "指导思想" || t.title === "工作目标")).toBe(false);
    expect(plans[0]?.sections.map((s) => s.code)).toEqual(["二", "三", "四", "五"]);
  });

  it("002 is two plans, and 6月前 is flagged rather than guessed silently", () => {
    const { plans } = parse("002_c8b85c001a642098");
    expect(plans.map((p) => p.title)).toEqual([
      "2011年全市政府信息公开工作要点",
      "2011年全市政务公开工作要点",
    ]);
    const first = task(plans[0], null, "一");
    expect(first.deadlines[0]).toMatchObject({ phrase: "6月前", due: "2011-05-31" });
    expect(first.flags.map((f) => f.code)).toContain("ambiguousMonth");
    expect(first.flags.map((f) => f.code)).toContain("vagueUnit");
  });

  it("003 keeps Traditional names as written and flags generated codes and open unit lists", () => {
    const { plans } = parse("003_33391eb50aacad12");
    const plan = plans[0];
    const pub = task(plan, "全面推進“五公開”", "(四)-2");
    expect(pub.lead).toContain("省通信管理局");
    expect(pub.flags.map((f) => f.code)).toEqual(expect.arrayContaining(["unnumbered", "openUnitList"]));
    expect(task(plan, "全面推進“五公開”", "(一)").lead).toEqual(["省政府辦公廳", "各市(地)政府(行署)"]);
    expect(task(plan, "建立健全政務公開工作各項機制", "三是").deadlines[0]?.rule).toEqual({
      kind: "recurring",
      period: "year",
      times: 1,
    });
    expect(task(plan, "及時回應關切", "(五)").deadlines.map((d) => d.rule)).toEqual([
      { kind: "after", event: "", amount: 5, unit: "hours" },
      { kind: "after", event: "", amount: 24, unit: "hours" },
      { kind: "after", event: "", amount: 48, unit: "hours" },
    ]);
  });

  it("004 has no year: the office is told to set one", () => {
    const result = parse("004_dea02f1aa65a5a79");
    expect(result.plans[0]?.year).toBeNull();
    expect(result.warnings.some((w) => w.includes("请指定计划年份"))).toBe(true);
    expect(result.warnings.some((w) => w.includes("强化保障措施") && w.includes("未作为任务"))).toBe(true);
    expect(result.plans[0]?.tasks.every((t) => t.flags.some((f) => f.code === "noUnit"))).toBe(true);
  });

  it("a plan year read from the publish date is reported for checking; a given year is not", () => {
    const text = seedText("000_99825069cb864015");
    expect(parsePlanDocument(text).warnings.some((w) => w.includes("已按发布日期取2019年"))).toBe(true);
    const given = parsePlanDocument(text, { year: 2019 });
    expect(given.plans[0]?.year).toBe(2019);
    expect(given.warnings.some((w) => w.includes("发布日期"))).toBe(false);
  });

  it("every mark points at its text in the original, inside its task", () => {
    for (const name of seedNames) {
      const text = seedText(name);
      for (const plan of parse(name).plans) {
        for (const t of plan.tasks) {
          for (const m of t.marks) {
            expect(text.slice(m.start, m.end)).toBe(m.text);
            expect(m.start >= t.span.start && m.end <= t.span.end).toBe(true);
          }
          for (const u of t.lead) expect(t.marks.some((m) => m.kind === "lead" && m.text === u)).toBe(true);
          for (const d of t.deadlines)
            expect(t.marks.some((m) => m.kind === "deadline" && m.text === d.phrase)).toBe(true);
          expect(t.span.start >= plan.span.start && t.span.end <= plan.span.end).toBe(true);
        }
      }
    }
  });

  it("numbered tasks carry a code mark on the item number", () => {
    const text = seedText("001_6b261e1ba6fd1902");
    const t = task(parse("001_6b261e1ba6fd1902").plans[0], null, "12");
    const code = t.marks.find((m) => m.kind === "code");
    expect(code?.text).toBe("12、");
    expect(text.slice(code?.end ?? 0).startsWith("提高重大行政决策公开集成度")).toBe(true);
  });
});
