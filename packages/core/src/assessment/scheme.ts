/**
 * The indicator scheme (考核方案 / 评估指标体系): a tree of indicators (一级 / 二级 / 三级指标), each
 * worth points (分值) or a weight (权重), whose leaves carry a scoring rule (评分细则).
 *
 * An assessment scheme is an indicator system plus its share of the performance assessment
 * (`share`, a percent, at least 4 — 黑龙江 2017: 所佔分值權重不應低於4%). Third-party evaluation
 * systems (issue 6) use the same tree without `share`.
 *
 * Tree rules (checked by `schemeProblems`, so by both zod schemas):
 * - a node is *scored*, *bonus* (every leaf below is a `bonus` rule) or *veto* (every leaf below is a
 *   `veto` rule); bonus and veto nodes stand apart from the sums and weights of their siblings;
 * - the scored children of a node (and the scored top-level indicators) either all carry `weight`
 *   (a weighted group: weights sum to 1 ± 1e-6) or none does (a points group: each carries `points`);
 * - a node's scale is its `points`; a weight-only node scores on 0..100;
 * - in a points group the children's points add up to at least the parent's points (a parent caps
 *   the sum: "its children's points add up, capped at this"); less would make the parent unreachable;
 * - codes are unique across the tree; a leaf has a rule, a parent has none;
 * - the tree is at most `MAX_INDICATOR_DEPTH` (12) levels deep: the schemas stop there, so a
 *   tree nested thousands of levels deep is refused with that message, never walked into;
 * - every object is strict: a key the scheme does not know (a typo such as `weihgt`) is an error
 *   naming the key and where it is (`indicators[2].children[0].weihgt`), not dropped silently.
 *
 * Ranking keys (optional, top level; see ranking.ts): `ranking` — `competition` (1, 2, 2, 4, the
 * default), `dense` (1, 2, 2, 3) or `ordinal` (1, 2, 3, 4); `precision` — decimals totals are
 * rounded to before ranking and display, 0..6, default 2; `tieBreak` — for `ordinal` only, the
 * code of a scored first-level indicator whose higher score ranks first among equal totals (then
 * the unit name, in Chinese collation). Absent keys stay absent in the parsed scheme (so the
 * content hash of a scheme without them does not change); the defaults apply when ranking.
 */
import { z } from "zod";
import { type QuotaTies, quotaTiesLabels, quotaTiesRules } from "./grades.ts";

/** Task data the app can compute a rule's value from (the rest is typed or imported). */
export const rateSources = ["onTimeRate", "approvedRate", "evidenceCoverage"] as const;
export const countSources = ["returnedReports", "supervisionNotices", "overdueTasks"] as const;
export type RateSource = (typeof rateSources)[number];
export type CountSource = (typeof countSources)[number];
export const dataSourceLabels: Record<RateSource | CountSource, string> = {
  onTimeRate: "任务按时完成率",
  approvedRate: "进展报告审核通过率",
  evidenceCoverage: "佐证材料覆盖率",
  returnedReports: "被退回的进展报告数",
  supervisionNotices: "收到的督办单数",
  overdueTasks: "逾期任务数",
};

export const ruleTypes = [
  "manual",
  "yesno",
  "levels",
  "deduction",
  "veto",
  "bonus",
  "proportion",
  "evaluation",
] as const;
export type RuleType = (typeof ruleTypes)[number];
export const ruleTypeLabels: Record<RuleType, string> = {
  manual: "人工评分",
  yesno: "是否",
  levels: "分档",
  deduction: "扣分",
  veto: "单项否决",
  bonus: "加分",
  proportion: "比例",
  evaluation: "第三方评估",
};

/**
 * A leaf's scoring rule and the value it takes (per unit), on the leaf's scale `max`
 * (its points, or 0..100 for a weight-only leaf):
 * - manual: points in 0..max;  yesno: 1 → max, 0 → 0;  levels: one of `levels` (fractions) × max;
 * - deduction: a count of occurrences n ≥ 0 → max − per × n, not below 0 (扣完为止);
 * - veto: 1 when triggered (单项否决), 0 when not; the leaf itself is worth nothing;
 * - bonus: points in 0..points (加分), counted apart from the base score;
 * - proportion: a fraction 0..1 (e.g. on-time completion rate) × max;
 * - evaluation: a third-party evaluation total on 0..100, scaled: value / 100 × max.
 */
