import { createHash, randomBytes } from "node:crypto";
import { invalid, notFound } from "@gongkai/core";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { apiTokens, units } from "../schema/index.ts";
import { type Actor, systemActor } from "./actor.ts";
import { recordAudit } from "./audit.ts";

export type ApiTokenScope = "read" | "write";

/** Who a token acts as: an office user of its government, on the issuing administrator's authority. */
export type ApiTokenIdentity = {
  id: number;
  name: string;
  scope: ApiTokenScope;
  unitId: number;
  unitPath: string;
  regionCode: string | null;
  createdBy: number;
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
/** Tokens look like `gk_` and 43 base64url characters (256 random bits). */
const tokenPattern = /^gk_[A-Za-z0-9_-]{43}$/;

/** The office actor a token's requests run as: its government's scope, read or write alike. */
export const apiTokenActor = (t: ApiTokenIdentity): Actor => ({
  userId: t.createdBy,
  role: "office",
  unitId: t.unitId,
  scopePath: t.unitPath,
});

/** Issues a token for a government. The token is returned once; only its sha256 is stored. */
export async function issueApiToken(
  db: Db,
  actor: Actor,
  input: { name: string; unitId: number; scope: ApiTokenScope },
) {
  const [unit] = await db
    .select({ id: units.id, kind: units.kind, name: units.name, regionCode: units.regionCode })
    .from(units)
    .where(eq(units.id, input.unitId));
  if (!unit) throw notFound("单位");
  if (unit.kind !== "government" && unit.kind !== "town")
    throw invalid("接口令牌应签发给一级政府(人民政府、乡镇/街道),请重新选择所属政府。", "unitId");
  const token = `gk_${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        prefix: token.slice(0, 11),
        tokenHash: sha256(token),
        unitId: unit.id,
        scope: input.scope,
        createdBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const { tokenHash: _, ...shown } = row;
    await recordAudit(tx, actor, {
      action: "apiToken.create",
      entityType: "apiToken",
      entityId: row.id,
      after: shown,
      regionCode: unit.regionCode,
    });
    return { ...shown, unitName: unit.name, token };
  });
}

/** Every token, newest first, with its government and issuer (never the token or its hash). */
export async function listApiTokens(db: Db) {
  const issuer = sql<string | null>`(select u.display_name from users u where u.id = ${apiTokens.createdBy})`;
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      unitId: apiTokens.unitId,
      unitName: units.name,
      scope: apiTokens.scope,
      createdBy: issuer,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      lastUsedIp: apiTokens.lastUsedIp,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(units, eq(units.id, apiTokens.unitId))
    .orderBy(desc(apiTokens.id));
}

/** Revokes a token: every later request with it is refused (401). Revoking twice changes nothing. */
export async function revokeApiToken(db: Db, actor: Actor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id));
    if (!before) throw notFound("接口令牌");
    if (before.revokedAt) return { id, revokedAt: before.revokedAt };
    await tx
      .update(apiTokens)
      .set({ revokedAt: now, revokedBy: actor.userId > 0 ? actor.userId : null })
      .where(eq(apiTokens.id, id));
    await recordAudit(tx, actor, {
      action: "apiToken.revoke",
      entityType: "apiToken",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: now },
    });
    return { id, revokedAt: now };
  });
}

export type ApiTokenUse =
  | { status: "ok"; token: ApiTokenIdentity; retryAfterSeconds: number | null }
  | { status: "unknown" }
  | { status: "revoked"; tokenId: number };

/**
 * One request with a token: finds it by its hash and, in the same statement, counts the request
 * in the token's current minute (a new minute starts the count again) and keeps when and from where
 * it was last used. `retryAfterSeconds` is set when the minute's count is past `perMinute`: the
 * request is refused until the minute ends. A revoked or unknown token counts nothing.
 */
export async function useApiToken(
  db: Db,
  token: string,
  opts: { now: Date; ip: string | null; perMinute: number },
): Promise<ApiTokenUse> {
  if (!tokenPattern.test(token)) return { status: "unknown" };
  const hash = sha256(token);
  const now = opts.now.toISOString();
  const fresh = sql`(${apiTokens.windowStart} is null or ${apiTokens.windowStart} <= ${now}::timestamptz - interval '1 minute')`;
  const [row] = await db
    .update(apiTokens)
    .set({
      windowStart: sql`case when ${fresh} then ${now}::timestamptz else ${apiTokens.windowStart} end`,
      windowCount: sql`case when ${fresh} then 1 else ${apiTokens.windowCount} + 1 end`,
      lastUsedAt: opts.now,
      lastUsedIp: opts.ip,
    })
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)))
    .returning({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      unitId: apiTokens.unitId,
      createdBy: apiTokens.createdBy,
      windowStart: apiTokens.windowStart,
      windowCount: apiTokens.windowCount,
    });
  if (!row) {
    const [revoked] = await db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, hash));
    return revoked ? { status: "revoked", tokenId: revoked.id } : { status: "unknown" };
  }
  const [unit] = await db
    .select({ path: units.path, regionCode: units.regionCode })
    .from(units)
    .where(eq(units.id, row.unitId));
  const windowEnds = (row.windowStart ?? opts.now).getTime() + 60_000;
  return {
    status: "ok",
    token: {
      id: row.id,
      name: row.name,
      scope: row.scope,
      unitId: row.unitId,
      unitPath: unit?.path ?? "/__none__/",
      regionCode: unit?.regionCode ?? null,
      createdBy: row.createdBy,
    },
    retryAfterSeconds:
      row.windowCount > opts.perMinute
        ? Math.max(1, Math.ceil((windowEnds - opts.now.getTime()) / 1000))
        : null,
  };
}

/**
 * Each use of a token goes to the audit log: which token, the request and its answer's status.
 * A refused revoked token is written too (a system still holding a withdrawn credential).
 */
export async function recordApiTokenUse(
  db: Db,
  use: { tokenId: number; actor: Actor | null; regionCode: string | null },
  request: { method: string; path: string; status: number; ip: string | null; operationId?: string | null },
) {
  await recordAudit(db, use.actor ?? systemActor, {
    action: request.status === 401 ? "apiToken.refused" : "apiToken.use",
    entityType: "apiToken",
    entityId: use.tokenId,
    after: request,
    regionCode: use.regionCode,
  });
}
