/**
 * Scores units against an indicator system. Semantics (issue 5), at this boundary:
 * - a leaf's value becomes points on the leaf's scale by its rule (see `ScoringRule`);
 * - a points node adds up its children's points, capped at its own points; a weighted node scores
 *   Σ weight × child% on 0..100 (then scaled to its points when it has some);
 * - deductions stop at the indicator's points (扣完为止): a deduction leaf never goes below 0;
 * - the base score adds up the scored top-level indicators (or their weighted sum on 0..100);
 * - bonus points count only when the base score reaches `bonus.threshold` (inclusive) and the unit
 *   is not vetoed, at most `bonus.cap`; so total ≤ max + bonus cap;
 * - any triggered veto (单项否决) marks the unit vetoed; its score is kept for reference, it gets
 *   no bonus, the lowest grade, and ranks after every unit that is not vetoed (see ranking.ts);
 * - a missing score is not a zero: a unit missing a leaf is incomplete (`total` null, unranked).
 *   Bonus leaves are required only when the unit earns the right to bonus points (2019 rule: only a
 *   site at 80 or more goes on to the bonus indicators).
 */
import { invalid } from "../errors.ts";
import type { Indicator, IndicatorSystem, ScoringRule } from "./scheme.ts";
import { parseScorableSystem } from "./schemeParse.ts";

export type NodeKind = "scored" | "bonus" | "veto";

/** One indicator of a compiled scheme; `max` is the scale its score is on. */
export type SchemeNode = {
  index: number;
  code: string;
  name: string;
  /** 1 for a first-level indicator (一级指标). */
  level: number;
  parent: number | null;
  children: number[];
  kind: NodeKind;
  /** The rule of a leaf; null for a parent. */
  rule: ScoringRule | null;
  /** Points of this node, or 100 for a weight-only node; 0 for a veto node. */
  max: number;
  /** 分值 as written (null for a weight-only or veto node). */
  points: number | null;
  weight: number | null;
  /** How the scored children combine: a capped sum of points, or a weighted sum of percentages. */
  mode: "points" | "weighted" | null;
};

export type CompiledScheme = {
  system: IndicatorSystem;
  /** Every node in pre-order (a parent before its children). */
  nodes: SchemeNode[];
  byCode: ReadonlyMap<string, SchemeNode>;
  /** Maximum base score: the sum of the scored top-level points, or 100 when they are weighted. */
  max: number;
  bonusCap: number;
  topMode: "points" | "weighted";
  tops: number[];
};

/** Validates (throws `DomainError`) and flattens a system for scoring many units. */
export function compileScheme(input: IndicatorSystem | unknown): CompiledScheme {
  const system = parseScorableSystem(input);
  const nodes: SchemeNode[] = [];
  const kindOf = (n: Indicator): NodeKind => {
    const kids = n.children ?? [];
    if (kids.length === 0)
      return n.rule?.type === "veto" ? "veto" : n.rule?.type === "bonus" ? "bonus" : "scored";
    const kinds = kids.map(kindOf).filter((k) => k !== "veto");
    if (kinds.length === 0) return "veto";
    return kinds.every((k) => k === "bonus") ? "bonus" : "scored";
  };
  const modeOf = (kids: Indicator[]): "points" | "weighted" =>
    kids.some((k) => kindOf(k) === "scored" && k.weight !== undefined) ? "weighted" : "points";
  const add = (n: Indicator, parent: number | null, level: number): number => {
    const kind = kindOf(n);
    const kids = n.children ?? [];
    const index = nodes.length;
    const node: SchemeNode = {
      index,
      code: n.code,
      name: n.name,
      level,
      parent,
      children: [],
      kind,
      rule: kids.length === 0 ? (n.rule ?? null) : null,
      max: kind === "veto" ? 0 : (n.points ?? 100),
      points: kind === "veto" ? null : (n.points ?? null),
      weight: n.weight ?? null,
      mode: kids.length > 0 ? modeOf(kids) : null,
    };
    nodes.push(node);
    for (const k of kids) node.children.push(add(k, index, level + 1));
    return index;
  };
  const tops = system.indicators.map((n) => add(n, null, 1));
  const topMode = modeOf(system.indicators);
  const scoredTops = tops.map((i) => nodes[i] as SchemeNode).filter((n) => n.kind === "scored");
  const max = topMode === "weighted" ? 100 : scoredTops.reduce((s, n) => s + n.max, 0);
  return {
    system,
    nodes,
    byCode: new Map(nodes.map((n) => [n.code, n])),
    max,
    bonusCap: system.bonus?.cap ?? 0,
    topMode,
    tops,
  };
}

