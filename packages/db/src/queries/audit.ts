import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../client.ts";
import { auditLog } from "../schema/index.ts";
import type { Actor } from "./actor.ts";

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  regionCode?: string | null;
};

/** Append rows to the audit log, in the caller's transaction. */
export async function recordAudit(db: Db, actor: Actor, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(
    entries.map((e) => ({
      actorId: actor.userId > 0 ? actor.userId : null,
      action: e.action,
      entityType: e.entityType,
      entityId: String(e.entityId),
      before: e.before === undefined ? null : toJson(e.before),
      after: e.after === undefined ? null : toJson(e.after),
      regionCode: e.regionCode ?? null,
    })),
  );
}

/** Dates become ISO strings; drop fields that are noise in a diff. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}

export async function listAudit(
  db: Db,
  params: { entityType?: string; entityId?: string; beforeId?: number; limit: number },
) {
  const conditions = [
    params.entityType ? eq(auditLog.entityType, params.entityType) : undefined,
    params.entityId ? eq(auditLog.entityId, params.entityId) : undefined,
    params.beforeId ? lt(auditLog.id, params.beforeId) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(params.limit);
}
