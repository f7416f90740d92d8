import {
  type IsoDate,
  invalid,
  localDate,
  type NoticeLevel,
  notFound,
  noticeLevelLabels,
  noticeStateLabels,
  type WorkingCalendar,
} from "@gongkai/core";
import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { jobRuns, plans, supervisionNotices, taskAssignments, tasks, units, users } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { loadCalendar } from "./calendar.ts";
import { notify } from "./notifications.ts";
import { buildDigests, enqueueWebhookEvent } from "./outbox.ts";
import { requirePlanInScope } from "./plans.ts";
import { assignmentLights, getOfficeSettings } from "./progress.ts";

export type NoticeRow = typeof supervisionNotices.$inferSelect;

const nextLevel: Record<NoticeLevel, NoticeLevel | null> = {
  remind: "supervise",
  supervise: "bulletin",
  bulletin: null,
};

/** 督办: the office issues a notice to a unit assigned to a task in its scope. */
export async function issueNotice(
  db: Db,
  actor: Actor,
  input: {
    taskId: number;
    unitId: number;
    level: NoticeLevel;
    content: string;
    replyDueDate?: IsoDate | null | undefined;
  },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { task, plan } = await noticeTask(tx, actor, input.taskId);
    const [assigned] = await tx
      .select({ id: taskAssignments.id })
      .from(taskAssignments)
      .where(and(eq(taskAssignments.taskId, task.id), eq(taskAssignments.unitId, input.unitId)));
    if (!assigned) throw invalid("该单位没有承担这项任务,不能对其督办。", "unitId");
    const replyDueDate = await replyDueOf(tx, plan.issuerUnitId, input.replyDueDate, now);
    return writeNotice(
      tx,
      actor,
      {
        taskId: task.id,
        unitId: input.unitId,
        level: input.level,
        content: input.content,
        replyDueDate,
        regionCode: task.regionCode,
      },
      {
        title: `【${noticeLevelLabels[input.level]}】${task.title}`,
        body: `${input.content}(请于 ${replyDueDate} 前回复)`,
        link: () => `/my-tasks?task=${task.id}`,
      },
      { action: "notice.issue" },
      now,
    );
  });
}

/** The task a notice is about, with its plan: in the actor's scope (else not found), published. */
export async function noticeTask(db: Db, actor: Actor, taskId: number) {
  const [task] = await db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!task) throw notFound("任务");
  const plan = await requirePlanInScope(db, actor, task.planId);
  if (plan.status !== "published") throw invalid("只能对已发布工作要点中的任务督办。", "taskId");
  return { task, plan };
}

/** The reply date asked for, or the office's default working days from today; never past. */
export async function replyDueOf(
  db: Db,
  officeUnitId: number | null,
  asked: IsoDate | null | undefined,
  now: Date,
) {
  const today = localDate(now);
  const settings = await getOfficeSettings(db, officeUnitId);
  const due = asked ?? (await loadCalendar(db)).addWorkingDays(today, settings.noticeReplyWorkingDays);
  if (due < today) throw invalid("回复期限不能早于今天。", "replyDueDate");
  return due;
}

/** A notice written, with its message to the addressee and its audit row, in the caller's transaction. */
export async function writeNotice(
  tx: Db,
  actor: Actor,
  row: Pick<
    typeof supervisionNotices.$inferInsert,
    "taskId" | "unitId" | "toOffice" | "level" | "content" | "replyDueDate" | "regionCode"
  >,
  message: { title: string; body: string; link: (noticeId: number) => string },
  audit: { action: string; extra?: Record<string, unknown> },
  now: Date,
) {
  const [notice] = await tx
    .insert(supervisionNotices)
    .values({ ...row, issuedBy: actor.userId, issuedAt: now })
    .returning();
  if (!notice) throw new Error("insert returned nothing");
  await notify(
    tx,
    {
      unitId: row.unitId,
      kind: "notice.issued",
      title: message.title,
      body: message.body,
      link: message.link(notice.id),
    },
    now,
  );
  await recordAudit(tx, actor, {
    action: audit.action,
    entityType: "notice",
    entityId: notice.id,
    after: { ...notice, ...audit.extra },
    regionCode: notice.regionCode,
  });
  return notice;
}

