/**
 * Listing and setting up evaluation projects: the indicator system, the units and their tiers, the
 * evaluators, starting the scoring.
 */
import { compileScheme, conflict, invalid, parseIndicatorSystem } from "@gongkai/core";
import { and, asc, desc, eq, inArray, like, or, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import {
  evaluationAppeals,
  evaluationAssignments,
  evaluationProjects,
  evaluationResults,
  evaluationScores,
  evaluationUnits,
  units,
  users,
} from "../../schema/index.ts";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit.ts";
import { inScope } from "../units.ts";
import {
  compiledOf,
  DAY_MS,
  type EvaluationProjectRow,
  emptySystem,
  isManager,
  iso,
  leavesOf,
  type ProjectAccess,
  type ProjectContext,
  requireCompiled,
} from "./state.ts";

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
/**
 * The evaluators an office may pick for its projects: those registered under a unit in its scope
 * (an evaluation organisation placed in its directory) and those already working on its projects.
 * Not every evaluator of every government (the list once showed them all to any office); the
 * administrator sees all.
 */
export async function listEvaluatorUsers(db: Db, actor: Actor) {
  const scope = actor.scopePath;
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .where(
      and(
        eq(users.role, "evaluator"),
        eq(users.active, true),
        scope === null
          ? undefined
          : or(
              like(units.path, `${scope}%`),
              sql`exists (select 1 from ${evaluationProjects} p join ${units} o on o.id = p.owner_unit_id
                where o.path like ${`${scope}%`} and (p.lead_user_id = ${users.id}
                  or exists (select 1 from ${evaluationAssignments} a where a.project_id = p.id and a.evaluator_id = ${users.id})))`,
            ),
      ),
    )
    .orderBy(asc(users.id));
}

export async function versionsOf(db: Db, projectId: number) {
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

export function projectView(p: ProjectContext) {
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
    ? await db
        .select({ name: units.name, path: units.path })
        .from(units)
        .where(eq(units.id, project.ownerUnitId))
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
    // The evaluators of the project owner's scope (a lead evaluator manages within the owner's).
    evaluatorOptions: manager
      ? await listEvaluatorUsers(db, {
          ...actor,
          scopePath: actor.scopePath === null ? null : (owner?.path ?? actor.scopePath),
        })
      : [],
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
