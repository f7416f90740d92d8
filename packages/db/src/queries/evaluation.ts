/**
 * Third-party evaluation (第三方评估): projects, evaluators scoring cells (unit × leaf indicator)
 * with evidence, reconciliation of two evaluators, appeals, and published (frozen, hashed) results.
 *
 * Access (checked by the API's project middleware through `projectAccess`):
 * - the office owning the project (its owner unit lies in the office's scope; an admin everywhere)
 *   and the project's lead evaluator manage it;
 * - an evaluator assigned to units sees the project and only those units;
 * - everyone else gets NOT_FOUND: the project's existence is not revealed.
 *
 * Values. An evaluator enters a cell's value as its rule reads it (points for 人工评分, 1/0 for 是否,
 * a level, a count of problems for 扣分 …). Everything after that — disagreement, final scores,
 * totals — is in points on the leaf's scale (a 单项否决 leaf keeps 1/0): the final scores are scored
 * by the same tree with every scored leaf read as points (`pointsSystem`).
 *
 * Edge rules:
 * - a unit is *ready* once every evaluator assigned to it has submitted it; before that no one sees
 *   one evaluator's values next to another's (not even the lead, who may score too);
 * - a cell of a ready unit is flagged when its evaluators differ by more than the threshold in
 *   points (a veto cell whenever they differ); the lead's decision (or an accepted appeal) sets it,
 *   otherwise it is the mean of its evaluators' points;
 * - a published version is frozen: its `results` are stored as published and hashed as
 *   sha256(canonicalJson(results)); a correction is version N+1 with a reason.
 */
import { createHash } from "node:crypto";
import {
  agreement,
  type CompiledScheme,
  canonicalJson,
  compileScheme,
  conflict,
  DomainError,
  disagreement,
  type Indicator,
  type IndicatorSystem,
  invalid,
  notFound,
  parseIndicatorSystem,
  type RankedUnit,
  type Rating,
  rankUnits,
  ruleTypeLabels,
  type ScoringRule,
  scoreLeaf,
  scoreUnits,
  type UnitScore,
} from "@gongkai/core";
import { and, asc, desc, eq, inArray, isNotNull, like, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  evaluationAppeals,
  evaluationAssignments,
  evaluationFinalScores,
  evaluationProjects,
  evaluationResults,
  evaluationScores,
  evaluationUnits,
  storedFiles,
  units,
  users,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyInt } from "./any.ts";
import { recordAudit } from "./audit.ts";
import { inScope } from "./units.ts";

