/**
 * Supervision down the levels (issue 17, item 5): an upper government's office sends a notice to the
 * office of a government below about a task of that government's plan which carries out one of the
 * upper office's own tasks (followed up the task links, through any levels between). The lower
 * office answers it, and chases its own units with its own notices; the upper office closes it.
 */
import { type IsoDate, invalid, type NoticeLevel, noticeLevelLabels } from "@gongkai/core";
import { sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import type { Actor } from "./actor.ts";
import { rawRows } from "./any.ts";
import { noticeTask, replyDueOf, writeNotice } from "./supervision.ts";

/**
 * The nearest of the office's own tasks that `taskId` carries out, read from the task's kept chain
 * of upper tasks (migration 0022: followed up the links through published plans).
 */
async function upperTaskOf(db: Db, taskId: number, officeUnitId: number) {
  const [row] = await rawRows<{ id: number; code: string; title: string }>(
    db,
    sql`select up.id, up.code, up.title
          from tasks t
          cross join lateral unnest(t.upper_task_ids, t.upper_plan_ids) with ordinality c(task_id, plan_id, n)
          join plans p on p.id = c.plan_id and p.issuer_unit_id = ${officeUnitId}
          join tasks up on up.id = c.task_id
         where t.id = ${taskId}
         order by c.n limit 1`,
  );
  return row ?? null;
}

export async function issueNoticeDown(
  db: Db,
  actor: Actor,
  input: { taskId: number; level: NoticeLevel; content: string; replyDueDate?: IsoDate | null | undefined },
  now: Date,
) {
  return db.transaction(async (tx) => {
    if (actor.unitId === null)
      throw invalid("系统管理员账号没有所属政府,请用上级政务公开办账号督办下级。", "taskId");
    // Another branch of the tree, or a level above: not found, as for any plan out of scope.
    const { task, plan } = await noticeTask(tx, actor, input.taskId);
    if (plan.issuerUnitId === null || plan.issuerUnitId === actor.unitId)
      throw invalid("这是本级工作要点的任务,请直接督办承担单位。", "taskId");
    const upper = await upperTaskOf(tx, task.id, actor.unitId);
    if (!upper)
      throw invalid(
        "这项任务没有对标本级工作要点中的任务,不能跨级督办;请先由下级在「上下级对标」中关联。",
        "taskId",
      );
    const replyDueDate = await replyDueOf(tx, actor.unitId, input.replyDueDate, now);
    return writeNotice(
      tx,
      actor,
      {
        taskId: task.id,
        unitId: plan.issuerUnitId,
        toOffice: true,
        level: input.level,
        content: input.content,
        replyDueDate,
        regionCode: task.regionCode,
      },
      {
        title: `【上级${noticeLevelLabels[input.level]}】${task.title}`,
        body: `${input.content}(对标上级任务 ${upper.code} ${upper.title};请于 ${replyDueDate} 前回复)`,
        link: (id) => `/supervision?notice=${id}`,
      },
      { action: "notice.issueDown", extra: { upperTaskId: upper.id } },
      now,
    );
  });
}
