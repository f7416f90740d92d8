/**
 * Plans linked across levels (issue 17): a plan names the upper plans it implements, and each of
 * its tasks the upper task it carries out (or none). A lower office reads its ancestors' published
 * plans to link to them, and nothing else of theirs; an upper office reads the plans below it
 * through its scope as always.
 */
import { indexUpperTasks, invalid, parsePlanDocument, type UpperSuggestion } from "@gongkai/core";
import { and, asc, eq, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { planLinks, plans, taskLinks, tasks, units } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { anyInt, rawRows } from "./any.ts";
import { recordAudit } from "./audit.ts";
import { requirePlanInScope } from "./plans.ts";

export type PlanBrief = {
  id: number;
  year: number;
  title: string;
  docNumber: string | null;
  status: string;
  issuerName: string | null;
};

const brief = {
  id: plans.id,
  year: plans.year,
  title: plans.title,
  docNumber: plans.docNumber,
  status: plans.status,
  issuerName: units.name,
};

/**
 * Plans the actor may name as upper plans: its own scope's, and the published (or archived) plans of
 * the governments above it — an ancestor's draft is its own business.
 */
function upperVisible(actor: Actor) {
  if (actor.scopePath === null) return undefined;
  return or(
    sql`${units.path} like ${`${actor.scopePath}%`}`,
    and(inArray(plans.status, ["published", "archived"]), sql`${actor.scopePath} like ${units.path} || '%'`),
  );
}

/** The plans a plan implements (`upper`), or the plans that name it (`lower`, within `scope`), in tree order. */
function linkedPlans(
  db: Db,
  direction: "upper" | "lower",
  planId: number,
  scope?: SQL,
): Promise<PlanBrief[]> {
  const [other, self] =
    direction === "upper"
      ? [planLinks.upperPlanId, planLinks.planId]
      : [planLinks.planId, planLinks.upperPlanId];
  return db
    .select(brief)
    .from(planLinks)
    .innerJoin(plans, eq(plans.id, other))
    .leftJoin(units, eq(units.id, plans.issuerUnitId))
    .where(and(eq(self, planId), scope))
    .orderBy(asc(units.path), asc(plans.id));
}

const key = (s: string) => s.replace(/[\s《》〈〉<>“”"()()〔〕[\]【】]/g, "");

/** The upper plans a plan is linked to, those its document cites, and the others it could name. */
export async function upperPlanChoices(db: Db, actor: Actor, planId: number) {
  const plan = await requirePlanInScope(db, actor, planId);
  const candidates: PlanBrief[] = await db
    .select(brief)
    .from(plans)
    .leftJoin(units, eq(units.id, plans.issuerUnitId))
    .where(and(ne(plans.id, planId), upperVisible(actor)))
    .orderBy(sql`abs(${plans.year} - ${plan.year})`, asc(units.path), asc(plans.id))
    .limit(500);
  const linkedRows = await db
    .select({ upperPlanId: planLinks.upperPlanId, citedAs: planLinks.citedAs })
    .from(planLinks)
    .where(eq(planLinks.planId, planId));
  const linkedIds = new Set(linkedRows.map((r) => r.upperPlanId));
  // A linked plan outside today's choices (its status changed) is still shown, so it can be unlinked.
  const missing = [...linkedIds].filter((id) => !candidates.some((c) => c.id === id));
  const extra = missing.length
    ? await db
        .select(brief)
        .from(plans)
        .leftJoin(units, eq(units.id, plans.issuerUnitId))
        .where(anyInt(plans.id, missing))
    : [];
  const all = [...candidates, ...extra];

  const cited = citesOf(plan).map((c) => {
    const doc = c.docNumber ? key(c.docNumber) : null;
    const title = key(c.title);
    const match =
      all.find((p) => doc !== null && p.docNumber !== null && key(p.docNumber) === doc) ??
      all.find((p) => key(p.title) === title) ??
      // The notice that issued a plan: 《…关于印发2019政务公开工作要点任务分工方案的通知》 names it.
      all.find((p) => key(p.title).length >= 8 && title.includes(key(p.title))) ??
      null;
    return { title: c.title, docNumber: c.docNumber, match };
  });
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title },
    linked: all.filter((p) => linkedIds.has(p.id)),
    cited,
    candidates: all.filter((p) => !linkedIds.has(p.id)),
  };
}

/** What the plan's own document cites, read again from the text it was imported from. */
function citesOf(plan: { title: string; year: number; sourceText: string | null }) {
  if (!plan.sourceText) return [];
  const parsed = parsePlanDocument(plan.sourceText, { year: plan.year }).plans;
  const own = parsed.find((p) => key(p.title) === key(plan.title)) ?? parsed[0];
  return own?.cites ?? [];
}

/**
 * Set the plan's upper plans (the list replaces the links; one transaction). Task links into a plan
 * no longer named go with it. A plan cannot implement itself or a plan below it.
 */
export async function setUpperPlans(
  db: Db,
  actor: Actor,
  input: { planId: number; upper: { planId: number; citedAs?: string | null | undefined }[] },
) {
  return db.transaction(async (tx) => {
    const plan = await requirePlanInScope(tx, actor, input.planId);
    const wanted = [...new Map(input.upper.map((u) => [u.planId, u])).values()];
    const ids = wanted.map((u) => u.planId);
    if (ids.includes(plan.id)) throw invalid("一个工作要点不能以自己为上级要点。", "upper");
    if (ids.length) {
      const visible = await tx
        .select({ id: plans.id })
        .from(plans)
        .leftJoin(units, eq(units.id, plans.issuerUnitId))
        .where(and(anyInt(plans.id, ids), upperVisible(actor)));
      if (visible.length !== ids.length) {
        throw invalid("所选上级要点不存在,或尚未由上级发布;请刷新后重新选择。", "upper");
      }
      // Below this plan already (it implements this one, directly or further down): a loop.
      const below = await rawRows<{ id: number }>(
        tx,
        sql`
        with recursive down(id) as (
          select ${planLinks.planId} from ${planLinks} where ${planLinks.upperPlanId} = ${plan.id}
          union
          select l.plan_id from plan_links l join down on l.upper_plan_id = down.id
        )
        select id from down`,
      );
      const loop = below.find((r) => ids.includes(Number(r.id)));
      if (loop) throw invalid("所选上级要点本身是落实本要点的下级要点,不能互为上级;请取消该选择。", "upper");
    }
    const before = await tx.select().from(planLinks).where(eq(planLinks.planId, plan.id));
    const dropped = before.filter((b) => !ids.includes(b.upperPlanId)).map((b) => b.upperPlanId);
    if (dropped.length) {
      const droppedTasks = tx.select({ id: tasks.id }).from(tasks).where(anyInt(tasks.planId, dropped));
      const ownTasks = tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.planId, plan.id));
      await tx
        .delete(taskLinks)
        .where(and(inArray(taskLinks.taskId, ownTasks), inArray(taskLinks.upperTaskId, droppedTasks)));
      await tx
        .delete(planLinks)
        .where(and(eq(planLinks.planId, plan.id), anyInt(planLinks.upperPlanId, dropped)));
    }
    const added = wanted.filter((u) => !before.some((b) => b.upperPlanId === u.planId));
    if (added.length) {
      await tx.insert(planLinks).values(
        added.map((u) => ({
          planId: plan.id,
          upperPlanId: u.planId,
          citedAs: u.citedAs ?? null,
          createdBy: actor.userId > 0 ? actor.userId : null,
          regionCode: plan.regionCode,
        })),
      );
    }
    if (added.length || dropped.length) {
      await recordAudit(tx, actor, {
        action: "plan.links",
        entityType: "plan",
        entityId: plan.id,
        before: { upper: before.map((b) => b.upperPlanId) },
        after: { upper: ids },
        regionCode: plan.regionCode,
      });
    }
    return { upper: ids };
  });
}