export type EvaluationProjectRow = typeof evaluationProjects.$inferSelect;
/** How the actor takes part in a project: the owning office, its lead, or an assigned evaluator. */
export type ProjectAccess = "office" | "lead" | "evaluator";
export type ProjectContext = {
  project: EvaluationProjectRow;
  access: ProjectAccess;
  ownerPath: string | null;
  regionCode: string | null;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const DAY_MS = 24 * 60 * 60 * 1000;
const emptySystem = (name: string): IndicatorSystem => ({ name, bonus: null, grades: null, indicators: [] });

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

const fmt = (x: number) => String(Number(x.toPrecision(10)));

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
function compiledOf(system: IndicatorSystem): CompiledScheme | null {
  if (!system.indicators || system.indicators.length === 0) return null;
  return compileScheme(system);
}

function requireCompiled(project: EvaluationProjectRow): CompiledScheme {
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

/** A leaf's points for a value as its rule reads it; throws (in Chinese) for a value the rule refuses. */
function leafPoints(compiled: CompiledScheme, unitName: string, code: string, value: number): number {
  const node = compiled.byCode.get(code);
  if (!node || node.children.length > 0) {
    throw invalid(`指标 ${code} 不是本项目指标体系中的末级指标:只给末级指标打分。`, "indicatorCode");
  }
  const points = scoreLeaf(compiled, unitName, code, value);
  return node.rule?.type === "veto" ? value : points;
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
async function attachEvidence(db: Db, projectId: number, cells: CellState[]) {
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
 * Everything the evaluation's views are computed from. Values come one row per unit (arrays of
 * indicator, evaluator and value): at province scale that is 3,000 rows, not 900,000 rows of ten
 * columns. Evidence is read only for the cells a view shows it for (`evidence`).
 */
async function loadState(db: Db, project: EvaluationProjectRow, evidence: EvidenceScope = "none") {
  const compiled = compiledOf(project.indicatorSystem);
  const unitRows = await db
    .select({ unitId: evaluationUnits.unitId, tier: evaluationUnits.tier, name: units.name })
    .from(evaluationUnits)
    .innerJoin(units, eq(units.id, evaluationUnits.unitId))
    .where(eq(evaluationUnits.projectId, project.id))
    .orderBy(asc(units.id));
  const assignmentRows = await db
    .select({
      unitId: evaluationAssignments.unitId,
      evaluatorId: evaluationAssignments.evaluatorId,
      evaluatorName: users.displayName,
      submittedAt: evaluationAssignments.submittedAt,
    })
    .from(evaluationAssignments)
    .innerJoin(users, eq(users.id, evaluationAssignments.evaluatorId))
    .where(eq(evaluationAssignments.projectId, project.id))
    .orderBy(asc(evaluationAssignments.unitId), asc(evaluationAssignments.evaluatorId));
  const es = evaluationScores;
  const valueRows = await db
    .select({
      unitId: es.unitId,
      codes: sql<string[]>`array_agg(${es.indicatorCode})`,
      evaluators: sql<number[]>`array_agg(${es.evaluatorId})`,
      values: sql<number[]>`array_agg(${es.value})`,
    })
    .from(es)
    .where(eq(es.projectId, project.id))
    .groupBy(es.unitId);
  const evidenceOf =
    evidence === "none"
      ? new Map<string, EvidenceRow>()
      : await evidenceFor(db, project.id, evidence.unitIds);
  const finalRows = await db
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
    .where(eq(evaluationFinalScores.projectId, project.id));

  const byUnit = new Map<number, typeof assignmentRows>();
  for (const a of assignmentRows) byUnit.set(a.unitId, [...(byUnit.get(a.unitId) ?? []), a]);
  const ready = new Set(
    unitRows
      .filter((u) => {
        const list = byUnit.get(u.unitId) ?? [];
        return list.length > 0 && list.every((a) => a.submittedAt !== null);
      })
      .map((u) => u.unitId),
  );
  const unitName = new Map(unitRows.map((u) => [u.unitId, u.name]));
  const leaves = compiled ? leavesOf(project.indicatorSystem, compiled) : [];
  const leafByCode = new Map(leaves.map((l) => [l.code, l]));
  // Per unit, per leaf: nested maps, no string keys (450,000 cells at province scale).
  const nested = <T>(m: Map<number, Map<string, T>>, unitId: number) => {
    let inner = m.get(unitId);
    if (!inner) {
      inner = new Map();
      m.set(unitId, inner);
    }
    return inner;
  };
  const evaluatorName = new Map(assignmentRows.map((a) => [a.evaluatorId, a.evaluatorName]));
  const ratings = new Map<number, Map<string, RatingView[]>>();
  for (const row of valueRows) {
    if (!ready.has(row.unitId) || !compiled) continue;
    const name = unitName.get(row.unitId) ?? "";
    const mine = nested(ratings, row.unitId);
    for (let i = 0; i < row.codes.length; i++) {
      const code = row.codes[i] as string;
      if (!leafByCode.has(code)) continue;
      const evaluatorId = Number(row.evaluators[i]);
      const value = Number(row.values[i]);
      const e = evidenceOf.size ? evidenceOf.get(`${row.unitId}:${code}:${evaluatorId}`) : undefined;
      const rating: RatingView = {
        evaluatorId,
        evaluatorName: evaluatorName.get(evaluatorId) ?? "评估人员",
        value,
        points: leafPoints(compiled, name, code, value),
        evidenceUrl: e?.evidenceUrl ?? null,
        evidenceFileId: e?.evidenceFileId ?? null,
        evidenceFileName: e?.evidenceFileName ?? null,
        observedAt: iso(e?.observedAt),
        note: e?.note ?? null,
      };
      const list = mine.get(code);
      if (!list) mine.set(code, [rating]);
      else {
        // In evaluator order, as the grid and the reconciliation table list them.
        list.push(rating);
        list.sort((a, b) => a.evaluatorId - b.evaluatorId);
      }
    }
  }
  const decisions = new Map<number, Map<string, (typeof finalRows)[number]>>();
  for (const f of finalRows) nested(decisions, f.unitId).set(f.indicatorCode, f);

  // Flags: the core's rule over points; a veto cell is flagged whenever its evaluators differ.
  const threshold = project.disagreementThreshold;
  const cells: CellState[] = [];
  const finals = new Map<number, Map<string, number>>();
  let pending = 0;
  for (const u of unitRows) {
    if (!ready.has(u.unitId)) continue;
    const values = new Map<string, number>();
    finals.set(u.unitId, values);
    const mine = ratings.get(u.unitId);
    const decided = decisions.get(u.unitId);
    for (const leaf of leaves) {
      const list = mine?.get(leaf.code) ?? [];
      const decision = decided?.get(leaf.code);
      const spread = disagreement(
        list.map((r) => r.points),
        leaf.ruleType === "veto" ? 0 : threshold,
      );
      const isFlagged = spread !== null;
      let final: FinalView | null = null;
      if (decision) {
        final = {
          value: decision.value,
          source: "decided",
          reason: decision.reason,
          decidedByName: decision.decidedByName,
          decidedAt: iso(decision.decidedAt),
        };
      } else if (!isFlagged && list.length > 0) {
        final = {
          value: list.reduce((s, r) => s + r.points, 0) / list.length,
          source: "agreed",
          reason: null,
          decidedByName: null,
          decidedAt: null,
        };
      } else if (isFlagged) pending++;
      if (final) values.set(leaf.code, final.value);
      cells.push({
        unitId: u.unitId,
        code: leaf.code,
        ratings: list,
        flagged: isFlagged,
        spread: spread ?? 0,
        final,
      });
    }
  }
  return { compiled, leaves, unitRows, assignmentRows, ready, cells, finals, pending };
}

type State = Awaited<ReturnType<typeof loadState>>;

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
};

/** Scores and ranks the final scores, tier by tier (tiers in the order of their first unit in the directory). */
function computeResults(project: EvaluationProjectRow, state: State, now: Date) {
  const compiled = state.compiled ?? requireCompiled(project);
  const scoring = compileScheme(pointsSystem(project.indicatorSystem));
  const tiers: string[] = [];
  for (const u of state.unitRows) if (!tiers.includes(u.tier)) tiers.push(u.tier);
  const values = new Map(
    state.unitRows.map((u) => [String(u.unitId), state.finals.get(u.unitId) ?? new Map()]),
  );
  const scored = scoreUnits(scoring, values, { units: state.unitRows.map((u) => String(u.unitId)) });
  const byId = new Map(scored.map((s) => [s.unit, s]));
  const info = new Map(state.unitRows.map((u) => [String(u.unitId), u]));
  const ranked: (RankedUnit & { tier: string })[] = [];
  for (const tier of tiers) {
    const inTier = state.unitRows
      .filter((u) => u.tier === tier)
      .map((u) => byId.get(String(u.unitId)) as UnitScore);
    // rankUnits orders ties and unranked units by `unit`: rank by name so the order reads naturally.
    const named = inTier.map((s) => ({ ...s, unit: `${info.get(s.unit)?.name ?? ""}\u0000${s.unit}` }));
    for (const r of rankUnits(named, { grades: scoring.system.grades })) {
      ranked.push({ ...r, unit: r.unit.slice(r.unit.indexOf("\u0000") + 1), tier });
    }
  }
  const resultUnits: ResultUnit[] = ranked.map((r) => ({
    unitId: Number(r.unit),
    unitName: info.get(r.unit)?.name ?? "",
    tier: r.tier,
    total: r.total === null ? null : r6(r.total),
    rank: r.rank,
    grade: r.grade,
    indicators: rounded(r.indicators),
  }));
  const results: EvaluationResults = {
    units: resultUnits,
    tiers,
    generatedAt: now.toISOString(),
    project: { id: project.id, year: project.year, name: project.name, organisation: project.organisation },
    indicators: indicatorInfo(compiled),
    maxTotal: scoring.max + scoring.bonusCap,
  };
  const incomplete = ranked.filter((r) => !r.complete).map((r) => info.get(r.unit)?.name ?? r.unit);
  return { results, incomplete, pending: state.pending };
}

function rounded(indicators: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in indicators) out[k] = r6(indicators[k] as number);
  return out;
}

/** The hash of a version: sha256 over the canonical JSON of its `results`, as downloaded. */
export const resultsHash = (results: unknown) =>
  createHash("sha256").update(canonicalJson(results), "utf8").digest("hex");

/** What a version is compared by to tell whether a correction changes anything. */
const substance = (r: EvaluationResults) =>
  canonicalJson({ units: r.units, tiers: r.tiers, indicators: r.indicators, project: r.project });

// ───────────────────────────── lists and detail ─────────────────────────────

/** Projects the actor takes part in: an office's in its scope; an evaluator's as lead or assigned. */
export async function listEvaluationProjects(db: Db, actor: Actor) {
  const where =
    actor.role === "evaluator"
      ? or(
          eq(evaluationProjects.leadUserId, actor.userId),
          sql`exists (select 1 from ${evaluationAssignments} where ${evaluationAssignments.projectId} = ${evaluationProjects.id}
              and ${evaluationAssignments.evaluatorId} = ${actor.userId})`,
        )
      : actor.scopePath === null
        ? undefined
        : like(units.path, `${actor.scopePath}%`);
  const lead = db.select({ id: users.id, name: users.displayName }).from(users).as("lead");
  const rows = await db
    .select({
      id: evaluationProjects.id,
      year: evaluationProjects.year,
      name: evaluationProjects.name,
      organisation: evaluationProjects.organisation,
      status: evaluationProjects.status,
      leadUserId: evaluationProjects.leadUserId,
      leadName: lead.name,
      ownerName: units.name,
      resultsShownAt: evaluationProjects.resultsShownAt,
      unitCount: sql<number>`(select count(*)::int from ${evaluationUnits} where ${evaluationUnits.projectId} = ${evaluationProjects.id})`,
      myUnitCount: sql<number>`(select count(*)::int from ${evaluationAssignments} where ${evaluationAssignments.projectId} = ${evaluationProjects.id}
          and ${evaluationAssignments.evaluatorId} = ${actor.userId})`,
      mySubmitted: sql<number>`(select count(*)::int from ${evaluationAssignments} where ${evaluationAssignments.projectId} = ${evaluationProjects.id}
          and ${evaluationAssignments.evaluatorId} = ${actor.userId} and ${evaluationAssignments.submittedAt} is not null)`,
      latestVersion: sql<
        number | null
      >`(select max(${evaluationResults.version}) from ${evaluationResults} where ${evaluationResults.projectId} = ${evaluationProjects.id})`,
    })
    .from(evaluationProjects)
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .leftJoin(lead, eq(lead.id, evaluationProjects.leadUserId))
    .where(where)
    .orderBy(desc(evaluationProjects.year), desc(evaluationProjects.id));
  return rows.map((r) => ({
    ...r,
    resultsShownAt: iso(r.resultsShownAt),
    access: (actor.role === "evaluator"
      ? r.leadUserId === actor.userId
        ? "lead"
        : "evaluator"
      : "office") as ProjectAccess,
  }));
}

/** Active evaluator accounts, to pick a lead or assign evaluators. */
export async function listEvaluatorUsers(db: Db) {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.role, "evaluator"), eq(users.active, true)))
    .orderBy(asc(users.id));
}

async function versionsOf(db: Db, projectId: number) {
  const rows = await db
    .select({
      version: evaluationResults.version,
      contentHash: evaluationResults.contentHash,
      reason: evaluationResults.reason,
      publishedAt: evaluationResults.publishedAt,
    })
    .from(evaluationResults)
    .where(eq(evaluationResults.projectId, projectId))
    .orderBy(desc(evaluationResults.version));
  return rows.map((r) => ({ ...r, publishedAt: iso(r.publishedAt) as string }));
}

export function appealDeadline(project: EvaluationProjectRow): Date | null {
  return project.resultsShownAt
    ? new Date(project.resultsShownAt.getTime() + project.appealDays * DAY_MS)
    : null;
}

function projectView(p: ProjectContext) {
  const { project } = p;
  return {
    id: project.id,
    year: project.year,
    name: project.name,
    organisation: project.organisation,
    ownerUnitId: project.ownerUnitId,
    leadUserId: project.leadUserId,
    disagreementThreshold: project.disagreementThreshold,
    appealDays: project.appealDays,
    status: project.status,
    resultsShownAt: iso(project.resultsShownAt),
    appealDeadline: iso(appealDeadline(project)),
    version: project.version,
    indicatorSystem: project.indicatorSystem,
  };
}

/**
 * The project page. Managers see every unit, assignment and its progress; an evaluator sees only
 * its own units and assignments. Progress counts cells, never values.
 */