export type ScoringRule =
  | { type: "manual" }
  | { type: "yesno" }
  | { type: "levels"; levels: number[] }
  | { type: "deduction"; per: number; source?: CountSource | undefined }
  | { type: "veto" }
  | { type: "bonus" }
  | { type: "proportion"; source?: RateSource | undefined }
  | { type: "evaluation"; project?: string | undefined };

export type Indicator = {
  code: string;
  name: string;
  /** 分值: the node's scale; for a parent in a points group, the cap of its children's sum. */
  points?: number | undefined;
  /** 权重: share among weighted siblings (0..1]. */
  weight?: number | undefined;
  rule?: ScoringRule | undefined;
  /** 评分细则 as people read it. */
  criteria?: string | undefined;
  /** 观测点: what an evaluator checks. */
  observationPoints?: string[] | undefined;
  children?: Indicator[] | undefined;
};

/**
 * A grade band (等次), by score, by share or both (see grades.ts): `min` is inclusive (80分以上
 * includes 80); `quotaPercent` caps the band at that percent of the ranked units (优秀 at most
 * 20%), a band without `min` being the top `quotaPercent` by rank; `quotaTies` says where units tied
 * at the quota's boundary go — `down` (default: together to the next band) or `include` (together
 * into this one, past the quota).
 */
export type GradeBand = {
  name: string;
  min?: number | undefined;
  quotaPercent?: number | undefined;
  quotaTies?: QuotaTies | undefined;
};

/** Bonus points (加分) count only when the base score reaches `threshold`, and at most `cap`. */
export type BonusRule = { threshold: number; cap: number };

/** How ties rank (see ranking.ts): 并列占位 1, 2, 2, 4; 并列不占位 1, 2, 2, 3; 不并列 1, 2, 3, 4. */
export const rankingConventions = ["competition", "dense", "ordinal"] as const;
export type RankingConvention = (typeof rankingConventions)[number];
export const rankingLabels: Record<RankingConvention, string> = {
  competition: "并列占位(1, 2, 2, 4)",
  dense: "并列不占位(1, 2, 2, 3)",
  ordinal: "不并列(1, 2, 3, 4,按决胜指标再按单位名称)",
};

export type IndicatorSystem = {
  name: string;
  bonus: BonusRule | null;
  grades: GradeBand[] | null;
  indicators: Indicator[];
  /** Tie convention; `competition` when absent. */
  ranking?: RankingConvention | undefined;
  /** Decimals totals are rounded to before ranking (0..6); 2 when absent. */
  precision?: number | undefined;
  /** `ordinal` only: code of the scored first-level indicator that breaks ties (higher first). */
  tieBreak?: string | undefined;
};

export type AssessmentScheme = IndicatorSystem & {
  /** Percent of the unit's performance assessment (绩效考核), at least 4. */
  share: number;
};

export const MIN_SHARE_PERCENT = 4;
export const WEIGHT_TOLERANCE = 1e-6;
/** Levels an indicator tree may have (一级 … 十二级); real systems have three or four. */
export const MAX_INDICATOR_DEPTH = 12;
export const depthMessage = `指标体系最多 ${MAX_INDICATOR_DEPTH} 级:第 ${MAX_INDICATOR_DEPTH} 级指标不能再有下级指标(children),请检查 children 是否嵌套错了`;

const finite = (what: string) =>
  z.number({ error: `${what}必须是数字` }).refine(Number.isFinite, `${what}必须是有限的数字`);
const text = (what: string) =>
  z
    .string({ error: `${what}必须是文字` })
    .trim()
    .min(1, `${what}不能为空`);

export const scoringRuleSchema: z.ZodType<ScoringRule, ScoringRule> = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("manual") }),
    z.strictObject({ type: z.literal("yesno") }),
    z.strictObject({
      type: z.literal("levels"),
      levels: z
        .array(finite("分档"), { error: "分档规则需要 levels 数组,如 [0, 0.5, 1]" })
        .min(1, "分档规则至少要有一档"),
    }),
    z.strictObject({
      type: z.literal("deduction"),
      per: finite("每次扣分(per)").refine((x) => x > 0, "每次扣分(per)必须大于 0"),
      source: z.enum(countSources).optional(),
    }),
    z.strictObject({ type: z.literal("veto") }),
    z.strictObject({ type: z.literal("bonus") }),
    z.strictObject({ type: z.literal("proportion"), source: z.enum(rateSources).optional() }),
    z.strictObject({ type: z.literal("evaluation"), project: z.string().optional() }),
  ],
  { error: `评分规则 type 必须是 ${ruleTypes.join(" / ")} 之一` },
);

