import {
  type AssignmentRole,
  assignmentRoles,
  type CarryKind,
  type Category,
  chinaDateTime,
  conflict,
  type DeadlineRule,
  dueDateOf,
  invalid,
  notFound,
  parseDeadlinePhrase,
} from "@gongkai/core";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import {
  auditLog,
  deadlines,
  plans,
  sections,
  taskAssignments,
  tasks,
  unitGroupMembers,
  unitGroups,
  units,
  users,
} from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { loadCalendar } from "./calendar.ts";
import { type AssignmentView, loadTaskParts, requirePlanInScope } from "./plans.ts";
import { prepared } from "./prepared.ts";
import { inScope } from "./units.ts";

export type UnitPick = { unitIds: number[]; groupIds: number[] };
export type DeadlineInput = {
  phrase: string;
  /** A rule the office set by hand; when absent the phrase is parsed. */
  rule?: DeadlineRule | undefined;
  eventDate?: string | null | undefined;
};
export type TaskInput = {
  sectionId: number | null;
  code: string;
  title: string;
  content: string;
  category: Category | null;
  sortOrder?: number | undefined;
  units: Record<AssignmentRole, UnitPick>;
  deadlines: DeadlineInput[];
  /** Last year's task this one carries on (接续, queries/carry.ts), and how. */
  carriedFrom?: { taskId: number; kind: CarryKind } | undefined;
};

type TaskRow = typeof tasks.$inferSelect;

async function requireTask(db: Db, actor: Actor, id: number) {
  const [task] = await db.select().from(tasks).where(eq(tasks.id, id));
  if (!task) throw notFound("任务");
  const plan = await requirePlanInScope(db, actor, task.planId);
  return { task, plan };
}

/** Who last changed an entity, for CONFLICT messages ("已被张三于 10:32 修改"). */
async function lastEditor(db: Db, entityType: string, entityId: number) {
  const [row] = await db
    .select({ name: users.displayName, at: auditLog.at })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, String(entityId))))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
}

async function staleTask(db: Db, id: number) {
  const editor = await lastEditor(db, "task", id);
  const who = editor?.name ? `「${editor.name}」` : "他人";
  const when = editor?.at ? `于 ${chinaDateTime(editor.at)} ` : "";
  return conflict(`该任务已被${who}${when}修改。请刷新查看最新内容,再重新填写您的修改。`, {
    savedBy: editor?.name ?? null,
  });
}

/** Expand picked units and groups into assignment rows; every unit must lie in the actor's scope. */
export async function expandAssignments(db: Db, actor: Actor, picks: Record<AssignmentRole, UnitPick>) {
  const unitIds = [...new Set(assignmentRoles.flatMap((r) => picks[r].unitIds))];
  const groupIds = [...new Set(assignmentRoles.flatMap((r) => picks[r].groupIds))];
  const unitRows = unitIds.length
    ? await db.select({ id: units.id, path: units.path }).from(units).where(inArray(units.id, unitIds))
    : [];
  const okUnits = new Set(unitRows.filter((u) => inScope(actor.scopePath, u.path)).map((u) => u.id));
  const badUnits = unitIds.filter((id) => !okUnits.has(id));
  if (badUnits.length)
    throw invalid(`所选单位(编号 ${badUnits.join("、")})不存在或不在您的管理范围内。`, "units");
  const members = groupIds.length
    ? await db
        .select({ groupId: unitGroupMembers.groupId, unitId: unitGroupMembers.unitId, path: units.path })
        .from(unitGroupMembers)
        .innerJoin(units, eq(units.id, unitGroupMembers.unitId))
        .where(inArray(unitGroupMembers.groupId, groupIds))
    : [];
  const groupRows = groupIds.length
    ? await db.select({ id: unitGroups.id }).from(unitGroups).where(inArray(unitGroups.id, groupIds))
    : [];
  const missingGroups = groupIds.filter((g) => !groupRows.some((r) => r.id === g));
  if (missingGroups.length) throw invalid(`所选分组(编号 ${missingGroups.join("、")})不存在。`, "units");
  const rows = new Map<string, { unitId: number; role: AssignmentRole; viaGroupId: number | null }>();
  for (const role of assignmentRoles) {
    for (const unitId of picks[role].unitIds)
      rows.set(`${role}:${unitId}`, { unitId, role, viaGroupId: null });
  }
  // A unit named in its own right keeps that role only: 党政办 as lead is not also "responsible"
  // because the responsible group 镇直各单位 happens to include it.
  const named = new Set(unitIds);
  for (const role of assignmentRoles) {
    for (const groupId of picks[role].groupIds) {
      for (const m of members.filter((x) => x.groupId === groupId)) {
        if (!inScope(actor.scopePath, m.path) || named.has(m.unitId)) continue;
        const key = `${role}:${m.unitId}`;
        if (!rows.has(key)) rows.set(key, { unitId: m.unitId, role, viaGroupId: groupId });
      }
    }
  }
  return [...rows.values()];
}

