import {
  type AssignmentRole,
  assignmentRoles,
  type CarryKind,
  invalid,
  movePhraseToYear,
  moveRuleToYear,
  splitForCarry,
} from "@gongkai/core";
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client.ts";
import { sections, tasks } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { createPlan, createSection, loadTaskParts, requirePlanInScope } from "./plans.ts";
import { planLights } from "./progress.ts";
import { createTask, type UnitPick } from "./tasks.ts";

/**
 * What carrying a plan into the next year would make (core plans/carry.ts): its unfinished tasks
 * with the units still owing work, its finished tasks for 回头看, and each task's deadlines as
 * they would read in the new year. Judged by the lights as of `now`.
 */
export async function carryPreview(db: Db, actor: Actor, planId: number, now: Date) {
  const plan = await requirePlanInScope(db, actor, planId);
  const lights = await planLights(db, actor, planId, now);
  const rows = await db
    .select({ id: tasks.id, code: tasks.code, title: tasks.title })
    .from(tasks)
    .where(eq(tasks.planId, planId))
    .orderBy(asc(tasks.sortOrder), asc(tasks.id));
  const { deadlinesByTask } = await loadTaskParts(
    db,
    rows.map((t) => t.id),
  );
  const byTask = new Map<number, typeof lights>();
  for (const l of lights) {
    const list = byTask.get(l.taskId);
    if (list) list.push(l);
    else byTask.set(l.taskId, [l]);
  }
  const split = splitForCarry(
    rows.map((t) => ({
      ...t,
      assignments: (byTask.get(t.id) ?? []).map((l) => ({
        unitId: l.unitId,
        unitName: l.unitName,
        role: l.role,
        light: l.light,
      })),
    })),
  );
  const year = plan.year + 1;
  const movedDeadlines = (taskId: number) =>
    (deadlinesByTask.get(taskId) ?? []).map((d) => {
      const rule = moveRuleToYear(d.rule, year);
      return {
        phrase: movePhraseToYear(d.phrase, plan.year, year),
        dueDate: rule.kind === "by" ? rule.date : null,
      };
    });
  const brief = (t: { id: number; code: string; title: string }) => ({
    id: t.id,
    code: t.code,
    title: t.title,
    deadlines: movedDeadlines(t.id),
  });
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title },
    year,
    suggestedTitle: plan.title.replaceAll(String(plan.year), String(year)),
    unfinished: split.unfinished.map(({ task, notDone }) => ({
      ...brief(task),
      notDone: notDone.map((a) => ({ unitName: a.unitName, light: a.light })),
    })),
    finished: split.finished.map(brief),
    unassigned: split.unassigned.map(brief),
  };
}

export type CarryInput = {
  fromPlanId: number;
  year: number;
  title: string;
  /** Tasks continued: copied with their sections, units and deadlines moved to `year`. */
  continueTaskIds: number[];
  /** Finished tasks to look at again (回头看): copied with their units into a 回头看 section. */
  revisitTaskIds: number[];
};

/**
 * A new year's plan (a draft) started from last year's: the tasks picked, each linked to the task
 * it carries on, in one transaction. The plan is the office's to edit and publish as any other.
 */
export async function carryForward(db: Db, actor: Actor, input: CarryInput) {
  const from = await requirePlanInScope(db, actor, input.fromPlanId);
  if (input.year <= from.year)
    throw invalid(`新计划的年度应晚于原计划(${from.year} 年),请改为 ${from.year + 1} 年或以后。`, "year");
  const picked = [...input.continueTaskIds, ...input.revisitTaskIds];
  if (picked.length === 0) throw invalid("请至少勾选一项要延续或回头看的任务。", "continueTaskIds");
  const both = input.continueTaskIds.filter((id) => input.revisitTaskIds.includes(id));
  if (both.length) throw invalid("同一任务不能既延续又回头看,请只选其一。", "revisitTaskIds");
  const sourceTasks = await db.select().from(tasks).where(inArray(tasks.id, picked));
  const foreign = picked.filter((id) => !sourceTasks.some((t) => t.id === id && t.planId === from.id));
  if (foreign.length)
    throw invalid(`所选任务(编号 ${foreign.join("、")})不属于原计划,请刷新后重新勾选。`, "continueTaskIds");

  return db.transaction(async (tx) => {
    const plan = await createPlan(tx, actor, {
      year: input.year,
      title: input.title,
      issuerUnitId: from.issuerUnitId,
    });
    const { assignmentsByTask, deadlinesByTask } = await loadTaskParts(tx, picked);
    const fromSections = await tx
      .select()
      .from(sections)
      .where(eq(sections.planId, from.id))
      .orderBy(asc(sections.sortOrder), asc(sections.id));
    const sectionIds = new Map<number, number>();
    const sectionFor = async (id: number | null) => {
      if (id === null) return null;
      const known = sectionIds.get(id);
      if (known) return known;
      const s = fromSections.find((x) => x.id === id);
      if (!s) return null;
      const created = await createSection(tx, actor, plan.id, { code: s.code, title: s.title });
      sectionIds.set(id, created.id);
      return created.id;
    };
    const picksOf = (taskId: number) => {
      const picks = Object.fromEntries(
        assignmentRoles.map((r) => [r, { unitIds: [] as number[], groupIds: [] as number[] }]),
      ) as Record<AssignmentRole, UnitPick>;
      for (const a of assignmentsByTask.get(taskId) ?? []) {
        const pick = picks[a.role];
        if (a.viaGroupId !== null) {
          if (!pick.groupIds.includes(a.viaGroupId)) pick.groupIds.push(a.viaGroupId);
        } else pick.unitIds.push(a.unitId);
      }
      return picks;
    };
    const ordered = (ids: number[]) =>
      sourceTasks.filter((t) => ids.includes(t.id)).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    const copy = async (t: (typeof sourceTasks)[number], kind: CarryKind, sectionId: number | null) => {
      await createTask(tx, actor, plan.id, {
        sectionId,
        code: t.code,
        title: t.title,
        content: t.content,
        category: t.category,
        units: picksOf(t.id),
        deadlines:
          kind === "continued"
            ? (deadlinesByTask.get(t.id) ?? []).map((d) => ({
                phrase: movePhraseToYear(d.phrase, from.year, input.year),
                rule: moveRuleToYear(d.rule, input.year),
              }))
            : [],
        carriedFrom: { taskId: t.id, kind },
      });
    };
    for (const t of ordered(input.continueTaskIds)) await copy(t, "continued", await sectionFor(t.sectionId));
    const revisits = ordered(input.revisitTaskIds);
    if (revisits.length) {
      const section = await createSection(tx, actor, plan.id, {
        code: "",
        title: `${from.year}年任务回头看`,
      });
      for (const t of revisits) await copy(t, "revisit", section.id);
    }
    await recordAudit(tx, actor, {
      action: "plan.carryForward",
      entityType: "plan",
      entityId: plan.id,
      after: { fromPlanId: from.id, continued: input.continueTaskIds, revisit: input.revisitTaskIds },
      regionCode: plan.regionCode,
    });
    return plan;
  });
}
