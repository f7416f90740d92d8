import { createHash, randomBytes } from "node:crypto";
import { conflict, invalid, notFound, type Role } from "@gongkai/core";
import { hash, verify } from "@node-rs/argon2";
import { and, asc, eq, gt, like, lt, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { sessions, signInThrottle, units, users } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { prepared } from "./prepared.ts";

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes). */
const argonOptions = {
  algorithm: 2 /* Argon2id */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const hashPassword = (password: string) => hash(password, argonOptions);

/** A hash to verify against when the user does not exist, so both paths take the same time. */
let dummyHash: Promise<string> | undefined;

export type SessionUser = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unitName: string | null;
  /** Path of the user's unit: an office user's scope. */
  unitPath: string | null;
};

export const sessionTtlMs = 12 * 60 * 60 * 1000;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export type UserInput = {
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  password?: string;
  active?: boolean;
};

function checkRoleUnit(role: Role, unitId: number | null) {
  if ((role === "unit" || role === "office") && unitId === null) {
    throw invalid(
      role === "unit" ? "单位账号必须选择所属单位。" : "政务公开办账号必须选择所在的本级政府。",
      "unitId",
    );
  }
}

export async function createUser(db: Db, actor: Actor, input: UserInput & { password: string }) {
  checkRoleUnit(input.role, input.unitId);
  return db.transaction(async (tx) => {
    const passwordHash = await hashPassword(input.password);
    const [user] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        unitId: input.unitId,
        passwordHash,
        active: input.active ?? true,
      })
      .onConflictDoNothing()
      .returning();
    if (!user) throw conflict(`用户名「${input.username}」已被使用,请换一个。`);
    const { passwordHash: _, ...after } = user;
    await recordAudit(tx, actor, { action: "user.create", entityType: "user", entityId: user.id, after });
    return after;
  });
}

export async function updateUser(db: Db, actor: Actor, id: number, input: UserInput) {
  checkRoleUnit(input.role, input.unitId);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id));
    if (!before) throw notFound("用户");
    if (before.id === actor.userId && (input.role !== before.role || input.active === false)) {
      throw invalid("不能修改自己的角色或停用自己的账号,请让另一位管理员操作。", "role");
    }
    const [dup] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.username, input.username), sql`${users.id} <> ${id}`));
    if (dup) throw conflict(`用户名「${input.username}」已被使用,请换一个。`);
    const [user] = await tx
      .update(users)
      .set({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        unitId: input.unitId,
        active: input.active ?? before.active,
        ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning();
    if (!user) throw notFound("用户");
    // A changed password, role or unit ends the user's sessions.
    if (
      input.password ||
      input.role !== before.role ||
      input.unitId !== before.unitId ||
      user.active === false
    ) {
      await tx.delete(sessions).where(eq(sessions.userId, id));
    }
    const strip = ({ passwordHash: _, ...u }: typeof user) => u;
    await recordAudit(tx, actor, {
      action: "user.update",
      entityType: "user",
      entityId: id,
      before: strip(before),
      after: { ...strip(user), passwordChanged: Boolean(input.password) },
    });
    return strip(user);
  });
}

export async function listUsers(db: Db) {
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      unitId: users.unitId,
      unitName: units.name,
      active: users.active,
    })
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .orderBy(asc(users.id));
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

// ---------------------------------------------------------------- sign-in

export type ThrottlePolicy = { freeFailures: number; baseDelayMs: number; maxDelayMs: number };
export const defaultThrottle: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
};

/**
 * Claims one sign-in attempt for a key, atomically: the attempt is counted (as a failure, until a
 * success clears it) and the key's lock checked and raised in one statement, so parallel guesses
 * are counted one by one (300 sent at once check at most `freeFailures + 1` passwords).
 * After `freeFailures` attempts, each further one locks the key for
 * baseDelay × 2^(n − free − 1), up to maxDelay. An attempt is allowed when the key was not locked
 * at the moment it was claimed.
 */
