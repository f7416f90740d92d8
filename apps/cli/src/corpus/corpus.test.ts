/**
 * The importer on real documents (corpus/README.md): the share of fields read right must stay at
 * or above the target, every document is scored, and documents that are not plans give
 * no task and say why. The scorer itself is tested on small cases with known answers.
 */
import { describe, expect, it } from "vitest";
import { corpusEntries, runCorpus } from "./run.ts";
import { align, type Expected, scoreDocument } from "./score.ts";

describe("pnpm corpus", { timeout: 120_000 }, () => {
  it("reads at least 97% of the fields of at least 50 real documents, every one of them scored", async () => {
    const entries = corpusEntries();
    const r = await runCorpus(entries);
    const share = r.correct / r.fields;
    console.info(
      `[corpus] ${r.documents.length} documents, ${r.correct}/${r.fields} fields = ${(share * 100).toFixed(1)}%`,
    );
    expect(entries.length).toBeGreaterThanOrEqual(50);
    expect(r.documents.map((d) => d.id)).toEqual(entries.map((e) => e.id));
    expect(r.documents.every((d) => d.score.fields > 0)).toBe(true);
    expect(share).toBeGreaterThanOrEqual(0.97);
  });

  it("gives no task for a document that is not a plan, and says why in Chinese", async () => {
    const notPlans = corpusEntries().filter((e) => e.expected.kind === "notPlan");
    expect(notPlans.length).toBeGreaterThanOrEqual(5);
    const r = await runCorpus(notPlans);
    for (const d of r.documents) expect(d.score.misses, d.id).toEqual([]);
  });
});

const plan = (tasks: Expected["tasks"]): Expected => ({
  source: "test",
  kind: "plan",
  level: "县",
  year: 2023,
  script: "简体",
  layouts: [],
  plan: { title: "2023年政务公开工作要点", year: 2023, docNumber: "某政办〔2023〕1号" },
  tasks,
});
const task = (code: string, title: string, extra: Partial<Expected["tasks"][number]> = {}) => ({
  code,
  title,
  lead: [],
  cooperating: [],
  responsible: [],
  deadlines: [],
  ...extra,
});
const got = (code: string, title: string, extra: Record<string, unknown> = {}) => ({
  code,
  section: null,
  title,
  content: title,
  lead: [] as string[],
  cooperating: [] as string[],
  responsible: [] as string[],
  deadlines: [] as {
    phrase: string;
    kind: "by" | "after" | "recurring" | "duration" | "ongoing";
    due: string | null;
  }[],
  ...extra,
});

describe("the corpus scorer", () => {
  it("aligns tasks in order, so one missed task does not shift the rest", () => {
    const want = [task("1", "公开决策事项目录"), task("2", "做好政策解读"), task("3", "规范依申请公开")];
    expect(align(want, [got("1", "公开决策事项目录"), got("3", "规范依申请公开")])).toEqual([
      [0, 0],
      [2, 1],
    ]);
  });

  it("counts six fields a task, three a plan, one an invented task; brackets, script and pinyin do not matter", () => {
    const s = scoreDocument(
      {
        plans: [
          {
            title: "2023年政务公開(kāi)工作要点",
            year: 2023,
            docNumber: "某政办[2023]1号",
            issuer: null,
            cites: [],
            tasks: [got("（一）", "推进决策公开", { lead: ["县政府办"] }), got("（二）", "不是任务的一行")],
          },
        ],
      },
      plan([task("(一)", "推進決策公開", { lead: ["縣政府辦"] })]),
    );
    expect(s.fields).toBe(3 + 6 + 1);
    expect(s.correct).toBe(9);
    expect(s.misses.map((m) => m.field)).toEqual(["extra"]);
  });

  it("accepts either reading of 6月前, and a month and day when the year is unknown", () => {
    const want = plan([
      task("1", "公开目录", { deadlines: [{ kind: "by", due: "2023-05-31", ambiguous: true }] }),
      task("2", "更新指南", { deadlines: [{ kind: "by", due: "--03-31" }] }),
    ]);
    const s = scoreDocument(
      {
        plans: [
          {
            title: "2023年政务公开工作要点",
            year: 2023,
            docNumber: "某政办〔2023〕1号",
            issuer: null,
            cites: [],
            tasks: [
              got("1", "公开目录", { deadlines: [{ phrase: "6月前", kind: "by", due: "2023-06-30" }] }),
              got("2", "更新指南", {
                deadlines: [{ phrase: "3月31日前", kind: "by", due: null, monthDay: "03-31" }],
              }),
            ],
          },
        ],
      },
      want,
    );
    expect(s.misses).toEqual([]);
  });
});
