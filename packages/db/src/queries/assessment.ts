/**
 * The year-end assessment (年度考核): schemes for a year and a unit group, units' self-assessments
 * (自评), the office's final scores, results computed by the core rules, and published versions
 * frozen with a content hash.
 *
 * Stages: draft → selfAssessment (units fill 自评 until the due date, inclusive) → review (the office
 * sets final scores) → published. Publishing again is a correction: a new version with a reason;
 * every version stays readable. Rules the code keeps:
 * - a leaf's value is the office's final value; for a leaf the system computes (a `proportion` or
 *   `deduction` rule with a data source, an `evaluation` rule with a project) it is the computed
 *   value unless the office overrides it with a note. A unit's own 自评 never counts by itself;
 * - a missing value is not a zero: the unit is 未完成 and unranked;
 * - a unit sees only its own self-assessment and, once published, its own scores and the ranking;
 *   anything else is NOT_FOUND.
 */
import { createHash } from "node:crypto";
import {
  type AssessmentScheme,
  assess,
  type CompiledScheme,
  type CountSource,
  compileScheme,
  conflict,
  contribution,
  dataSourceLabels,
  type GradeBand,
  type Indicator,
  invalid,
  notFound,
  parseAssessmentScheme,
  type RankedUnit,
  type RateSource,
  resultsHashInput,
  type SchemeNode,
  type ScoringRule,
  scoreUnits,
} from "@gongkai/core";
import { and, asc, desc, eq, inArray, isNotNull, like, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  assessmentParticipants,
  assessmentResults,
  assessmentSchemes,
  assessmentScores,
  evaluationProjects,
  evaluationResults,
  storedFiles,
  unitGroupMembers,
  unitGroups,
  units,
  users,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import {
  type AssessmentMetric,
  type AssessmentMetrics,
  chinaDate,
  computeAssessmentMetrics,
} from "./assessment-metrics.ts";
import { recordAudit } from "./audit.ts";
import { inScope } from "./units.ts";

export type AssessmentStatus = (typeof assessmentSchemes.$inferSelect)["status"];
export type AssessmentSchemeRow = typeof assessmentSchemes.$inferSelect;
export type SelfEvidence = {
  url?: string | undefined;
  fileId?: number | undefined;
  title?: string | undefined;
};

export const assessmentStatusLabels: Record<AssessmentStatus, string> = {
  draft: "草稿",
  selfAssessment: "单位自评",
  review: "审核评分",
  published: "已发布",
};

export type AssessmentSchemeInput = {
  year: number;
  unitGroupId: number;
  performanceTotal: number;
  selfAssessmentDue?: string | null | undefined;
  definition: AssessmentScheme;
};

// ---------------------------------------------------------------- the scheme's leaves

/** Where a leaf's value comes from when the system computes it. */
export type LeafSource =
  | { kind: "metric"; source: RateSource | CountSource }
  | { kind: "evaluation"; project: string };

export type AssessmentLeaf = {
  code: string;
  name: string;
  /** Names of the indicators above it, from the first level down. */
  path: string[];
  /** The first-level indicator it belongs to. */
  topCode: string;
  max: number;
  kind: "scored" | "bonus" | "veto";
  rule: ScoringRule;
  criteria: string | null;
  observationPoints: string[];
  source: LeafSource | null;
  /** What the value is, for people: 人工评分 (0–10 分), 扣分次数… */
  valueHint: string;
};

function sourceOf(rule: ScoringRule): LeafSource | null {
  if (rule.type === "proportion" && rule.source) return { kind: "metric", source: rule.source };
  if (rule.type === "deduction" && rule.source) return { kind: "metric", source: rule.source };
  if (rule.type === "evaluation" && rule.project) return { kind: "evaluation", project: rule.project };
  return null;
}

const fmt = (x: number) => String(Number(x.toPrecision(10)));

function valueHint(rule: ScoringRule, max: number): string {
  switch (rule.type) {
    case "manual":
      return `填写得分 0–${fmt(max)} 分`;
    case "bonus":
      return `填写加分 0–${fmt(max)} 分`;
    case "yesno":
      return `是得 ${fmt(max)} 分,否得 0 分`;
    case "levels":
      return `分档:${rule.levels.map((l) => `${fmt(l * max)}分`).join(" / ")}`;
    case "deduction":
      return rule.source
        ? `按${dataSourceLabels[rule.source]}每次扣 ${fmt(rule.per)} 分,扣完为止`
        : `填写发现问题次数,每次扣 ${fmt(rule.per)} 分,扣完为止`;
    case "veto":
      return "触发即单项否决";
    case "proportion":
      return rule.source
        ? `按${dataSourceLabels[rule.source]} × ${fmt(max)} 分`
        : `填写比例 0–1,得分 = 比例 × ${fmt(max)} 分`;
    case "evaluation":
      return rule.project
        ? `第三方评估「${rule.project}」总分 ÷ 100 × ${fmt(max)} 分`
        : `填写第三方评估总分 0–100,折算为 ${fmt(max)} 分`;
  }
}

/** The leaves of a compiled scheme, in order, with what people need to score them. */
export function assessmentLeaves(compiled: CompiledScheme): AssessmentLeaf[] {
  const byCode = new Map<string, Indicator>();
  const walk = (n: Indicator) => {
    byCode.set(n.code, n);
    for (const c of n.children ?? []) walk(c);
  };
  for (const n of compiled.system.indicators) walk(n);
  return compiled.nodes
    .filter((n) => n.children.length === 0 && n.rule !== null)
    .map((n) => {
      const path: string[] = [];
      let top = n;
      for (let p = n.parent; p !== null; p = compiled.nodes[p]?.parent ?? null) {
        const parent = compiled.nodes[p];
        if (!parent) break;
        path.unshift(parent.name);
        top = parent;
      }
      const rule = n.rule as ScoringRule;
      const def = byCode.get(n.code);
      return {
        code: n.code,
        name: n.name,
        path,
        topCode: top.code,
        max: n.max,
        kind: n.kind,
        rule,
        criteria: def?.criteria ?? null,
        observationPoints: def?.observationPoints ?? [],
        source: sourceOf(rule),
        valueHint: valueHint(rule, n.max),
      };
    });
}

/** Throws the core's Chinese message when `value` is not allowed by the leaf's rule. */
function checkValue(compiled: CompiledScheme, unitName: string, code: string, value: number) {
  scoreUnits(compiled, [{ unit: unitName, indicator: code, value }]);
}

// ---------------------------------------------------------------- access

async function requireScheme(db: Db, actor: Actor, id: number): Promise<AssessmentSchemeRow> {
  const [row] = await db
    .select({ scheme: assessmentSchemes, ownerPath: units.path })
    .from(assessmentSchemes)
    .leftJoin(units, eq(units.id, assessmentSchemes.ownerUnitId))
    .where(eq(assessmentSchemes.id, id));
  if (!row) throw notFound("考核方案");
  if (actor.scopePath !== null && !(row.ownerPath && inScope(actor.scopePath, row.ownerPath))) {
    throw notFound("考核方案");
  }
  return row.scheme;
}

/** The scheme, locked for the rest of the transaction (publishing, stage changes). */
async function lockScheme(db: Db, actor: Actor, id: number): Promise<AssessmentSchemeRow> {
  await requireScheme(db, actor, id);
  const [row] = await db.select().from(assessmentSchemes).where(eq(assessmentSchemes.id, id)).for("update");
  if (!row) throw notFound("考核方案");
  return row;
}

async function requireGroup(db: Db, actor: Actor, groupId: number) {
  const [row] = await db
    .select({ group: unitGroups, ownerPath: units.path })
    .from(unitGroups)
    .leftJoin(units, eq(units.id, unitGroups.ownerUnitId))
    .where(eq(unitGroups.id, groupId));
  if (!row || (actor.scopePath !== null && !(row.ownerPath && inScope(actor.scopePath, row.ownerPath)))) {
    throw invalid("考核分组不存在或不在您的管理范围内,请重新选择。", "unitGroupId");
  }
  return row.group;
}

/** A scheme a unit takes part in, once it has left the draft stage; otherwise NOT_FOUND. */
async function requireSchemeForUnit(db: Db, unitId: number, id: number) {
  const [row] = await db
    .select({ scheme: assessmentSchemes, participant: assessmentParticipants })
    .from(assessmentSchemes)
    .innerJoin(
      assessmentParticipants,
      and(
        eq(assessmentParticipants.schemeId, assessmentSchemes.id),
        eq(assessmentParticipants.unitId, unitId),
      ),
    )
    .where(and(eq(assessmentSchemes.id, id), sql`${assessmentSchemes.status} <> 'draft'`));
  if (!row) throw notFound("考核方案");
  return row;
}

export type AssessmentUnit = {
  unitId: number;
  name: string;
  shortName: string | null;
  selfSubmittedAt: Date | null;
};

/** The units a scheme scores: its participants once self-assessment opened, else the group's members. */
async function schemeUnits(db: Db, scheme: AssessmentSchemeRow): Promise<AssessmentUnit[]> {
  const parts = await db
    .select({
      unitId: assessmentParticipants.unitId,
      selfSubmittedAt: assessmentParticipants.selfSubmittedAt,
    })
    .from(assessmentParticipants)
    .where(eq(assessmentParticipants.schemeId, scheme.id));
  const ids =
    parts.length > 0
      ? parts.map((p) => p.unitId)
      : scheme.unitGroupId === null
        ? []
        : (
            await db
              .select({ unitId: unitGroupMembers.unitId })
              .from(unitGroupMembers)
              .where(eq(unitGroupMembers.groupId, scheme.unitGroupId))
          ).map((m) => m.unitId);
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: units.id, name: units.name, shortName: units.shortName })
    .from(units)
    .where(inArray(units.id, ids))
    .orderBy(asc(units.sortOrder), asc(units.path));
  const submitted = new Map(parts.map((p) => [p.unitId, p.selfSubmittedAt]));
  return rows.map((u) => ({
    unitId: u.id,
    name: u.name,
    shortName: u.shortName,
    selfSubmittedAt: submitted.get(u.id) ?? null,
  }));
}

