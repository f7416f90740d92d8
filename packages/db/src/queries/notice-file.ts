import { localDate, notFound } from "@gongkai/core";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { plans, supervisionNotices, tasks, units } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { loadTaskParts } from "./plans.ts";
import { inScope } from "./units.ts";

/**
 * What a printed 督办通知单 says (see writeNoticeDocx in @gongkai/files): the notice with its task,
 * unit and issuing office, and its 文号. Notices carry no number of their own: the 文号 is the
 * issuing office's short name + 督 + the year it was issued + its place among that office's
 * notices of that year (徐泾镇督〔2026〕3号), the same on every download.
 *
 * The office sees the notices of plans in its scope; a unit only its own (`unitId`).
 */
export async function getNoticeFile(db: Db, actor: Actor, id: number, unitId: number | null) {
  const [row] = await db
    .select({
      notice: supervisionNotices,
      taskCode: tasks.code,
      taskTitle: tasks.title,
      planTitle: plans.title,
      planDocNumber: plans.docNumber,
      issuerUnitId: plans.issuerUnitId,
      unitName: units.name,
    })
    .from(supervisionNotices)
    .innerJoin(tasks, eq(tasks.id, supervisionNotices.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .innerJoin(units, eq(units.id, supervisionNotices.unitId))
    .where(eq(supervisionNotices.id, id));
  if (!row) throw notFound("督办通知");
  const [issuer] = row.issuerUnitId
    ? await db.select().from(units).where(eq(units.id, row.issuerUnitId))
    : [];
  if (unitId !== null ? row.notice.unitId !== unitId : !inScope(actor.scopePath, issuer?.path ?? ""))
    throw notFound("督办通知");
  const issuedOn = localDate(row.notice.issuedAt);
  const year = Number(issuedOn.slice(0, 4));
  const [seq] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(supervisionNotices)
    .innerJoin(tasks, eq(tasks.id, supervisionNotices.taskId))
    .innerJoin(plans, eq(plans.id, tasks.planId))
    .where(
      and(
        row.issuerUnitId ? eq(plans.issuerUnitId, row.issuerUnitId) : sql`${plans.issuerUnitId} is null`,
        sql`extract(year from ${supervisionNotices.issuedAt} at time zone 'Asia/Shanghai') = ${year}`,
        sql`${supervisionNotices.id} <= ${id}`,
      ),
    );
  const issuerName = issuer?.name ?? "政务公开办公室";
  // 机关代字: as the office numbers its plan (徐府〔2023〕32号 → 徐府), else its name without 人民政府.
  const short =
    /^(.+?)〔/.exec(row.planDocNumber ?? "")?.[1] ??
    (issuerName.endsWith("人民政府") ? issuerName.slice(0, -4) : (issuer?.shortName ?? issuerName));
  const { deadlinesByTask } = await loadTaskParts(db, [row.notice.taskId]);
  return {
    docNumber: `${short}督〔${year}〕${seq?.n ?? 1}号`,
    level: row.notice.level,
    issuer: issuerName,
    unitName: row.unitName,
    planTitle: row.planTitle,
    tasks: [
      {
        code: row.taskCode,
        title: row.taskTitle,
        deadlines: (deadlinesByTask.get(row.notice.taskId) ?? []).map((d) => ({
          phrase: d.phrase,
          dueDate: d.dueDate,
        })),
      },
    ],
    content: row.notice.content,
    replyDueDate: row.notice.replyDueDate,
    issuedOn,
  };
}