export type ScoreRow = { unit: string; indicator: string; value: number };
/**
 * Leaf values as a matrix: the value of unit `units[u]` for leaf `codes[j]` is
 * `values[u * codes.length + j]`, NaN where the unit has none. The form a store that reads many
 * units at once hands over without a map per unit (3,000 × 150 values at province scale).
 */
export type ScoreMatrix = { units: readonly string[]; codes: readonly string[]; values: Float64Array };
/** Leaf values per unit: unit → leaf code → value (see `ScoringRule` for what a value means). */
export type ScoreValues =
  | ReadonlyMap<string, ReadonlyMap<string, number>>
  | readonly ScoreRow[]
  | ScoreMatrix;
/**
 * Which nodes a unit's `indicators` holds: every scored node, or the first level only (what a
 * ranking table shows; a results page of 3,000 units need not carry 150 leaves each).
 */
export type IndicatorDetail = "all" | "firstLevel";

const isMatrix = (values: ScoreValues): values is ScoreMatrix =>
  !Array.isArray(values) && !(values instanceof Map) && "codes" in values;

export type UnitScore = {
  unit: string;
  /** Every required leaf has a value. */
  complete: boolean;
  /** Required leaves without a value (a missing score is not a zero). */
  missing: string[];
  vetoed: boolean;
  /** Codes of the triggered veto leaves. */
  vetoedBy: string[];
  /** Base score: scored indicators without bonus; partial while incomplete. */
  base: number;
  /** Bonus points earned by the bonus indicators, before threshold and cap. */
  bonusEarned: number;
  /** Bonus points that count: earned, capped, and only from the threshold on. */
  bonus: number;
  /** base + bonus; null while incomplete. */
  total: number | null;
  /** base + bonus of what has been scored so far (equals `total` when complete). */
  partialTotal: number;
  /** Score of every node whose leaves all have values, by code, on the node's scale. */
  indicators: Record<string, number>;
};

const EPS = 1e-9;

/** Groups the array form into the map form; a repeated (unit, indicator) pair is refused. */
export function toScoreMap(
  values: ReadonlyMap<string, ReadonlyMap<string, number>> | readonly ScoreRow[],
): Map<string, Map<string, number>> {
  if (!Array.isArray(values)) return values as Map<string, Map<string, number>>;
  const out = new Map<string, Map<string, number>>();
  for (const r of values as readonly ScoreRow[]) {
    let m = out.get(r.unit);
    if (!m) {
      m = new Map();
      out.set(r.unit, m);
    }
    if (m.has(r.indicator))
      throw invalid(
        `单位「${r.unit}」的指标 ${r.indicator} 有两个得分:每个单位每个指标只能有一个得分,请删去重复的一行。`,
      );
    m.set(r.indicator, r.value);
  }
  return out;
}

const bad = (unit: string, n: SchemeNode, value: number, expected: string) =>
  invalid(
    `单位「${unit}」指标 ${n.code}「${n.name}」的得分 ${value} 无效:${expected}。`,
    `${unit}.${n.code}`,
  );

/**
 * One leaf's score in points from its value, as `scoreUnits` gives it in `indicators` (a veto scores
 * 0: it fails the unit instead). For checking or converting one cell without scoring the whole tree.
 */
export function scoreLeaf(scheme: CompiledScheme, unit: string, code: string, value: number): number {
  const n = scheme.byCode.get(code);
  if (!n || n.children.length > 0)
    throw invalid(`指标 ${code} 不是指标体系中的末级指标:只给末级指标打分。`, `${unit}.${code}`);
  return leafScore(unit, n, value);
}

/**
 * `scoreLeaf` for a leaf already looked up (`scheme.nodes`): for converting many values of the same
 * leaves (900,000 ratings at province scale) without a lookup by code for each.
 */