const indicatorFields = {
  code: text("指标编码(code)"),
  name: text("指标名称(name)"),
  points: finite("分值(points)")
    .refine((x) => x >= 0, "分值(points)不能为负数")
    .optional(),
  weight: finite("权重(weight)")
    .refine((x) => x >= 0 && x <= 1, "权重(weight)必须在 0 到 1 之间")
    .optional(),
  rule: scoringRuleSchema.optional(),
  criteria: z.string().optional(),
  observationPoints: z.array(z.string()).optional(),
};

/**
 * The schema of an indicator at `level` (1 = 一级). Built level by level down to
 * `MAX_INDICATOR_DEPTH`, not with `z.lazy`: validation never goes deeper than the limit, whatever
 * the input's depth, and the deepest level refuses children with `depthMessage`.
 */
function indicatorAtLevel(level: number): z.ZodType<Indicator, Indicator> {
  const children =
    level < MAX_INDICATOR_DEPTH
      ? z.array(indicatorAtLevel(level + 1)).optional()
      : z.array(z.unknown()).max(0, depthMessage).optional();
  return z.strictObject({ ...indicatorFields, children }) as z.ZodType<Indicator, Indicator>;
}

export const indicatorSchema: z.ZodType<Indicator, Indicator> = indicatorAtLevel(1);

const gradeBandSchema = z.strictObject({
  name: text("等次名称"),
  min: finite("等次最低分(min)").optional(),
  quotaPercent: finite("等次名额比例(quotaPercent)")
    .refine((x) => x >= 0 && x <= 100, "等次名额比例(quotaPercent)必须在 0 到 100 之间")
    .optional(),
  quotaTies: z
    .enum(quotaTiesRules, {
      error: `名额边界并列规则(quotaTies)必须是 ${quotaTiesRules.map((r) => `${r}(${quotaTiesLabels[r]})`).join("、")} 之一`,
    })
    .optional(),
});

/** The fields of an indicator system (a scheme adds `share`). */
export const systemShape = {
  name: text("方案名称(name)"),
  bonus: z
    .strictObject({
      threshold: finite("加分门槛(bonus.threshold)"),
      cap: finite("加分上限(bonus.cap)").refine((x) => x >= 0, "加分上限(bonus.cap)不能为负数"),
    })
    .nullable()
    .default(null),
  grades: z
    .array(gradeBandSchema)
    .min(1, "等次(grades)不能为空数组,不分等次请填 null")
    .nullable()
    .default(null),
  indicators: z
    .array(indicatorSchema, { error: "方案需要指标列表 indicators" })
    .min(1, "方案至少需要一个指标"),
  ranking: z
    .enum(rankingConventions, {
      error: `排名方式(ranking)必须是 ${rankingConventions.map((r) => `${r}(${rankingLabels[r]})`).join("、")} 之一`,
    })
    .optional(),
  precision: z
    .number({ error: "排名精度(precision)必须是数字,即总分保留的小数位数" })
    .int("排名精度(precision)是小数位数,必须是整数")
    .min(0, "排名精度(precision)不能为负数")
    .max(6, "排名精度(precision)最多 6 位小数")
    .optional(),
  tieBreak: text("决胜指标(tieBreak)").optional(),
};

const addProblems = (system: IndicatorSystem, ctx: z.RefinementCtx) => {
  for (const p of schemeProblems(system)) ctx.addIssue({ code: "custom", message: p.message, path: p.path });
};

/** An indicator system (评估指标体系) without a performance share: third-party evaluations. */
export const indicatorSystemSchema = z.strictObject(systemShape).superRefine(addProblems);

export const shareRuleMessage = (share: number) =>
  `政务公开在绩效考核中的分值权重为 ${share}%,低于 4%:按规定“政务公开分值权重不应低于4%”(黑龙江 2017:所佔分值權重不應低於4%),请把政务公开分值权重(share)调整为不低于 4%。`;