export type LinkSuggestion = Omit<UpperSuggestion, "key"> & { upperTaskId: number };

/**
 * Everything the task-link page shows: the plan's tasks, each with its decision and the three upper
 * tasks most like it, and the upper tasks themselves for the side-by-side view.
 */
export async function taskLinkBoard(db: Db, actor: Actor, planId: number) {
  const plan = await requirePlanInScope(db, actor, planId);
  const upperPlans = await linkedPlans(db, "upper", planId);
  const upperIds = upperPlans.map((p) => p.id);
  const taskColumns = {
    id: tasks.id,
    planId: tasks.planId,
    code: tasks.code,
    title: tasks.title,
    content: tasks.content,
  };
  const upperTasks = upperIds.length
    ? await db
        .select(taskColumns)
        .from(tasks)
        .where(and(anyInt(tasks.planId, upperIds), isNull(tasks.parentTaskId)))
        .orderBy(asc(tasks.planId), asc(tasks.sortOrder), asc(tasks.id))
    : [];
  const own = await db
    .select({ ...taskColumns, upperTaskId: taskLinks.upperTaskId, decidedAt: taskLinks.decidedAt })
    .from(tasks)
    .leftJoin(taskLinks, eq(taskLinks.taskId, tasks.id))
    .where(and(eq(tasks.planId, planId), isNull(tasks.parentTaskId)))
    .orderBy(asc(tasks.sortOrder), asc(tasks.id));
  const index = indexUpperTasks(upperTasks.map((t) => ({ ...t, key: String(t.id) })));
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title },
    upperPlans,
    upperTasks,
    tasks: own.map(({ decidedAt, upperTaskId, ...t }) => ({
      ...t,
      decision: decidedAt === null ? null : { upperTaskId },
      suggestions: index
        .suggest(t, 3)
        .map(({ key: k, ...s }): LinkSuggestion => ({ ...s, upperTaskId: Number(k) })),
    })),
  };
}

