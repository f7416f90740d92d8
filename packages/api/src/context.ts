import type { Availability, Db, DbKind, SessionPolicy, SessionUser } from "@gongkai/db";
import type { ApiTokenIdentity } from "@gongkai/db/api-tokens";

export const sessionCookieName = "gk_session";

/** Response cookies a procedure can set (sign-in, sign-out). */
export type CookieJar = {
  setSession(token: string, expiresAt: Date): void;
  clearSession(): void;
};

export type Context = {
  db: Db;
  dbKind: DbKind;
  /** The clock: rules never call `new Date()` themselves. */
  now: () => Date;
  user: SessionUser | null;
  sessionToken: string | null;
  cookies: CookieJar;
  clientIp: string | null;
  userAgent: string | null;
  /** Whether the database is reachable (absent in tests that call procedures directly). */
  availability?: Availability;
  /** Session lengths and password age (default: `defaultSessionPolicy`). */
  sessionPolicy?: SessionPolicy;
  /** A call of the open REST API (/api/v1): the token it came with and its Idempotency-Key header. */
  api?: { token: ApiTokenIdentity; idempotencyKey: string | null };
};

/** Cookie jar writing `Set-Cookie` headers: httpOnly, SameSite=Lax, Secure when served over https. */
export function headerCookieJar(resHeaders: Headers, opts: { secure: boolean }): CookieJar {
  const attrs = `Path=/; HttpOnly; SameSite=Lax${opts.secure ? "; Secure" : ""}`;
  return {
    setSession: (token, expiresAt) =>
      resHeaders.append(
        "Set-Cookie",
        `${sessionCookieName}=${token}; ${attrs}; Expires=${expiresAt.toUTCString()}`,
      ),
    clearSession: () =>
      resHeaders.append(
        "Set-Cookie",
        `${sessionCookieName}=; ${attrs}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
      ),
  };
}

export function readSessionCookie(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === sessionCookieName) return rest.join("=") || null;
  }
  return null;
}
