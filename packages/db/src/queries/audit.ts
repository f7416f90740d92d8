import { createHash } from "node:crypto";
import { and, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { auditLog } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { rawRows } from "./any.ts";

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

// ---------------------------------------------------------------- the hash chain

export type AuditChainProblem = {
  seq: number | null;
  id: number;
  /** changed: the row's fields no longer give its hash; link: it does not follow the row before;
   * gap: rows before it are missing; unsealed: a row that never joined the chain. */
  kind: "changed" | "link" | "gap" | "unsealed";
};

export type AuditChainReport = {
  rows: number;
  head: { seq: number; hash: string } | null;
  problems: AuditChainProblem[];
};

/**
 * Walks the audit log's hash chain in order and recomputes every row's hash here, in Node, from
 * the fields as stored (not with the database's own function, which whoever could change the rows
 * could change too). A removed row leaves a gap; a changed row no longer matches its hash; a row
 * inserted with the chain switched off is unsealed. Removing the newest rows is caught only by
 * comparing the head with one recorded earlier: the daily job logs the head for that.
 */
export async function verifyAuditChain(db: Db, pageSize = 5_000): Promise<AuditChainReport> {
  const problems: AuditChainProblem[] = [];
  let rows = 0;
  let prev: { seq: number; hash: string } | null = null;
  for (;;) {
    const list: ChainRow[] = await rawRows<ChainRow>(
      db,
      sql`
      select id::text as id, seq::text as seq, prev_hash, hash,
        to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
        actor_id::text as actor_id, action, entity_type, entity_id,
        before::text as before, after::text as after, region_code
      from audit_log where audit_log.seq > ${prev?.seq ?? 0} order by audit_log.seq limit ${pageSize}`,
    );
    for (const r of list) {
      rows++;
      const seq = Number(r.seq);
      const id = Number(r.id);
      const expectedSeq: number = (prev?.seq ?? 0) + 1;
      if (seq !== expectedSeq) problems.push({ seq, id, kind: "gap" });
      if ((r.prev_hash ?? null) !== (prev?.hash ?? null)) problems.push({ seq, id, kind: "link" });
      if (r.hash !== auditRowDigest(r.prev_hash, r)) problems.push({ seq, id, kind: "changed" });
      prev = { seq, hash: r.hash ?? "" };
    }
    if (list.length < pageSize) break;
  }
  const unsealed = await rawRows<{ id: string }>(
    db,
    sql`select id::text as id from audit_log where seq is null or hash is null order by id limit 1000`,
  );
  for (const r of unsealed) problems.push({ seq: null, id: Number(r.id), kind: "unsealed" });
  return { rows, head: prev, problems };
}

/** The chain's last row (position and hash), to be recorded outside the database. */
export async function auditChainHead(db: Db): Promise<{ seq: number; hash: string } | null> {
  const [row] = await db
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(isNotNull(auditLog.seq))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return row?.seq && row.hash ? { seq: row.seq, hash: row.hash } : null;
}

type ChainRow = {
  id: string;
  seq: string;
  prev_hash: string | null;
  hash: string | null;
  at: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  region_code: string | null;
};

/** The digest of migration 0012's `audit_log_digest`, computed independently. */
function auditRowDigest(prevHash: string | null, r: ChainRow): string {
  const fields = [
    prevHash ?? "-",
    r.seq,
    r.id,
    r.at,
    r.actor_id ?? "-",
    r.action,
    r.entity_type,
    r.entity_id,
    r.before ?? "-",
    r.after ?? "-",
    r.region_code ?? "-",
  ];
  return createHash("sha256").update(fields.join("\x1f"), "utf8").digest("hex");
}
