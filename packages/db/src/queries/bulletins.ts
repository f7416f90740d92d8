import { type BulletinFigures, bulletinFigures, type IsoDate, notFound } from "@gongkai/core";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { bulletins, units } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { loadCalendar } from "./calendar.ts";
import { requirePlanInScope } from "./plans.ts";
import { assignmentLights, getOfficeSettings, openNoticeCounts, returnedReports } from "./progress.ts";

/** The figures of a bulletin for a plan as of a day (approvals after that day do not count). */
export async function previewBulletin(db: Db, actor: Actor, input: { planId: number; asOf: IsoDate }) {
  const plan = await requirePlanInScope(db, actor, input.planId);
  const settings = await getOfficeSettings(db, plan.issuerUnitId);
  const rows = await assignmentLights(
    db,
    { planIds: [plan.id] },
    { today: input.asOf, calendar: await loadCalendar(db), dueSoonWorkingDays: settings.dueSoonWorkingDays },
  );
  const returned = await returnedReports(db, plan.id, input.asOf);
  const notices = new Map((await openNoticeCounts(db, plan.id)).map((r) => [r.unitId, r.n]));
  return bulletinFigures(input.asOf, rows, returned, notices);
}

export async function createBulletin(
  db: Db,
  actor: Actor,
  input: { planId: number; asOf: IsoDate; title?: string | null | undefined },
) {
  return db.transaction(async (tx) => {
    const plan = await requirePlanInScope(tx, actor, input.planId);
    const figures = await previewBulletin(tx, actor, input);
    const title = input.title?.trim() || `关于${plan.year}年政务公开工作要点落实情况的通报`;
    const [row] = await tx
      .insert(bulletins)
      .values({ planId: plan.id, asOf: input.asOf, title, figures, createdBy: actor.userId, published: true })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, actor, {
      action: "bulletin.create",
      entityType: "bulletin",
      entityId: row.id,
      after: { planId: plan.id, asOf: input.asOf, title, totals: figures.totals },
      regionCode: plan.regionCode,
    });
    return row;
  });
}

export async function listBulletins(db: Db, actor: Actor, planId: number) {
  await requirePlanInScope(db, actor, planId);
  return db
    .select({
      id: bulletins.id,
      asOf: bulletins.asOf,
      title: bulletins.title,
      createdAt: bulletins.createdAt,
    })
    .from(bulletins)
    .where(eq(bulletins.planId, planId))
    .orderBy(desc(bulletins.asOf), desc(bulletins.id));
}

/** A stored bulletin's figures and heading, to write its .docx or .xlsx. */
export async function getBulletinFiles(db: Db, actor: Actor, id: number) {
  const [row] = await db
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.id, id)));
  if (!row) throw notFound("通报");
  const plan = await requirePlanInScope(db, actor, row.planId);
  const [issuer] = plan.issuerUnitId
    ? await db.select({ name: units.name }).from(units).where(eq(units.id, plan.issuerUnitId))
    : [];
  return {
    meta: { title: row.title, planTitle: plan.title, issuer: issuer?.name ?? null, asOf: row.asOf },
    figures: row.figures as BulletinFigures,
  };
}
