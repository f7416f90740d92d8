import {
  type AssessmentScheme,
  type CompiledScheme,
  type CountSource,
  dataSourceLabels,
  type Indicator,
  invalid,
  notFound,
  type RateSource,
  type ScoringRule,
  scoreUnits,
} from "@gongkai/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  assessmentParticipants,
  assessmentSchemes,
  unitGroupMembers,
  unitGroups,
  units,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { rawRows } from "../any.ts";
import { chinaDate } from "../assessment-metrics.ts";
import { fmt } from "../numbers.ts";
import { inScope } from "../units.ts";

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
export function checkValue(compiled: CompiledScheme, unitName: string, code: string, value: number) {
  scoreUnits(compiled, [{ unit: unitName, indicator: code, value }]);
}

// ---------------------------------------------------------------- access

export async function requireScheme(db: Db, actor: Actor, id: number): Promise<AssessmentSchemeRow> {
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
export async function lockScheme(db: Db, actor: Actor, id: number): Promise<AssessmentSchemeRow> {
  await requireScheme(db, actor, id);
  const [row] = await db.select().from(assessmentSchemes).where(eq(assessmentSchemes.id, id)).for("update");
  if (!row) throw notFound("考核方案");
  return row;
}

export async function requireGroup(db: Db, actor: Actor, groupId: number) {
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
export async function requireSchemeForUnit(db: Db, unitId: number, id: number) {
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

/**
 * The units a scheme scores: its participants once self-assessment opened, else the group's members;
 * in directory order. Joined, not looked up by a list of ids: 3,000 ids as 3,000 parameters took
 * most of the results page's time.
 */
export async function schemeUnits(db: Db, scheme: AssessmentSchemeRow): Promise<AssessmentUnit[]> {
  // Raw rows: drizzle maps every column of every row (3,000 at province scale, a tenth of the
  // results page). The time comes as text from postgres.js and as a Date from PGlite.
  type Row = Omit<AssessmentUnit, "selfSubmittedAt"> & { selfSubmittedAt: string | Date | null };
  const p = assessmentParticipants;
  const parts = await rawRows<Row>(
    db,
    sql`select ${units.id} as "unitId", ${units.name} as "name", ${units.shortName} as "shortName",
          ${p.selfSubmittedAt} as "selfSubmittedAt"
        from ${p} join ${units} on ${units.id} = ${p.unitId}
        where ${p.schemeId} = ${scheme.id}
        order by ${units.sortOrder}, ${units.path}`,
  );
  if (parts.length > 0 || scheme.unitGroupId === null) {
    for (const r of parts) if (r.selfSubmittedAt !== null) r.selfSubmittedAt = new Date(r.selfSubmittedAt);
    return parts as AssessmentUnit[];
  }
  const members = await db
    .select({ unitId: units.id, name: units.name, shortName: units.shortName })
    .from(unitGroupMembers)
    .innerJoin(units, eq(units.id, unitGroupMembers.unitId))
    .where(eq(unitGroupMembers.groupId, scheme.unitGroupId))
    .orderBy(asc(units.sortOrder), asc(units.path));
  return members.map((m) => ({ ...m, selfSubmittedAt: null }));
}

/** Unit names as the core ranks them: the name, or name(id) when two units share a name. */
export function unitKeys(list: readonly AssessmentUnit[]): Map<number, string> {
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
