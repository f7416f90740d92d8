/**
 * The import preview as the office edits it: the server's parse (POST /api/imports/preview),
 * the office's corrections, and how they become the `imports.confirm` input.
 *
 * Unit names are resolved once per name as written (the same name means the same unit
 * everywhere in a document): keep the directory match, pick other units, create a new unit, or
 * drop the name. A task can also drop a name for itself only, and add units of its own.
 */
import type { DeadlineRule } from "@gongkai/core";
import type { AssignmentRole, Category, UnitKind } from "@gongkai/core/domain";
import type { previewImport } from "@gongkai/db";
import { newRequestKey } from "../../lib/request-key.ts";
import type { RouterInputs } from "../../lib/trpc.ts";

export type Preview = Awaited<ReturnType<typeof previewImport>>;
export type PreviewPlan = Preview["plans"][number];
export type PreviewTask = PreviewPlan["tasks"][number];
export type UnitPhrase = PreviewTask["units"]["lead"][number];
export type PhraseMatch = UnitPhrase["match"];
export type PreviewDeadline = PreviewTask["deadlines"][number];
export type ConfirmInput = RouterInputs["imports"]["confirm"];

export const roles = ["lead", "cooperating", "responsible"] as const satisfies readonly AssignmentRole[];
export const roleShort: Record<AssignmentRole, string> = {
  lead: "牵头",
  cooperating: "配合",
  responsible: "责任",
};
/** One colour per role, the same in the source text and in the table. */
export const roleInk: Record<AssignmentRole, { fg: string; bg: string; line: string }> = {
  lead: { fg: "#a8071a", bg: "#fff1f0", line: "#ff4d4f" },
  cooperating: { fg: "#0958d9", bg: "#e6f4ff", line: "#4096ff" },
  responsible: { fg: "#237804", bg: "#f6ffed", line: "#52c41a" },
};

export type Resolution =
  | { kind: "pick"; values: string[] }
  | { kind: "new"; name: string; parentId: number; unitKind: UnitKind }
  | { kind: "drop" }
  /** A match the resolver was unsure of, checked by a person. */
  | { kind: "accept" };

export type PhraseState = "matched" | "unsure" | "unmatched" | "picked" | "new" | "dropped";

export type DraftDeadline = { key: string; phrase: string; original: PreviewDeadline | null };

export type DraftTask = {
  key: string;
  planIndex: number;
  source: PreviewTask;
  code: string;
  title: string;
  content: string;
  sectionIndex: number | null;
  category: Category | null;
  excluded: boolean;
  /** Names dropped from this task only. */
  removed: Record<AssignmentRole, string[]>;
  /** Units or groups added to this task by hand (UnitPicker values `u:1`, `g:2`). */
  extra: Record<AssignmentRole, string[]>;
  deadlines: DraftDeadline[];
};

export type DraftPlan = {
  key: string;
  source: PreviewPlan;
  included: boolean;
  title: string;
  year: number | null;
  docNumber: string;
  issuerUnitId: number | null;
  publishDate: string | null;
  tasks: DraftTask[];
};

export type Draft = {
  plans: DraftPlan[];
  resolutions: Record<string, Resolution>;
  /** Sent with 确认导入: a second click, a retry or a refresh with the same preview imports once. */
  requestKey: string;
};

const emptyRoles = (): Record<AssignmentRole, string[]> => ({ lead: [], cooperating: [], responsible: [] });
let deadlineSeq = 0;
export const newDeadlineKey = () => `d${++deadlineSeq}`;

export function draftFromPreview(preview: Preview): Draft {
  return {
    resolutions: {},
    requestKey: newRequestKey(),
    plans: preview.plans.map((p, pi) => ({
      key: `p${pi}`,
      source: p,
      included: true,
      title: p.title,
      year: p.year,
      docNumber: p.docNumber ?? "",
      issuerUnitId:
        p.issuerMatch?.match.kind === "unit" && p.issuerMatch.match.confident ? p.issuerMatch.match.id : null,
      publishDate: p.publishDate,
      tasks: p.tasks.map((t, ti) => ({
        key: `p${pi}-t${ti}`,
        planIndex: pi,
        source: t,
        code: t.code,
        title: t.title,
        content: t.content,
        sectionIndex: sectionIndexOf(p, t),
        category: null,
        excluded: false,
        removed: emptyRoles(),
        extra: emptyRoles(),
        deadlines: t.deadlines.map((d) => ({ key: newDeadlineKey(), phrase: d.phrase, original: d })),
      })),
    })),
  };
}