export function scoreLeafNode(unit: string, node: SchemeNode, value: number): number {
  if (node.children.length > 0 || node.rule === null)
    throw invalid(`指标 ${node.code} 不是指标体系中的末级指标:只给末级指标打分。`, `${unit}.${node.code}`);
  return leafScore(unit, node, value);
}

/** A leaf's score on its own scale, from its value; throws for a value the rule does not allow. */
function leafScore(unit: string, n: SchemeNode, v: number): number {
  const rule = n.rule as ScoringRule;
  if (!Number.isFinite(v)) throw bad(unit, n, v, "必须是数字");
  const max = n.max;
  switch (rule.type) {
    case "manual":
    case "bonus":
      if (v < -EPS || v > max + EPS) throw bad(unit, n, v, `应在 0 到 ${max} 分之间`);
      return Math.min(max, Math.max(0, v));
    case "yesno":
      if (v !== 0 && v !== 1) throw bad(unit, n, v, "是否类指标填 1(是)或 0(否)");
      return v * max;
    case "veto":
      if (v !== 0 && v !== 1) throw bad(unit, n, v, "单项否决填 1(触发否决)或 0(未触发)");
      return 0;
    case "levels": {
      for (const level of rule.levels) if (Math.abs(level - v) <= EPS) return level * max;
      throw bad(unit, n, v, `应为分档 ${rule.levels.join(" / ")} 之一`);
    }
    case "deduction":
      if (v < 0 || !Number.isInteger(v)) throw bad(unit, n, v, "扣分类指标填发现问题的次数(非负整数)");
      return Math.max(0, max - rule.per * v);
    case "proportion":
      if (v < -EPS || v > 1 + EPS) throw bad(unit, n, v, "比例类指标填 0 到 1 之间的比例");
      return Math.min(1, Math.max(0, v)) * max;
    case "evaluation":
      if (v < -EPS || v > 100 + EPS) throw bad(unit, n, v, "第三方评估得分应在 0 到 100 之间");
      return (Math.min(100, Math.max(0, v)) / 100) * max;
  }
}

/**
 * Scores every unit. `opts.units` lists units to report even without any value (they come out
 * incomplete); results follow `opts.units`, then the order units first appear in `values`.
 * A value for a code that is not a leaf of the scheme is refused (a typo would hide a missing score).
 * `opts.indicators` says which nodes each unit's `indicators` holds (all by default).
 */
