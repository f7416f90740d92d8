/**
 * Supervision down the levels (issue 17, item 5): an upper government's office sends a notice to the
 * office of a government below about a task of that government's plan which carries out one of the
 * upper office's own tasks (followed up the task links, through any levels between). The lower
 * office answers it, and chases its own units with its own notices; the upper office closes it.
 */
import { type IsoDate, invalid, type NoticeLevel, notFound, noticeLevelLabels } from "@gongkai/core";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { tasks } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { rawRows } from "./any.ts";
import { requirePlanInScope } from "./plans.ts";
import { replyDueOf, writeNotice } from "./supervision.ts";

/** The actor's own task that `taskId` carries out, through the task links up any number of levels. */
async function upperTaskOf(db: Db, taskId: number, officeUnitId: number) {
  const [row] = await rawRows<{ id: number; code: string; title: string }>(
    db,
    sql`with recursive up(task_id) as (
          select upper_task_id from task_links where task_id = ${taskId} and upper_task_id is not null
          union
          select tl.upper_task_id from up join task_links tl on tl.task_id = up.task_id
           where tl.upper_task_id is not null
        )
        select t.id, t.code, t.title from up
          join tasks t on t.id = up.task_id
          join plans p on p.id = t.plan_id
         where p.issuer_unit_id = ${officeUnitId}
         order by t.id limit 1`,
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
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, input.taskId));
    if (!task) throw notFound("任务");
    // Another branch of the tree, or a level above: not found, as for any plan out of scope.
    const plan = await requirePlanInScope(tx, actor, task.planId);
    if (plan.issuerUnitId === null || plan.issuerUnitId === actor.unitId)
      throw invalid("这是本级工作要点的任务,请直接督办承担单位。", "taskId");
    if (plan.status !== "published") throw invalid("只能对下级已发布工作要点中的任务督办。", "taskId");
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