/**
 * Record the office's decisions (one transaction): each task of the plan to an upper task of a
 * linked upper plan, or to none (`upperTaskId: null`), or back to undecided (`clear`).
 */
export async function setTaskLinks(
  db: Db,
  actor: Actor,
  input: {
    planId: number;
    decisions: { taskId: number; upperTaskId: number | null; clear?: boolean | undefined }[];
  },
) {
  return db.transaction(async (tx) => {
    const plan = await requirePlanInScope(tx, actor, input.planId);
    const taskIds = [...new Set(input.decisions.map((d) => d.taskId))];
    if (taskIds.length !== input.decisions.length)
      throw invalid("同一项任务只能有一个对标决定。", "decisions");
    const ownRows = taskIds.length
      ? await tx
          .select({ id: tasks.id })
          .from(tasks)
          .where(and(anyInt(tasks.id, taskIds), eq(tasks.planId, plan.id)))
      : [];
    if (ownRows.length !== taskIds.length) {
      throw invalid("有任务不属于这个工作要点,或已被删除;请刷新后重试。", "decisions");
    }
    const upperTaskIds = [
      ...new Set(input.decisions.flatMap((d) => (d.upperTaskId !== null && !d.clear ? [d.upperTaskId] : []))),
    ];
    if (upperTaskIds.length) {
      const ok = await tx
        .select({ id: tasks.id })
        .from(tasks)
        .innerJoin(planLinks, and(eq(planLinks.upperPlanId, tasks.planId), eq(planLinks.planId, plan.id)))
        .where(anyInt(tasks.id, upperTaskIds));
      if (ok.length !== upperTaskIds.length) {
        throw invalid(
          "所选上级任务不属于本要点关联的上级要点;请先关联上级要点,或刷新后重新选择。",
          "decisions",
        );
      }
    }
    const cleared = input.decisions.filter((d) => d.clear).map((d) => d.taskId);
    if (cleared.length) await tx.delete(taskLinks).where(anyInt(taskLinks.taskId, cleared));
    const set = input.decisions.filter((d) => !d.clear);
    const decidedBy = actor.userId > 0 ? actor.userId : null;
    if (set.length) {
      await tx
        .insert(taskLinks)
        .values(
          set.map((d) => ({
            taskId: d.taskId,
            upperTaskId: d.upperTaskId,
            decidedBy,
            regionCode: plan.regionCode,
          })),
        )
        .onConflictDoUpdate({
          target: taskLinks.taskId,
          set: { upperTaskId: sql`excluded.upper_task_id`, decidedBy, decidedAt: sql`now()` },
        });
    }
    if (input.decisions.length) {
      await recordAudit(tx, actor, {
        action: "task.links",
        entityType: "plan",
        entityId: plan.id,
        after: { decisions: input.decisions },
        regionCode: plan.regionCode,
      });
    }
    return { decided: set.length, cleared: cleared.length };
  });
}