/** Unit names as the core ranks them: the name, or name(id) when two units share a name. */
function unitKeys(list: AssessmentUnit[]): Map<number, string> {
  const count = new Map<string, number>();
  for (const u of list) count.set(u.name, (count.get(u.name) ?? 0) + 1);
  return new Map(
    list.map((u) => [u.unitId, (count.get(u.name) ?? 0) > 1 ? `${u.name}(${u.unitId})` : u.name]),
  );
}

/** The day values are computed for: today, or the year's last day once the year is over. */
export function assessmentAsOf(year: number, now: Date): string {
  const today = chinaDate(now);
  const end = `${year}-12-31`;
  return today < end ? today : end;
}

// ---------------------------------------------------------------- list, create, update, delete

export async function listAssessmentSchemes(db: Db, actor: Actor, params: { year?: number | undefined }) {
  const latest = db
    .select({
      schemeId: assessmentResults.schemeId,
      latestVersion: sql<number>`max(${assessmentResults.version})::int`.as("latest_version"),
    })
    .from(assessmentResults)
    .groupBy(assessmentResults.schemeId)
    .as("latest");
  const parts = db
    .select({
      schemeId: assessmentParticipants.schemeId,
      participantCount: sql<number>`count(*)::int`.as("participant_count"),
      submittedCount: sql<number>`count(${assessmentParticipants.selfSubmittedAt})::int`.as(
        "submitted_count",
      ),
    })
    .from(assessmentParticipants)
    .groupBy(assessmentParticipants.schemeId)
    .as("parts");
  const rows = await db
    .select({
      id: assessmentSchemes.id,
      year: assessmentSchemes.year,
      name: assessmentSchemes.name,
      status: assessmentSchemes.status,
      unitGroupId: assessmentSchemes.unitGroupId,
      groupName: unitGroups.name,
      definition: assessmentSchemes.definition,
      selfAssessmentDue: assessmentSchemes.selfAssessmentDue,
      latestVersion: latest.latestVersion,
      participants: parts.participantCount,
      submitted: parts.submittedCount,
      updatedAt: assessmentSchemes.updatedAt,
    })
    .from(assessmentSchemes)
    .leftJoin(units, eq(units.id, assessmentSchemes.ownerUnitId))
    .leftJoin(unitGroups, eq(unitGroups.id, assessmentSchemes.unitGroupId))
    .leftJoin(latest, eq(latest.schemeId, assessmentSchemes.id))
    .leftJoin(parts, eq(parts.schemeId, assessmentSchemes.id))
    .where(
      and(
        params.year ? eq(assessmentSchemes.year, params.year) : undefined,
        actor.scopePath ? like(units.path, `${actor.scopePath}%`) : undefined,
      ),
    )
    .orderBy(desc(assessmentSchemes.year), desc(assessmentSchemes.id));
  return rows.map(({ definition, ...r }) => ({
    ...r,
    share: definition.share,
    latestVersion: r.latestVersion ?? null,
    participants: r.participants ?? 0,
    submitted: r.submitted ?? 0,
  }));
}

export async function createAssessmentScheme(db: Db, actor: Actor, input: AssessmentSchemeInput) {
  const definition = parseAssessmentScheme(input.definition);
  return db.transaction(async (tx) => {
    const group = await requireGroup(tx, actor, input.unitGroupId);
    const [scheme] = await tx
      .insert(assessmentSchemes)
      .values({
        year: input.year,
        name: definition.name,
        ownerUnitId: actor.unitId ?? group.ownerUnitId,
        unitGroupId: group.id,
        performanceTotal: input.performanceTotal,
        definition,
        selfAssessmentDue: input.selfAssessmentDue ?? null,
        createdBy: actor.userId > 0 ? actor.userId : null,
      })
      .returning();
    if (!scheme) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "assessment.create",
      entityType: "assessmentScheme",
      entityId: scheme.id,
      after: scheme,
    });
    return scheme;
  });
}

const stale = () => conflict("该考核方案已被他人修改,请刷新页面查看最新内容后再保存。");

/**
 * Saves the scheme's settings and indicator tree. Until results are published the tree may change;
 * final scores the new rules would not allow are refused (listed), and computed values are
 * recomputed for the new rules.
 */
export async function updateAssessmentScheme(
  db: Db,
  actor: Actor,
  id: number,
  input: AssessmentSchemeInput & { version: number },
  now: Date,
) {
  const definition = parseAssessmentScheme(input.definition);
  return db.transaction(async (tx) => {
    const before = await lockScheme(tx, actor, id);
    if (before.version !== input.version) throw stale();
    if (before.status === "published") {
      throw invalid(
        "考核结果已发布,方案不能再修改。如需更正,请修改最终得分后发布更正版本;如需新方案,请新建考核方案。",
        "status",
      );
    }
    if (input.unitGroupId !== before.unitGroupId) {
      if (before.status !== "draft") {
        throw invalid("自评已开放,不能更换考核分组。如确需更换,请新建考核方案。", "unitGroupId");
      }
      await requireGroup(tx, actor, input.unitGroupId);
    }
    const compiled = compileScheme(definition);
    await checkStoredScores(tx, before.id, compiled);
    const [scheme] = await tx
      .update(assessmentSchemes)
      .set({
        year: input.year,
        name: definition.name,
        unitGroupId: input.unitGroupId,
        performanceTotal: input.performanceTotal,
        definition,
        selfAssessmentDue: input.selfAssessmentDue ?? null,
        updatedAt: new Date(),
        version: sql`${assessmentSchemes.version} + 1`,
      })
      .where(and(eq(assessmentSchemes.id, id), eq(assessmentSchemes.version, before.version)))
      .returning();
    if (!scheme) throw stale();
    if (before.status !== "draft") await storeComputedValues(tx, scheme, now);
    await recordAudit(tx, actor, {
      action: "assessment.update",
      entityType: "assessmentScheme",
      entityId: id,
      before,
      after: scheme,
    });
    return scheme;
  });
}