function sectionIndexOf(plan: PreviewPlan, task: PreviewTask): number | null {
  if (task.section === null) return null;
  const exact = plan.sections.findIndex((s) => s.title === task.section && s.code === task.sectionCode);
  if (exact >= 0) return exact;
  const byTitle = plan.sections.findIndex((s) => s.title === task.section);
  return byTitle >= 0 ? byTitle : null;
}

/** 一 → 一、 as the plan page shows section headings (`${code}${title}`); (一) stays. */
export function sectionCodeForPlan(code: string): string {
  return /^[一二三四五六七八九十百零〇]+$/.test(code) ? `${code}、` : code;
}

export function sectionLabel(s: { code: string; title: string }): string {
  return `${sectionCodeForPlan(s.code)}${s.title}`;
}

export function phraseState(match: PhraseMatch, r: Resolution | undefined): PhraseState {
  if (r) {
    if (r.kind === "drop") return "dropped";
    if (r.kind === "new") return "new";
    if (r.kind === "pick") return r.values.length ? "picked" : "unmatched";
    if (r.kind === "accept") return match.kind === "none" ? "unmatched" : "matched";
  }
  if (match.kind === "none") return "unmatched";
  return match.confident ? "matched" : "unsure";
}

export const needsAttention = (s: PhraseState) => s === "unmatched" || s === "unsure";

export type NameSummary = {
  name: string;
  match: PhraseMatch;
  state: PhraseState;
  /** Tasks (keys) that use the name, each once. */
  taskKeys: string[];
  roles: AssignmentRole[];
};

/** Every unit name used by the included tasks, in document order. */
export function nameSummaries(draft: Draft): NameSummary[] {
  const out = new Map<string, NameSummary>();
  for (const p of draft.plans) {
    if (!p.included) continue;
    for (const t of p.tasks) {
      if (t.excluded) continue;
      for (const role of roles) {
        for (const ph of t.source.units[role]) {
          if (t.removed[role].includes(ph.name)) continue;
          let s = out.get(ph.name);
          if (!s) {
            s = {
              name: ph.name,
              match: ph.match,
              state: phraseState(ph.match, draft.resolutions[ph.name]),
              taskKeys: [],
              roles: [],
            };
            out.set(ph.name, s);
          }
          if (!s.taskKeys.includes(t.key)) s.taskKeys.push(t.key);
          if (!s.roles.includes(role)) s.roles.push(role);
        }
      }
    }
  }
  return [...out.values()];
}

export type Problem = { planKey: string; taskKey?: string; message: string };

/** What stops the confirm, besides unresolved names. */
export function problemsOf(draft: Draft): Problem[] {
  const out: Problem[] = [];
  const included = draft.plans.filter((p) => p.included);
  if (included.length === 0) out.push({ planKey: "", message: "没有选择要导入的工作要点" });
  for (const p of included) {
    const name = p.title.trim() || "未命名工作要点";
    if (!p.title.trim()) out.push({ planKey: p.key, message: "工作要点标题不能为空" });
    if (p.year === null) out.push({ planKey: p.key, message: `《${name}》没有年度,请填写年度` });
    const tasks = p.tasks.filter((t) => !t.excluded);
    if (tasks.length === 0) out.push({ planKey: p.key, message: `《${name}》没有要导入的任务` });
    for (const t of tasks) {
      if (!t.title.trim())
        out.push({ planKey: p.key, taskKey: t.key, message: `任务 ${t.code || "(无编号)"} 的标题为空` });
    }
  }
  return out;
}

const addPick = (into: { unitIds: number[]; groupIds: number[] }, value: string) => {
  const id = Number(value.slice(2));
  if (!Number.isInteger(id) || id <= 0) return;
  if (value.startsWith("u:") && !into.unitIds.includes(id)) into.unitIds.push(id);
  if (value.startsWith("g:") && !into.groupIds.includes(id)) into.groupIds.push(id);
};