export async function claimSignInAttempt(
  db: Db,
  key: string,
  now: Date,
  policy: ThrottlePolicy = defaultThrottle,
): Promise<{ allowed: boolean; waitSeconds: number }> {
  const at = now.toISOString();
  const rowsOf = (r: unknown) => (Array.isArray(r) ? r : ((r as { rows?: unknown[] }).rows ?? []));
  for (let round = 0; round < 2; round++) {
    // An UPDATE re-checks its WHERE on the row as the previous claim left it (row lock): parallel
    // claims are counted one after another, and none gets past a lock another has just set.
    const claimed = rowsOf(
      await db.execute(sql`
        update sign_in_throttle set
          failures = failures + 1,
          last_failure_at = ${at}::timestamptz,
          locked_until = case when failures + 1 > ${policy.freeFailures}
            then ${at}::timestamptz + make_interval(secs => least(${policy.maxDelayMs}::float8,
              ${policy.baseDelayMs}::float8 * power(2, failures - ${policy.freeFailures})) / 1000)
            else null end
        where key = ${key} and (locked_until is null or locked_until <= ${at}::timestamptz)
        returning failures`),
    );
    if (claimed.length > 0) return { allowed: true, waitSeconds: 0 };
    const inserted = rowsOf(
      await db.execute(sql`
        insert into sign_in_throttle (key, failures, last_failure_at) values (${key}, 1, ${at}::timestamptz)
        on conflict (key) do nothing returning key`),
    );
    if (inserted.length > 0) return { allowed: true, waitSeconds: 0 };
    const [row] = await db
      .select({ lockedUntil: signInThrottle.lockedUntil })
      .from(signInThrottle)
      .where(eq(signInThrottle.key, key));
    if (row?.lockedUntil && row.lockedUntil > now) {
      return { allowed: false, waitSeconds: Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000) };
    }
    // Created by a parallel claim between the two statements: claim again.
  }
  return { allowed: false, waitSeconds: 1 };
}

/** Marks an address as one this user signs in from (its account-wide throttle does not apply there). */
export async function rememberSignInAddress(db: Db, key: string, now: Date) {
  await db
    .insert(signInThrottle)
    .values({ key, failures: 0, lastFailureAt: now })
    .onConflictDoUpdate({ target: signInThrottle.key, set: { lastFailureAt: now } });
}

export async function isKnownSignInAddress(db: Db, key: string): Promise<boolean> {
  const [row] = await db
    .select({ key: signInThrottle.key })
    .from(signInThrottle)
    .where(eq(signInThrottle.key, key));
  return row !== undefined;
}

export async function clearSignInFailures(db: Db, key: string) {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}

/** Checks a password. Unknown user, inactive user and wrong password are indistinguishable. */
export async function verifyCredentials(db: Db, username: string, password: string) {
  const [user] = await db.select().from(users).where(eq(users.username, username));
  if (!user?.active) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verify(await dummyHash, password);
    return null;
  }
  return (await verify(user.passwordHash, password)) ? user : null;
}

export async function createSession(
  db: Db,
  userId: number,
  now: Date,
  meta: { userAgent?: string | null; ip?: string | null } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + sessionTtlMs);
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    createdAt: now,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip ?? null,
  });
  // Housekeeping: expired sessions of this user go.
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)));
  return { token, expiresAt };
}

export async function getSessionUser(db: Db, token: string, now: Date): Promise<SessionUser | null> {
  const query = prepared(db, "sessionUser", () =>
    db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        role: users.role,
        unitId: users.unitId,
        unitName: units.name,
        unitPath: units.path,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(units, eq(units.id, users.unitId))
      .where(
        and(
          eq(sessions.tokenHash, sql.placeholder("hash")),
          gt(sessions.expiresAt, sql.placeholder("now")),
          eq(users.active, true),
        ),
      )
      .prepare("sessionUser"),
  );
  const [row] = await query.execute({ hash: sha256(token), now: now.toISOString() });
  return row ?? null;
}

export async function deleteSession(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

export async function unitsUnder(db: Db, path: string) {
  return db
    .select({ id: units.id })
    .from(units)
    .where(like(units.path, `${path}%`));
}