export async function getEvaluationProject(db: Db, actor: Actor, p: ProjectContext) {
  const manager = isManager(p.access);
  const { project } = p;
  const compiled = compiledOf(project.indicatorSystem);
  const leaves = leavesOf(project.indicatorSystem, compiled);
  const unitRows = await db
    .select({ unitId: evaluationUnits.unitId, tier: evaluationUnits.tier, name: units.name })
    .from(evaluationUnits)
    .innerJoin(units, eq(units.id, evaluationUnits.unitId))
    .where(eq(evaluationUnits.projectId, project.id))
    .orderBy(asc(units.id));
  const assignments = await db
    .select({
      unitId: evaluationAssignments.unitId,
      evaluatorId: evaluationAssignments.evaluatorId,
      evaluatorName: users.displayName,
      submittedAt: evaluationAssignments.submittedAt,
      scored: sql<number>`(select count(*)::int from ${evaluationScores} where ${evaluationScores.projectId} = ${evaluationAssignments.projectId}
          and ${evaluationScores.unitId} = ${evaluationAssignments.unitId} and ${evaluationScores.evaluatorId} = ${evaluationAssignments.evaluatorId})`,
    })
    .from(evaluationAssignments)
    .innerJoin(users, eq(users.id, evaluationAssignments.evaluatorId))
    .where(
      and(
        eq(evaluationAssignments.projectId, project.id),
        manager ? undefined : eq(evaluationAssignments.evaluatorId, actor.userId),
      ),
    )
    .orderBy(asc(evaluationAssignments.unitId), asc(evaluationAssignments.evaluatorId));
  const visibleUnits = manager
    ? unitRows
    : unitRows.filter((u) => assignments.some((a) => a.unitId === u.unitId));
  const [lead] = project.leadUserId
    ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, project.leadUserId))
    : [];
  const [owner] = project.ownerUnitId
    ? await db.select({ name: units.name }).from(units).where(eq(units.id, project.ownerUnitId))
    : [];
  const [counts] = manager
    ? await db
        .select({
          scores: sql<number>`count(*)::int`,
          openAppeals: sql<number>`(select count(*)::int from ${evaluationAppeals} where ${evaluationAppeals.projectId} = ${project.id} and ${evaluationAppeals.state} = 'open')`,
        })
        .from(evaluationScores)
        .where(eq(evaluationScores.projectId, project.id))
    : [];
  const unitOptions = manager
    ? await db
        .select({ id: units.id, name: units.name, kind: units.kind, parentId: units.parentId })
        .from(units)
        .where(p.ownerPath ? like(units.path, `${p.ownerPath}%`) : sql`false`)
        .orderBy(asc(units.path))
    : [];
  return {
    project: {
      ...projectView(p),
      leadName: lead?.name ?? null,
      ownerName: owner?.name ?? null,
    },
    access: p.access,
    isLead: project.leadUserId === actor.userId,
    leaves,
    maxTotal: compiled ? compiled.max + compiled.bonusCap : null,
    units: visibleUnits,
    assignments: assignments.map((a) => ({ ...a, submittedAt: iso(a.submittedAt), total: leaves.length })),
    scoreCount: counts?.scores ?? null,
    openAppeals: counts?.openAppeals ?? null,
    unitOptions,
    evaluatorOptions: manager ? await listEvaluatorUsers(db) : [],
    versions: await versionsOf(db, project.id),
  };
}

// ───────────────────────────── setup ─────────────────────────────

export type EvaluationProjectInput = {
  year: number;
  name: string;
  organisation: string;
  leadUserId: number | null;
  disagreementThreshold: number;
  appealDays: number;
};

async function requireEvaluator(db: Db, userId: number, field: string) {
  const [u] = await db
    .select({ id: users.id, role: users.role, active: users.active, name: users.displayName })
    .from(users)
    .where(eq(users.id, userId));
  if (u?.role !== "evaluator" || !u.active) {
    throw invalid(`编号 ${userId} 不是在用的评估人员账号:请从评估人员名单中选择。`, field);
  }
  return u;
}

export async function createEvaluationProject(
  db: Db,
  actor: Actor,
  input: EvaluationProjectInput & { ownerUnitId?: number | null | undefined },
) {
  return db.transaction(async (tx) => {
    const ownerId = input.ownerUnitId ?? actor.unitId;
    if (ownerId === null) throw invalid("请选择评估项目所属的本级政府。", "ownerUnitId");
    const [owner] = await tx.select().from(units).where(eq(units.id, ownerId));
    if (!owner || !inScope(actor.scopePath, owner.path)) {
      throw invalid("所属政府不存在或不在您的管理范围内,请重新选择。", "ownerUnitId");
    }
    if (input.leadUserId !== null) await requireEvaluator(tx, input.leadUserId, "leadUserId");
    const [project] = await tx
      .insert(evaluationProjects)
      .values({
        year: input.year,
        name: input.name,
        organisation: input.organisation,
        ownerUnitId: owner.id,
        leadUserId: input.leadUserId,
        indicatorSystem: emptySystem(`${input.name}指标体系`),
        disagreementThreshold: input.disagreementThreshold,
        appealDays: input.appealDays,
        createdBy: actor.userId > 0 ? actor.userId : null,
      })
      .returning();
    if (!project) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "evaluation.create",
      entityType: "evaluation_project",
      entityId: project.id,
      after: project,
      regionCode: owner.regionCode,
    });
    return project;
  });
}

export async function updateEvaluationProject(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: EvaluationProjectInput & { version?: number | undefined },
) {
  return db.transaction(async (tx) => {
    const before = p.project;
    if (input.version !== undefined && input.version !== before.version) {
      throw conflict("该评估项目已被他人修改,请刷新页面查看最新内容后再保存。");
    }
    if (input.leadUserId !== before.leadUserId) {
      if (p.access !== "office") throw invalid("只有政务公开办可以更换评估组长。", "leadUserId");
      if (input.leadUserId !== null) await requireEvaluator(tx, input.leadUserId, "leadUserId");
    }
    const [project] = await tx
      .update(evaluationProjects)
      .set({
        year: input.year,
        name: input.name,
        organisation: input.organisation,
        leadUserId: input.leadUserId,
        disagreementThreshold: input.disagreementThreshold,
        appealDays: input.appealDays,
        updatedAt: new Date(),
        version: sql`${evaluationProjects.version} + 1`,
      })
      .where(and(eq(evaluationProjects.id, before.id), eq(evaluationProjects.version, before.version)))
      .returning();
    if (!project) throw conflict("该评估项目已被他人修改,请刷新页面查看最新内容后再保存。");
    await recordAudit(tx, actor, {
      action: "evaluation.update",
      entityType: "evaluation_project",
      entityId: project.id,
      before: { ...before, indicatorSystem: undefined },
      after: { ...project, indicatorSystem: undefined },
      regionCode: p.regionCode,
    });
    return project;
  });
}

async function assertSetup(db: Db, project: EvaluationProjectRow) {
  if (project.status !== "setup") {
    throw invalid("评分已经开始,指标体系已锁定,不能再修改。如确需修改,请另建评估项目。", "indicatorSystem");
  }
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluationScores)
    .where(eq(evaluationScores.projectId, project.id));
  if ((row?.n ?? 0) > 0) throw invalid("已有评估人员打分,指标体系不能再修改。", "indicatorSystem");
}

/** Sets the indicator system (built in the page or imported from .xlsx) while the project is in setup. */
export async function setEvaluationIndicatorSystem(db: Db, actor: Actor, p: ProjectContext, raw: unknown) {
  const system = parseIndicatorSystem(raw);
  compileScheme(system);
  return db.transaction(async (tx) => {
    await assertSetup(tx, p.project);
    const [project] = await tx
      .update(evaluationProjects)
      .set({
        indicatorSystem: system,
        updatedAt: new Date(),
        version: sql`${evaluationProjects.version} + 1`,
      })
      .where(eq(evaluationProjects.id, p.project.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "evaluation.setIndicatorSystem",
      entityType: "evaluation_project",
      entityId: p.project.id,
      before: p.project.indicatorSystem,
      after: system,
      regionCode: p.regionCode,
    });
    return { system, leaves: leavesOf(system, compileScheme(system)), version: project?.version ?? 0 };
  });
}

