import {
  conflict,
  DomainError,
  invalid,
  notFound,
  type PlanStatus,
  planStatusLabels,
  reportingCycleLabels,
} from "@gongkai/core";
import { and, asc, desc, eq, inArray, like, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  deadlines,
  planLinks,
  plans,
  progressReports,
  sections,
  taskAssignments,
  tasks,
  units,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyInt } from "./any.ts";
import { recordAudit } from "./audit.ts";
import { prepared } from "./prepared.ts";
import { inScope } from "./units.ts";

export type PlanInput = {
  year: number;
  title: string;
  docNumber?: string | null;
  issuerUnitId: number | null;
  publishDate?: string | null;
  /** The document text the plan was imported from. */
  sourceText?: string | null | undefined;
};

export type PlanRow = typeof plans.$inferSelect;

/** Plans an actor may see: an office sees the plans issued in its scope; admin sees all. */
export async function listPlans(db: Db, actor: Actor, params: { year?: number | undefined }) {
  const taskCount = db
    .select({ planId: tasks.planId, n: sql<number>`count(*)::int`.as("n") })
    .from(tasks)
    .groupBy(tasks.planId)
    .as("task_count");
  return db
    .select({
      id: plans.id,
      year: plans.year,
      title: plans.title,
      docNumber: plans.docNumber,
      status: plans.status,
      publishDate: plans.publishDate,
      issuerUnitId: plans.issuerUnitId,
      issuerName: units.name,
      taskCount: sql<number>`coalesce(${taskCount.n}, 0)`,
      updatedAt: plans.updatedAt,
    })
    .from(plans)
    .leftJoin(units, eq(units.id, plans.issuerUnitId))
    .leftJoin(taskCount, eq(taskCount.planId, plans.id))
    .where(
      and(
        params.year ? eq(plans.year, params.year) : undefined,
        actor.scopePath ? like(units.path, `${actor.scopePath}%`) : undefined,
      ),
    )
    .orderBy(desc(plans.year), desc(plans.id));
}

export async function listPlanYears(db: Db, actor: Actor): Promise<number[]> {
  const rows = await db
    .selectDistinct({ year: plans.year })
    .from(plans)
    .leftJoin(units, eq(units.id, plans.issuerUnitId))
    .where(actor.scopePath ? like(units.path, `${actor.scopePath}%`) : undefined)
    .orderBy(desc(plans.year));
  return rows.map((r) => r.year);
}

/** The plan, if the actor's scope covers its issuer; otherwise NOT_FOUND (its existence is not revealed). */
export async function requirePlanInScope(db: Db, actor: Actor, planId: number): Promise<PlanRow> {
  const [row] = await db
    .select({ plan: plans, issuerPath: units.path })
    .from(plans)
    .leftJoin(units, eq(units.id, plans.issuerUnitId))
    .where(eq(plans.id, planId));
  if (!row) throw notFound("工作要点");
  if (actor.scopePath !== null && !(row.issuerPath && inScope(actor.scopePath, row.issuerPath))) {
    throw notFound("工作要点");
  }
  return row.plan;
}

async function issuerOf(db: Db, actor: Actor, issuerUnitId: number | null) {
  const id = issuerUnitId ?? actor.unitId;
  if (id === null) return null;
  const [unit] = await db.select().from(units).where(eq(units.id, id));
  if (!unit || !inScope(actor.scopePath, unit.path)) {
    throw invalid("发文单位不存在或不在您的管理范围内,请重新选择。", "issuerUnitId");
  }
  return unit;
}

export async function createPlan(db: Db, actor: Actor, input: PlanInput): Promise<PlanRow> {
  return db.transaction(async (tx) => {
    const issuer = await issuerOf(tx, actor, input.issuerUnitId);
    const [plan] = await tx
      .insert(plans)
      .values({
        year: input.year,
        title: input.title,
        docNumber: input.docNumber ?? null,
        issuerUnitId: issuer?.id ?? null,
        publishDate: input.publishDate ?? null,
        sourceText: input.sourceText ?? null,
        regionCode: issuer?.regionCode ?? null,
        createdBy: actor.userId > 0 ? actor.userId : null,
      })
      .returning();
    if (!plan) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "plan.create",
      entityType: "plan",
      entityId: plan.id,
      after: withoutSource(plan),
      regionCode: plan.regionCode,
    });
    return plan;
  });
}

