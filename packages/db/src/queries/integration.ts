import { notFound } from "@gongkai/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { sections, tasks } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { listPlans, loadTaskParts, type PlanRow, requirePlanInScope } from "./plans.ts";

/**
 * Reads of the open REST API (/api/v1) that the dashboard does not make: pages in a stable order
 * (keyset, so a page boundary stays put while plans and tasks are added), and only what has been
 * published to units — a draft plan is the office's work in progress, not data for other systems.
 */

/** A plan in the actor's scope that has been published (or published and archived), else NOT_FOUND. */
export async function requirePublishedPlan(db: Db, actor: Actor, planId: number): Promise<PlanRow> {
  const plan = await requirePlanInScope(db, actor, planId);
  if (plan.status === "draft") throw notFound("工作要点");
  return plan;
}

/** Published plans in scope, newest year first, `limit` after the plan `after` (by year, then id, descending). */
export async function publishedPlansPage(
  db: Db,
  actor: Actor,
  params: { year?: number | undefined; limit: number; after?: { year: number; id: number } | undefined },
) {
  const all = (await listPlans(db, actor, { year: params.year })).filter((p) => p.status !== "draft");
  const { after } = params;
  const rest = after
    ? all.filter((p) => p.year < after.year || (p.year === after.year && p.id < after.id))
    : all;
  return { items: rest.slice(0, params.limit), more: rest.length > params.limit };
}

/** A published plan's tasks in the plan's order, each with its units by role and its deadlines. */
export async function planTasksPage(
  db: Db,
  actor: Actor,
  planId: number,
  params: { limit: number; after?: { sortOrder: number; id: number } | undefined },
) {
  const plan = await requirePublishedPlan(db, actor, planId);
  const { after } = params;
  const rows = await db
    .select({ task: tasks, sectionTitle: sections.title })
    .from(tasks)
    .leftJoin(sections, eq(sections.id, tasks.sectionId))
    .where(
      and(
        eq(tasks.planId, plan.id),
        after ? sql`(${tasks.sortOrder}, ${tasks.id}) > (${after.sortOrder}, ${after.id})` : undefined,
      ),
    )
    .orderBy(asc(tasks.sortOrder), asc(tasks.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const { assignmentsByTask, deadlinesByTask } = await loadTaskParts(
    db,
    page.map((r) => r.task.id),
  );
  return {
    plan,
    items: page.map(({ task, sectionTitle }) => ({
      ...task,
      sectionTitle,
      assignments: assignmentsByTask.get(task.id) ?? [],
      deadlines: deadlinesByTask.get(task.id) ?? [],
    })),
    more: rows.length > params.limit,
  };
}

/** A task of a published plan in scope, or NOT_FOUND. */
export async function requirePublishedTask(db: Db, actor: Actor, taskId: number) {
  const [task] = await db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!task) throw notFound("任务");
  const plan = await requirePublishedPlan(db, actor, task.planId).catch(() => {
    throw notFound("任务");
  });
  return { task, plan };
}