/** Replaces the units evaluated and their tiers; a unit already scored cannot be removed. */
export async function setEvaluationUnits(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  list: { unitId: number; tier: string }[],
) {
  return db.transaction(async (tx) => {
    const { project } = p;
    if (project.resultsShownAt || project.status === "published") {
      throw invalid("结果已向单位公示或已发布,不能再调整评估单位。", "units");
    }
    const ids = list.map((u) => u.unitId);
    const rows = ids.length
      ? await tx
          .select({ id: units.id, name: units.name, path: units.path })
          .from(units)
          .where(inArray(units.id, ids))
      : [];
    const bad = ids.filter((id) => {
      const u = rows.find((r) => r.id === id);
      return !u || !p.ownerPath || !inScope(p.ownerPath, u.path);
    });
    if (bad.length) {
      throw invalid(`所选单位(编号 ${bad.join("、")})不存在或不属于本项目所属政府,请重新选择。`, "units");
    }
    const before = await tx.select().from(evaluationUnits).where(eq(evaluationUnits.projectId, project.id));
    const removed = before.filter((b) => !ids.includes(b.unitId)).map((b) => b.unitId);
    if (removed.length) {
      const scored = await tx
        .selectDistinct({ unitId: evaluationScores.unitId, name: units.name })
        .from(evaluationScores)
        .innerJoin(units, eq(units.id, evaluationScores.unitId))
        .where(and(eq(evaluationScores.projectId, project.id), inArray(evaluationScores.unitId, removed)));
      if (scored.length) {
        throw invalid(
          `${scored.map((s) => `「${s.name}」`).join("、")}已有评估人员打分,不能移出评估范围。`,
          "units",
        );
      }
      await tx
        .delete(evaluationAssignments)
        .where(
          and(
            eq(evaluationAssignments.projectId, project.id),
            inArray(evaluationAssignments.unitId, removed),
          ),
        );
    }
    await tx.delete(evaluationUnits).where(eq(evaluationUnits.projectId, project.id));
    if (list.length) {
      await tx
        .insert(evaluationUnits)
        .values(list.map((u) => ({ projectId: project.id, unitId: u.unitId, tier: u.tier })));
    }
    await recordAudit(tx, actor, {
      action: "evaluation.setUnits",
      entityType: "evaluation_project",
      entityId: project.id,
      before,
      after: list,
      regionCode: p.regionCode,
    });
    return { count: list.length };
  });
}

/**
 * Replaces the assignments: each unit gets one or two evaluators who score it independently.
 * An assignment whose evaluator has scored already cannot be removed; kept ones keep their state.
 */
export async function setEvaluationAssignments(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  list: { unitId: number; evaluatorIds: number[] }[],
) {
  return db.transaction(async (tx) => {
    const { project } = p;
    if (project.resultsShownAt || project.status === "published") {
      throw invalid("结果已向单位公示或已发布,不能再调整评估分工。", "assignments");
    }
    const projectUnits = await tx
      .select({ unitId: evaluationUnits.unitId })
      .from(evaluationUnits)
      .where(eq(evaluationUnits.projectId, project.id));
    const inProject = new Set(projectUnits.map((u) => u.unitId));
    const outside = list.filter((a) => !inProject.has(a.unitId)).map((a) => a.unitId);
    if (outside.length) {
      throw invalid(
        `单位(编号 ${outside.join("、")})不在本项目的评估范围内:请先把它加入评估单位。`,
        "assignments",
      );
    }
    const evaluatorIds = [...new Set(list.flatMap((a) => a.evaluatorIds))];
    for (const id of evaluatorIds) await requireEvaluator(tx, id, "evaluatorIds");
    const before = await tx
      .select()
      .from(evaluationAssignments)
      .where(eq(evaluationAssignments.projectId, project.id));
    const wanted = new Set(list.flatMap((a) => a.evaluatorIds.map((e) => `${a.unitId}:${e}`)));
    const removed = before.filter((b) => !wanted.has(`${b.unitId}:${b.evaluatorId}`));
    for (const r of removed) {
      const [scored] = await tx
        .select({ unit: units.name, evaluator: users.displayName })
        .from(evaluationScores)
        .innerJoin(units, eq(units.id, evaluationScores.unitId))
        .innerJoin(users, eq(users.id, evaluationScores.evaluatorId))
        .where(
          and(
            eq(evaluationScores.projectId, project.id),
            eq(evaluationScores.unitId, r.unitId),
            eq(evaluationScores.evaluatorId, r.evaluatorId),
          ),
        )
        .limit(1);
      if (scored) {
        throw invalid(
          `评估人员「${scored.evaluator}」已为「${scored.unit}」打分,不能取消这项分工。`,
          "assignments",
        );
      }
      await tx
        .delete(evaluationAssignments)
        .where(
          and(
            eq(evaluationAssignments.projectId, project.id),
            eq(evaluationAssignments.unitId, r.unitId),
            eq(evaluationAssignments.evaluatorId, r.evaluatorId),
          ),
        );
    }
    const existing = new Set(before.map((b) => `${b.unitId}:${b.evaluatorId}`));
    const added = list.flatMap((a) =>
      a.evaluatorIds
        .filter((e) => !existing.has(`${a.unitId}:${e}`))
        .map((e) => ({ projectId: project.id, unitId: a.unitId, evaluatorId: e })),
    );
    if (added.length) await tx.insert(evaluationAssignments).values(added);
    await recordAudit(tx, actor, {
      action: "evaluation.setAssignments",
      entityType: "evaluation_project",
      entityId: project.id,
      before: before.map((b) => ({ unitId: b.unitId, evaluatorId: b.evaluatorId })),
      after: list,
      regionCode: p.regionCode,
    });
    return { added: added.length, removed: removed.length };
  });
}

/** Opens scoring: the indicator system is locked from here on. */
export async function startEvaluationScoring(db: Db, actor: Actor, p: ProjectContext) {
  return db.transaction(async (tx) => {
    const { project } = p;
    if (project.status !== "setup") throw conflict("评分已经开始,无需重复操作。");
    requireCompiled(project);
    const unitRows = await tx
      .select({ unitId: evaluationUnits.unitId, name: units.name })
      .from(evaluationUnits)
      .innerJoin(units, eq(units.id, evaluationUnits.unitId))
      .where(eq(evaluationUnits.projectId, project.id));
    if (unitRows.length === 0) throw invalid("还没有选择评估单位:请先添加要评估的单位及其层级。", "units");
    const assigned = new Set(
      (
        await tx
          .select({ unitId: evaluationAssignments.unitId })
          .from(evaluationAssignments)
          .where(eq(evaluationAssignments.projectId, project.id))
      ).map((a) => a.unitId),
    );
    const without = unitRows.filter((u) => !assigned.has(u.unitId)).map((u) => `「${u.name}」`);
    if (without.length) {
      throw invalid(
        `${without.join("、")}还没有分配评估人员:请为每个单位分配一至两名评估人员。`,
        "assignments",
      );
    }
    const [updated] = await tx
      .update(evaluationProjects)
      .set({ status: "scoring", updatedAt: new Date(), version: sql`${evaluationProjects.version} + 1` })
      .where(eq(evaluationProjects.id, project.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "evaluation.startScoring",
      entityType: "evaluation_project",
      entityId: project.id,
      before: { status: project.status },
      after: { status: "scoring" },
      regionCode: p.regionCode,
    });
    return { status: updated?.status ?? "scoring" };
  });
}

// ───────────────────────────── scoring ─────────────────────────────

/**
 * The evaluator's grid: its own units × the leaves, its own values, and — only for a unit every
 * assigned evaluator has submitted — the other evaluator's values beside them.
 */