const noticeColumns = {
  id: supervisionNotices.id,
  taskId: supervisionNotices.taskId,
  taskCode: tasks.code,
  taskTitle: tasks.title,
  planId: tasks.planId,
  unitId: supervisionNotices.unitId,
  unitName: units.name,
  level: supervisionNotices.level,
  content: supervisionNotices.content,
  replyDueDate: supervisionNotices.replyDueDate,
  state: supervisionNotices.state,
  issuedAt: supervisionNotices.issuedAt,
  issuedBy: users.displayName,
  reply: supervisionNotices.reply,
  repliedAt: supervisionNotices.repliedAt,
  parentNoticeId: supervisionNotices.parentNoticeId,
  toOffice: supervisionNotices.toOffice,
  version: supervisionNotices.version,
};

/** Notices in the office's scope (or of one plan), newest first. */
export async function listNotices(
  db: Db,
  actor: Actor,
  params: {
    planId?: number | undefined;
    unitId?: number | undefined;
    state?: NoticeRow["state"] | undefined;
    limit: number;
  },
) {
  return db
    .select(noticeColumns)
    .from(supervisionNotices)
    .innerJoin(tasks, eq(tasks.id, supervisionNotices.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, supervisionNotices.unitId))
    .leftJoin(users, eq(users.id, supervisionNotices.issuedBy))
    .where(
      and(
        params.planId ? eq(plans.id, params.planId) : undefined,
        params.unitId ? eq(supervisionNotices.unitId, params.unitId) : undefined,
        params.state ? eq(supervisionNotices.state, params.state) : undefined,
        actor.scopePath
          ? sql`exists (select 1 from ${units} issuer where issuer.id = ${plans.issuerUnitId} and issuer.path like ${`${actor.scopePath}%`})`
          : undefined,
      ),
    )
    .orderBy(desc(supervisionNotices.issuedAt), desc(supervisionNotices.id))
    .limit(params.limit);
}

/** A unit's own notices. */
export async function listUnitNotices(db: Db, unitId: number) {
  return db
    .select(noticeColumns)
    .from(supervisionNotices)
    .innerJoin(tasks, eq(tasks.id, supervisionNotices.taskId))
    .innerJoin(units, eq(units.id, supervisionNotices.unitId))
    .leftJoin(users, eq(users.id, supervisionNotices.issuedBy))
    .where(and(eq(supervisionNotices.unitId, unitId), eq(supervisionNotices.toOffice, false)))
    .orderBy(desc(supervisionNotices.issuedAt));
}

/**
 * The unit answers a notice addressed to it; or, `toOffice`, a government's office answers a notice
 * its upper office sent down to it.
 */
export async function replyNotice(
  db: Db,
  actor: Actor,
  unitId: number,
  input: { id: number; reply: string },
  now: Date,
  toOffice = false,
) {
  return db.transaction(async (tx) => {
    const [notice] = await tx
      .select()
      .from(supervisionNotices)
      .where(
        and(
          eq(supervisionNotices.id, input.id),
          eq(supervisionNotices.unitId, unitId),
          eq(supervisionNotices.toOffice, toOffice),
        ),
      );
    if (!notice) throw notFound("督办通知");
    if (notice.state !== "open") throw invalid(`这份通知${noticeStateLabels[notice.state]},无需回复。`, "id");
    const [updated] = await tx
      .update(supervisionNotices)
      .set({
        reply: input.reply,
        repliedAt: now,
        repliedBy: actor.userId,
        state: "replied",
        updatedAt: now,
        version: sql`${supervisionNotices.version} + 1`,
      })
      .where(and(eq(supervisionNotices.id, notice.id), eq(supervisionNotices.state, "open")))
      .returning();
    if (!updated) throw invalid("这份通知刚刚已被处理,请刷新。", "id");
    if (notice.issuedBy) {
      await notify(
        tx,
        {
          userId: notice.issuedBy,
          kind: "notice.replied",
          title: `督办回复:${updated.reply?.slice(0, 30) ?? ""}`,
          link: `/supervision?notice=${notice.id}`,
        },
        now,
      );
    }
    await recordAudit(tx, actor, {
      action: "notice.reply",
      entityType: "notice",
      entityId: notice.id,
      before: { state: notice.state },
      after: { state: "replied", reply: input.reply },
      regionCode: notice.regionCode,
    });
    return updated;
  });
}