/** The `imports.confirm` input; call only when nothing is unresolved and there are no problems. */
export function confirmInput(draft: Draft, text: string): ConfirmInput {
  const plans = draft.plans.filter((p) => p.included);
  const newUnits = new Map<string, NonNullable<ConfirmInput["newUnits"]>[number]>();
  return {
    requestKey: draft.requestKey,
    plans: plans.map((p) => ({
      title: p.title.trim(),
      year: p.year ?? new Date().getFullYear(),
      docNumber: p.docNumber.trim() || null,
      issuerUnitId: p.issuerUnitId,
      publishDate: p.publishDate,
      sourceText: draft.plans.length === 1 ? text : text.slice(p.source.span.start, p.source.span.end),
      sections: p.source.sections.map((s) => ({ code: sectionCodeForPlan(s.code), title: s.title })),
      tasks: p.tasks
        .filter((t) => !t.excluded)
        .map((t) => {
          const units = Object.fromEntries(
            roles.map((role) => {
              const pick = { unitIds: [] as number[], groupIds: [] as number[], newUnits: [] as string[] };
              for (const ph of t.source.units[role]) {
                if (t.removed[role].includes(ph.name)) continue;
                const r = draft.resolutions[ph.name];
                const state = phraseState(ph.match, r);
                if (state === "picked" && r?.kind === "pick") for (const v of r.values) addPick(pick, v);
                else if (state === "new" && r?.kind === "new") {
                  if (!pick.newUnits.includes(r.name)) pick.newUnits.push(r.name);
                  if (!newUnits.has(r.name))
                    newUnits.set(r.name, { name: r.name, parentId: r.parentId, kind: r.unitKind });
                } else if ((state === "matched" || state === "unsure") && ph.match.kind !== "none")
                  addPick(pick, `${ph.match.kind === "unit" ? "u" : "g"}:${ph.match.id}`);
              }
              for (const v of t.extra[role]) addPick(pick, v);
              return [role, pick];
            }),
          ) as ConfirmInput["plans"][number]["tasks"][number]["units"];
          return {
            sectionIndex: t.sectionIndex,
            code: t.code.trim(),
            title: t.title.trim(),
            content: t.content.trim(),
            category: t.category,
            units,
            // No rule: the server parses each phrase against the plan's year (as the preview
            // showed it) and keeps its flags, so 待核实 deadlines stay marked on the plan page.
            deadlines: t.deadlines.filter((d) => d.phrase.trim()).map((d) => ({ phrase: d.phrase.trim() })),
          };
        }),
    })),
    newUnits: [...newUnits.values()],
  };
}

/** A best guess at what kind of unit a name is, for 新建单位. */
export function guessUnitKind(name: string): UnitKind {
  if (/(居委|居民委员会|社区)/.test(name)) return "community";
  if (/村(民委员会|委会)?$/.test(name)) return "village";
  if (/(街道|街道办事处|[镇乡](人民政府)?)$/.test(name)) return "town";
  if (/(人民政府|政府|行署)$/.test(name)) return "government";
  if (/(公司|集团|银行|医院|学校|学院|大学)$/.test(name)) return "enterprise";
  return "department";
}

export const matchHowLabels: Record<string, string> = {
  exact: "名称一致",
  alias: "简称或别名",
  variant: "繁简体或写法不同",
  shortForm: "简称",
  fuzzy: "名称相近",
};

const periodLabels: Record<string, string> = {
  year: "年",
  halfYear: "半年",
  quarter: "季度",
  month: "月",
  week: "周",
};
const amountUnitLabels: Record<string, string> = { workingDays: "个工作日", days: "天", hours: "小时" };

/** A deadline rule in words, e.g. 文件印发后 10 个工作日内. */
export function ruleText(rule: DeadlineRule): string {
  switch (rule.kind) {
    case "by":
      return `${rule.date} 前`;
    case "after":
      return `${rule.event}后 ${rule.amount} ${amountUnitLabels[rule.unit] ?? rule.unit}内`;
    case "recurring":
      return `每${periodLabels[rule.period] ?? rule.period}至少 ${rule.times} 次`;
    case "duration":
      return `不少于 ${rule.amount} ${amountUnitLabels[rule.unit] ?? rule.unit}`;
    case "ongoing":
      return "持续推进";
  }
}