export async function getEvaluationGrid(db: Db, actor: Actor, p: ProjectContext) {
  const { project } = p;
  const compiled = compiledOf(project.indicatorSystem);
  const leaves = leavesOf(project.indicatorSystem, compiled);
  const mine = await db
    .select({
      unitId: evaluationAssignments.unitId,
      unitName: units.name,
      tier: evaluationUnits.tier,
      submittedAt: evaluationAssignments.submittedAt,
    })
    .from(evaluationAssignments)
    .innerJoin(units, eq(units.id, evaluationAssignments.unitId))
    .leftJoin(
      evaluationUnits,
      and(
        eq(evaluationUnits.projectId, evaluationAssignments.projectId),
        eq(evaluationUnits.unitId, evaluationAssignments.unitId),
      ),
    )
    .where(
      and(
        eq(evaluationAssignments.projectId, project.id),
        eq(evaluationAssignments.evaluatorId, actor.userId),
      ),
    )
    .orderBy(asc(units.id));
  const unitIds = mine.map((m) => m.unitId);
  const all = unitIds.length
    ? await db
        .select({ unitId: evaluationAssignments.unitId, submittedAt: evaluationAssignments.submittedAt })
        .from(evaluationAssignments)
        .where(
          and(
            eq(evaluationAssignments.projectId, project.id),
            inArray(evaluationAssignments.unitId, unitIds),
          ),
        )
    : [];
  const ready = new Set(unitIds.filter((u) => all.filter((a) => a.unitId === u).every((a) => a.submittedAt)));
  const scores = unitIds.length
    ? await db
        .select({
          unitId: evaluationScores.unitId,
          indicatorCode: evaluationScores.indicatorCode,
          evaluatorId: evaluationScores.evaluatorId,
          evaluatorName: users.displayName,
          value: evaluationScores.value,
          evidenceUrl: evaluationScores.evidenceUrl,
          evidenceFileId: evaluationScores.evidenceFileId,
          evidenceFileName: storedFiles.fileName,
          observedAt: evaluationScores.observedAt,
          note: evaluationScores.note,
          updatedAt: evaluationScores.updatedAt,
        })
        .from(evaluationScores)
        .leftJoin(users, eq(users.id, evaluationScores.evaluatorId))
        .leftJoin(storedFiles, eq(storedFiles.id, evaluationScores.evidenceFileId))
        .where(
          and(
            eq(evaluationScores.projectId, project.id),
            inArray(evaluationScores.unitId, unitIds),
            // The other evaluators' rows are read only for units everyone has submitted.
            or(
              eq(evaluationScores.evaluatorId, actor.userId),
              ready.size ? inArray(evaluationScores.unitId, [...ready]) : sql`false`,
            ),
          ),
        )
    : [];
  type Cell = {
    value: number;
    evidenceUrl: string | null;
    evidenceFileId: number | null;
    evidenceFileName: string | null;
    observedAt: string | null;
    note: string | null;
    updatedAt: string | null;
  };
  const cellOf = (s: (typeof scores)[number]): Cell => ({
    value: s.value,
    evidenceUrl: s.evidenceUrl,
    evidenceFileId: s.evidenceFileId,
    evidenceFileName: s.evidenceFileName,
    observedAt: iso(s.observedAt),
    note: s.note,
    updatedAt: iso(s.updatedAt),
  });
  const total = leaves.length * mine.length;
  let done = 0;
  const gridUnits = mine.map((m) => {
    const cells: Record<string, Cell> = {};
    const others: Record<string, (Cell & { evaluatorName: string })[]> = {};
    for (const s of scores.filter((x) => x.unitId === m.unitId)) {
      if (s.evaluatorId === actor.userId) cells[s.indicatorCode] = cellOf(s);
      else if (ready.has(m.unitId)) {
        others[s.indicatorCode] = [
          ...(others[s.indicatorCode] ?? []),
          { ...cellOf(s), evaluatorName: s.evaluatorName ?? "另一名评估人员" },
        ];
      }
    }
    done += leaves.filter((l) => l.code in cells).length;
    return {
      unitId: m.unitId,
      unitName: m.unitName,
      tier: m.tier ?? "",
      submittedAt: iso(m.submittedAt),
      /** Every evaluator of this unit has submitted: the others' values are shown. */
      allSubmitted: ready.has(m.unitId),
      cells,
      others: ready.has(m.unitId) ? others : null,
    };
  });
  return {
    project: projectView(p),
    leaves,
    units: gridUnits,
    progress: { done, total },
  };
}

export type ScoreCellInput = {
  unitId: number;
  indicatorCode: string;
  value: number | null;
  evidenceUrl: string | null;
  evidenceFileId?: number | null | undefined;
  observedAt?: string | null | undefined;
  note: string | null;
};

/** Saves draft values of the evaluator's own cells (null clears a cell); submitted units are closed. */
export async function saveEvaluationScores(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  cells: ScoreCellInput[],
  now: Date,
) {
  const { project } = p;
  const compiled = requireCompiled(project);
  if (project.status === "setup") {
    throw invalid("评估组长还没有开始评分:指标体系和分工确定后才能打分。", "scores");
  }
  return db.transaction(async (tx) => {
    const unitIds = [...new Set(cells.map((c) => c.unitId))];
    const mine = await tx
      .select({
        unitId: evaluationAssignments.unitId,
        submittedAt: evaluationAssignments.submittedAt,
        name: units.name,
      })
      .from(evaluationAssignments)
      .innerJoin(units, eq(units.id, evaluationAssignments.unitId))
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          eq(evaluationAssignments.evaluatorId, actor.userId),
          inArray(evaluationAssignments.unitId, unitIds),
        ),
      );
    for (const unitId of unitIds) {
      const a = mine.find((m) => m.unitId === unitId);
      if (!a) throw notFound("评估单位");
      if (a.submittedAt) {
        throw invalid(
          `「${a.name}」的评分已提交,不能再修改。如需更正,请联系评估组长在复核时调整。`,
          "scores",
        );
      }
    }
    const fileIds = [...new Set(cells.map((c) => c.evidenceFileId).filter((x): x is number => !!x))];
    const files = fileIds.length
      ? await tx
          .select({ id: storedFiles.id, uploadedBy: storedFiles.uploadedBy })
          .from(storedFiles)
          .where(inArray(storedFiles.id, fileIds))
      : [];
    for (const id of fileIds) {
      // Only one's own uploads: attaching someone else's file would open it to this project's readers.
      if (!files.some((f) => f.id === id && f.uploadedBy === actor.userId)) {
        throw invalid(`佐证文件(编号 ${id})不存在或不是您上传的:请重新上传截图或文件。`, "evidenceFileId");
      }
    }
    const existing = await tx
      .select()
      .from(evaluationScores)
      .where(
        and(
          eq(evaluationScores.projectId, project.id),
          eq(evaluationScores.evaluatorId, actor.userId),
          inArray(evaluationScores.unitId, unitIds),
        ),
      );
    const beforeOf = (c: ScoreCellInput) =>
      existing.find((e) => e.unitId === c.unitId && e.indicatorCode === c.indicatorCode);
    const changes: unknown[] = [];
    const upserts: (typeof evaluationScores.$inferInsert)[] = [];
    for (const c of cells) {
      const before = beforeOf(c);
      if (c.value === null) {
        if (before) await tx.delete(evaluationScores).where(eq(evaluationScores.id, before.id));
        changes.push({
          unitId: c.unitId,
          indicatorCode: c.indicatorCode,
          before: before?.value ?? null,
          after: null,
        });
        continue;
      }
      leafPoints(compiled, mine.find((m) => m.unitId === c.unitId)?.name ?? "", c.indicatorCode, c.value);
      upserts.push({
        projectId: project.id,
        unitId: c.unitId,
        indicatorCode: c.indicatorCode,
        evaluatorId: actor.userId,
        value: c.value,
        evidenceUrl: c.evidenceUrl,
        evidenceFileId: c.evidenceFileId ?? null,
        observedAt: c.observedAt ? new Date(c.observedAt) : null,
        note: c.note,
        regionCode: p.regionCode,
        updatedAt: now,
      });
      changes.push({
        unitId: c.unitId,
        indicatorCode: c.indicatorCode,
        before: before?.value ?? null,
        after: c.value,
        evidenceUrl: c.evidenceUrl,
        evidenceFileId: c.evidenceFileId ?? null,
      });
    }
    const keys = new Set(upserts.map((u) => `${u.unitId}:${u.indicatorCode}`));
    if (keys.size !== upserts.length)
      throw invalid("同一单位的同一指标在一次保存中出现了两次,请只保留一个得分。", "scores");
    if (upserts.length) {
      const excluded = (col: string) => sql.raw(`excluded.${col}`);
      await tx
        .insert(evaluationScores)
        .values(upserts)
        .onConflictDoUpdate({
          target: [
            evaluationScores.projectId,
            evaluationScores.unitId,
            evaluationScores.indicatorCode,
            evaluationScores.evaluatorId,
          ],
          set: {
            value: excluded("value"),
            evidenceUrl: excluded("evidence_url"),
            evidenceFileId: excluded("evidence_file_id"),
            observedAt: excluded("observed_at"),
            note: excluded("note"),
            regionCode: excluded("region_code"),
            updatedAt: excluded("updated_at"),
          },
        });
    }
    await recordAudit(tx, actor, {
      action: "evaluation.saveScores",
      entityType: "evaluation_project",
      entityId: project.id,
      after: changes,
      regionCode: p.regionCode,
    });
    return { saved: cells.length };
  });
}

