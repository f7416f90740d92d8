import { createHash, randomBytes } from "node:crypto";
import { conflict, invalid, notFound, type Role } from "@gongkai/core";
import { hash, verify } from "@node-rs/argon2";
import { and, asc, desc, eq, gt, isNull, like, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { sessions, signInThrottle, units, users } from "../schema/index.ts";
import type { Actor } from "./actor.ts";
import { rawRows } from "./any.ts";
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
  /**
   * Why the user must choose a new password before anything else: "required" (a new account, or an
   * administrator's reset), "expired" (older than the policy allows); null when not.
   */
  passwordChange: "required" | "expired" | null;
  totpEnabled: boolean;
  demo: boolean;
};

/**
 * Sessions and passwords (等保 2.0 level 3: 登录失败处理、连接超时自动退出、口令定期更换):
 * a session ends 12 hours after sign-in or after 30 idle minutes, whichever comes first; a user
 * holds at most 5 (the oldest goes); a password is changed every 90 days (0: never).
 */
export type SessionPolicy = {
  absoluteMs: number;
  idleMs: number;
  maxPerUser: number;
  passwordMaxAgeDays: number;
};
export const defaultSessionPolicy: SessionPolicy = {
  absoluteMs: 12 * 60 * 60_000,
  idleMs: 30 * 60_000,
  maxPerUser: 5,
  passwordMaxAgeDays: 90,
};
/** Last-seen times are written at most this often (not on every request). */
const touchEveryMs = 60_000;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export type UserInput = {
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  password?: string;
  active?: boolean;
  /** Make the user choose a new password at the next sign-in (accounts an administrator creates). */
  mustChangePassword?: boolean;
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
        mustChangePassword: input.mustChangePassword ?? false,
      })
      .onConflictDoNothing()
      .returning();
    if (!user) throw conflict(`用户名「${input.username}」已被使用,请换一个。`);
    const { passwordHash: _, totpSecret: __, ...after } = user;
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
        // A password set by someone else is a reset: its owner chooses a new one at next sign-in.
        ...(input.password
          ? {
              passwordHash: await hashPassword(input.password),
              passwordChangedAt: new Date(),
              mustChangePassword: id !== actor.userId,
            }
          : {}),
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
    const strip = ({ passwordHash: _, totpSecret: __, ...u }: typeof user) => u;
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
      mustChangePassword: users.mustChangePassword,
      passwordChangedAt: users.passwordChangedAt,
      totpEnabled: sql<boolean>`${users.totpSecret} is not null`,
      demo: users.demo,
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

/**
 * A sign-in throttle: `freeFailures` attempts, then locks doubling from `baseDelayMs` to
 * `maxDelayMs`; a key quiet for `forgetAfterMs` starts counting again from zero.
 */
export type ThrottlePolicy = {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
};
export const defaultThrottle: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
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
  for (let round = 0; round < 2; round++) {
    // An UPDATE re-checks its WHERE on the row as the previous claim left it (row lock): parallel
    // claims are counted one after another, and none gets past a lock another has just set.
    // The count so far, or none when the key has been quiet for `forgetAfterMs`.
    const before = sql`(case when last_failure_at < ${at}::timestamptz - make_interval(secs => ${policy.forgetAfterMs / 1000}::float8)
      then 0 else failures end)`;
    const claimed = await rawRows(
      db,
      sql`
        update sign_in_throttle set
          failures = ${before} + 1,
          last_failure_at = ${at}::timestamptz,
          locked_until = case when ${before} + 1 > ${policy.freeFailures}
            then ${at}::timestamptz + make_interval(secs => least(${policy.maxDelayMs}::float8,
              ${policy.baseDelayMs}::float8 * power(2, ${before} - ${policy.freeFailures})) / 1000)
            else null end
        where key = ${key} and (locked_until is null or locked_until <= ${at}::timestamptz)
        returning failures`,
    );
    if (claimed.length > 0) return { allowed: true, waitSeconds: 0 };
    const inserted = await rawRows(
      db,
      sql`
        insert into sign_in_throttle (key, failures, last_failure_at) values (${key}, 1, ${at}::timestamptz)
        on conflict (key) do nothing returning key`,
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

/**
 * Gives back the attempt a successful sign-in claimed on a shared key (an address, an account
 * across addresses): right passwords never use up an office's allowance behind its one address.
 */
export async function refundSignInAttempt(db: Db, key: string, policy: ThrottlePolicy) {
  await db.execute(sql`
    update sign_in_throttle set
      failures = greatest(failures - 1, 0),
      locked_until = case when failures - 1 > ${policy.freeFailures} then locked_until else null end
    where key = ${key}`);
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
  policy: SessionPolicy = defaultSessionPolicy,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = sha256(token);
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  await db.insert(sessions).values({
    tokenHash,
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip ?? null,
  });
  // Expired and idle sessions of this user go, and beyond the cap the oldest (never the new one).
  await db.delete(sessions).where(
    and(
      eq(sessions.userId, userId),
      sql`${sessions.tokenHash} <> ${tokenHash}`,
      or(
        lt(sessions.expiresAt, now),
        lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMs)),
        sql`${sessions.tokenHash} not in (select token_hash from sessions
            where user_id = ${userId} and token_hash <> ${tokenHash}
            order by created_at desc, token_hash limit ${policy.maxPerUser - 1})`,
      ),
    ),
  );
  return { token, expiresAt };
}

