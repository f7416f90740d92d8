/**
 * The evaluation's shared ground: project access, the indicator tree, the state every view is
 * computed from (loadState) and the results computed from it.
 */
import { createHash } from "node:crypto";
import {
  type CompiledScheme,
  canonicalJson,
  compileScheme,
  DomainError,
  disagreementOfRange,
  type GradeBand,
  type Indicator,
  type IndicatorDetail,
  type IndicatorSystem,
  invalid,
  notFound,
  placeUnits,
  rankingOptionsOf,
  ruleTypeLabels,
  type SchemeNode,
  type ScoringRule,
  scoreLeafNode,
  scoreUnits,
  type UnitScore,
} from "@gongkai/core";
import { and, asc, type Column, eq, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  evaluationAssignments,
  evaluationFinalScores,
  evaluationProjects,
  evaluationScores,
  evaluationUnits,
  storedFiles,
  units,
  users,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { anyInt } from "../any.ts";
import { compiledOnce, compileStored } from "../compiled.ts";
import { fmt } from "../numbers.ts";
import { inScope } from "../units.ts";

export type EvaluationProjectRow = typeof evaluationProjects.$inferSelect;
/** How the actor takes part in a project: the owning office, its lead, or an assigned evaluator. */
export type ProjectAccess = "office" | "lead" | "evaluator";
export type ProjectContext = {
  project: EvaluationProjectRow;
  access: ProjectAccess;
  ownerPath: string | null;
  regionCode: string | null;
};

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
export const DAY_MS = 24 * 60 * 60 * 1000;
export const emptySystem = (name: string): IndicatorSystem => ({
  name,
  bonus: null,
  grades: null,
  indicators: [],
});

// ───────────────────────────── access ─────────────────────────────

/** The project and how the actor takes part in it; NOT_FOUND when the actor has no part in it. */
export async function projectAccess(db: Db, actor: Actor, projectId: number): Promise<ProjectContext> {
  const [row] = await db
    .select({ project: evaluationProjects, ownerPath: units.path, regionCode: units.regionCode })
    .from(evaluationProjects)
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(eq(evaluationProjects.id, projectId));
  if (!row) throw notFound("评估项目");
  const ctx = (access: ProjectAccess): ProjectContext => ({
    project: row.project,
    access,
    ownerPath: row.ownerPath,
    regionCode: row.regionCode,
  });
  if (actor.role === "admin") return ctx("office");
  if (actor.role === "office") {
    if (row.ownerPath && inScope(actor.scopePath, row.ownerPath)) return ctx("office");
    throw notFound("评估项目");
  }
  if (actor.role === "evaluator") {
    if (row.project.leadUserId === actor.userId) return ctx("lead");
    const [assigned] = await db
      .select({ one: sql`1` })
      .from(evaluationAssignments)
      .where(
        and(
          eq(evaluationAssignments.projectId, projectId),
          eq(evaluationAssignments.evaluatorId, actor.userId),
        ),
      )
      .limit(1);
    if (assigned) return ctx("evaluator");
  }
  throw notFound("评估项目");
}

export const isManager = (access: ProjectAccess) => access === "office" || access === "lead";

/** Managing a project (setup, reconciliation, appeals, publishing) is for its office and its lead. */
export function requireManager(p: ProjectContext): void {
  if (!isManager(p.access)) {
    throw new DomainError(
      "FORBIDDEN",
      "只有评估组长或政务公开办可以执行此操作。如需调整,请联系本项目的评估组长。",
    );
  }
}

/** A unit user's view of a project: its unit must be evaluated and the results shown to units. */
export async function unitProjectAccess(db: Db, unitId: number, projectId: number) {
  const [row] = await db
    .select({ project: evaluationProjects, tier: evaluationUnits.tier, regionCode: units.regionCode })
    .from(evaluationProjects)
    .innerJoin(
      evaluationUnits,
      and(eq(evaluationUnits.projectId, evaluationProjects.id), eq(evaluationUnits.unitId, unitId)),
    )
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(eq(evaluationProjects.id, projectId));
  if (!row?.project.resultsShownAt) throw notFound("评估结果");
  return row;
}

// ───────────────────────────── the indicator tree ─────────────────────────────

export type LeafInput =
  | { kind: "number"; min: number; max: number | null; step: number; integer: boolean }
  | { kind: "choice"; options: { value: number; label: string }[] };

export type LeafView = {
  code: string;
  name: string;
  /** Names of the indicators above, from the first level down. */
  path: string[];
  topCode: string;
  /** Points the leaf is worth (its scale; 100 for a weight-only leaf; 0 for a veto). */
  max: number;
  weight: number | null;
  ruleType: ScoringRule["type"];
  ruleLabel: string;
  /** How the evaluator enters the value. */
  input: LeafInput;
  /** What the value means, in a sentence. */
  hint: string;
  criteria: string | null;
  observationPoints: string[];
};

function inputOf(rule: ScoringRule, max: number): { input: LeafInput; hint: string } {
  switch (rule.type) {
    case "manual":
    case "bonus":
      return {
        input: { kind: "number", min: 0, max, step: 0.5, integer: false },
        hint: `填写得分,0 到 ${fmt(max)} 分`,
      };
    case "yesno":
      return {
        input: {
          kind: "choice",
          options: [
            { value: 1, label: `是(${fmt(max)}分)` },
            { value: 0, label: "否(0分)" },
          ],
        },
        hint: `是得 ${fmt(max)} 分,否得 0 分`,
      };
    case "veto":
      return {
        input: {
          kind: "choice",
          options: [
            { value: 0, label: "未触发" },
            { value: 1, label: "触发否决" },
          ],
        },
        hint: "单项否决:触发则该单位评为最低等次",
      };
    case "levels":
      return {
        input: {
          kind: "choice",
          options: rule.levels.map((l) => ({ value: l, label: `${fmt(l * max)}分` })),
        },
        hint: `按档次评分:${rule.levels.map((l) => `${fmt(l * max)}分`).join(" / ")}`,
      };
    case "deduction":
      return {
        input: { kind: "number", min: 0, max: null, step: 1, integer: true },
        hint: `填写发现问题的次数,每次扣 ${fmt(rule.per)} 分,扣完 ${fmt(max)} 分为止`,
      };
    case "proportion":
      return {
        input: { kind: "number", min: 0, max: 1, step: 0.01, integer: false },
        hint: `填写比例(0 到 1),得分 = 比例 × ${fmt(max)} 分`,
      };
    case "evaluation":
      return {
        input: { kind: "number", min: 0, max: 100, step: 0.5, integer: false },
        hint: `填写 0 到 100 的评估得分,折算为 ${fmt(max)} 分`,
      };
  }
}

/** The leaves of a system, in tree order, as the scoring grid shows them. */
export function leavesOf(system: IndicatorSystem, compiled: CompiledScheme | null): LeafView[] {
  if (!compiled) return [];
  const out: LeafView[] = [];
  const walk = (n: Indicator, path: string[], top: string) => {
    const kids = n.children ?? [];
    if (kids.length > 0) {
      for (const k of kids) walk(k, [...path, n.name], top);
      return;
    }
    const node = compiled.byCode.get(n.code);
    const rule = n.rule ?? { type: "manual" };
    const max = node?.max ?? n.points ?? 100;
    out.push({
      code: n.code,
      name: n.name,
      path,
      topCode: top,
      max,
      weight: n.weight ?? null,
      ruleType: rule.type,
      ruleLabel: ruleTypeLabels[rule.type],
      ...inputOf(rule, max),
      criteria: n.criteria ?? null,
      observationPoints: n.observationPoints ?? [],
    });
  };
  for (const n of system.indicators) walk(n, [], n.code);
  return out;
}

/** The system as stored compiled, or null while it has no indicators yet (project in setup). */
export function compiledOf(system: IndicatorSystem): CompiledScheme | null {
  if (!system.indicators || system.indicators.length === 0) return null;
  return compileStored(system);
}

export function requireCompiled(project: EvaluationProjectRow): CompiledScheme {
  const c = compiledOf(project.indicatorSystem);
  if (!c)
    throw invalid("本项目还没有指标体系:请先导入指标体系 .xlsx 或在页面中建立指标体系。", "indicatorSystem");
  return c;
}

/** The same tree with every scored leaf read as points (veto and bonus leaves keep their rules). */
export function pointsSystem(system: IndicatorSystem): IndicatorSystem {
  const map = (n: Indicator): Indicator => {
    const kids = n.children ?? [];
    if (kids.length > 0) return { ...n, children: kids.map(map) };
    const type = n.rule?.type;
    return { ...n, rule: type === "veto" || type === "bonus" ? n.rule : { type: "manual" } };
  };
  return { ...system, indicators: system.indicators.map(map) };
}

/** A leaf of the project's system by its code; throws (in Chinese) for a code that is not one. */
function leafNodeOf(compiled: CompiledScheme, code: string): SchemeNode {
  const node = compiled.byCode.get(code);
  if (!node || node.children.length > 0) {
    throw invalid(`指标 ${code} 不是本项目指标体系中的末级指标:只给末级指标打分。`, "indicatorCode");
  }
  return node;
}

/**
 * A leaf's points for a value as its rule reads it (a veto keeps its 0 or 1); throws (in Chinese)
 * for a value the rule refuses.
 */
function nodePoints(unitName: string, node: SchemeNode, value: number): number {
  const points = scoreLeafNode(unitName, node, value);
  return node.rule?.type === "veto" ? value : points;
}

/** `nodePoints` for a leaf given by its code. */
export function leafPoints(compiled: CompiledScheme, unitName: string, code: string, value: number): number {
  return nodePoints(unitName, leafNodeOf(compiled, code), value);
}

/** A flat list of the indicators, for charts and downloads. */
export type IndicatorInfo = {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  max: number;
  weight: number | null;
};

function indicatorInfo(compiled: CompiledScheme): IndicatorInfo[] {
  return compiled.nodes.map((n) => ({
    code: n.code,
    name: n.name,
    level: n.level,
    parentCode: n.parent === null ? null : (compiled.nodes[n.parent]?.code ?? null),
    max: n.max,
    weight: n.weight,
  }));
}

// ───────────────────────────── project state ─────────────────────────────

/** Which units' evidence (URL, file, time observed, note) `loadState` reads besides the values. */
type EvidenceScope = "none" | { unitIds: number[] };
type EvidenceRow = {
  evidenceUrl: string | null;
  evidenceFileId: number | null;
  evidenceFileName: string | null;
  observedAt: Date | null;
  note: string | null;
};

export type RatingView = {
  evaluatorId: number;
  evaluatorName: string;
  value: number;
  points: number;
  evidenceUrl: string | null;
  evidenceFileId: number | null;
  evidenceFileName: string | null;
  observedAt: string | null;
  note: string | null;
};

export type FinalView = {
  value: number;
  source: "agreed" | "decided";
  reason: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
};

export type CellState = {
  unitId: number;
  code: string;
  ratings: RatingView[];
  flagged: boolean;
  spread: number;
  final: FinalView | null;
};

/**
 * The evidence evaluators recorded, by `${unitId}:${code}:${evaluatorId}`: for every cell of these
 * units, or for these cells (pairs of unit and indicator, matched through `unnest`).
 */
async function evidenceFor(
  db: Db,
  projectId: number,
  which: number[] | { unitIds: number[]; codes: string[] },
) {
  const es = evaluationScores;
  const unitIds = Array.isArray(which) ? which : which.unitIds;
  const inCells = Array.isArray(which)
    ? anyInt(es.unitId, which)
    : sql`(${es.unitId}, ${es.indicatorCode}) in (select * from unnest(${sql.param(which.unitIds)}::int[], ${sql.param(which.codes)}::text[]))`;
  const rows = unitIds.length
    ? await db
        .select({
          unitId: es.unitId,
          indicatorCode: es.indicatorCode,
          evaluatorId: es.evaluatorId,
          evidenceUrl: es.evidenceUrl,
          evidenceFileId: es.evidenceFileId,
          evidenceFileName: storedFiles.fileName,
          observedAt: es.observedAt,
          note: es.note,
        })
        .from(es)
        .leftJoin(storedFiles, eq(storedFiles.id, es.evidenceFileId))
        .where(
          and(
            eq(es.projectId, projectId),
            inCells,
            or(
              isNotNull(es.evidenceUrl),
              isNotNull(es.evidenceFileId),
              isNotNull(es.observedAt),
              isNotNull(es.note),
            ),
          ),
        )
    : [];
  return new Map<string, EvidenceRow>(
    rows.map((e) => [`${e.unitId}:${e.indicatorCode}:${e.evaluatorId}`, e]),
  );
}

/** Fills in the evidence of these cells' ratings (read for these cells only). */
export async function attachEvidence(db: Db, projectId: number, cells: CellState[]) {
  const evidence = await evidenceFor(db, projectId, {
    unitIds: cells.map((c) => c.unitId),
    codes: cells.map((c) => c.code),
  });
  for (const c of cells) {
    for (const r of c.ratings) {
      const e = evidence.get(`${c.unitId}:${c.code}:${r.evaluatorId}`);
      if (!e) continue;
      r.evidenceUrl = e.evidenceUrl;
      r.evidenceFileId = e.evidenceFileId;
      r.evidenceFileName = e.evidenceFileName;
      r.observedAt = iso(e.observedAt);
      r.note = e.note;
    }
  }
}

/**
 * The rows every view of the evaluation is computed from. Values come one row per unit (arrays of
 * indicator, evaluator and value): at province scale that is 3,000 rows, not 900,000 rows of ten
 * columns. Evidence is read only for the cells a view shows it for (`evidence`).
 */
async function readState(
  db: Db,
  project: EvaluationProjectRow,
  evidence: EvidenceScope,
  only: readonly number[] | undefined,
) {
  const compiled = compiledOf(project.indicatorSystem);
  const es = evaluationScores;
  // These units only (every unit of the project when not given).
  const of = (column: Column) => (only ? anyInt(column, only) : undefined);
  // Independent reads, sent together.
  const [unitRows, assignmentRows, valueRows, evidenceOf, finalRows] = await Promise.all([
    db
      .select({ unitId: evaluationUnits.unitId, tier: evaluationUnits.tier, name: units.name })
      .from(evaluationUnits)
      .innerJoin(units, eq(units.id, evaluationUnits.unitId))
      .where(and(eq(evaluationUnits.projectId, project.id), of(evaluationUnits.unitId)))
      .orderBy(asc(units.id)),
    db
      .select({
        unitId: evaluationAssignments.unitId,
        evaluatorId: evaluationAssignments.evaluatorId,
        evaluatorName: users.displayName,
        submittedAt: evaluationAssignments.submittedAt,
      })
      .from(evaluationAssignments)
      .innerJoin(users, eq(users.id, evaluationAssignments.evaluatorId))
      .where(and(eq(evaluationAssignments.projectId, project.id), of(evaluationAssignments.unitId)))
      .orderBy(asc(evaluationAssignments.unitId), asc(evaluationAssignments.evaluatorId)),
    db
      .select({
        unitId: es.unitId,
        codes: sql<string[]>`array_agg(${es.indicatorCode})`,
        evaluators: sql<number[]>`array_agg(${es.evaluatorId})`,
        values: sql<number[]>`array_agg(${es.value})`,
      })
      .from(es)
      .where(and(eq(es.projectId, project.id), of(es.unitId)))
      .groupBy(es.unitId),
    evidence === "none" ? new Map<string, EvidenceRow>() : evidenceFor(db, project.id, evidence.unitIds),
    db
      .select({
        unitId: evaluationFinalScores.unitId,
        indicatorCode: evaluationFinalScores.indicatorCode,
        value: evaluationFinalScores.value,
        reason: evaluationFinalScores.reason,
        decidedByName: users.displayName,
        decidedAt: evaluationFinalScores.decidedAt,
      })
      .from(evaluationFinalScores)
      .leftJoin(users, eq(users.id, evaluationFinalScores.decidedBy))
      .where(and(eq(evaluationFinalScores.projectId, project.id), of(evaluationFinalScores.unitId))),
  ]);

  // A unit is ready once it has evaluators and every one of them has submitted.
  const open = new Map<number, boolean>();
  for (const a of assignmentRows) open.set(a.unitId, (open.get(a.unitId) ?? false) || a.submittedAt === null);
  const ready = new Set(unitRows.filter((u) => open.get(u.unitId) === false).map((u) => u.unitId));
  const leaves = compiled ? leavesOf(project.indicatorSystem, compiled) : [];
  return { compiled, unitRows, assignmentRows, valueRows, evidenceOf, finalRows, ready, leaves };
}

/** Per unit, per leaf: nested maps, no string keys (450,000 cells at province scale). */
const nested = <T>(m: Map<number, Map<string, T>>, unitId: number) => {
  let inner = m.get(unitId);
  if (!inner) {
    inner = new Map();
    m.set(unitId, inner);
  }
  return inner;
};

/** Which cells a view shows (their ratings and evidence built); every other cell is only counted. */
export type KeepCell = (cell: {
  unitId: number;
  code: string;
  flagged: boolean;
  decided: boolean;
  ratings: number;
}) => boolean;

/**
 * A cell's ratings as `loadState` holds them, in evaluator order: the points of its leaf's rule
 * `points[from .. to)`, given by evaluators `raters[from .. to)`. Valid during the call only (the
 * arrays are reused for the next unit).
 */
export type VisitCell = (
  unitId: number,
  leaf: number,
  points: Float64Array,
  raters: Float64Array,
  from: number,
  to: number,
) => void;

/**
 * Everything the evaluation's views are computed from: the final value of every leaf of every
 * ready unit, how many flagged cells await a decision, and the cells a view shows (`keep`; all by
 * default) with their ratings in evaluator order; `visit` sees every cell's ratings without a
 * cell object; `units` limits it all to these units (a unit's state depends on its own rows only).
 * The rules: a rating's points by its leaf's rule; a cell is flagged by the core's rule (a veto
 * cell whenever its evaluators differ); its final value is the lead's decision, else — unflagged —
 * the mean of its points in evaluator order.
 *
 * A unit's ratings are held in typed arrays, a slot per evaluator, reused from unit to unit: at
 * province scale the ranking needs no cell objects, and the 900,000 ratings of 450,000 cells
 * become objects only where a view shows them.
 */
export async function loadState(
  db: Db,
  project: EvaluationProjectRow,
  opts: { evidence?: EvidenceScope; keep?: KeepCell; visit?: VisitCell; units?: readonly number[] } = {},
) {
  const { compiled, unitRows, assignmentRows, valueRows, evidenceOf, finalRows, ready, leaves } =
    await readState(db, project, opts.evidence ?? "none", opts.units);
  const keep = opts.keep ?? (() => true);
  const cells: CellState[] = [];
  // The final value of every cell: row = the unit's place in `unitRows`, column = its leaf; NaN
  // where there is none yet (a unit not ready, a flagged cell not decided).
  const finals = new Float64Array(unitRows.length * leaves.length).fill(Number.NaN);
  let pending = 0;
  let flaggedCells = 0;
  const state = { compiled, leaves, unitRows, assignmentRows, ready, cells, finals };
  if (!compiled) return { ...state, pending, flaggedCells };

  const threshold = project.disagreementThreshold;
  const leafIndex = new Map(leaves.map((l, i) => [l.code, i]));
  // Each leaf's node, looked up once: a rating converts to points without a lookup by its code.
  const leafNode = leaves.map((l) => leafNodeOf(compiled, l.code));
  const evaluatorName = new Map(assignmentRows.map((a) => [a.evaluatorId, a.evaluatorName]));
  const decisions = new Map<number, Map<string, (typeof finalRows)[number]>>();
  for (const f of finalRows) nested(decisions, f.unitId).set(f.indicatorCode, f);
  const valuesOf = new Map(valueRows.map((r) => [r.unitId, r]));
  const assigned = new Map<number, number>();
  for (const a of assignmentRows) assigned.set(a.unitId, (assigned.get(a.unitId) ?? 0) + 1);
  const n = leaves.length;
  let slots = Math.max(1, ...assigned.values());
  const count = new Uint16Array(n);
  let points = new Float64Array(n * slots);
  let raw = new Float64Array(n * slots);
  let raters = new Float64Array(n * slots);
  const widen = (from: Float64Array) => {
    const to = new Float64Array(n * (slots + 1));
    for (let l = 0; l < n; l++) to.set(from.subarray(l * slots, (l + 1) * slots), l * (slots + 1));
    return to;
  };

  for (const [place, u] of unitRows.entries()) {
    if (!ready.has(u.unitId)) continue;
    const row = valuesOf.get(u.unitId);
    count.fill(0);
    for (let i = 0; row && i < row.codes.length; i++) {
      const code = row.codes[i] as string;
      const leaf = leafIndex.get(code);
      if (leaf === undefined) continue;
      const k = count[leaf] as number;
      if (k === slots) {
        // More ratings on a cell than evaluators assigned (an assignment removed after scoring):
        // one more slot per cell, the ratings so far moved over.
        points = widen(points);
        raw = widen(raw);
        raters = widen(raters);
        slots += 1;
      }
      const at = leaf * slots + k;
      raw[at] = Number(row.values[i]);
      points[at] = nodePoints(u.name, leafNode[leaf] as SchemeNode, raw[at] as number);
      raters[at] = Number(row.evaluators[i]);
      count[leaf] = k + 1;
    }
    const finalAt = place * n;
    const decided = decisions.get(u.unitId);
    for (let leaf = 0; leaf < n; leaf++) {
      const { code, ruleType } = leaves[leaf] as LeafView;
      const k = count[leaf] as number;
      const base = leaf * slots;
      // In evaluator order (an insertion sort over a slot or two).
      for (let j = base + 1; j < base + k; j++) {
        const p = points[j] as number;
        const v = raw[j] as number;
        const r = raters[j] as number;
        let i = j - 1;
        for (; i >= base && (raters[i] as number) > r; i--) {
          points[i + 1] = points[i] as number;
          raw[i + 1] = raw[i] as number;
          raters[i + 1] = raters[i] as number;
        }
        points[i + 1] = p;
        raw[i + 1] = v;
        raters[i + 1] = r;
      }
      let sum = 0;
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      for (let j = base; j < base + k; j++) {
        const p = points[j] as number;
        sum += p;
        if (p < low) low = p;
        if (p > high) high = p;
      }
      opts.visit?.(u.unitId, leaf, points, raters, base, base + k);
      const spread = disagreementOfRange(k, low, high, ruleType === "veto" ? 0 : threshold);
      const flagged = spread !== null;
      const decision = decided?.get(code);
      if (flagged) flaggedCells++;
      if (decision) finals[finalAt + leaf] = decision.value;
      else if (!flagged && k > 0) finals[finalAt + leaf] = sum / k;
      else if (flagged) pending++;
      if (!keep({ unitId: u.unitId, code, flagged, decided: decision !== undefined, ratings: k })) continue;

      const ratings: RatingView[] = [];
      for (let j = base; j < base + k; j++) {
        const evaluatorId = raters[j] as number;
        const e = evidenceOf.size ? evidenceOf.get(`${u.unitId}:${code}:${evaluatorId}`) : undefined;
        ratings.push({
          evaluatorId,
          evaluatorName: evaluatorName.get(evaluatorId) ?? "评估人员",
          value: raw[j] as number,
          points: points[j] as number,
          evidenceUrl: e?.evidenceUrl ?? null,
          evidenceFileId: e?.evidenceFileId ?? null,
          evidenceFileName: e?.evidenceFileName ?? null,
          observedAt: iso(e?.observedAt),
          note: e?.note ?? null,
        });
      }
      const final: FinalView | null = decision
        ? {
            value: decision.value,
            source: "decided",
            reason: decision.reason,
            decidedByName: decision.decidedByName,
            decidedAt: iso(decision.decidedAt),
          }
        : !flagged && k > 0
          ? { value: sum / k, source: "agreed", reason: null, decidedByName: null, decidedAt: null }
          : null;
      cells.push({ unitId: u.unitId, code, ratings, flagged, spread: spread ?? 0, final });
    }
  }
  return { ...state, pending, flaggedCells };
}

type State = Awaited<ReturnType<typeof loadState>>;

/** A cell's final value in `state.finals`, or undefined while it has none. */
export function finalValue(state: State, unitId: number, code: string): number | undefined {
  const row = state.unitRows.findIndex((u) => u.unitId === unitId);
  const column = state.leaves.findIndex((l) => l.code === code);
  if (row < 0 || column < 0) return undefined;
  const value = state.finals[row * state.leaves.length + column] as number;
  return Number.isNaN(value) ? undefined : value;
}

export type ResultUnit = {
  unitId: number;
  unitName: string;
  tier: string;
  total: number | null;
  rank: number | null;
  grade: string | null;
  indicators: Record<string, number>;
};

/**
 * The `results` of a published version. The assessment feature reads `units` and `tiers`;
 * `project`, `indicators` and `maxTotal` are there so the public page needs nothing unpublished.
 */
export type EvaluationResults = {
  units: ResultUnit[];
  tiers: string[];
  generatedAt: string;
  project: { id: number; year: number; name: string; organisation: string };
  indicators: IndicatorInfo[];
  maxTotal: number;
  /**
   * The ranking keys the indicator system states (convention, precision, tie-break), present only
   * when it states one: results of a system without them (and every version published before
   * them) are unchanged, and so are their hashes.
   */
  ranking?: Pick<IndicatorSystem, "ranking" | "precision" | "tieBreak">;
  /** The grade bands the system states, present only when it states some (as `ranking`). */
  grades?: GradeBand[];
};

/** The ranking keys a system states, or null when it states none (defaults apply). */
function statedRanking(system: IndicatorSystem): EvaluationResults["ranking"] | null {
  const out: NonNullable<EvaluationResults["ranking"]> = {};
  if (system.ranking !== undefined) out.ranking = system.ranking;
  if (system.precision !== undefined) out.precision = system.precision;
  if (system.tieBreak !== undefined) out.tieBreak = system.tieBreak;
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * Published results with each unit's first-level indicators only (and the first-level indicator
 * list): the summary a version keeps beside its full results for the public ranking page.
 */
export function firstLevelResults(results: EvaluationResults): EvaluationResults {
  const indicators = results.indicators.filter((i) => i.level === 1);
  const codes = indicators.map((i) => i.code);
  return {
    ...results,
    indicators,
    units: results.units.map((u) => {
      const first: Record<string, number> = {};
      for (const code of codes) if (u.indicators[code] !== undefined) first[code] = u.indicators[code];
      return { ...u, indicators: first };
    }),
  };
}

/** What ranking reads of a unit's score; its `indicators` as shown (`rounded`). */
export type RankScore = Pick<UnitScore, "complete" | "vetoed" | "total" | "indicators">;
/** A unit as the ranking lists it. */
export type RankUnit = { unitId: number; name: string; tier: string };

/** The rules results are scored by: every scored leaf read as points (`pointsSystem`). */
export const scoringOf = (project: EvaluationProjectRow) =>
  compiledOnce(`points:${JSON.stringify(project.indicatorSystem)}`, () =>
    compileScheme(pointsSystem(project.indicatorSystem)),
  );

/** Every unit's score from the final values of `state`, in `state.unitRows`' order. */
export function scoreState(scoring: CompiledScheme, state: State, detail: IndicatorDetail): UnitScore[] {
  const unitKeys = state.unitRows.map((u) => String(u.unitId));
  return scoreUnits(
    scoring,
    { units: unitKeys, codes: state.leaves.map((l) => l.code), values: state.finals },
    { units: unitKeys, indicators: detail },
  );
}

/**
 * Ranks the units' scores (`scores[i]` is `list[i]`'s) tier by tier — tiers in the order of their
 * first unit in `list` — and shapes the results; `incomplete` names the units not fully scored.
 */
export function rankResults(
  project: EvaluationProjectRow,
  compiled: CompiledScheme,
  scoring: CompiledScheme,
  list: readonly RankUnit[],
  scores: readonly RankScore[],
  now: Date,
) {
  const tiers: string[] = [];
  const members = new Map<string, number[]>();
  for (const [i, u] of list.entries()) {
    const inTier = members.get(u.tier);
    if (inTier) inTier.push(i);
    else {
      members.set(u.tier, [i]);
      tiers.push(u.tier);
    }
  }
  const resultUnits: ResultUnit[] = [];
  const incomplete: string[] = [];
  const precision = scoring.system.precision;
  for (const tier of tiers) {
    const inTier = members.get(tier) as number[];
    // Ties and unranked units are listed by name (then by id: two units may share a name).
    const {
      order,
      rank,
      grade,
      total: totals,
    } = placeUnits(
      inTier.map((i) => {
        const u = list[i] as RankUnit;
        const score = scores[i] as RankScore;
        return {
          unit: `${u.name}\u0000${u.unitId}`,
          total: score.total,
          vetoed: score.vetoed,
          indicators: score.indicators,
        };
      }),
      rankingOptionsOf(scoring.system),
    );
    for (const k of order) {
      const u = list[inTier[k] as number] as RankUnit;
      const score = scores[inTier[k] as number] as RankScore;
      resultUnits.push({
        unitId: u.unitId,
        unitName: u.name,
        tier,
        // The rounded total that was ranked when the system states a precision.
        total:
          score.total === null ? null : precision === undefined ? r6(score.total) : (totals[k] as number),
        rank: rank[k] as number | null,
        grade: grade[k] as string | null,
        indicators: score.indicators,
      });
      if (!score.complete) incomplete.push(u.name);
    }
  }
  const results: EvaluationResults = {
    units: resultUnits,
    tiers,
    generatedAt: now.toISOString(),
    project: { id: project.id, year: project.year, name: project.name, organisation: project.organisation },
    indicators: indicatorInfo(compiled),
    maxTotal: scoring.max + scoring.bonusCap,
  };
  const stated = statedRanking(scoring.system);
  if (stated) results.ranking = stated;
  if (scoring.system.grades) results.grades = scoring.system.grades;
  return { results, incomplete };
}

/**
 * Scores and ranks the final scores, tier by tier (tiers in the order of their first unit in the
 * directory); each unit's `indicators` holds every indicator, or the first level only (`detail`:
 * what the live ranking table shows).
 */
export function computeResults(
  project: EvaluationProjectRow,
  state: State,
  now: Date,
  detail: IndicatorDetail = "all",
) {
  const compiled = state.compiled ?? requireCompiled(project);
  const scoring = scoringOf(project);
  const list = state.unitRows.map((u) => ({ unitId: u.unitId, name: u.name, tier: u.tier }));
  const scores = scoreState(scoring, state, detail).map((u) =>
    Object.assign(u, { indicators: rounded(u.indicators) }),
  );
  const ranked = rankResults(project, compiled, scoring, list, scores, now);
  return { ...ranked, pending: state.pending };
}

/** Indicators as results show them: to six decimals. */
export function rounded(indicators: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in indicators) out[k] = r6(indicators[k] as number);
  return out;
}

/** The hash of a version: sha256 over the canonical JSON of its `results`, as downloaded. */
export const resultsHash = (results: unknown) =>
  createHash("sha256").update(canonicalJson(results), "utf8").digest("hex");

/** What a version is compared by to tell whether a correction changes anything. */
export const substance = (r: EvaluationResults) =>
  canonicalJson({ units: r.units, tiers: r.tiers, indicators: r.indicators, project: r.project });
