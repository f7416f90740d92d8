import { type AssignmentRole, conflict, DomainError, invalid } from "@gongkai/core";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { taskAssignments, tasks } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { loadTaskParts, requirePlanInScope } from "./plans.ts";
import { expandAssignments, type UnitPick } from "./tasks.ts";

export type SetTaskUnitsInput = {
  planId: number;
  /** The tasks ticked, each at the version the office saw. */
  tasks: { id: number; version: number }[];
  /** The new lead units of every task (replacing its leads); null leaves the leads as they are. */
  lead: UnitPick | null;
  /** Cooperating units added to every task, or replacing its cooperating units; null: unchanged. */
  cooperating: { mode: "add" | "replace"; units: UnitPick } | null;
};

const none: UnitPick = { unitIds: [], groupIds: [] };
const tail = "本次没有修改任何任务,请刷新页面后重新选择。";

/**
 * 批量设置单位: the office sets the lead units and/or adds or replaces the cooperating units of many
 * tasks of a plan at once, all or none, each task's change audited as a task edit is. A unit that
 * leads a task is not also one of its cooperating units: setting it as lead drops its cooperating
 * row there, and adding it as cooperating skips the tasks it leads. Responsible units are left alone.
 */
export async function setTaskUnits(db: Db, actor: Actor, input: SetTaskUnitsInput) {
  return db.transaction(async (tx) => {
    const plan = await requirePlanInScope(tx, actor, input.planId);
    if (plan.status === "archived") throw invalid(`已归档的工作要点不能再修改任务的单位。${tail}`, "planId");
    const ids = input.tasks.map((t) => t.id);
    const rows = await tx.select().from(tasks).where(inArray(tasks.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const t of input.tasks) {
      const row = byId.get(t.id);
      if (!row || row.planId !== plan.id) {
        const what = row ? `任务 ${row.code}「${row.title}」` : `所选的任务(ID ${t.id})`;
        throw new DomainError("NOT_FOUND", `${what}不在这份工作要点中,可能已被删除。${tail}`, {
          details: { taskId: t.id },
        });
      }
      if (row.version !== t.version)
        throw conflict(`任务 ${row.code}「${row.title}」已被他人修改。${tail}`, { taskId: t.id });
    }
    const picked = await expandAssignments(tx, actor, {
      lead: input.lead ?? none,
      cooperating: input.cooperating?.units ?? none,
      responsible: none,
    });
    const leads = picked.filter((a) => a.role === "lead");
    const cooperating = picked.filter((a) => a.role === "cooperating");
    const { assignmentsByTask } = await loadTaskParts(tx, ids);

    for (const t of input.tasks) {
      const task = byId.get(t.id);
      if (!task) continue;
      const before = assignmentsByTask.get(t.id) ?? [];
      const keep = before.filter(
        (a) =>
          !(input.lead && a.role === "lead") &&
          !(input.cooperating?.mode === "replace" && a.role === "cooperating"),
      );
      const next = new Map<string, { unitId: number; role: AssignmentRole; viaGroupId: number | null }>(
        keep.map((a) => [`${a.role}:${a.unitId}`, a]),
      );
      for (const a of leads) next.set(`lead:${a.unitId}`, a);
      const leadIds = new Set([...next.values()].filter((a) => a.role === "lead").map((a) => a.unitId));
      for (const key of [...next.keys()])
        if (key.startsWith("cooperating:") && leadIds.has(Number(key.slice(12)))) next.delete(key);
      for (const a of cooperating) {
        const key = `cooperating:${a.unitId}`;
        if (!leadIds.has(a.unitId) && !next.has(key)) next.set(key, a);
      }
      const after = [...next.values()];
      await tx.delete(taskAssignments).where(eq(taskAssignments.taskId, t.id));
      if (after.length)
        await tx.insert(taskAssignments).values(
          after.map((a) => ({
            taskId: t.id,
            unitId: a.unitId,
            role: a.role,
            viaGroupId: a.viaGroupId,
            regionCode: task.regionCode,
          })),
        );
      const [updated] = await tx
        .update(tasks)
        .set({ updatedAt: new Date(), version: sql`${tasks.version} + 1` })
        .where(and(eq(tasks.id, t.id), eq(tasks.version, t.version)))
        .returning({ version: tasks.version });
      if (!updated)
        throw conflict(`任务 ${task.code}「${task.title}」已被他人修改。${tail}`, { taskId: t.id });
      await recordAudit(tx, actor, {
        action: "task.units",
        entityType: "task",
        entityId: t.id,
        before: { assignments: before },
        after: {
          assignments: after.map(({ unitId, role, viaGroupId }) => ({ unitId, role, viaGroupId })),
          version: updated.version,
        },
        regionCode: task.regionCode,
      });
    }
    return { taskIds: ids };
  });
}