/** Submits the evaluator's scores of one unit: every required leaf must have a value. */
export async function submitEvaluationUnit(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  unitId: number,
  now: Date,
) {
  const { project } = p;
  const compiled = requireCompiled(project);
  return db.transaction(async (tx) => {
    const [a] = await tx
      .select({ submittedAt: evaluationAssignments.submittedAt, name: units.name })
      .from(evaluationAssignments)
      .innerJoin(units, eq(units.id, evaluationAssignments.unitId))
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          eq(evaluationAssignments.unitId, unitId),
          eq(evaluationAssignments.evaluatorId, actor.userId),
        ),
      );
    if (!a) throw notFound("评估单位");
    if (a.submittedAt)
      throw conflict(`「${a.name}」的评分已于 ${fmtTime(a.submittedAt)} 提交,无需重复提交。`);
    const rows = await tx
      .select({ indicatorCode: evaluationScores.indicatorCode, value: evaluationScores.value })
      .from(evaluationScores)
      .where(
        and(
          eq(evaluationScores.projectId, project.id),
          eq(evaluationScores.unitId, unitId),
          eq(evaluationScores.evaluatorId, actor.userId),
        ),
      );
    const [scored] = scoreUnits(
      compiled,
      rows.map((r) => ({ unit: a.name, indicator: r.indicatorCode, value: r.value })),
      { units: [a.name] },
    );
    if (scored && !scored.complete) {
      const names = scored.missing.map((code) => {
        const n = compiled.byCode.get(code);
        return n ? `${code} ${n.name}` : code;
      });
      throw invalid(
        `「${a.name}」还有 ${names.length} 项指标没有打分:${names.slice(0, 8).join("、")}${names.length > 8 ? " 等" : ""}。请全部打分后再提交。`,
        "scores",
      );
    }
    await tx
      .update(evaluationAssignments)
      .set({ submittedAt: now })
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          eq(evaluationAssignments.unitId, unitId),
          eq(evaluationAssignments.evaluatorId, actor.userId),
        ),
      );
    // Once every assignment is in, the project moves on to reconciliation.
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(evaluationAssignments)
      .where(
        and(
          eq(evaluationAssignments.projectId, project.id),
          sql`${evaluationAssignments.submittedAt} is null`,
        ),
      );
    if ((open?.n ?? 0) === 0 && project.status === "scoring") {
      await tx
        .update(evaluationProjects)
        .set({ status: "reconciling" })
        .where(eq(evaluationProjects.id, project.id));
    }
    await recordAudit(tx, actor, {
      action: "evaluation.submitUnit",
      entityType: "evaluation_project",
      entityId: project.id,
      after: { unitId, submittedAt: now.toISOString() },
      regionCode: p.regionCode,
    });
    return { unitId, submittedAt: now.toISOString() };
  });
}

const fmtTime = (d: Date) => d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

// ───────────────────────────── reconciliation ─────────────────────────────

/** Cells of units every evaluator has submitted, with both values and evidence, flagged or decided. */
export async function getEvaluationReconciliation(
  db: Db,
  p: ProjectContext,
  opts: { unitId?: number | undefined } = {},
) {
  const { project } = p;
  // One unit: every cell two evaluators scored, with evidence. Otherwise the cells that need or had
  // the lead's decision (a province's 450,000 cells are not a page), evidence read for their units.
  const { unitId } = opts;
  const state = await loadState(db, project, unitId ? { unitIds: [unitId] } : "none");
  const shown = state.cells.filter((c) =>
    unitId
      ? c.unitId === unitId && (c.ratings.length >= 2 || c.final?.source === "decided")
      : c.flagged || c.final?.source === "decided",
  );
  if (!unitId) await attachEvidence(db, project.id, shown);
  const names = new Map(state.unitRows.map((u) => [u.unitId, u]));
  const leafByCode = new Map(state.leaves.map((l) => [l.code, l]));
  const cells = shown.map((c) => {
    const leaf = leafByCode.get(c.code);
    return {
      ...c,
      unitName: names.get(c.unitId)?.name ?? "",
      tier: names.get(c.unitId)?.tier ?? "",
      indicatorName: leaf?.name ?? c.code,
      indicatorPath: leaf?.path ?? [],
      max: leaf?.max ?? 0,
      ruleType: leaf?.ruleType ?? "manual",
      mean: c.ratings.length ? c.ratings.reduce((s, r) => s + r.points, 0) / c.ratings.length : null,
    };
  });
  const progress = state.unitRows.map((u) => {
    const list = state.assignmentRows.filter((a) => a.unitId === u.unitId);
    return {
      unitId: u.unitId,
      unitName: u.name,
      tier: u.tier,
      evaluators: list.length,
      submitted: list.filter((a) => a.submittedAt).length,
      ready: state.ready.has(u.unitId),
    };
  });
  return {
    threshold: project.disagreementThreshold,
    cells,
    pending: state.pending,
    flagged: state.cells.filter((c) => c.flagged).length,
    units: progress,
  };
}

/** The lead sets a cell's final score (in points) with a reason; the unit must be submitted by all. */
export async function setEvaluationFinalScore(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: { unitId: number; indicatorCode: string; value: number; reason: string },
  now: Date,
) {
  const { project } = p;
  if (project.status === "setup") throw invalid("评分还没有开始,不能复核。", "value");
  return db.transaction(async (tx) => {
    const state = await loadState(tx, project);
    const unit = state.unitRows.find((u) => u.unitId === input.unitId);
    if (!unit) throw notFound("评估单位");
    if (!state.ready.has(input.unitId)) {
      throw invalid(`「${unit.name}」还有评估人员没有提交评分:全部提交后才能复核。`, "unitId");
    }
    const scoring = compileScheme(pointsSystem(project.indicatorSystem));
    leafPoints(scoring, unit.name, input.indicatorCode, input.value);
    return writeFinal(tx, actor, p, { ...input, unitName: unit.name }, now, "evaluation.setFinalScore");
  });
}

async function writeFinal(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: { unitId: number; indicatorCode: string; value: number; reason: string; unitName: string },
  now: Date,
  action: string,
) {
  const where = and(
    eq(evaluationFinalScores.projectId, p.project.id),
    eq(evaluationFinalScores.unitId, input.unitId),
    eq(evaluationFinalScores.indicatorCode, input.indicatorCode),
  );
  const [before] = await db.select().from(evaluationFinalScores).where(where);
  const values = {
    value: input.value,
    reason: input.reason,
    decidedBy: actor.userId > 0 ? actor.userId : null,
    decidedAt: now,
  };
  await db
    .insert(evaluationFinalScores)
    .values({ projectId: p.project.id, unitId: input.unitId, indicatorCode: input.indicatorCode, ...values })
    .onConflictDoUpdate({
      target: [
        evaluationFinalScores.projectId,
        evaluationFinalScores.unitId,
        evaluationFinalScores.indicatorCode,
      ],
      set: values,
    });
  await recordAudit(db, actor, {
    action,
    entityType: "evaluation_project",
    entityId: p.project.id,
    before: before ?? null,
    after: { unitId: input.unitId, indicatorCode: input.indicatorCode, ...values },
    regionCode: p.regionCode,
  });
  return {
    unitId: input.unitId,
    indicatorCode: input.indicatorCode,
    value: input.value,
    reason: input.reason,
  };
}

/**
 * Agreement between evaluators over the cells of submitted units, per indicator and overall, in
 * points (pooled overall as a share of each indicator's points). Weak: Krippendorff's alpha below
 * 0.667, the least Krippendorff accepts even for tentative conclusions.
 */
export async function getEvaluationAgreement(db: Db, p: ProjectContext) {
  const state = await loadState(db, p.project);
  const ratings: Rating[] = state.cells.flatMap((c) =>
    c.ratings.length >= 2
      ? c.ratings.map((r) => ({
          unit: String(c.unitId),
          indicator: c.code,
          rater: String(r.evaluatorId),
          value: r.points,
        }))
      : [],
  );
  const leafByCode = new Map(state.leaves.map((l) => [l.code, l]));
  const report = agreement(ratings, { scale: (code) => leafByCode.get(code)?.max || 1 });
  const byIndicator = state.leaves
    .filter((l) => report.byIndicator[l.code])
    .map((l) => {
      const s = report.byIndicator[l.code] as (typeof report.byIndicator)[string];
      return {
        code: l.code,
        name: l.name,
        path: l.path,
        ...s,
        weak: s.alphaInterval !== null && s.alphaInterval < 0.667,
      };
    });
  return { overall: report.overall, byIndicator, weakThreshold: 0.667 };
}

/** What publishing now would freeze, and what still stands in the way. */
export async function previewEvaluationResults(db: Db, p: ProjectContext, now: Date) {
  const state = await loadState(db, p.project);
  const { results, incomplete, pending } = computeResults(p.project, state, now);
  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluationAppeals)
    .where(and(eq(evaluationAppeals.projectId, p.project.id), eq(evaluationAppeals.state, "open")));
  return { results, incomplete, pending, openAppeals: open?.n ?? 0 };
}

function assertComplete(preview: { incomplete: string[]; pending: number }, doing: string) {
  if (preview.pending > 0) {
    throw invalid(
      `还有 ${preview.pending} 个分歧得分没有复核:请先在“复核”中确定最终得分,再${doing}。`,
      "reconciliation",
    );
  }
  if (preview.incomplete.length > 0) {
    const list = preview.incomplete
      .slice(0, 8)
      .map((n) => `「${n}」`)
      .join("、");
    throw invalid(
      `还有 ${preview.incomplete.length} 个单位没有完成评分:${list}${preview.incomplete.length > 8 ? " 等" : ""}。请等评估人员全部提交后再${doing}。`,
      "units",
    );
  }
}

