import { type CompiledScheme, conflict, invalid, notFound, parseAssessmentScheme } from "@gongkai/core";
import { and, desc, eq, like, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  assessmentParticipants,
  assessmentResults,
  assessmentSchemes,
  assessmentScores,
  unitGroupMembers,
  unitGroups,
  units,
  users,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { chinaDate } from "../assessment-metrics.ts";
import { recordAudit } from "../audit.ts";
import { compileStored } from "../compiled.ts";
import { storeComputedValues } from "./scores.ts";
import {
  type AssessmentSchemeInput,
  type AssessmentSchemeRow,
  type AssessmentStatus,
  assessmentLeaves,
  checkValue,
  lockScheme,
  requireGroup,
  requireScheme,
  schemeUnits,
} from "./state.ts";

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
    const compiled = compileStored(definition);
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
  const compiled = compileStored(scheme.definition);
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

export async function setStage(
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
