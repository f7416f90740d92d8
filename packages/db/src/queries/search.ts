import { and, asc, desc, eq, inArray, like, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { plans } from "../schema/plans.ts";
import { progressReports } from "../schema/reports.ts";
import { taskAssignments, tasks } from "../schema/tasks.ts";
import { units } from "../schema/units.ts";
import type { Actor } from "./actor.ts";

/**
 * The header's search box: tasks (code, title), units (name) and progress reports (what the unit
 * wrote) matching the text anywhere, as far as the actor may see them, the same rules as the lists
 * they come from:
 * - a unit: tasks of published or archived plans it has a role on, and its own reports (drafts
 *   included); never the directory (it has no page of units);
 * - the office: everything of the plans its government or a unit under it issued (drafts
 *   included), the units under it, and the reports of those plans once submitted;
 * - the administrator (no scope): everything.
 * Matching is `ILIKE '%text%'` (pg_trgm's GIN indexes serve it from 3 characters; Chinese has no
 * word boundaries, so a 2-character word such as 公开 must match too, and does, by a scan).
 */
export const searchLimit = 10;

/** `%`, `_` and `\` in what someone typed match themselves, not any text. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Up to `radius` characters either side of the first match, with … where text was cut. */
export function snippet(text: string, q: string, radius = 24): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const at = flat.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) return flat.slice(0, radius * 2) + (flat.length > radius * 2 ? "…" : "");
  const start = Math.max(0, at - radius);
  const end = Math.min(flat.length, at + q.length + radius);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}

/** The plan's issuer lies in the office's scope (as the plan, queue and notice lists have it). */
const issuedInScope = (scopePath: string) =>
  sql`exists (select 1 from ${units} issuer where issuer.id = ${plans.issuerUnitId}
      and issuer.path like ${`${scopePath}%`})`;

export async function search(db: Db, actor: Actor, params: { q: string }) {
  const pattern = likePattern(params.q);
  const asUnit = actor.role === "unit";
  // A unit account always has its unit (the API's middleware); a unit without one sees nothing.
  const unitId = asUnit ? (actor.unitId ?? -1) : null;

  const taskScope: SQL | undefined =
    unitId !== null
      ? and(
          inArray(plans.status, ["published", "archived"]),
          sql`exists (select 1 from ${taskAssignments} where ${taskAssignments.taskId} = ${tasks.id}
              and ${taskAssignments.unitId} = ${unitId})`,
        )
      : actor.scopePath
        ? issuedInScope(actor.scopePath)
        : undefined;
  const reportScope: SQL | undefined =
    unitId !== null
      ? eq(progressReports.unitId, unitId)
      : and(ne(progressReports.state, "draft"), actor.scopePath ? issuedInScope(actor.scopePath) : undefined);

  const [taskRows, unitRows, reportRows] = await Promise.all([
    db
      .select({
        id: tasks.id,
        code: tasks.code,
        title: tasks.title,
        planId: plans.id,
        planTitle: plans.title,
        year: plans.year,
      })
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(and(or(sql`${tasks.code} ilike ${pattern}`, sql`${tasks.title} ilike ${pattern}`), taskScope))
      // A code typed in full (12) before codes holding it (112); the latest plans first.
      .orderBy(
        sql`${tasks.code} = ${params.q} desc`,
        desc(plans.year),
        desc(plans.id),
        asc(tasks.sortOrder),
        asc(tasks.id),
      )
      .limit(searchLimit),
    unitId !== null
      ? Promise.resolve([])
      : db
          .select({ id: units.id, name: units.name, kind: units.kind })
          .from(units)
          .where(
            and(
              sql`${units.name} ilike ${pattern}`,
              actor.scopePath ? like(units.path, `${actor.scopePath}%`) : undefined,
            ),
          )
          // The shortest names (the closest matches) first, then the directory's order.
          .orderBy(sql`length(${units.name})`, asc(units.path))
          .limit(searchLimit),
    db
      .select({
        id: progressReports.id,
        taskId: tasks.id,
        code: tasks.code,
        title: tasks.title,
        unitName: units.name,
        period: progressReports.period,
        state: progressReports.state,
        summary: progressReports.summary,
      })
      .from(progressReports)
      .innerJoin(tasks, eq(tasks.id, progressReports.taskId))
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .innerJoin(units, eq(units.id, progressReports.unitId))
      .where(and(sql`${progressReports.summary} ilike ${pattern}`, reportScope))
      .orderBy(desc(progressReports.updatedAt), desc(progressReports.id))
      .limit(searchLimit),
  ]);

  return {
    tasks: taskRows,
    units: unitRows,
    reports: reportRows.map(({ summary, ...r }) => ({ ...r, snippet: snippet(summary, params.q) })),
  };
}