/** Shows the results to the units evaluated: each sees its own scores and may appeal within `appealDays`. */
export async function showEvaluationResults(db: Db, actor: Actor, p: ProjectContext, now: Date) {
  const { project } = p;
  if (project.resultsShownAt)
    throw conflict(`结果已于 ${fmtTime(project.resultsShownAt)} 向各单位公示,无需重复操作。`);
  return db.transaction(async (tx) => {
    const preview = await previewEvaluationResults(tx, p, now);
    assertComplete(preview, "向单位公示");
    const [updated] = await tx
      .update(evaluationProjects)
      .set({
        resultsShownAt: now,
        status: project.status === "published" ? "published" : "review",
        updatedAt: now,
        version: sql`${evaluationProjects.version} + 1`,
      })
      .where(eq(evaluationProjects.id, project.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "evaluation.showResults",
      entityType: "evaluation_project",
      entityId: project.id,
      before: { status: project.status, resultsShownAt: null },
      after: { status: updated?.status, resultsShownAt: now.toISOString() },
      regionCode: p.regionCode,
    });
    return {
      resultsShownAt: now.toISOString(),
      appealDeadline: new Date(now.getTime() + project.appealDays * DAY_MS).toISOString(),
    };
  });
}

/**
 * Publishes the current results as the next version, frozen with its hash. From version 2 on a
 * reason is required, and a version identical to the last one is refused.
 */
export async function publishEvaluationResults(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  reason: string | null,
  now: Date,
) {
  const { project } = p;
  return db.transaction(async (tx) => {
    const preview = await previewEvaluationResults(tx, p, now);
    assertComplete(preview, "发布");
    if (preview.openAppeals > 0) {
      throw invalid(`还有 ${preview.openAppeals} 条申诉没有处理:请先采纳或驳回,再发布。`, "appeals");
    }
    const [last] = await tx
      .select()
      .from(evaluationResults)
      .where(eq(evaluationResults.projectId, project.id))
      .orderBy(desc(evaluationResults.version))
      .limit(1);
    const version = (last?.version ?? 0) + 1;
    if (last && !reason) {
      throw invalid(`已发布过第 ${last.version} 版:发布更正版(第 ${version} 版)请填写更正原因。`, "reason");
    }
    if (last && substance(last.results as EvaluationResults) === substance(preview.results)) {
      throw conflict(`当前结果与已发布的第 ${last.version} 版相同,无需重新发布。`);
    }
    const contentHash = resultsHash(preview.results);
    const [row] = await tx
      .insert(evaluationResults)
      .values({
        projectId: project.id,
        version,
        results: preview.results,
        contentHash,
        reason: reason ?? null,
        publishedBy: actor.userId > 0 ? actor.userId : null,
        publishedAt: now,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await tx
      .update(evaluationProjects)
      .set({ status: "published", updatedAt: now, version: sql`${evaluationProjects.version} + 1` })
      .where(eq(evaluationProjects.id, project.id));
    await recordAudit(tx, actor, {
      action: "evaluation.publish",
      entityType: "evaluation_project",
      entityId: project.id,
      after: { version, contentHash, reason },
      regionCode: p.regionCode,
    });
    return { version, contentHash, publishedAt: now.toISOString(), reason: row.reason };
  });
}

// ───────────────────────────── appeals ─────────────────────────────

export async function listEvaluationAppeals(db: Db, p: ProjectContext) {
  const rows = await db
    .select({
      id: evaluationAppeals.id,
      unitId: evaluationAppeals.unitId,
      unitName: units.name,
      indicatorCode: evaluationAppeals.indicatorCode,
      reason: evaluationAppeals.reason,
      state: evaluationAppeals.state,
      response: evaluationAppeals.response,
      newValue: evaluationAppeals.newValue,
      createdAt: evaluationAppeals.createdAt,
      decidedAt: evaluationAppeals.decidedAt,
    })
    .from(evaluationAppeals)
    .innerJoin(units, eq(units.id, evaluationAppeals.unitId))
    .where(eq(evaluationAppeals.projectId, p.project.id))
    .orderBy(asc(evaluationAppeals.state), desc(evaluationAppeals.id));
  // The appealed cells with their evidence: read for the appealing units only.
  const state = await loadState(db, p.project, { unitIds: [...new Set(rows.map((r) => r.unitId))] });
  const leafByCode = new Map(state.leaves.map((l) => [l.code, l]));
  const cellOf = new Map(state.cells.map((c) => [`${c.unitId}:${c.code}`, c]));
  return rows.map((r) => {
    const cell = cellOf.get(`${r.unitId}:${r.indicatorCode}`);
    const leaf = leafByCode.get(r.indicatorCode);
    return {
      ...r,
      createdAt: iso(r.createdAt),
      decidedAt: iso(r.decidedAt),
      indicatorName: leaf?.name ?? r.indicatorCode,
      max: leaf?.max ?? 0,
      current: cell?.final?.value ?? null,
      ratings: cell?.ratings ?? [],
    };
  });
}

/** A unit appeals one leaf indicator's score, within `appealDays` of the results being shown. */
export async function createEvaluationAppeal(
  db: Db,
  actor: Actor,
  unitId: number,
  projectId: number,
  input: { indicatorCode: string; reason: string },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { project, regionCode } = await unitProjectAccess(tx, unitId, projectId);
    const deadline = appealDeadline(project) as Date;
    if (now.getTime() > deadline.getTime()) {
      throw invalid(
        `申诉期已于 ${fmtTime(deadline)} 截止(结果公示后 ${project.appealDays} 天内可以申诉),不能再提交申诉。如有异议,请直接联系政务公开办。`,
        "indicatorCode",
      );
    }
    const compiled = requireCompiled(project);
    const node = compiled.byCode.get(input.indicatorCode);
    if (!node || node.children.length > 0) {
      throw invalid(
        `指标 ${input.indicatorCode} 不是本项目的末级指标:请选择要申诉的具体指标。`,
        "indicatorCode",
      );
    }
    const [open] = await tx
      .select({ id: evaluationAppeals.id })
      .from(evaluationAppeals)
      .where(
        and(
          eq(evaluationAppeals.projectId, projectId),
          eq(evaluationAppeals.unitId, unitId),
          eq(evaluationAppeals.indicatorCode, input.indicatorCode),
          eq(evaluationAppeals.state, "open"),
        ),
      );
    if (open) throw conflict(`您对指标「${node.name}」的申诉还在处理中,请等待评估组长答复。`);
    const [appeal] = await tx
      .insert(evaluationAppeals)
      .values({
        projectId,
        unitId,
        indicatorCode: input.indicatorCode,
        reason: input.reason,
        createdBy: actor.userId > 0 ? actor.userId : null,
        createdAt: now,
      })
      .returning();
    if (!appeal) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "evaluation.appeal",
      entityType: "evaluation_appeal",
      entityId: appeal.id,
      after: appeal,
      regionCode,
    });
    return { ...appeal, createdAt: iso(appeal.createdAt), decidedAt: iso(appeal.decidedAt) };
  });
}

/** The lead accepts an appeal (the final score changes, the reason kept) or rejects it with a reason. */
export async function decideEvaluationAppeal(
  db: Db,
  actor: Actor,
  p: ProjectContext,
  input: { appealId: number; accept: boolean; response: string; newValue?: number | null | undefined },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const [appeal] = await tx
      .select({ appeal: evaluationAppeals, unitName: units.name })
      .from(evaluationAppeals)
      .innerJoin(units, eq(units.id, evaluationAppeals.unitId))
      .where(and(eq(evaluationAppeals.id, input.appealId), eq(evaluationAppeals.projectId, p.project.id)));
    if (!appeal) throw notFound("申诉");
    if (appeal.appeal.state !== "open") throw conflict("该申诉已经处理过了,请刷新页面查看处理结果。");
    let newValue: number | null = null;
    if (input.accept) {
      if (input.newValue === null || input.newValue === undefined) {
        throw invalid("采纳申诉时请填写调整后的得分。", "newValue");
      }
      const scoring = compileScheme(pointsSystem(p.project.indicatorSystem));
      leafPoints(scoring, appeal.unitName, appeal.appeal.indicatorCode, input.newValue);
      newValue = input.newValue;
      await writeFinal(
        tx,
        actor,
        p,
        {
          unitId: appeal.appeal.unitId,
          indicatorCode: appeal.appeal.indicatorCode,
          value: newValue,
          reason: `申诉采纳:${input.response}`,
          unitName: appeal.unitName,
        },
        now,
        "evaluation.appealScore",
      );
    }
    const [updated] = await tx
      .update(evaluationAppeals)
      .set({
        state: input.accept ? "accepted" : "rejected",
        response: input.response,
        newValue,
        decidedBy: actor.userId > 0 ? actor.userId : null,
        decidedAt: now,
      })
      .where(eq(evaluationAppeals.id, input.appealId))
      .returning();
    await recordAudit(tx, actor, {
      action: input.accept ? "evaluation.appeal.accept" : "evaluation.appeal.reject",
      entityType: "evaluation_appeal",
      entityId: input.appealId,
      before: appeal.appeal,
      after: updated,
      regionCode: p.regionCode,
    });
    return { id: input.appealId, state: updated?.state ?? "open", newValue };
  });
}