/** Final scores already set must still be allowed by the new rules. */
async function checkStoredScores(db: Db, schemeId: number, compiled: CompiledScheme) {
  const rows = await db
    .select({
      unitName: units.name,
      code: assessmentScores.indicatorCode,
      finalValue: assessmentScores.finalValue,
    })
    .from(assessmentScores)
    .innerJoin(units, eq(units.id, assessmentScores.unitId))
    .where(and(eq(assessmentScores.schemeId, schemeId), sql`${assessmentScores.finalValue} is not null`));
  const leaves = new Set(assessmentLeaves(compiled).map((l) => l.code));
  const problems: string[] = [];
  for (const r of rows) {
    if (!leaves.has(r.code) || r.finalValue === null) continue;
    try {
      checkValue(compiled, r.unitName, r.code, r.finalValue);
    } catch (e) {
      problems.push(e instanceof Error ? e.message.replace(/。$/, "") : String(e));
    }
  }
  if (problems.length > 0) {
    throw invalid(
      `修改后的评分规则与已录入的最终得分冲突:${problems.slice(0, 5).join(";")}${problems.length > 5 ? ` 等 ${problems.length} 处` : ""}。请先修改或清除这些得分,再保存方案。`,
      "definition",
    );
  }
}

export async function deleteAssessmentScheme(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const before = await lockScheme(tx, actor, id);
    if (before.status !== "draft") {
      throw invalid("只能删除草稿状态的考核方案;已开放自评或已发布的方案需要保留。", "status");
    }
    await tx.delete(assessmentSchemes).where(eq(assessmentSchemes.id, id));
    await recordAudit(tx, actor, {
      action: "assessment.delete",
      entityType: "assessmentScheme",
      entityId: id,
      before,
    });
  });
}

// ---------------------------------------------------------------- detail

export async function getAssessmentScheme(db: Db, actor: Actor, id: number) {
  const scheme = await requireScheme(db, actor, id);
  const compiled = compileScheme(scheme.definition);
  const [group] = scheme.unitGroupId
    ? await db.select({ name: unitGroups.name }).from(unitGroups).where(eq(unitGroups.id, scheme.unitGroupId))
    : [];
  return {
    scheme: { ...scheme, groupName: group?.name ?? null },
    max: compiled.max,
    bonusCap: compiled.bonusCap,
    leaves: assessmentLeaves(compiled),
    units: await schemeUnits(db, scheme),
    versions: await versionList(db, id),
  };
}

async function versionList(db: Db, schemeId: number) {
  return db
    .select({
      version: assessmentResults.version,
      contentHash: assessmentResults.contentHash,
      reason: assessmentResults.reason,
      publishedAt: assessmentResults.publishedAt,
      publishedBy: users.displayName,
    })
    .from(assessmentResults)
    .leftJoin(users, eq(users.id, assessmentResults.publishedBy))
    .where(eq(assessmentResults.schemeId, schemeId))
    .orderBy(desc(assessmentResults.version));
}

export async function listAssessmentVersions(db: Db, actor: Actor, id: number) {
  await requireScheme(db, actor, id);
  return versionList(db, id);
}

// ---------------------------------------------------------------- stages

async function ensureParticipants(db: Db, scheme: AssessmentSchemeRow) {
  if (scheme.unitGroupId === null) throw invalid("考核方案没有考核分组,请先选择分组。", "unitGroupId");
  const members = await db
    .select({ unitId: unitGroupMembers.unitId })
    .from(unitGroupMembers)
    .where(eq(unitGroupMembers.groupId, scheme.unitGroupId));
  if (members.length === 0) {
    throw invalid("考核分组没有成员单位:请先在「单位目录」中为该分组添加成员单位。", "unitGroupId");
  }
  await db
    .insert(assessmentParticipants)
    .values(members.map((m) => ({ schemeId: scheme.id, unitId: m.unitId })))
    .onConflictDoNothing();
}

async function setStage(
  db: Db,
  scheme: AssessmentSchemeRow,
  status: AssessmentStatus,
  extra: { selfAssessmentDue?: string } = {},
) {
  const [row] = await db
    .update(assessmentSchemes)
    .set({ status, ...extra, updatedAt: new Date(), version: sql`${assessmentSchemes.version} + 1` })
    .where(eq(assessmentSchemes.id, scheme.id))
    .returning();
  if (!row) throw notFound("考核方案");
  return row;
}

/** Opens (or reopens, or extends) the self-assessment until `due`, inclusive. */
export async function openSelfAssessment(db: Db, actor: Actor, id: number, due: string, now: Date) {
  return db.transaction(async (tx) => {
    const before = await lockScheme(tx, actor, id);
    if (before.status === "published") {
      throw invalid("考核结果已发布,不能再开放自评。", "status");
    }
    const today = chinaDate(now);
    if (due < today) {
      throw invalid(`自评截止日期 ${due} 早于今天(${today}):请选择今天或以后的日期。`, "selfAssessmentDue");
    }
    await ensureParticipants(tx, before);
    const scheme = await setStage(tx, before, "selfAssessment", { selfAssessmentDue: due });
    await storeComputedValues(tx, scheme, now);
    await recordAudit(tx, actor, {
      action: "assessment.openSelfAssessment",
      entityType: "assessmentScheme",
      entityId: id,
      before: { status: before.status, selfAssessmentDue: before.selfAssessmentDue },
      after: { status: scheme.status, selfAssessmentDue: due },
    });
    return scheme;
  });
}

/** Closes the self-assessment (or skips it) and starts the office's review and scoring. */
export async function startAssessmentReview(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const before = await lockScheme(tx, actor, id);
    if (before.status === "review") return before;
    if (before.status === "published") {
      throw invalid("考核结果已发布:如需更正得分,可直接修改最终得分后发布更正版本。", "status");
    }
    await ensureParticipants(tx, before);
    const scheme = await setStage(tx, before, "review");
    await storeComputedValues(tx, scheme, now);
    await recordAudit(tx, actor, {
      action: "assessment.startReview",
      entityType: "assessmentScheme",
      entityId: id,
      before: { status: before.status },
      after: { status: scheme.status },
    });
    return scheme;
  });
}

// ---------------------------------------------------------------- computed values

