import { describe, expect, it } from "vitest";
import { suggestUpperTasks } from "./links.ts";

// Three tasks of 《2024年青浦区政务公开工作要点》 (青府办发〔2024〕14号), shortened, as published.
const upper = [
  {
    key: "a",
    code: "(一)",
    title: "深化政策集成式发布成果",
    content:
      "围绕涉外政策等领域的市级门户集成发布的第二批政策主题,以“一件事、一类事”为视角做好跨层级、跨部门、跨区域政策的集中归集与展示相关工作。",
  },
  {
    key: "b",
    code: "(二)",
    title: "开展“政策解读提升年”活动",
    content:
      "坚持政策解读与政策文件同步起草、同步审签、同步发布的“三同步”要求,将政策解读放到与政策制定同等重要位置。健全政策全周期解读工作机制。",
  },
  {
    key: "c",
    code: "(三)",
    title: "优化政策推送与订阅服务",
    content:
      "结合政策目标受众标签特点和实际需求,综合运用“四类推送法”,通过“一网通办”个人及企业专属空间开展精准推送或者订阅服务。",
  },
];

describe("suggestUpperTasks", () => {
  it("puts first the upper task a bureau's task carries out, and marks what they share", () => {
    // 青浦区经济委员会's task 5, as published: it carries out the district's (一).
    const lower = {
      title: "深化政策集成式发布",
      content: "对照主动公开公文库,对策文件做到“应归尽归”,及时查漏补缺。加强“惠企政策”内容审核。",
    };
    const [first] = suggestUpperTasks(lower, upper);
    expect(first?.key).toBe("a");
    expect(first?.terms[0]).toBe("深化政策集成式发布");
    expect(first?.strong).toBe(true);
    // The marks point at the same words in both texts.
    const [s, e] = first?.marks.upper.title[0] ?? [0, 0];
    expect(upper[0]?.title.slice(s, e)).toBe("深化政策集成式发布");
  });

  it("ranks a 三同步 task under the district's 政策解读 task, not under 政策推送", () => {
    const lower = {
      title: "做好政策解读",
      content: "落实政策解读与政策文件同步起草、同步审签、同步发布要求,对行政规范性文件均要开展解读。",
    };
    expect(suggestUpperTasks(lower, upper).map((s) => s.key)[0]).toBe("b");
  });

  it("reads a Traditional lower task against a Simplified upper plan", () => {
    const lower = { title: "優化政策推送與訂閱服務", content: "開展精準推送。" };
    expect(suggestUpperTasks(lower, upper)[0]?.key).toBe("c");
  });

  it("suggests nothing when nothing is shared, and nothing from an empty plan", () => {
    expect(suggestUpperTasks({ title: "安全生产检查", content: "消防演练" }, upper)).toEqual([]);
    expect(suggestUpperTasks({ title: "深化政策集成式发布", content: "" }, [])).toEqual([]);
  });

  it("does not mark words every upper task uses", () => {
    const lower = { title: "加强政策宣传", content: "" };
    const got = suggestUpperTasks(lower, upper);
    // 政策 is in all three upper tasks: it may rank, but it is no evidence to show.
    for (const s of got) expect(s.terms).not.toContain("政策");
    // Sharing a word or two is a hint for a person, not a link to accept in bulk.
    expect(got.some((s) => s.strong)).toBe(false);
  });
});