// ───────────────────────────── a unit's own view ─────────────────────────────

/** Projects whose results were shown to the unit. */
export async function listUnitEvaluations(db: Db, unitId: number, now: Date) {
  const rows = await db
    .select({ project: evaluationProjects, tier: evaluationUnits.tier })
    .from(evaluationProjects)
    .innerJoin(
      evaluationUnits,
      and(eq(evaluationUnits.projectId, evaluationProjects.id), eq(evaluationUnits.unitId, unitId)),
    )
    .where(sql`${evaluationProjects.resultsShownAt} is not null`)
    .orderBy(desc(evaluationProjects.year), desc(evaluationProjects.id));
  return rows.map(({ project, tier }) => {
    const deadline = appealDeadline(project) as Date;
    return {
      id: project.id,
      year: project.year,
      name: project.name,
      organisation: project.organisation,
      tier,
      resultsShownAt: iso(project.resultsShownAt),
      appealDeadline: deadline.toISOString(),
      canAppeal: now.getTime() <= deadline.getTime(),
    };
  });
}

/**
 * The unit's own scores once shown: every leaf with its final points, what was deducted, the
 * evaluators' evidence (evaluators named by number, not by name), and its appeals. Nothing of
 * other units except its rank in its tier.
 */
export async function getUnitEvaluationResult(db: Db, unitId: number, projectId: number, now: Date) {
  const { project, tier } = await unitProjectAccess(db, unitId, projectId);
  const state = await loadState(db, project, { unitIds: [unitId] });
  const { results } = computeResults(project, state, now);
  const mine = results.units.find((u) => u.unitId === unitId);
  const evaluatorNumber = new Map<number, number>();
  for (const a of state.assignmentRows.filter((x) => x.unitId === unitId)) {
    evaluatorNumber.set(a.evaluatorId, evaluatorNumber.size + 1);
  }
  const cellsOfUnit = new Map(state.cells.filter((c) => c.unitId === unitId).map((c) => [c.code, c]));
  const indicators = state.leaves.map((l) => {
    const cell = cellsOfUnit.get(l.code);
    const score = cell?.final?.value ?? null;
    return {
      code: l.code,
      name: l.name,
      path: l.path,
      max: l.max,
      ruleLabel: l.ruleLabel,
      criteria: l.criteria,
      observationPoints: l.observationPoints,
      score,
      deduction: score === null || l.ruleType === "veto" || l.ruleType === "bonus" ? null : r6(l.max - score),
      reason: cell?.final?.source === "decided" ? cell.final.reason : null,
      evidence: (cell?.ratings ?? []).map((r) => ({
        evaluator: `评估人员${evaluatorNumber.get(r.evaluatorId) ?? ""}`,
        evidenceUrl: r.evidenceUrl,
        evidenceFileId: r.evidenceFileId,
        evidenceFileName: r.evidenceFileName,
        observedAt: r.observedAt,
        note: r.note,
      })),
    };
  });
  const appeals = await db
    .select()
    .from(evaluationAppeals)
    .where(and(eq(evaluationAppeals.projectId, projectId), eq(evaluationAppeals.unitId, unitId)))
    .orderBy(desc(evaluationAppeals.id));
  const deadline = appealDeadline(project) as Date;
  return {
    project: {
      id: project.id,
      year: project.year,
      name: project.name,
      organisation: project.organisation,
      resultsShownAt: iso(project.resultsShownAt),
      appealDays: project.appealDays,
      appealDeadline: deadline.toISOString(),
      canAppeal: now.getTime() <= deadline.getTime(),
    },
    tier,
    total: mine?.total ?? null,
    rank: mine?.rank ?? null,
    grade: mine?.grade ?? null,
    unitsInTier: results.units.filter((u) => u.tier === tier).length,
    maxTotal: results.maxTotal,
    firstLevel: results.indicators
      .filter((i) => i.level === 1)
      .map((i) => ({ code: i.code, name: i.name, max: i.max, score: mine?.indicators[i.code] ?? null })),
    indicators,
    appeals: appeals.map((a) => ({
      id: a.id,
      indicatorCode: a.indicatorCode,
      indicatorName: state.leaves.find((l) => l.code === a.indicatorCode)?.name ?? a.indicatorCode,
      reason: a.reason,
      state: a.state,
      response: a.response,
      newValue: a.newValue,
      createdAt: iso(a.createdAt),
      decidedAt: iso(a.decidedAt),
    })),
  };
}

// ───────────────────────────── published results (public) ─────────────────────────────

/** Projects with at least one published version, as their latest version names them. */
export async function listPublishedEvaluations(db: Db) {
  const rows = await db
    .select({
      projectId: evaluationResults.projectId,
      version: evaluationResults.version,
      results: evaluationResults.results,
      contentHash: evaluationResults.contentHash,
      publishedAt: evaluationResults.publishedAt,
    })
    .from(evaluationResults)
    .where(
      sql`${evaluationResults.version} = (select max(r2.version) from ${evaluationResults} r2 where r2.project_id = ${evaluationResults.projectId})`,
    )
    .orderBy(desc(evaluationResults.publishedAt));
  return rows
    .map((r) => {
      const results = r.results as EvaluationResults;
      return {
        projectId: r.projectId,
        year: results.project.year,
        name: results.project.name,
        organisation: results.project.organisation,
        latestVersion: r.version,
        contentHash: r.contentHash,
        publishedAt: iso(r.publishedAt) as string,
        unitCount: results.units.length,
        tiers: results.tiers,
      };
    })
    .sort((a, b) => b.year - a.year || b.projectId - a.projectId);
}

/**
 * One published version (the latest unless asked) with the version list and the change from last
 * year: the same organisation's previous-year project's latest published version, matched by unit.
 * Only published rows are read; NOT_FOUND when there is none.
 */
export async function getPublishedEvaluation(db: Db, projectId: number, version?: number) {
  const versions = await versionsOf(db, projectId);
  const chosen = version === undefined ? versions[0] : versions.find((v) => v.version === version);
  if (!chosen) throw notFound(version === undefined ? "已发布的评估结果" : `第 ${version} 版评估结果`);
  const [row] = await db
    .select({ results: evaluationResults.results })
    .from(evaluationResults)
    .where(and(eq(evaluationResults.projectId, projectId), eq(evaluationResults.version, chosen.version)));
  const results = row?.results as EvaluationResults;
  const previous = await previousYear(db, projectId, results);
  const change: Record<
    string,
    { previousTotal: number | null; previousRank: number | null; delta: number | null }
  > = {};
  if (previous) {
    for (const u of results.units) {
      const before = previous.units.find((x) => x.unitId === u.unitId);
      if (!before) continue;
      change[String(u.unitId)] = {
        previousTotal: before.total,
        previousRank: before.rank,
        delta: u.total !== null && before.total !== null ? r6(u.total - before.total) : null,
      };
    }
  }
  return {
    projectId,
    version: chosen,
    versions,
    results,
    previous: previous
      ? { projectId: previous.projectId, year: previous.year, version: previous.version }
      : null,
    change,
  };
}

async function previousYear(db: Db, projectId: number, current: EvaluationResults) {
  const rows = await db
    .select({
      projectId: evaluationResults.projectId,
      version: evaluationResults.version,
      results: evaluationResults.results,
    })
    .from(evaluationResults)
    .where(
      and(
        sql`${evaluationResults.projectId} <> ${projectId}`,
        sql`${evaluationResults.results} -> 'project' ->> 'organisation' = ${current.project.organisation}`,
        sql`(${evaluationResults.results} -> 'project' ->> 'year')::int = ${current.project.year - 1}`,
      ),
    )
    .orderBy(desc(evaluationResults.projectId), desc(evaluationResults.version))
    .limit(1);
  const r = rows[0];
  if (!r) return null;
  const results = r.results as EvaluationResults;
  return { projectId: r.projectId, version: r.version, year: results.project.year, units: results.units };
}

/** The published results as CSV rows (header first): tier, rank, unit, total, grade, then every indicator. */
export function resultsCsvRows(results: EvaluationResults): (string | number | null)[][] {
  const header = [
    "层级",
    "排名",
    "单位",
    "总分",
    "等次",
    ...results.indicators.map((i) => `${i.code} ${i.name}(${fmt(i.max)}分)`),
  ];
  return [
    header,
    ...results.units.map((u) => [
      u.tier,
      u.rank,
      u.unitName,
      u.total,
      u.grade,
      ...results.indicators.map((i) => u.indicators[i.code] ?? null),
    ]),
  ];
}