/**
 * 对标对表 for a plan: downward, each of its tasks with the plans below it (in the actor's scope)
 * that took it up and those that did not, gaps first; upward, the tasks of its upper plans it left
 * out. Only links are shown across levels, never a lower plan's drafts or notes.
 */
export async function linkCoverage(db: Db, actor: Actor, planId: number) {
  const plan = await requirePlanInScope(db, actor, planId);
  const scope = actor.scopePath === null ? undefined : sql`${units.path} like ${`${actor.scopePath}%`}`;
  const lowerPlans = await linkedPlans(db, "lower", planId, scope);
  const ownTasks = await db
    .select({ id: tasks.id, code: tasks.code, title: tasks.title })
    .from(tasks)
    .where(and(eq(tasks.planId, planId), isNull(tasks.parentTaskId)))
    .orderBy(asc(tasks.sortOrder), asc(tasks.id));
  const lowerIds = lowerPlans.map((p) => p.id);
  const takenRows = lowerIds.length
    ? await db
        .select({
          upperTaskId: taskLinks.upperTaskId,
          planId: tasks.planId,
          id: tasks.id,
          code: tasks.code,
          title: tasks.title,
        })
        .from(taskLinks)
        .innerJoin(tasks, eq(tasks.id, taskLinks.taskId))
        .where(
          and(
            anyInt(tasks.planId, lowerIds),
            anyInt(
              taskLinks.upperTaskId,
              ownTasks.map((t) => t.id),
            ),
          ),
        )
    : [];
  const down = ownTasks
    .map((t) => {
      const mine = takenRows.filter((r) => r.upperTaskId === t.id);
      const took = lowerPlans
        .filter((p) => mine.some((r) => r.planId === p.id))
        .map((p) => ({
          plan: p,
          tasks: mine.filter((r) => r.planId === p.id).map(({ id, code, title }) => ({ id, code, title })),
        }));
      const missing = lowerPlans.filter((p) => !mine.some((r) => r.planId === p.id));
      return { task: t, took, missing };
    })
    .sort((a, b) => b.missing.length - a.missing.length);

  const upperPlanRows = await linkedPlans(db, "upper", planId);
  const upperTasks = upperPlanRows.length
    ? await db
        .select({ id: tasks.id, planId: tasks.planId, code: tasks.code, title: tasks.title })
        .from(tasks)
        .where(
          and(
            anyInt(
              tasks.planId,
              upperPlanRows.map((p) => p.id),
            ),
            isNull(tasks.parentTaskId),
          ),
        )
        .orderBy(asc(tasks.planId), asc(tasks.sortOrder), asc(tasks.id))
    : [];
  const takenUp = upperTasks.length
    ? new Set(
        (
          await db
            .select({ upperTaskId: taskLinks.upperTaskId })
            .from(taskLinks)
            .innerJoin(tasks, eq(tasks.id, taskLinks.taskId))
            .where(
              and(
                eq(tasks.planId, planId),
                anyInt(
                  taskLinks.upperTaskId,
                  upperTasks.map((t) => t.id),
                ),
              ),
            )
        ).map((r) => r.upperTaskId),
      )
    : new Set<number | null>();
  const up = upperPlanRows.map((p) => ({
    plan: p,
    leftOut: upperTasks
      .filter((t) => t.planId === p.id && !takenUp.has(t.id))
      .map(({ id, code, title }) => ({ id, code, title })),
    taskCount: upperTasks.filter((t) => t.planId === p.id).length,
  }));
  // Only the plan's own office sends notices down about it (督办下级).
  const canNoticeDown = actor.unitId !== null && actor.unitId === plan.issuerUnitId;
  return { plan: { id: plan.id, year: plan.year, title: plan.title }, canNoticeDown, lowerPlans, down, up };
}