const withoutSource = ({ sourceText: _, ...p }: PlanRow) => p;

function assertVersion(current: { version: number }, expected: number | undefined, what: string) {
  if (expected !== undefined && current.version !== expected) {
    throw conflict(`${what}已被他人修改,请刷新页面查看最新内容后再保存。`);
  }
}

export async function updatePlan(
  db: Db,
  actor: Actor,
  id: number,
  input: PlanInput & { version?: number | undefined },
): Promise<PlanRow> {
  return db.transaction(async (tx) => {
    const before = await requirePlanInScope(tx, actor, id);
    assertVersion(before, input.version, "该工作要点");
    const issuer = await issuerOf(tx, actor, input.issuerUnitId);
    const [plan] = await tx
      .update(plans)
      .set({
        year: input.year,
        title: input.title,
        docNumber: input.docNumber ?? null,
        issuerUnitId: issuer?.id ?? null,
        regionCode: issuer?.regionCode ?? null,
        publishDate: input.publishDate ?? null,
        updatedAt: new Date(),
        version: sql`${plans.version} + 1`,
      })
      .where(and(eq(plans.id, id), eq(plans.version, before.version)))
      .returning();
    if (!plan) throw conflict("该工作要点已被他人修改,请刷新页面查看最新内容后再保存。");
    await recordAudit(tx, actor, {
      action: "plan.update",
      entityType: "plan",
      entityId: id,
      before: withoutSource(before),
      after: withoutSource(plan),
      regionCode: plan.regionCode,
    });
    return plan;
  });
}

/**
 * Publishing sends the tasks to the units. Every task must have a unit that owns it — a lead
 * (牵头) or, for tasks each unit carries out itself, a responsible unit (责任); cooperating units
 * alone are not enough. Drafts may be incomplete.
 */
export async function setPlanStatus(db: Db, actor: Actor, id: number, status: PlanStatus): Promise<PlanRow> {
  return db.transaction(async (tx) => {
    const before = await requirePlanInScope(tx, actor, id);
    if (before.status === status) return before;
    if (status === "published") {
      const orphans = await tx
        .select({ code: tasks.code, title: tasks.title })
        .from(tasks)
        .where(
          and(
            eq(tasks.planId, id),
            sql`not exists (select 1 from ${taskAssignments} where ${taskAssignments.taskId} = ${tasks.id}
                and ${taskAssignments.role} in ('lead', 'responsible'))`,
          ),
        )
        .orderBy(asc(tasks.sortOrder), asc(tasks.id));
      if (orphans.length) {
        const list = orphans
          .slice(0, 10)
          .map((t) => `${t.code ? `${t.code} ` : ""}${t.title}`)
          .join("、");
        throw new DomainError(
          "INVALID_INPUT",
          `还有 ${orphans.length} 项任务没有牵头单位(或责任单位),不能发布:${list}${orphans.length > 10 ? " 等" : ""}。请先为这些任务指定牵头单位。`,
          { field: "tasks", details: { tasks: orphans } },
        );
      }
      const [count] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(tasks)
        .where(eq(tasks.planId, id));
      if (!count?.n) throw invalid("工作要点还没有任何任务,不能发布。", "tasks");
    }
    if (before.status === "archived" && status === "draft") {
      throw invalid("已归档的工作要点不能退回草稿,如需修改请先恢复为已发布。", "status");
    }
    const [plan] = await tx
      .update(plans)
      .set({ status, updatedAt: new Date(), version: sql`${plans.version} + 1` })
      .where(eq(plans.id, id))
      .returning();
    if (!plan) throw notFound("工作要点");
    await recordAudit(tx, actor, {
      action: `plan.${status === "published" ? "publish" : status === "archived" ? "archive" : "unpublish"}`,
      entityType: "plan",
      entityId: id,
      before: { status: before.status },
      after: { status },
      regionCode: plan.regionCode,
    });
    return plan;
  });
}