async function resolveDeadlines(db: Db, year: number, input: DeadlineInput[]) {
  const phrases = input.map((d) => d.phrase.trim()).filter(Boolean);
  if (phrases.length === 0) return [];
  const calendar = await loadCalendar(db);
  return input
    .filter((d) => d.phrase.trim())
    .map((d, i) => {
      const parsed = parseDeadlinePhrase(d.phrase.trim(), { year });
      const rule = d.rule ?? parsed.rule;
      const eventDate = d.eventDate ?? null;
      return {
        phrase: d.phrase.trim(),
        kind: rule.kind,
        rule,
        eventDate,
        dueDate: dueDateOf(rule, { calendar, ...(eventDate ? { eventDate } : {}) }),
        flags: d.rule ? [] : parsed.flags,
        sortOrder: i,
      };
    });
}

async function writeParts(
  db: Db,
  actor: Actor,
  task: TaskRow,
  year: number,
  input: TaskInput,
  keepEvents = false,
) {
  const assignmentRows = await expandAssignments(db, actor, input.units);
  const previousEvents = keepEvents
    ? new Map(
        (await db.select().from(deadlines).where(eq(deadlines.taskId, task.id)))
          .filter((d) => d.eventDate)
          .map((d) => [d.phrase, d.eventDate]),
      )
    : new Map<string, string | null>();
  const deadlineRows = await resolveDeadlines(
    db,
    year,
    input.deadlines.map((d) => ({
      ...d,
      eventDate: d.eventDate ?? previousEvents.get(d.phrase.trim()) ?? null,
    })),
  );
  await db.delete(taskAssignments).where(eq(taskAssignments.taskId, task.id));
  await db.delete(deadlines).where(eq(deadlines.taskId, task.id));
  if (assignmentRows.length) {
    await db
      .insert(taskAssignments)
      .values(assignmentRows.map((a) => ({ ...a, taskId: task.id, regionCode: task.regionCode })));
  }
  if (deadlineRows.length) {
    await db
      .insert(deadlines)
      .values(deadlineRows.map((d) => ({ ...d, taskId: task.id, regionCode: task.regionCode })));
  }
  return { assignments: assignmentRows, deadlines: deadlineRows };
}

async function checkSection(db: Db, planId: number, sectionId: number | null) {
  if (sectionId === null) return;
  const [s] = await db
    .select({ id: sections.id })
    .from(sections)
    .where(and(eq(sections.id, sectionId), eq(sections.planId, planId)));
  if (!s) throw invalid("所选章节不属于这份工作要点,请重新选择。", "sectionId");
}

export async function createTask(db: Db, actor: Actor, planId: number, input: TaskInput) {
  return db.transaction(async (tx) => {
    const plan = await requirePlanInScope(tx, actor, planId);
    if (plan.status === "archived") throw invalid("已归档的工作要点不能再添加任务。", "planId");
    await checkSection(tx, planId, input.sectionId);
    const [max] = await tx
      .select({ n: sql<number>`coalesce(max(${tasks.sortOrder}), 0)::int` })
      .from(tasks)
      .where(eq(tasks.planId, planId));
    const [task] = await tx
      .insert(tasks)
      .values({
        planId,
        sectionId: input.sectionId,
        code: input.code,
        title: input.title,
        content: input.content,
        category: input.category,
        sortOrder: input.sortOrder ?? (max?.n ?? 0) + 10,
        carriedFromTaskId: input.carriedFrom?.taskId ?? null,
        carryKind: input.carriedFrom?.kind ?? null,
        regionCode: plan.regionCode,
      })
      .returning();
    if (!task) throw new Error("insert returned nothing");
    const parts = await writeParts(tx, actor, task, plan.year, input);
    await recordAudit(tx, actor, {
      action: "task.create",
      entityType: "task",
      entityId: task.id,
      after: { ...task, ...parts },
      regionCode: task.regionCode,
    });
    return task;
  });
}

/** Saves a task with its units and deadlines as one change; a stale `version` is a CONFLICT. */
export async function updateTask(db: Db, actor: Actor, id: number, input: TaskInput & { version: number }) {
  return db.transaction(async (tx) => {
    const { task: before, plan } = await requireTask(tx, actor, id);
    if (plan.status === "archived") throw invalid("已归档的工作要点不能再修改。", "planId");
    if (before.version !== input.version) throw await staleTask(tx, id);
    await checkSection(tx, plan.id, input.sectionId);
    const { assignmentsByTask, deadlinesByTask } = await loadTaskParts(tx, [id]);
    const [task] = await tx
      .update(tasks)
      .set({
        sectionId: input.sectionId,
        code: input.code,
        title: input.title,
        content: input.content,
        category: input.category,
        sortOrder: input.sortOrder ?? before.sortOrder,
        updatedAt: new Date(),
        version: sql`${tasks.version} + 1`,
      })
      .where(and(eq(tasks.id, id), eq(tasks.version, input.version)))
      .returning();
    if (!task) throw await staleTask(tx, id);
    const parts = await writeParts(tx, actor, task, plan.year, input, true);
    await recordAudit(tx, actor, {
      action: "task.update",
      entityType: "task",
      entityId: id,
      before: {
        ...before,
        assignments: assignmentsByTask.get(id) ?? [],
        deadlines: deadlinesByTask.get(id) ?? [],
      },
      after: { ...task, ...parts },
      regionCode: task.regionCode,
    });
    return task;
  });
}