/** The office closes a notice (办结). */
export async function closeNotice(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const [notice] = await tx.select().from(supervisionNotices).where(eq(supervisionNotices.id, id));
    if (!notice) throw notFound("督办通知");
    const [task] = await tx.select({ planId: tasks.planId }).from(tasks).where(eq(tasks.id, notice.taskId));
    await requirePlanInScope(tx, actor, task?.planId ?? -1);
    if (notice.toOffice && notice.unitId === actor.unitId)
      throw invalid("上级督办的通知由上级办结;请回复这份通知。", "id");
    if (notice.state === "closed") return notice;
    const [updated] = await tx
      .update(supervisionNotices)
      .set({ state: "closed", updatedAt: now, version: sql`${supervisionNotices.version} + 1` })
      .where(eq(supervisionNotices.id, id))
      .returning();
    await recordAudit(tx, actor, {
      action: "notice.close",
      entityType: "notice",
      entityId: id,
      before: { state: notice.state },
      after: { state: "closed" },
      regionCode: notice.regionCode,
    });
    return updated;
  });
}

// ---------------------------------------------------------------- the daily job

/** How long a started, unfinished run holds its day before another process may take it over. */
export const JOB_LEASE_MS = 30 * 60_000;

/**
 * Claims a job's run for a day. The primary key (job, run_date) lets exactly one process win,
 * however many API processes call this at once. A run that started and never finished (its
 * process died part-way) is taken over once its lease has passed; a finished day is never run again.
 */
export async function claimJobRun(db: Db, job: string, runDate: IsoDate, now: Date): Promise<boolean> {
  const rows = await db
    .insert(jobRuns)
    .values({ job, runDate, startedAt: now })
    .onConflictDoUpdate({
      target: [jobRuns.job, jobRuns.runDate],
      set: { startedAt: now, finishedAt: null, result: null },
      setWhere: sql`${jobRuns.finishedAt} is null and ${jobRuns.startedAt} < ${new Date(now.getTime() - JOB_LEASE_MS).toISOString()}::timestamptz`,
    })
    .returning({ job: jobRuns.job });
  return rows.length === 1;
}

/** Gives a day back after a failed run, so the next tick runs it again. */
export async function releaseJobRun(db: Db, job: string, runDate: IsoDate) {
  await db
    .delete(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.runDate, runDate), sql`${jobRuns.finishedAt} is null`));
}

export async function finishJobRun(db: Db, job: string, runDate: IsoDate, result: unknown, now: Date) {
  await db
    .update(jobRuns)
    .set({ finishedAt: now, result })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.runDate, runDate)));
}

/** Escalate unanswered notices past their reply date: 提醒 → 督办 → 通报. */
export async function escalateNotices(db: Db, today: IsoDate, calendar: WorkingCalendar, now: Date) {
  const due = await db
    .select()
    .from(supervisionNotices)
    .where(and(eq(supervisionNotices.state, "open"), lt(supervisionNotices.replyDueDate, today)))
    .orderBy(asc(supervisionNotices.id));
  let escalated = 0;
  for (const notice of due) {
    const level = nextLevel[notice.level];
    if (!level) continue; // 通报 is the last step: it stays open for the office to act on
    await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(supervisionNotices)
        .set({ state: "escalated", updatedAt: now, version: sql`${supervisionNotices.version} + 1` })
        .where(and(eq(supervisionNotices.id, notice.id), eq(supervisionNotices.state, "open")))
        .returning();
      if (!updated) return;
      const [next] = await tx
        .insert(supervisionNotices)
        .values({
          taskId: notice.taskId,
          unitId: notice.unitId,
          toOffice: notice.toOffice,
          level,
          content: `逾期未回复${noticeLevelLabels[notice.level]}(${notice.replyDueDate} 到期),升级为${noticeLevelLabels[level]}:${notice.content}`,
          replyDueDate: calendar.addWorkingDays(today, 3),
          issuedBy: notice.issuedBy,
          issuedAt: now,
          parentNoticeId: notice.id,
          regionCode: notice.regionCode,
        })
        .returning();
      await notify(
        tx,
        {
          unitId: notice.unitId,
          kind: "notice.escalated",
          title: `【${noticeLevelLabels[level]}】逾期未回复的通知已升级`,
          body: next?.content ?? "",
          link: notice.toOffice ? `/supervision?notice=${next?.id}` : `/my-tasks?task=${notice.taskId}`,
        },
        now,
      );
      await recordAudit(
        tx,
        { userId: 0, role: "admin", unitId: null, scopePath: null },
        { action: "notice.escalate", entityType: "notice", entityId: notice.id, before: notice, after: next },
      );
      escalated++;
    });
  }
  return escalated;
}