/** How often units report on the plan's tasks (每月 / 每季度 / 每半年 / 每年). */
export async function setReportingCycle(
  db: Db,
  actor: Actor,
  id: number,
  reportingCycle: PlanRow["reportingCycle"],
): Promise<PlanRow> {
  return db.transaction(async (tx) => {
    const before = await requirePlanInScope(tx, actor, id);
    if (before.reportingCycle === reportingCycle) return before;
    // Reports are filed per period of the cycle (2023-Q3, 2023-07…): changing it under filed
    // reports would leave them in periods the plan no longer has.
    const [filed] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(progressReports)
      .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
      .where(eq(tasks.planId, id));
    if (filed && filed.n > 0)
      throw invalid(
        `各单位已按「${reportingCycleLabels[before.reportingCycle]}」报送了 ${filed.n} 份进度,报送周期不能再改。` +
          "如需调整,请在下一年度的工作要点中设置。",
        "reportingCycle",
      );
    const [plan] = await tx
      .update(plans)
      .set({ reportingCycle, updatedAt: new Date(), version: sql`${plans.version} + 1` })
      .where(eq(plans.id, id))
      .returning();
    if (!plan) throw notFound("工作要点");
    await recordAudit(tx, actor, {
      action: "plan.reportingCycle",
      entityType: "plan",
      entityId: id,
      before: { reportingCycle: before.reportingCycle },
      after: { reportingCycle },
      regionCode: plan.regionCode,
    });
    return plan;
  });
}

export async function deletePlan(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await requirePlanInScope(tx, actor, id);
    if (before.status !== "draft") {
      throw invalid(`「${planStatusLabels[before.status]}」的工作要点不能删除,只能归档。`, "status");
    }
    await tx.delete(plans).where(eq(plans.id, id));
    await recordAudit(tx, actor, {
      action: "plan.delete",
      entityType: "plan",
      entityId: id,
      before: withoutSource(before),
      regionCode: before.regionCode,
    });
  });
}

// ---------------------------------------------------------------- detail

export type AssignmentView = {
  unitId: number;
  unitName: string;
  role: "lead" | "cooperating" | "responsible";
  viaGroupId: number | null;
  groupName: string | null;
};

/** Everything the plan page shows: the plan, its sections, its tasks with units and deadlines. */
export async function getPlanDetail(db: Db, actor: Actor, id: number) {
  const plan = await requirePlanInScope(db, actor, id);
  const [issuer] = plan.issuerUnitId
    ? await db.select({ name: units.name }).from(units).where(eq(units.id, plan.issuerUnitId))
    : [];
  const sectionRows = await db
    .select()
    .from(sections)
    .where(eq(sections.planId, id))
    .orderBy(asc(sections.sortOrder), asc(sections.id));
  const taskRows = await db
    .select()
    .from(tasks)
    .where(eq(tasks.planId, id))
    .orderBy(asc(tasks.sortOrder), asc(tasks.id));
  const taskIds = taskRows.map((t) => t.id);
  const { assignmentsByTask, deadlinesByTask } = await loadTaskParts(db, taskIds);
  // Where a carried task came from (接续): last year's plan and code, for “延续自 2025 年任务 12”.
  const fromIds = taskRows.flatMap((t) => (t.carriedFromTaskId ? [t.carriedFromTaskId] : []));
  const origins = fromIds.length
    ? await db
        .select({ id: tasks.id, code: tasks.code, planId: tasks.planId, year: plans.year })
        .from(tasks)
        .innerJoin(plans, eq(plans.id, tasks.planId))
        .where(inArray(tasks.id, fromIds))
    : [];
  // The plans it implements, and how many plans below name it (issue 17).
  const upperPlans = await db
    .select({ id: plans.id, year: plans.year, title: plans.title })
    .from(planLinks)
    .innerJoin(plans, eq(plans.id, planLinks.upperPlanId))
    .where(eq(planLinks.planId, id))
    .orderBy(asc(plans.year), asc(plans.id));
  const [lower] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(planLinks)
    .where(eq(planLinks.upperPlanId, id));
  return {
    plan: { ...plan, issuerName: issuer?.name ?? null },
    upperPlans,
    lowerPlanCount: lower?.n ?? 0,
    sections: sectionRows,
    tasks: taskRows.map((t) => ({
      ...t,
      assignments: assignmentsByTask.get(t.id) ?? [],
      deadlines: deadlinesByTask.get(t.id) ?? [],
      carriedFrom: origins.find((o) => o.id === t.carriedFromTaskId) ?? null,
    })),
  };
}