/** The year-end assessment scheme of a unit group: an indicator system plus its share (≥ 4%). */
export const assessmentSchemeSchema = z
  .strictObject({
    ...systemShape,
    share: finite("分值权重(share)")
      .refine((x) => x >= MIN_SHARE_PERCENT, { error: (iss) => shareRuleMessage(Number(iss.input)) })
      .refine((x) => x <= 100, "分值权重(share)是百分数,不能超过 100"),
  })
  .superRefine(addProblems);

export type SchemeProblem = { message: string; path: (string | number)[] };

type Kind = "scored" | "bonus" | "veto";

const label = (n: Indicator) => `指标 ${n.code}「${n.name}」`;
const fmt = (x: number) => String(Number(x.toPrecision(10)));

/** Classifies a node: veto when every leaf below is a veto, bonus when every other leaf is a bonus. */
function kindOf(n: Indicator): Kind | "mixed" {
  const kids = n.children ?? [];
  if (kids.length === 0)
    return n.rule?.type === "veto" ? "veto" : n.rule?.type === "bonus" ? "bonus" : "scored";
  const kinds = new Set(kids.map(kindOf));
  if (kinds.has("mixed")) return "mixed";
  kinds.delete("veto");
  if (kinds.size === 0) return "veto";
  if (kinds.size === 2) return "mixed";
  return kinds.has("bonus") ? "bonus" : "scored";
}

/**
 * Every semantic problem of a (shape-valid) system, in Chinese, naming the indicator code.
 * Empty when the scheme can be scored.
 */