export function scoreUnits(
  scheme: IndicatorSystem | CompiledScheme,
  values: ScoreValues,
  opts: { units?: readonly string[]; indicators?: IndicatorDetail } = {},
): UnitScore[] {
  const c = "nodes" in scheme && "byCode" in scheme ? scheme : compileScheme(scheme);
  const { nodes } = c;
  const N = nodes.length;
  const notLeaf = (unit: string, code: string) => {
    const n = c.byCode.get(code);
    if (!n)
      return invalid(`单位「${unit}」的得分指向不存在的指标 ${code}:请核对指标编码。`, `${unit}.${code}`);
    if (n.children.length > 0)
      return invalid(
        `单位「${unit}」给指标 ${code}「${n.name}」直接打了分,但它有下级指标:只给末级指标打分。`,
        `${unit}.${code}`,
      );
    return null;
  };

  // Each unit's values by node index (`has` marks a value given, NaN included: it is refused).
  const val = new Float64Array(N);
  const has = new Uint8Array(N);
  let units: string[];
  let fill: (unit: string) => void;
  if (isMatrix(values)) {
    const { codes } = values;
    const width = codes.length;
    if (values.values.length !== values.units.length * width)
      throw invalid("得分矩阵的大小与单位数、指标数对不上:请重新读取得分后再计算。");
    const column = codes.map((code) => c.byCode.get(code)?.index ?? -1);
    const row = new Map(values.units.map((u, i) => [u, i]));
    units = [...new Set([...(opts.units ?? []), ...values.units])];
    fill = (unit) => {
      const r = row.get(unit);
      if (r === undefined) return;
      for (let j = 0; j < width; j++) {
        const v = values.values[r * width + j] as number;
        if (Number.isNaN(v)) continue;
        const at = column[j] as number;
        const refused = at < 0 || (nodes[at] as SchemeNode).children.length > 0;
        if (refused) throw notLeaf(unit, codes[j] as string);
        val[at] = v;
        has[at] = 1;
      }
    };
  } else {
    const byUnit = toScoreMap(values);
    units = [...new Set([...(opts.units ?? []), ...byUnit.keys()])];
    fill = (unit) => {
      const vals = byUnit.get(unit);
      if (!vals) return;
      for (const [code, v] of vals) {
        const error = notLeaf(unit, code);
        if (error) throw error;
        const at = (c.byCode.get(code) as SchemeNode).index;
        val[at] = v;
        has[at] = 1;
      }
    };
  }
  const score = new Float64Array(N);
  const missing = new Int32Array(N);
  const threshold = c.system.bonus?.threshold ?? 0;

  // Post-order over parents: children come after their parent in pre-order, so walk backwards.
  const parents = nodes.filter((n) => n.children.length > 0).reverse();
  const leaves = nodes.filter((n) => n.children.length === 0);
  const topScored = c.tops.map((i) => nodes[i] as SchemeNode).filter((n) => n.kind === "scored");
  const shown = opts.indicators === "firstLevel" ? c.tops.map((i) => nodes[i] as SchemeNode) : nodes;

  return units.map((unit) => {
    has.fill(0);
    fill(unit);
    const vetoedBy: string[] = [];
    for (const n of leaves) {
      if (has[n.index] === 0) {
        score[n.index] = 0;
        missing[n.index] = 1;
        continue;
      }
      const v = val[n.index] as number;
      missing[n.index] = 0;
      score[n.index] = leafScore(unit, n, v);
      if (n.rule?.type === "veto" && v === 1) vetoedBy.push(n.code);
    }
    for (const p of parents) {
      let miss = 0;
      for (const k of p.children) miss += missing[k] as number;
      missing[p.index] = miss;
      score[p.index] = combine(p, nodes, score);
    }
    const base = combineGroup(topScored, c.topMode, score);
    let baseMissing = 0;
    let bonusEarned = 0;
    let bonusMissing = 0;
    for (const i of c.tops) {
      const n = nodes[i] as SchemeNode;
      if (n.kind === "bonus") {
        bonusEarned += score[i] as number;
        bonusMissing += missing[i] as number;
      } else baseMissing += missing[i] as number;
    }
    const vetoed = vetoedBy.length > 0;
    const eligible = !vetoed && baseMissing === 0 && base >= threshold - EPS;
    const bonus = eligible ? Math.min(bonusEarned, c.bonusCap) : 0;
    const complete = baseMissing === 0 && (!eligible || bonusMissing === 0);
    const missingCodes: string[] = [];
    for (const n of leaves) {
      if (missing[n.index] !== 0 && (n.kind !== "bonus" || eligible)) missingCodes.push(n.code);
    }
    const indicators: Record<string, number> = {};
    for (const n of shown) if (missing[n.index] === 0) indicators[n.code] = score[n.index] as number;
    const partialTotal = base + bonus;
    return {
      unit,
      complete,
      missing: missingCodes,
      vetoed,
      vetoedBy,
      base,
      bonusEarned,
      bonus,
      total: complete ? partialTotal : null,
      partialTotal,
      indicators,
    };
  });
}

/** A points group adds up (the caller caps); a weighted group is Σ weight × child% on 0..100. */
function combineGroup(kids: SchemeNode[], mode: "points" | "weighted", score: Float64Array): number {
  let s = 0;
  if (mode === "weighted") {
    for (const k of kids) s += (k.weight ?? 0) * ((score[k.index] as number) / k.max) * 100;
    return s;
  }
  for (const k of kids) s += score[k.index] as number;
  return s;
}

function combine(p: SchemeNode, nodes: SchemeNode[], score: Float64Array): number {
  if (p.kind === "veto") return 0;
  const kids: SchemeNode[] = [];
  for (const i of p.children) {
    const k = nodes[i] as SchemeNode;
    if (k.kind === p.kind) kids.push(k);
  }
  const sum = combineGroup(kids, p.mode ?? "points", score);
  if (p.mode === "weighted") return (sum / 100) * p.max;
  // A points parent caps the sum at its points; a weight-only parent over points children scores
  // the share of their points on 0..100.
  if (p.points === null) {
    const total = kids.reduce((s, k) => s + k.max, 0);
    return total > 0 ? (sum / total) * 100 : 0;
  }
  return Math.min(sum, p.points);
}