/** Assignments (with unit and group names) and deadlines of these tasks; `roles` limits the assignments (a list shows only leads). */
export async function loadTaskParts(db: Db, taskIds: number[]) {
  const assignmentsByTask = new Map<number, AssignmentView[]>();
  const deadlinesByTask = new Map<number, (typeof deadlines.$inferSelect)[]>();
  if (taskIds.length === 0) return { assignmentsByTask, deadlinesByTask };
  // The two reads are independent: sent together. Names are looked up per row (index probes):
  // joined, a few hundred assignments make the planner hash every unit and group of the province.
  // (Outer columns written qualified: drizzle leaves the table off the columns of a one-table select.)
  const assignmentQuery = prepared(db, "taskAssignments", () =>
    db
      .select({
        taskId: taskAssignments.taskId,
        unitId: taskAssignments.unitId,
        unitName: sql<string>`(select u.name from units u where u.id = "task_assignments"."unit_id")`,
        role: taskAssignments.role,
        viaGroupId: taskAssignments.viaGroupId,
        groupName: sql<
          string | null
        >`(select g.name from unit_groups g where g.id = "task_assignments"."via_group_id")`,
      })
      .from(taskAssignments)
      .where(anyInt(taskAssignments.taskId, sql.placeholder("taskIds")))
      .orderBy(asc(taskAssignments.id))
      .prepare("taskAssignments"),
  );
  const deadlineQuery = prepared(db, "taskDeadlines", () =>
    db
      .select()
      .from(deadlines)
      .where(anyInt(deadlines.taskId, sql.placeholder("taskIds")))
      .orderBy(asc(deadlines.sortOrder), asc(deadlines.id))
      .prepare("taskDeadlines"),
  );
  const [rows, dl] = await Promise.all([
    assignmentQuery.execute({ taskIds }),
    deadlineQuery.execute({ taskIds }),
  ]);
  for (const { taskId, ...a } of rows) {
    const list = assignmentsByTask.get(taskId);
    if (list) list.push(a);
    else assignmentsByTask.set(taskId, [a]);
  }
  for (const d of dl) {
    const list = deadlinesByTask.get(d.taskId);
    if (list) list.push(d);
    else deadlinesByTask.set(d.taskId, [d]);
  }
  return { assignmentsByTask, deadlinesByTask };
}

// ---------------------------------------------------------------- sections

export type SectionInput = { code: string; title: string; sortOrder?: number | undefined };

export async function createSection(db: Db, actor: Actor, planId: number, input: SectionInput) {
  return db.transaction(async (tx) => {
    const plan = await requirePlanInScope(tx, actor, planId);
    const [max] = await tx
      .select({ n: sql<number>`coalesce(max(${sections.sortOrder}), 0)::int` })
      .from(sections)
      .where(eq(sections.planId, planId));
    const [section] = await tx
      .insert(sections)
      .values({
        planId,
        code: input.code,
        title: input.title,
        sortOrder: input.sortOrder ?? (max?.n ?? 0) + 10,
      })
      .returning();
    if (!section) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "section.create",
      entityType: "section",
      entityId: section.id,
      after: section,
      regionCode: plan.regionCode,
    });
    return section;
  });
}

async function requireSection(db: Db, actor: Actor, id: number) {
  const [section] = await db.select().from(sections).where(eq(sections.id, id));
  if (!section) throw notFound("章节");
  const plan = await requirePlanInScope(db, actor, section.planId);
  return { section, plan };
}

export async function updateSection(db: Db, actor: Actor, id: number, input: SectionInput) {
  return db.transaction(async (tx) => {
    const { section: before, plan } = await requireSection(tx, actor, id);
    const [section] = await tx
      .update(sections)
      .set({
        code: input.code,
        title: input.title,
        sortOrder: input.sortOrder ?? before.sortOrder,
        updatedAt: new Date(),
      })
      .where(eq(sections.id, id))
      .returning();
    await recordAudit(tx, actor, {
      action: "section.update",
      entityType: "section",
      entityId: id,
      before,
      after: section,
      regionCode: plan.regionCode,
    });
    return section;
  });
}

/** Deleting a section keeps its tasks (they lose their section); the office decides where they go. */
export async function deleteSection(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const { section: before, plan } = await requireSection(tx, actor, id);
    await tx.delete(sections).where(eq(sections.id, id));
    await recordAudit(tx, actor, {
      action: "section.delete",
      entityType: "section",
      entityId: id,
      before,
      regionCode: plan.regionCode,
    });
  });
}