/** Values the system computes for the scheme's data leaves, per unit, with how they came about. */
async function liveComputed(
  db: Db,
  scheme: AssessmentSchemeRow,
  unitIds: number[],
  asOf: string,
): Promise<Map<number, Map<string, AssessmentMetric>>> {
  const leaves = assessmentLeaves(compileScheme(scheme.definition)).filter((l) => l.source !== null);
  const out = new Map<number, Map<string, AssessmentMetric>>(unitIds.map((u) => [u, new Map()]));
  if (leaves.length === 0 || unitIds.length === 0) return out;
  const [owner] = scheme.ownerUnitId
    ? await db.select({ path: units.path }).from(units).where(eq(units.id, scheme.ownerUnitId))
    : [];
  const scopePath = owner?.path ?? null;
  const metrics: Map<number, AssessmentMetrics> = leaves.some((l) => l.source?.kind === "metric")
    ? await computeAssessmentMetrics(db, { year: scheme.year, unitIds, asOf, scopePath })
    : new Map();
  const evaluations = new Map<string, Awaited<ReturnType<typeof evaluationTotals>>>();
  for (const l of leaves) {
    if (l.source?.kind === "evaluation" && !evaluations.has(l.source.project)) {
      evaluations.set(l.source.project, await evaluationTotals(db, scopePath, scheme.year, l.source.project));
    }
  }
  for (const unitId of unitIds) {
    const byLeaf = out.get(unitId) as Map<string, AssessmentMetric>;
    for (const l of leaves) {
      const src = l.source as LeafSource;
      if (src.kind === "metric") {
        const m = metrics.get(unitId)?.[src.source];
        if (m) byLeaf.set(l.code, m);
        continue;
      }
      const ev = evaluations.get(src.project);
      if (!ev) {
        byLeaf.set(l.code, {
          value: null,
          numerator: null,
          denominator: null,
          note: `没有找到已发布结果的第三方评估项目「${src.project}」,请人工评分`,
        });
        continue;
      }
      const u = ev.units.get(unitId);
      byLeaf.set(
        l.code,
        u === undefined || u === null
          ? {
              value: null,
              numerator: null,
              denominator: null,
              note: `「${ev.name}」第 ${ev.version} 版结果中没有该单位的总分,请人工评分`,
            }
          : {
              value: u,
              numerator: u,
              denominator: 100,
              note: `「${ev.name}」第 ${ev.version} 版结果:总分 ${fmt(u)}`,
            },
      );
    }
  }
  return out;
}

type EvaluationResultsJson = { units?: { unitId: number; total: number | null }[] };

/**
 * A third-party evaluation's totals (0..100) per unit, from the highest published version of the
 * project named by `project`: its id, or its name (the latest project of that name, same year first).
 */
async function evaluationTotals(db: Db, scopePath: string | null, year: number, project: string) {
  const scoped = scopePath ? like(units.path, `${scopePath}%`) : undefined;
  const candidates = await db
    .select({ id: evaluationProjects.id, name: evaluationProjects.name, year: evaluationProjects.year })
    .from(evaluationProjects)
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(
      and(
        /^\d+$/.test(project)
          ? eq(evaluationProjects.id, Number(project))
          : eq(evaluationProjects.name, project.trim()),
        scoped,
      ),
    )
    .orderBy(
      desc(sql`${evaluationProjects.year} = ${year}`),
      desc(evaluationProjects.year),
      desc(evaluationProjects.id),
    );
  for (const p of candidates) {
    const [latest] = await db
      .select({ version: evaluationResults.version, results: evaluationResults.results })
      .from(evaluationResults)
      .where(eq(evaluationResults.projectId, p.id))
      .orderBy(desc(evaluationResults.version))
      .limit(1);
    if (!latest) continue;
    const list = (latest.results as EvaluationResultsJson | null)?.units ?? [];
    const totals = new Map<number, number | null>();
    for (const u of list) {
      const t =
        typeof u.total === "number" && Number.isFinite(u.total) ? Math.min(100, Math.max(0, u.total)) : null;
      totals.set(u.unitId, t);
    }
    return { name: p.name, version: latest.version, units: totals };
  }
  return null;
}

/** Recomputes and stores the computed value of every data leaf for every unit of the scheme. */
async function storeComputedValues(db: Db, scheme: AssessmentSchemeRow, now: Date) {
  const list = await schemeUnits(db, scheme);
  const asOf = assessmentAsOf(scheme.year, now);
  const computed = await liveComputed(
    db,
    scheme,
    list.map((u) => u.unitId),
    asOf,
  );
  await db
    .update(assessmentScores)
    .set({ computedValue: null })
    .where(and(eq(assessmentScores.schemeId, scheme.id), sql`${assessmentScores.computedValue} is not null`));
  const rows = [...computed].flatMap(([unitId, byLeaf]) =>
    [...byLeaf].map(([indicatorCode, m]) => ({
      schemeId: scheme.id,
      unitId,
      indicatorCode,
      computedValue: m.value,
    })),
  );
  if (rows.length > 0) {
    await db
      .insert(assessmentScores)
      .values(rows)
      .onConflictDoUpdate({
        target: [assessmentScores.schemeId, assessmentScores.unitId, assessmentScores.indicatorCode],
        set: { computedValue: sql`excluded.computed_value` },
      });
  }
  return { asOf, values: rows.filter((r) => r.computedValue !== null).length, cells: rows.length };
}

/** The office refreshes the computed values from the task data as it is now. */
export async function refreshAssessmentComputed(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const scheme = await lockScheme(tx, actor, id);
    const result = await storeComputedValues(tx, scheme, now);
    await recordAudit(tx, actor, {
      action: "assessment.refreshComputed",
      entityType: "assessmentScheme",
      entityId: id,
      after: result,
    });
    return result;
  });
}

/** The computed values as they would be now, with how each came about (for the office to check). */
export async function getAssessmentMetrics(db: Db, actor: Actor, id: number, now: Date) {
  const scheme = await requireScheme(db, actor, id);
  const list = await schemeUnits(db, scheme);
  const asOf = assessmentAsOf(scheme.year, now);
  const computed = await liveComputed(
    db,
    scheme,
    list.map((u) => u.unitId),
    asOf,
  );
  return {
    asOf,
    units: list.map((u) => ({
      unitId: u.unitId,
      name: u.name,
      values: Object.fromEntries(computed.get(u.unitId) ?? []) as Record<string, AssessmentMetric>,
    })),
  };
}

// ---------------------------------------------------------------- scores (office)

/** Every unit's self-assessment, computed values and final scores, for the office's review. */
export async function getAssessmentScores(db: Db, actor: Actor, id: number) {
  const scheme = await requireScheme(db, actor, id);
  const leaves = assessmentLeaves(compileScheme(scheme.definition));
  const codes = new Set(leaves.map((l) => l.code));
  const rows = await db
    .select()
    .from(assessmentScores)
    .where(eq(assessmentScores.schemeId, id))
    .orderBy(asc(assessmentScores.unitId));
  const scores = rows.filter((r) => codes.has(r.indicatorCode));
  return {
    units: await schemeUnits(db, scheme),
    leaves,
    scores: await withFileNames(db, scores),
  };
}

/** Self-assessment evidence as shown: a link, or an uploaded file with its name. */
export type SelfEvidenceView = {
  url: string | null;
  fileId: number | null;
  title: string | null;
  fileName: string | null;
};

async function withFileNames<R extends { selfEvidence: SelfEvidence[] }>(
  db: Db,
  rows: R[],
): Promise<(Omit<R, "selfEvidence"> & { selfEvidence: SelfEvidenceView[] })[]> {
  const ids = [...new Set(rows.flatMap((r) => r.selfEvidence.map((e) => e.fileId)))].filter(
    (x): x is number => typeof x === "number",
  );
  const files = ids.length
    ? await db
        .select({ id: storedFiles.id, fileName: storedFiles.fileName })
        .from(storedFiles)
        .where(inArray(storedFiles.id, ids))
    : [];
  const nameOf = new Map(files.map((f) => [f.id, f.fileName]));
  return rows.map((r) => ({
    ...r,
    selfEvidence: r.selfEvidence.map((e) => ({
      url: e.url ?? null,
      fileId: e.fileId ?? null,
      title: e.title ?? null,
      fileName: e.fileId ? (nameOf.get(e.fileId) ?? null) : null,
    })),
  }));
}