export async function deleteTask(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const { task: before, plan } = await requireTask(tx, actor, id);
    if (plan.status !== "draft") {
      throw invalid(
        "已发布的工作要点中的任务不能删除(单位可能已在填报)。如确需删除,请先将工作要点撤回为草稿。",
        "id",
      );
    }
    await tx.delete(tasks).where(eq(tasks.id, id));
    await recordAudit(tx, actor, {
      action: "task.delete",
      entityType: "task",
      entityId: id,
      before,
      regionCode: before.regionCode,
    });
  });
}

// ---------------------------------------------------------------- a unit's view

/**
 * The tasks of published (or archived) plans that the unit leads, cooperates on or is responsible
 * for, each with its lead units and deadlines.
 */
export async function listTasksForUnit(db: Db, unitId: number, params: { year?: number | undefined }) {
  const byYear = params.year !== undefined;
  const query = prepared(db, byYear ? "unitTasks:year" : "unitTasks", () =>
    db
      .select({
        id: tasks.id,
        code: tasks.code,
        title: tasks.title,
        content: tasks.content,
        category: tasks.category,
        planId: plans.id,
        planTitle: plans.title,
        year: plans.year,
        sectionTitle: sections.title,
        roles: sql<AssignmentRole[]>`array_agg(distinct ${taskAssignments.role}::text)`,
        // The list shows who leads each task (a province-wide task has hundreds of other units
        // on it, which the task's own page lists) and its deadlines: built by PostgreSQL in the
        // same statement, one round trip for the whole list.
        assignments: sql<AssignmentView[]>`(
          select coalesce(json_agg(json_build_object(
            'unitId', la.unit_id,
            'unitName', (select u.name from units u where u.id = la.unit_id),
            'role', la.role,
            'viaGroupId', la.via_group_id,
            'groupName', (select g.name from unit_groups g where g.id = la.via_group_id)
          ) order by la.id), '[]')
          from task_assignments la where la.task_id = ${tasks.id} and la.role = 'lead')`,
        deadlines: sql<UnitTaskDeadline[]>`(
          select coalesce(json_agg(json_build_object(
            'phrase', d.phrase, 'kind', d.kind, 'dueDate', d.due_date, 'eventDate', d.event_date, 'rule', d.rule
          ) order by d.sort_order, d.id), '[]')
          from deadlines d where d.task_id = ${tasks.id})`,
      })
      .from(taskAssignments)
      .innerJoin(tasks, eq(tasks.id, taskAssignments.taskId))
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .leftJoin(sections, eq(sections.id, tasks.sectionId))
      .where(
        and(
          eq(taskAssignments.unitId, sql.placeholder("unitId")),
          inArray(plans.status, ["published", "archived"]),
          byYear ? eq(plans.year, sql.placeholder("year")) : undefined,
        ),
      )
      .groupBy(tasks.id, plans.id, sections.id)
      .orderBy(desc(plans.year), asc(plans.id), asc(tasks.sortOrder), asc(tasks.id))
      .prepare(byYear ? "unitTasksByYear" : "unitTasks"),
  );
  return query.execute({ unitId, year: params.year });
}

type UnitTaskDeadline = Pick<
  typeof deadlines.$inferSelect,
  "phrase" | "kind" | "dueDate" | "eventDate" | "rule"
>;

/** One task as its unit sees it; NOT_FOUND when the unit has no role on it or the plan is a draft. */
export async function getTaskForUnit(db: Db, unitId: number, taskId: number) {
  const [row] = await db
    .select({ task: tasks, planTitle: plans.title, year: plans.year, sectionTitle: sections.title })
    .from(tasks)
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .leftJoin(sections, eq(sections.id, tasks.sectionId))
    .where(
      and(
        eq(tasks.id, taskId),
        inArray(plans.status, ["published", "archived"]),
        sql`exists (select 1 from ${taskAssignments} where ${taskAssignments.taskId} = ${tasks.id}
            and ${taskAssignments.unitId} = ${unitId})`,
      ),
    );
  if (!row) throw notFound("任务");
  const { assignmentsByTask, deadlinesByTask } = await loadTaskParts(db, [taskId]);
  const assignments = assignmentsByTask.get(taskId) ?? [];
  return {
    ...row.task,
    planTitle: row.planTitle,
    year: row.year,
    sectionTitle: row.sectionTitle,
    roles: [...new Set(assignments.filter((a) => a.unitId === unitId).map((a) => a.role))],
    assignments,
    deadlines: deadlinesByTask.get(taskId) ?? [],
  };
}