/**
 * The signed-in user of a session token, or null when the session is unknown, past its absolute
 * end, idle past the policy's limit (then it is removed), or its user is deactivated. Keeps the
 * session's last-seen time (written at most once a minute).
 */
export async function getSessionUser(
  db: Db,
  token: string,
  now: Date,
  policy: SessionPolicy = defaultSessionPolicy,
): Promise<SessionUser | null> {
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
        mustChangePassword: users.mustChangePassword,
        passwordChangedAt: users.passwordChangedAt,
        totpEnabled: sql<boolean>`${users.totpSecret} is not null`,
        demo: users.demo,
        lastSeenAt: sessions.lastSeenAt,
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
  const tokenHash = sha256(token);
  const [row] = await query.execute({ hash: tokenHash, now: now.toISOString() });
  if (!row) return null;
  const { mustChangePassword, passwordChangedAt, lastSeenAt, ...user } = row;
  const idle = now.getTime() - new Date(lastSeenAt).getTime();
  if (idle > policy.idleMs) {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return null;
  }
  if (idle > touchEveryMs) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  const maxAgeMs = policy.passwordMaxAgeDays * 86_400_000;
  const expired = maxAgeMs > 0 && now.getTime() - new Date(passwordChangedAt).getTime() > maxAgeMs;
  return {
    ...user,
    totpEnabled: Boolean(user.totpEnabled),
    passwordChange: mustChangePassword ? "required" : expired ? "expired" : null,
  };
}

export async function deleteSession(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** Ends every session of a user ("sign out everywhere"), or every one but `keepToken`'s. */
export async function deleteUserSessions(db: Db, userId: number, keepToken?: string) {
  await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        keepToken ? sql`${sessions.tokenHash} <> ${sha256(keepToken)}` : undefined,
      ),
    );
}

/** A user's open sessions, newest first (where and when they signed in). */
export async function listUserSessions(db: Db, userId: number, currentToken: string | null) {
  const current = currentToken ? sha256(currentToken) : null;
  const rows = await db
    .select({
      tokenHash: sessions.tokenHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.createdAt));
  return rows.map(({ tokenHash, ...r }) => ({ ...r, current: tokenHash === current }));
}

// ---------------------------------------------------------------- passwords and the second factor

/**
 * Sets a user's own new password (the current one checked first), clears a required change, and
 * ends the user's other sessions. The policy's rules are the caller's (they are in core).
 */
export async function changeOwnPassword(
  db: Db,
  userId: number,
  current: string,
  next: string,
  now: Date,
  keepToken: string | null,
) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verify(user.passwordHash, current)))
    throw invalid("当前密码不正确,请重新输入。", "currentPassword");
  if (await verify(user.passwordHash, next)) throw invalid("新密码不能与当前密码相同。", "newPassword");
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, mustChangePassword: false, updatedAt: now })
      .where(eq(users.id, userId));
    await deleteUserSessions(tx, userId, keepToken ?? undefined);
    await recordAudit(
      tx,
      { userId, role: user.role, unitId: user.unitId, scopePath: null },
      { action: "auth.passwordChange", entityType: "user", entityId: userId },
    );
  });
}

/** The user's TOTP secret and last accepted step (null secret: not enrolled). */
export async function getTotp(db: Db, userId: number) {
  const [row] = await db
    .select({ secret: users.totpSecret, lastStep: users.totpLastStep })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

/** Records a time step as used, unless it (or a later one) already was: a code works once. */
export async function claimTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Enrols (secret) or removes (null) the second factor; audited. */
export async function setTotp(
  db: Db,
  actor: Actor,
  userId: number,
  secret: string | null,
  step: number | null,
) {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: secret, totpLastStep: step, updatedAt: new Date() })
      .where(eq(users.id, userId));
    await recordAudit(tx, actor, {
      action: secret ? "auth.totpEnable" : "auth.totpDisable",
      entityType: "user",
      entityId: userId,
    });
  });
}

export async function unitsUnder(db: Db, path: string) {
  return db
    .select({ id: units.id })
    .from(units)
    .where(like(units.path, `${path}%`));
}

/** The demo accounts still in this database (flagged at seeding), for the sign-in page. */
export async function listDemoUsernames(db: Db): Promise<string[]> {
  const rows = await db
    .select({ username: users.username })
    .from(users)
    .where(and(eq(users.demo, true), eq(users.active, true)))
    .orderBy(asc(users.id));
  return rows.map((r) => r.username);
}
