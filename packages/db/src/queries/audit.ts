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
   * gap: rows before it are missing; unsealed: a row the sealing left out (its function replaced). */
  kind: "changed" | "link" | "gap" | "unsealed";
};

export type AuditChainReport = {
  rows: number;
  head: { seq: number; hash: string } | null;
  problems: AuditChainProblem[];
};

/**
 * Seals the committed rows not yet in the chain (migration 0014's `audit_log_seal_pending`), in
 * batches, and returns how many. Without `wait` it gives way at once to another session sealing
 * (the API's sealer in every process calls it each second; one of them does the work); with
 * `wait` it waits for that session, so every row committed before the call is sealed after it.
 */
export async function sealAuditLog(db: Db, opts: { wait?: boolean; batch?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 5_000;
  let total = 0;
  for (;;) {
    const [row] = await rawRows<{ n: number }>(
      db,
      sql`select audit_log_seal_pending(${batch}::int, ${opts.wait ?? false}::boolean) as n`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < batch) return total;
  }
}

/**
 * Seals the audit log about every `intervalMs` (1 s) until stopped; a failure (the database down)
 * is logged and tried again on the next tick. Rows wait for their seal that long: the chain is
 * written beside the writes, not in their commits, so audited writes do not commit one at a time.
 */
export function startAuditSealer(db: Db, intervalMs = 1_000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let failing = false;
  const timer = setInterval(() => {
    running = running.then(() =>
      sealAuditLog(db).then(
        () => {
          if (failing) console.log("[audit] sealing again");
          failing = false;
        },
        (e: unknown) => {
          if (!failing) console.error("[audit] sealing the audit log failed (tried again each second):", e);
          failing = true;
        },
      ),
    );
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    // What was written last is sealed before the process goes.
    await sealAuditLog(db).catch(() => {});
  };
}

/**
 * Walks the audit log's hash chain in order and recomputes every row's hash here, in Node, from
 * the fields as stored (not with the database's own function, which whoever could change the rows
 * could change too). A removed row leaves a gap; a changed row no longer matches its hash, as does
 * one slipped in with a place in the chain made up; a row the sealing left out (its function
 * replaced) is unsealed. Removing the newest rows is caught only by
 * comparing the head with one recorded earlier: the daily job logs the head for that.
 */
export async function verifyAuditChain(db: Db, pageSize = 5_000): Promise<AuditChainReport> {
  // Rows committed and not yet sealed join the chain first: what is checked is all that was written.
  await sealAuditLog(db, { wait: true });
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