/**
 * Reminders before due dates and on overdue, for every published plan. Each reminder has a
 * dedupe key (task, unit, due date, kind), so it is written once however often this runs; with it,
 * in the same transaction, go its messages by email, SMS and group robot, and for an overdue task
 * the office's `task.overdue` webhooks, to the outbox (delivered by the outbox worker, so a
 * channel that is down delays them and stops nothing here).
 */
export async function sendDueReminders(db: Db, today: IsoDate, calendar: WorkingCalendar, now: Date) {
  const published = await db
    .select({ id: plans.id, issuerUnitId: plans.issuerUnitId, year: plans.year })
    .from(plans)
    .where(eq(plans.status, "published"));
  let sent = 0;
  for (const plan of published) {
    const settings = await getOfficeSettings(db, plan.issuerUnitId);
    const rows = await assignmentLights(
      db,
      { planIds: [plan.id] },
      { today, calendar, dueSoonWorkingDays: settings.remindBeforeWorkingDays },
    );
    for (const r of rows) {
      if (r.role === "cooperating" || !r.dueDate || (r.light !== "dueSoon" && r.light !== "overdue"))
        continue;
      const overdue = r.light === "overdue";
      const written = await db.transaction(async (tx) => {
        const row = await notify(
          tx,
          {
            unitId: r.unitId,
            kind: overdue ? "task.overdue" : "task.dueSoon",
            title: overdue ? `任务已逾期:${r.title}` : `任务即将到期:${r.title}`,
            body: r.reason,
            link: `/my-tasks?task=${r.taskId}`,
            dedupeKey: `${overdue ? "overdue" : "dueSoon"}:${r.taskId}:${r.unitId}:${r.dueDate}`,
          },
          now,
        );
        if (row && overdue && plan.issuerUnitId)
          await enqueueWebhookEvent(tx, {
            event: "task.overdue",
            planId: plan.id,
            ownerUnitId: plan.issuerUnitId,
            data: {
              planId: plan.id,
              taskId: r.taskId,
              taskCode: r.code,
              taskTitle: r.title,
              unitId: r.unitId,
              unitName: r.unitName,
              role: r.role,
              dueDate: r.dueDate,
            },
            now,
          });
        return row !== null;
      });
      if (written) sent++;
    }
  }
  return { sent };
}

/**
 * The day's job: reminders and escalations, once a day across processes. The day counts as done
 * only when all of it is (its finish time is when it finished, by `clock`); a failure part-way
 * gives the day back so the next tick runs it again (reminders and escalations are each written
 * once, so running part of a day again repeats nothing). Returns null when another process has the day.
 */
export async function runDailyJobs(db: Db, now: Date, clock: () => Date = () => new Date()) {
  const today = localDate(now);
  if (!(await claimJobRun(db, "daily", today, now))) return null;
  try {
    const calendar = await loadCalendar(db);
    const { sent: reminders } = await sendDueReminders(db, today, calendar, now);
    const escalated = await escalateNotices(db, today, calendar, now);
    // Last, so the digest carries the day's reminders and escalations with the rest.
    const digests = await buildDigests(db, now);
    const result = { reminders, escalated, digests };
    await finishJobRun(db, "daily", today, result, clock());
    return result;
  } catch (e) {
    await releaseJobRun(db, "daily", today).catch(() => {});
    throw e;
  }
}