export function schemeProblems(system: IndicatorSystem): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const add = (message: string, path: (string | number)[]) => problems.push({ message, path });
  const seen = new Map<string, string>();

  const checkGroup = (kids: Indicator[], base: (string | number)[], parent: Indicator | null) => {
    const where = parent ? `${label(parent)}的下级指标` : "一级指标";
    const kinds = kids.map(kindOf);
    const scored = kids.map((k, i) => ({ k, i })).filter(({ i }) => kinds[i] === "scored");
    if (parent && kinds.includes("bonus") && kinds.includes("scored")) {
      add(`${where}同时包含加分项和计分指标:请把加分项单独归到一个加分类指标下或设为一级指标。`, base);
    }
    const weighted = scored.filter(({ k }) => k.weight !== undefined);
    if (weighted.length > 0 && weighted.length < scored.length) {
      const without = scored.filter(({ k }) => k.weight === undefined).map(({ k }) => k.code);
      add(`${where}要么都设权重(weight),要么都不设:${without.join("、")} 缺少权重。`, base);
    } else if (weighted.length > 0) {
      const sum = weighted.reduce((s, { k }) => s + (k.weight ?? 0), 0);
      if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
        add(
          `${where}权重合计为 ${fmt(sum)},应为 1:请调整 ${weighted.map(({ k }) => k.code).join("、")} 的权重。`,
          base,
        );
      }
    } else {
      for (const { k, i } of scored) {
        if (k.points === undefined) add(`${label(k)}缺少分值(points)或权重(weight)。`, [...base, i]);
      }
      const cap = parent?.points;
      if (
        parent &&
        cap !== undefined &&
        kindOf(parent) === "scored" &&
        scored.every(({ k }) => k.points !== undefined)
      ) {
        const sum = scored.reduce((s, { k }) => s + (k.points ?? 0), 0);
        if (sum < cap - WEIGHT_TOLERANCE) {
          add(
            `${label(parent)}的下级指标分值合计 ${fmt(sum)} 分,少于其分值 ${fmt(cap)} 分:请补足下级指标分值,或把该指标分值改为 ${fmt(sum)}。`,
            [...base.slice(0, -1), "points"],
          );
        }
      }
    }
    kids.forEach((k, i) => {
      const kind = kinds[i];
      if (kind === "bonus" && k.weight !== undefined) {
        add(`${label(k)}是加分项,按分值(points)计分,不能设权重(weight)。`, [...base, i, "weight"]);
      }
      if (kind === "veto" && ((k.points ?? 0) !== 0 || (k.weight ?? 0) !== 0)) {
        add(`${label(k)}是单项否决项,本身不计分:请删去它的分值或权重。`, [...base, i]);
      }
    });
  };

  const visit = (n: Indicator, path: (string | number)[]) => {
    const first = seen.get(n.code);
    if (first !== undefined)
      add(`指标编码 ${n.code} 重复(「${first}」与「${n.name}」):每个指标的编码必须唯一。`, [...path, "code"]);
    else seen.set(n.code, n.name);
    const kids = n.children ?? [];
    const kind = kindOf(n);
    if (kind === "mixed") return; // reported by the parent's group check
    if (kids.length > 0) {
      if (n.rule) add(`${label(n)}有下级指标,不能设评分规则(rule):规则只写在末级指标上。`, [...path, "rule"]);
      if (kind === "bonus" && n.points === undefined)
        add(`${label(n)}是加分类指标,需要分值(points)作为加分上限。`, path);
      checkGroup(kids, [...path, "children"], n);
      kids.forEach((k, i) => {
        visit(k, [...path, "children", i]);
      });
      return;
    }
    const rule = n.rule;
    if (!rule) {
      add(`${label(n)}是末级指标,缺少评分规则(rule),如 {"type":"manual"}。`, path);
      return;
    }
    if (rule.type === "bonus" && !(n.points !== undefined && n.points > 0)) {
      add(`${label(n)}是加分项,需要大于 0 的分值(points)作为本项加分上限。`, [...path, "points"]);
    }
    if (rule.type === "levels") {
      rule.levels.forEach((lv, i) => {
        if (!(lv >= 0 && lv <= 1)) {
          add(`${label(n)}的分档 ${fmt(lv)} 不在 0 到 1 之间:分档是分值的比例,如 [0, 0.5, 1]。`, [
            ...path,
            "rule",
            "levels",
            i,
          ]);
        }
      });
    }
    if (rule.type !== "veto" && rule.type !== "bonus" && n.points === 0) {
      add(`${label(n)}的分值为 0:请设大于 0 的分值,或删去该指标。`, [...path, "points"]);
    }
  };

  const tops = system.indicators;
  checkGroup(tops, ["indicators"], null);
  tops.forEach((n, i) => {
    visit(n, ["indicators", i]);
  });
  const kinds = tops.map(kindOf);
  kinds.forEach((k, i) => {
    const n = tops[i];
    if (k === "mixed" && n) {
      add(`${label(n)}下同时包含加分项和计分指标:请把加分项单独归到一个加分类指标下或设为一级指标。`, [
        "indicators",
        i,
      ]);
    }
  });
  if (!kinds.includes("scored")) add("方案至少需要一个计分指标(单项否决和加分项之外)。", ["indicators"]);
  if (kinds.includes("bonus") && system.bonus === null) {
    add(
      '方案含加分项,但没有设置加分规则:请填写 bonus,如 {"threshold": 80, "cap": 30}(不设门槛时 threshold 填 0)。',
      ["bonus"],
    );
  }
  if (system.tieBreak !== undefined) {
    const code = system.tieBreak;
    const at = tops.findIndex((n) => n.code === code);
    if (system.ranking !== "ordinal") {
      add(
        `决胜指标(tieBreak)只用于不并列的排名(ranking 为 "ordinal"):并列排名不需要决胜指标,请删去 tieBreak,或把 ranking 设为 "ordinal"。`,
        ["tieBreak"],
      );
    } else if (at < 0 || kinds[at] !== "scored") {
      const scored = tops.filter((_, i) => kinds[i] === "scored").map((n) => n.code);
      add(
        `决胜指标(tieBreak)${code} ${seen.has(code) ? "不是计分的一级指标" : "不在指标体系中"}:请填写一个计分的一级指标编码(${scored.join("、")})。`,
        ["tieBreak"],
      );
    }
  }
  const names = new Set<string>();
  for (const [i, g] of (system.grades ?? []).entries()) {
    if (names.has(g.name)) add(`等次名称「${g.name}」重复:每个等次名称必须唯一。`, ["grades", i, "name"]);
    names.add(g.name);
    if (g.min === undefined && g.quotaPercent === undefined)
      add(
        `等次「${g.name}」既没有最低分(min)也没有名额比例(quotaPercent):请填写其一,如 "min": 90 或 "quotaPercent": 20(排名前 20%)。`,
        ["grades", i],
      );
    if (g.quotaTies !== undefined && g.quotaPercent === undefined)
      add(
        `等次「${g.name}」没有名额比例(quotaPercent),名额边界并列规则(quotaTies)无从适用:请填写 quotaPercent,或删去 quotaTies。`,
        ["grades", i, "quotaTies"],
      );
  }
  return problems;
}