export type FinalScoreInput = {
  unitId: number;
  indicatorCode: string;
  finalValue: number | null;
  reviewNote?: string | null | undefined;
};

/**
 * The office sets (or clears, with null) final scores. Values must suit the leaf's rule; overriding
 * a value the system computes needs a note saying why. Allowed from the self-assessment on, and
 * after publishing (a correction is then published as a new version).
 */
export async function setAssessmentScores(db: Db, actor: Actor, id: number, scores: FinalScoreInput[]) {
  return db.transaction(async (tx) => {
    const scheme = await requireScheme(tx, actor, id);
    if (scheme.status === "draft") {
      throw invalid("方案还是草稿:请先「开放自评」或「进入审核评分」,再录入最终得分。", "status");
    }
    const compiled = compileScheme(scheme.definition);
    const leaves = new Map(assessmentLeaves(compiled).map((l) => [l.code, l]));
    const list = await schemeUnits(tx, scheme);
    const unitsById = new Map(list.map((u) => [u.unitId, u]));
    const seen = new Set<string>();
    for (const s of scores) {
      const unit = unitsById.get(s.unitId);
      if (!unit) throw invalid(`单位(编号 ${s.unitId})不参加本次考核,请刷新页面后重试。`, "finalScores");
      const leaf = leaves.get(s.indicatorCode);
      if (!leaf) {
        throw invalid(
          `指标 ${s.indicatorCode} 不是本方案的末级指标:只给末级指标打分,请刷新页面后重试。`,
          "finalScores",
        );
      }
      const key = `${s.unitId}:${s.indicatorCode}`;
      if (seen.has(key))
        throw invalid(`「${unit.name}」的指标 ${leaf.code} 出现了两次,请只保留一个得分。`, "finalScores");
      seen.add(key);
      if (s.finalValue !== null) {
        checkValue(compiled, unit.name, leaf.code, s.finalValue);
        if (leaf.source && !s.reviewNote) {
          throw invalid(
            `「${unit.name}」的指标 ${leaf.code}「${leaf.name}」由系统根据${leaf.source.kind === "metric" ? dataSourceLabels[leaf.source.source] : "第三方评估结果"}计算:人工修改请在「审核说明」中写明理由。`,
            "reviewNote",
          );
        }
      }
    }
    const before = await tx
      .select({
        unitId: assessmentScores.unitId,
        indicatorCode: assessmentScores.indicatorCode,
        finalValue: assessmentScores.finalValue,
        reviewNote: assessmentScores.reviewNote,
      })
      .from(assessmentScores)
      .where(eq(assessmentScores.schemeId, id));
    const beforeOf = new Map(before.map((b) => [`${b.unitId}:${b.indicatorCode}`, b]));
    const changed = scores.filter((s) => {
      const b = beforeOf.get(`${s.unitId}:${s.indicatorCode}`);
      return (b?.finalValue ?? null) !== s.finalValue || (b?.reviewNote ?? null) !== (s.reviewNote ?? null);
    });
    if (changed.length === 0) return { changed: 0 };
    const at = new Date();
    await tx
      .insert(assessmentScores)
      .values(
        changed.map((s) => ({
          schemeId: id,
          unitId: s.unitId,
          indicatorCode: s.indicatorCode,
          finalValue: s.finalValue,
          reviewNote: s.reviewNote ?? null,
          updatedBy: actor.userId > 0 ? actor.userId : null,
          updatedAt: at,
        })),
      )
      .onConflictDoUpdate({
        target: [assessmentScores.schemeId, assessmentScores.unitId, assessmentScores.indicatorCode],
        set: {
          finalValue: sql`excluded.final_value`,
          reviewNote: sql`excluded.review_note`,
          updatedBy: sql`excluded.updated_by`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
    await recordAudit(tx, actor, {
      action: "assessment.setScores",
      entityType: "assessmentScheme",
      entityId: id,
      before: changed.map(
        (s) => beforeOf.get(`${s.unitId}:${s.indicatorCode}`) ?? { ...s, finalValue: null },
      ),
      after: changed,
    });
    return { changed: changed.length };
  });
}

/** The office sends a submitted self-assessment back to the unit, with the reason. */
export async function returnSelfAssessment(db: Db, actor: Actor, id: number, unitId: number, reason: string) {
  return db.transaction(async (tx) => {
    const scheme = await requireScheme(tx, actor, id);
    if (scheme.status !== "selfAssessment") {
      throw invalid("自评阶段已结束,不能退回。如需单位补充,请先重新「开放自评」。", "status");
    }
    const [part] = await tx
      .select()
      .from(assessmentParticipants)
      .where(and(eq(assessmentParticipants.schemeId, id), eq(assessmentParticipants.unitId, unitId)));
    if (!part) throw notFound("参评单位");
    if (part.selfSubmittedAt === null) throw invalid("该单位还没有提交自评,无需退回。", "unitId");
    await tx
      .update(assessmentParticipants)
      .set({ selfSubmittedAt: null, selfSubmittedBy: null })
      .where(and(eq(assessmentParticipants.schemeId, id), eq(assessmentParticipants.unitId, unitId)));
    await recordAudit(tx, actor, {
      action: "assessment.returnSelf",
      entityType: "assessmentScheme",
      entityId: id,
      before: { unitId, selfSubmittedAt: part.selfSubmittedAt },
      after: { unitId, selfSubmittedAt: null, reason },
    });
    return { unitId, returned: true };
  });
}

// ---------------------------------------------------------------- results

export type AssessmentResultUnit = {
  unitId: number;
  unit: string;
  rank: number | null;
  grade: string | null;
  vetoed: boolean;
  vetoedBy: string[];
  complete: boolean;
  missing: string[];
  total: number | null;
  partialTotal: number;
  base: number;
  bonus: number;
  bonusEarned: number;
  indicators: Record<string, number>;
  /** score / max × share × performanceTotal; null while incomplete. */
  contribution: number | null;
};

/** What a published version freezes (stored as the version's `results`). */
export type AssessmentResultsSnapshot = {
  schemeId: number;
  year: number;
  name: string;
  unitGroupId: number | null;
  share: number;
  performanceTotal: number;
  max: number;
  bonusCap: number;
  grades: GradeBand[] | null;
  firstLevel: { code: string; name: string; max: number }[];
  definition: AssessmentScheme;
  units: AssessmentResultUnit[];
};

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The content hash of a snapshot: sha256 over the core's canonical results text. */
export function assessmentContentHash(snapshot: AssessmentResultsSnapshot): string {
  return sha256(resultsHashInput(snapshot.definition, snapshot.units));
}

/** Scores and ranks the scheme's units from the stored values, as they stand. */
async function computeSnapshot(db: Db, scheme: AssessmentSchemeRow): Promise<AssessmentResultsSnapshot> {
  const compiled = compileScheme(scheme.definition);
  const leaves = assessmentLeaves(compiled);
  // The value a leaf counts with: the final score, else (for leaves computed from task data) the
  // computed one. One row per unit, its values as JSON: 3,000 rows instead of 450,000 at province scale.
  const s = assessmentScores;
  const sourced = leaves.filter((l) => l.source).map((l) => l.code);
  const leafCodes = leaves.map((l) => l.code);
  const scores = db
    .select({
      unitId: s.unitId,
      values: sql<string>`json_object_agg(${s.indicatorCode},
        coalesce(${s.finalValue}, case when ${inArray(s.indicatorCode, sourced)} then ${s.computedValue} end))::text`,
    })
    .from(s)
    .where(
      and(
        eq(s.schemeId, scheme.id),
        inArray(s.indicatorCode, leafCodes),
        or(isNotNull(s.finalValue), and(isNotNull(s.computedValue), inArray(s.indicatorCode, sourced))),
      ),
    )
    .groupBy(s.unitId);
  const [list, rows] = await Promise.all([schemeUnits(db, scheme), scores]);
  const keys = unitKeys(list);
  const values = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const key = keys.get(r.unitId);
    if (key !== undefined)
      values.set(key, new Map(Object.entries(JSON.parse(r.values) as Record<string, number>)));
  }
  const idOf = new Map([...keys].map(([id, key]) => [key, id]));
  const { units: ranked } = assess(compiled, values, {
    units: list.map((u) => keys.get(u.unitId) as string),
  });
  const share = scheme.definition.share;
  return {
    schemeId: scheme.id,
    year: scheme.year,
    name: scheme.name,
    unitGroupId: scheme.unitGroupId,
    share,
    performanceTotal: scheme.performanceTotal,
    max: compiled.max,
    bonusCap: compiled.bonusCap,
    grades: compiled.system.grades,
    firstLevel: compiled.tops
      .map((i) => compiled.nodes[i])
      .filter((n): n is SchemeNode => n !== undefined && n.kind === "scored")
      .map((n) => ({ code: n.code, name: n.name, max: n.max })),
    definition: scheme.definition,
    units: ranked.map((u: RankedUnit) => ({
      unitId: idOf.get(u.unit) as number,
      unit: u.unit,
      rank: u.rank,
      grade: u.grade,
      vetoed: u.vetoed,
      vetoedBy: u.vetoedBy,
      complete: u.complete,
      missing: u.missing,
      total: u.total,
      partialTotal: u.partialTotal,
      base: u.base,
      bonus: u.bonus,
      bonusEarned: u.bonusEarned,
      indicators: u.indicators,
      contribution:
        u.total === null || compiled.max <= 0
          ? null
          : contribution(u.total, compiled.max, share, scheme.performanceTotal),
    })),
  };
}

/**
 * Distribution by score band on the share of the maximum (so schemes of any size compare); bands
 * include their lower bound: 60–70 holds 60 and not 70. Labels are in points when the maximum is 100.
 */
function distribution(snapshot: AssessmentResultsSnapshot) {
  const unit = snapshot.max === 100 ? "" : "%";
  const bands = [
    { label: `<60${unit}`, from: 0, to: 60 },
    { label: `60–70${unit}`, from: 60, to: 70 },
    { label: `70–80${unit}`, from: 70, to: 80 },
    { label: `80–90${unit}`, from: 80, to: 90 },
    { label: `≥90${unit}`, from: 90, to: Number.POSITIVE_INFINITY },
  ];
  const scored = snapshot.units.filter((u) => u.total !== null);
  return {
    bands: bands.map((b) => ({
      band: b.label,
      count: scored.filter((u) => {
        const p = ((u.total ?? 0) / snapshot.max) * 100;
        return p >= b.from - 1e-9 && p < b.to - 1e-9;
      }).length,
    })),
    incomplete: snapshot.units.length - scored.length,
  };
}

/** Last year's published results of the same group, matched by unit. */
async function changesFromLastYear(db: Db, snapshot: AssessmentResultsSnapshot) {
  if (snapshot.unitGroupId === null) return { previous: null, changes: [] };
  const [prev] = await db
    .select({ id: assessmentSchemes.id, name: assessmentSchemes.name, year: assessmentSchemes.year })
    .from(assessmentSchemes)
    .where(
      and(
        eq(assessmentSchemes.unitGroupId, snapshot.unitGroupId),
        eq(assessmentSchemes.year, snapshot.year - 1),
        eq(assessmentSchemes.status, "published"),
      ),
    )
    .orderBy(desc(assessmentSchemes.id))
    .limit(1);
  if (!prev) return { previous: null, changes: [] };
  const [latest] = await db
    .select({ version: assessmentResults.version, results: assessmentResults.results })
    .from(assessmentResults)
    .where(eq(assessmentResults.schemeId, prev.id))
    .orderBy(desc(assessmentResults.version))
    .limit(1);
  if (!latest) return { previous: null, changes: [] };
  const last = latest.results as AssessmentResultsSnapshot;
  const lastOf = new Map(last.units.map((u) => [u.unitId, u]));
  return {
    previous: { schemeId: prev.id, name: prev.name, year: prev.year, version: latest.version, max: last.max },
    changes: snapshot.units.map((u) => {
      const l = lastOf.get(u.unitId);
      const previousTotal = l?.total ?? null;
      return {
        unitId: u.unitId,
        unit: u.unit,
        total: u.total,
        rank: u.rank,
        previousTotal,
        previousRank: l?.rank ?? null,
        change: u.total !== null && previousTotal !== null ? u.total - previousTotal : null,
      };
    }),
  };
}

async function resultsView(db: Db, snapshot: AssessmentResultsSnapshot, contentHash: string | null) {
  return {
    ...snapshot,
    contentHash,
    distribution: distribution(snapshot),
    ...(await changesFromLastYear(db, snapshot)),
  };
}

/**
 * The results as they would be published now (not frozen), as the results page shows them: each
 * unit's first-level indicators only (the full table is in the .xlsx export and in every published
 * version), and no content hash, which only a publication fixes. At province scale (3,000 units ×
 * 150 indicators) this keeps the response small and the page under a second.
 */
export async function previewAssessmentResults(db: Db, actor: Actor, id: number) {
  const scheme = await requireScheme(db, actor, id);
  const snapshot = await computeSnapshot(db, scheme);
  const firstLevel = snapshot.firstLevel.map((f) => f.code);
  const units = snapshot.units.map((u) => ({
    ...u,
    indicators: Object.fromEntries(
      firstLevel.filter((c) => u.indicators[c] !== undefined).map((c) => [c, u.indicators[c] as number]),
    ),
  }));
  return {
    version: null,
    publishedAt: null,
    reason: null,
    hashValid: true,
    ...(await resultsView(db, { ...snapshot, units }, null)),
  };
}

/** A published version as it was frozen; `hashValid` re-checks the stored content against its hash. */
export async function getAssessmentVersion(db: Db, actor: Actor, id: number, version: number) {
  await requireScheme(db, actor, id);
  return readVersion(db, id, version);
}

async function readVersion(db: Db, id: number, version: number) {
  const [row] = await db
    .select()
    .from(assessmentResults)
    .where(and(eq(assessmentResults.schemeId, id), eq(assessmentResults.version, version)));
  if (!row) throw notFound(`第 ${version} 版考核结果`);
  const snapshot = row.results as AssessmentResultsSnapshot;
  const view = await resultsView(db, snapshot, row.contentHash);
  return {
    ...view,
    version: row.version,
    publishedAt: row.publishedAt,
    reason: row.reason,
    hashValid: assessmentContentHash(snapshot) === row.contentHash,
  };
}

/**
 * Publishes the results as they stand: a new frozen version with its content hash. The first
 * publication is version 1; a later one is a correction and needs a reason, and must differ from
 * the latest version. Units not fully scored block publishing unless `allowIncomplete`.
 */
export async function publishAssessmentResults(
  db: Db,
  actor: Actor,
  id: number,
  opts: { correctionReason?: string | null | undefined; allowIncomplete?: boolean | undefined },
) {
  return db.transaction(async (tx) => {
    const scheme = await lockScheme(tx, actor, id);
    if (scheme.status === "draft" || scheme.status === "selfAssessment") {
      throw invalid(
        scheme.status === "draft"
          ? "方案还是草稿:请先「进入审核评分」并录入最终得分,再发布结果。"
          : "单位自评尚未结束:请先点击「进入审核评分」,录入最终得分后再发布结果。",
        "status",
      );
    }
    const snapshot = await computeSnapshot(tx, scheme);
    if (snapshot.units.length === 0) throw invalid("没有参评单位,无法发布结果。", "status");
    const incomplete = snapshot.units.filter((u) => !u.complete);
    if (incomplete.length > 0 && !opts.allowIncomplete) {
      throw invalid(
        `还有 ${incomplete.length} 个单位未完成评分:${incomplete
          .slice(0, 5)
          .map((u) => `${u.unit}(缺 ${u.missing.slice(0, 3).join("、")}${u.missing.length > 3 ? " 等" : ""})`)
          .join(
            "、",
          )}${incomplete.length > 5 ? " 等" : ""}。请补齐最终得分;如确需先发布,请确认这些单位以「未完成」列示、不参与排名。`,
        "allowIncomplete",
      );
    }
    const contentHash = assessmentContentHash(snapshot);
    const [latest] = await tx
      .select({ version: assessmentResults.version, contentHash: assessmentResults.contentHash })
      .from(assessmentResults)
      .where(eq(assessmentResults.schemeId, id))
      .orderBy(desc(assessmentResults.version))
      .limit(1);
    const reason = opts.correctionReason?.trim() || null;
    if (latest) {
      if (!reason) {
        throw invalid(
          `已发布过第 ${latest.version} 版结果:再次发布是更正,请填写更正理由(如“××单位指标2.1得分录入有误”)。`,
          "correctionReason",
        );
      }
      if (latest.contentHash === contentHash) {
        throw invalid(
          `结果与已发布的第 ${latest.version} 版完全相同,无需发布更正。请先修改得分。`,
          "correctionReason",
        );
      }
    }
    const version = (latest?.version ?? 0) + 1;
    const [row] = await tx
      .insert(assessmentResults)
      .values({
        schemeId: id,
        version,
        results: snapshot,
        contentHash,
        reason: latest ? reason : null,
        publishedBy: actor.userId > 0 ? actor.userId : null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    if (scheme.status !== "published") await setStage(tx, scheme, "published");
    await recordAudit(tx, actor, {
      action: latest ? "assessment.correct" : "assessment.publish",
      entityType: "assessmentScheme",
      entityId: id,
      before: latest
        ? { version: latest.version, contentHash: latest.contentHash }
        : { status: scheme.status },
      after: { version, contentHash, reason: row.reason, incomplete: incomplete.map((u) => u.unitId) },
    });
    return { version, contentHash, publishedAt: row.publishedAt, reason: row.reason };
  });
}

/** Results for an .xlsx export: a published version, or the live results when none is given. */
export async function assessmentResultsForExport(db: Db, actor: Actor, id: number, version?: number) {
  const scheme = await requireScheme(db, actor, id);
  if (version === undefined) return { version: null, snapshot: await computeSnapshot(db, scheme) };
  const [row] = await db
    .select()
    .from(assessmentResults)
    .where(and(eq(assessmentResults.schemeId, id), eq(assessmentResults.version, version)));
  if (!row) throw notFound(`第 ${version} 版考核结果`);
  return { version, snapshot: row.results as AssessmentResultsSnapshot };
}

export async function getAssessmentDefinition(db: Db, actor: Actor, id: number) {
  const scheme = await requireScheme(db, actor, id);
  return { name: scheme.name, year: scheme.year, definition: scheme.definition };
}

// ---------------------------------------------------------------- evaluation projects to draw on

/** Third-party evaluation projects in scope with a published version, for `evaluation` rules. */
export async function listAssessmentEvaluationSources(db: Db, actor: Actor) {
  const latest = db
    .select({
      projectId: evaluationResults.projectId,
      latestVersion: sql<number>`max(${evaluationResults.version})::int`.as("latest_version"),
    })
    .from(evaluationResults)
    .groupBy(evaluationResults.projectId)
    .as("latest");
  return db
    .select({
      id: evaluationProjects.id,
      year: evaluationProjects.year,
      name: evaluationProjects.name,
      organisation: evaluationProjects.organisation,
      latestVersion: latest.latestVersion,
    })
    .from(evaluationProjects)
    .innerJoin(latest, eq(latest.projectId, evaluationProjects.id))
    .leftJoin(units, eq(units.id, evaluationProjects.ownerUnitId))
    .where(actor.scopePath ? like(units.path, `${actor.scopePath}%`) : undefined)
    .orderBy(desc(evaluationProjects.year), desc(evaluationProjects.id));
}

// ---------------------------------------------------------------- the unit's side

/** The schemes a unit takes part in (past the draft stage), with its own state and result. */
export async function listMyAssessments(db: Db, unitId: number, now: Date) {
  const rows = await db
    .select({ scheme: assessmentSchemes, participant: assessmentParticipants })
    .from(assessmentParticipants)
    .innerJoin(assessmentSchemes, eq(assessmentSchemes.id, assessmentParticipants.schemeId))
    .where(and(eq(assessmentParticipants.unitId, unitId), sql`${assessmentSchemes.status} <> 'draft'`))
    .orderBy(desc(assessmentSchemes.year), desc(assessmentSchemes.id));
  const today = chinaDate(now);
  const out = [];
  for (const { scheme, participant } of rows) {
    const published = scheme.status === "published" ? await latestForUnit(db, scheme.id, unitId) : null;
    out.push({
      id: scheme.id,
      year: scheme.year,
      name: scheme.name,
      status: scheme.status,
      selfAssessmentDue: scheme.selfAssessmentDue,
      selfSubmittedAt: participant.selfSubmittedAt,
      editable: selfLock(scheme, participant.selfSubmittedAt, today) === null,
      result: published
        ? {
            version: published.version,
            rank: published.me?.rank ?? null,
            total: published.me?.total ?? null,
            grade: published.me?.grade ?? null,
            complete: published.me?.complete ?? false,
            unitCount: published.unitCount,
          }
        : null,
    });
  }
  return out;
}

async function latestForUnit(db: Db, schemeId: number, unitId: number) {
  const [row] = await db
    .select()
    .from(assessmentResults)
    .where(eq(assessmentResults.schemeId, schemeId))
    .orderBy(desc(assessmentResults.version))
    .limit(1);
  if (!row) return null;
  const snapshot = row.results as AssessmentResultsSnapshot;
  return {
    version: row.version,
    publishedAt: row.publishedAt,
    reason: row.reason,
    contentHash: row.contentHash,
    snapshot,
    unitCount: snapshot.units.length,
    me: snapshot.units.find((u) => u.unitId === unitId) ?? null,
  };
}

/** Why a unit may not change its self-assessment now, or null when it may. */
function selfLock(scheme: AssessmentSchemeRow, submittedAt: Date | null, today: string): string | null {
  if (scheme.status !== "selfAssessment") {
    return scheme.status === "published"
      ? "考核结果已发布,自评不能再修改。"
      : "自评阶段已结束,政务公开办正在审核评分,自评不能再修改。如需补充,请联系政务公开办。";
  }
  if (scheme.selfAssessmentDue && today > scheme.selfAssessmentDue) {
    return `自评已于 ${scheme.selfAssessmentDue} 截止,不能再填写或修改。如确需补充,请联系政务公开办延长自评期限。`;
  }
  if (submittedAt) return "自评已提交,不能再修改。如需修改,请联系政务公开办退回。";
  return null;
}

/** A unit's own self-assessment, and once published its own scores and the ranking. */
export async function getMyAssessment(db: Db, unitId: number, id: number, now: Date) {
  const { scheme, participant } = await requireSchemeForUnit(db, unitId, id);
  const compiled = compileScheme(scheme.definition);
  const leaves = assessmentLeaves(compiled);
  const codes = new Set(leaves.map((l) => l.code));
  const rows = await db
    .select({
      indicatorCode: assessmentScores.indicatorCode,
      selfValue: assessmentScores.selfValue,
      selfNote: assessmentScores.selfNote,
      selfEvidence: assessmentScores.selfEvidence,
      computedValue: assessmentScores.computedValue,
    })
    .from(assessmentScores)
    .where(and(eq(assessmentScores.schemeId, id), eq(assessmentScores.unitId, unitId)));
  const lock = selfLock(scheme, participant.selfSubmittedAt, chinaDate(now));
  const published = scheme.status === "published" ? await latestForUnit(db, id, unitId) : null;
  return {
    scheme: {
      id: scheme.id,
      year: scheme.year,
      name: scheme.name,
      status: scheme.status,
      selfAssessmentDue: scheme.selfAssessmentDue,
      share: scheme.definition.share,
      max: compiled.max,
      bonusCap: compiled.bonusCap,
    },
    leaves,
    entries: await withFileNames(
      db,
      rows.filter((r) => codes.has(r.indicatorCode)),
    ),
    selfSubmittedAt: participant.selfSubmittedAt,
    editable: lock === null,
    lockedReason: lock,
    published: published
      ? {
          version: published.version,
          publishedAt: published.publishedAt,
          reason: published.reason,
          contentHash: published.contentHash,
          unitCount: published.unitCount,
          firstLevel: published.snapshot.firstLevel,
          me: published.me,
          /** The published ranking: every unit's rank, total and grade, nothing more. */
          ranking: published.snapshot.units.map((u) => ({
            unitId: u.unitId,
            unit: u.unit,
            rank: u.rank,
            total: u.total,
            grade: u.grade,
            complete: u.complete,
            vetoed: u.vetoed,
          })),
        }
      : null,
  };
}

export type SelfEntryInput = {
  indicatorCode: string;
  selfValue: number | null;
  selfNote?: string | null | undefined;
  selfEvidence: SelfEvidence[];
};

/** Saves (part of) a unit's self-assessment; allowed until the due date, inclusive, and before submitting. */
export async function saveMyAssessment(
  db: Db,
  actor: Actor,
  unitId: number,
  id: number,
  entries: SelfEntryInput[],
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { scheme, participant } = await requireSchemeForUnit(tx, unitId, id);
    const lock = selfLock(scheme, participant.selfSubmittedAt, chinaDate(now));
    if (lock) throw invalid(lock, "status");
    const compiled = compileScheme(scheme.definition);
    const leaves = new Map(assessmentLeaves(compiled).map((l) => [l.code, l]));
    const [unit] = await tx.select({ name: units.name }).from(units).where(eq(units.id, unitId));
    const unitName = unit?.name ?? "本单位";
    const seen = new Set<string>();
    for (const e of entries) {
      const leaf = leaves.get(e.indicatorCode);
      if (!leaf)
        throw invalid(`指标 ${e.indicatorCode} 不是本方案的末级指标,请刷新页面后重试。`, "selfEntries");
      if (seen.has(leaf.code))
        throw invalid(`指标 ${leaf.code} 出现了两次,请只保留一份自评。`, "selfEntries");
      seen.add(leaf.code);
      if (e.selfValue !== null) {
        if (leaf.source) {
          throw invalid(
            `指标 ${leaf.code}「${leaf.name}」由系统根据任务数据计算,无需自评打分;可以填写说明和佐证材料。`,
            "selfValue",
          );
        }
        checkValue(compiled, unitName, leaf.code, e.selfValue);
      }
    }
    const fileIds = [...new Set(entries.flatMap((e) => e.selfEvidence.map((x) => x.fileId)))].filter(
      (x): x is number => typeof x === "number",
    );
    if (fileIds.length > 0) {
      const files = await tx
        .select({ id: storedFiles.id, unitId: storedFiles.unitId })
        .from(storedFiles)
        .where(inArray(storedFiles.id, fileIds));
      const ok = new Set(files.filter((f) => f.unitId === unitId).map((f) => f.id));
      const bad = fileIds.filter((f) => !ok.has(f));
      if (bad.length > 0) {
        throw invalid(
          `佐证文件(编号 ${bad.join("、")})不存在或不是本单位上传的,请重新上传。`,
          "selfEvidence",
        );
      }
    }
    const at = new Date();
    const values = entries.map((e) => ({
      schemeId: id,
      unitId,
      indicatorCode: e.indicatorCode,
      selfValue: e.selfValue,
      selfNote: e.selfNote ?? null,
      selfEvidence: e.selfEvidence.map((x) => ({
        ...(x.url ? { url: x.url } : {}),
        ...(x.fileId ? { fileId: x.fileId } : {}),
        ...(x.title ? { title: x.title } : {}),
      })),
      updatedBy: actor.userId > 0 ? actor.userId : null,
      updatedAt: at,
    }));
    await tx
      .insert(assessmentScores)
      .values(values)
      .onConflictDoUpdate({
        target: [assessmentScores.schemeId, assessmentScores.unitId, assessmentScores.indicatorCode],
        set: {
          selfValue: sql`excluded.self_value`,
          selfNote: sql`excluded.self_note`,
          selfEvidence: sql`excluded.self_evidence`,
          updatedBy: sql`excluded.updated_by`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
    await recordAudit(tx, actor, {
      action: "assessment.saveSelf",
      entityType: "assessmentScheme",
      entityId: id,
      after: { unitId, entries: values.map(({ updatedAt: _, ...v }) => v) },
    });
    return { saved: values.length };
  });
}

/**
 * Submits the self-assessment: every scored leaf the unit fills (not computed by the system, not a
 * veto or bonus item) needs a value.
 */
export async function submitMyAssessment(db: Db, actor: Actor, unitId: number, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const { scheme, participant } = await requireSchemeForUnit(tx, unitId, id);
    const lock = selfLock(scheme, participant.selfSubmittedAt, chinaDate(now));
    if (lock) throw invalid(lock, "status");
    const leaves = assessmentLeaves(compileScheme(scheme.definition)).filter(
      (l) => l.kind === "scored" && l.source === null,
    );
    const rows = await tx
      .select({ code: assessmentScores.indicatorCode, selfValue: assessmentScores.selfValue })
      .from(assessmentScores)
      .where(and(eq(assessmentScores.schemeId, id), eq(assessmentScores.unitId, unitId)));
    const filled = new Set(rows.filter((r) => r.selfValue !== null).map((r) => r.code));
    const missing = leaves.filter((l) => !filled.has(l.code));
    if (missing.length > 0) {
      throw invalid(
        `还有 ${missing.length} 项指标未自评:${missing
          .slice(0, 6)
          .map((l) => `${l.code}「${l.name}」`)
          .join("、")}${missing.length > 6 ? " 等" : ""}。请填写自评分后再提交。`,
        "selfEntries",
      );
    }
    const at = new Date();
    await tx
      .update(assessmentParticipants)
      .set({ selfSubmittedAt: at, selfSubmittedBy: actor.userId > 0 ? actor.userId : null })
      .where(and(eq(assessmentParticipants.schemeId, id), eq(assessmentParticipants.unitId, unitId)));
    await recordAudit(tx, actor, {
      action: "assessment.submitSelf",
      entityType: "assessmentScheme",
      entityId: id,
      after: { unitId, selfSubmittedAt: at },
    });
    return { selfSubmittedAt: at };
  });
}
