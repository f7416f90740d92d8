import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { appRouter, type Context, headerCookieJar, readSessionCookie } from "@gongkai/api";
import { type Database, getSessionUser, isConnectionError, ping, type SessionPolicy } from "@gongkai/db";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { trpcServer } from "@hono/trpc-server";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { etag } from "hono/etag";
import { secureHeaders } from "hono/secure-headers";
import { compression } from "./compression.ts";
import { filesRoutes } from "./files-routes.ts";
import { importsRoutes } from "./imports-routes.ts";
import { originGuard } from "./origin-guard.ts";
import { publicRoutes } from "./public-routes.ts";
import { restV1Routes } from "./rest-v1/index.ts";
import { type FileStore, MemoryFileStore } from "./storage.ts";

export type AppOptions = {
  database: Database;
  version: string;
  /** Where uploaded files go (default: in memory, for tests). */
  fileStore?: FileStore;
  now?: () => Date;
  allowedOrigins?: string[];
  secureCookies?: boolean;
  trustProxy?: boolean;
  /** The built dashboard (apps/web/dist); null serves the API only. */
  webDist?: string | null;
  /** Session lengths and password age (default: `defaultSessionPolicy`). */
  sessionPolicy?: SessionPolicy;
  /** Requests one API token may make per minute on /api/v1 (default 60). */
  apiRequestsPerMinute?: number;
};

/**
 * The Content-Security-Policy's allowance for the inline scripts of the dashboard's index.html (the
 * large-text switch, set before the first paint): the hash of each, read from the built file once
 * it is there. Any other inline script stays refused.
 */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] ?? "")
    .filter((code) => code.trim())
    .map((code) => `'sha256-${createHash("sha256").update(code).digest("base64")}'`);
}

export function createApp(opts: AppOptions) {
  const { database } = opts;
  let scriptHashes: string | undefined;
  const inlineScripts = () => {
    if (scriptHashes === undefined && opts.webDist) {
      try {
        scriptHashes = inlineScriptHashes(readFileSync(join(opts.webDist, "index.html"), "utf8")).join(" ");
      } catch {
        return ""; // not built yet: asked again next time
      }
    }
    return scriptHashes ?? "";
  };
  const now = opts.now ?? (() => new Date());
  const app = new Hono();

  // Brotli or gzip for every answer worth it; evidence files go as stored (their own types and ranges).
  app.use(compression({ skip: ["/api/files"] }));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", inlineScripts],
        // Ant Design writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(originGuard(opts.allowedOrigins ?? []));

  // A health check that cannot reach the database marks it down, as a failed request does: the
  // requests that come next are answered 503 at once while the probe watches for it, instead of
  // queueing in the pool until it is back (postgres.js holds them; nothing else may fail to say so).
  const noticeOutage = (e: unknown) => {
    if (isConnectionError(e)) database.availability.failed();
  };
  // A pooled connection the restarted server no longer knows fails its first query; the check is
  // tried once more on a fresh one, as a read is, before it says the database is down.
  const reachable = async () => {
    try {
      await ping(database.db);
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      await ping(database.db);
    }
  };
  app.get("/health", async (c) => {
    try {
      if (!database.availability.available) throw new Error("database unavailable");
      await reachable();
      return c.json({ status: "ok", db: database.kind, version: opts.version });
    } catch (e) {
      noticeOutage(e);
      return c.json({ status: "error", db: database.kind, version: opts.version }, 503);
    }
  });

  // For a load balancer: 200 when this process can serve (its database answers), 503 otherwise
  // and while it shuts down, so traffic moves to another process before this one stops.
  let draining = false;
  app.get("/ready", async (c) => {
    if (draining) return c.json({ ready: false, reason: "shutting down" }, 503);
    try {
      if (!database.availability.available) throw new Error("database unavailable");
      await reachable();
      return c.json({ ready: true });
    } catch (e) {
      noticeOutage(e);
      return c.json({ ready: false, reason: "database unavailable" }, 503);
    }
  });

  const clientIp = (c: HonoContext): string | null => {
    if (opts.trustProxy) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? null;
    } catch {
      return null;
    }
  };

  const { sessionPolicy } = opts;
  app.route(
    "/api/files",
    filesRoutes({ database, store: opts.fileStore ?? new MemoryFileStore(), now, sessionPolicy, clientIp }),
  );
  app.route("/api/imports", importsRoutes({ database, now, sessionPolicy }));
  // Published evaluation results as CSV and JSON, no sign-in.
  app.route("/api/public", publicRoutes({ database }));
  // The open REST API for other systems, with API tokens (its document at /api/v1/openapi.json).
  app.route(
    "/api/v1",
    restV1Routes({ database, now, version: opts.version, clientIp, perMinute: opts.apiRequestsPerMinute }),
  );

  // Request bodies: tRPC calls carry JSON (and .xlsx uploads as base64, ≤ 10 MB files); without a
  // session cookie only sign-in is possible, and it needs a few hundred bytes.
  app.use("/trpc/*", async (c, next) => {
    const signedIn = readSessionCookie(c.req.header("cookie") ?? null) !== null;
    return bodyLimit({
      maxSize: signedIn ? 15 * 1024 * 1024 : 16 * 1024,
      onError: (cc) =>
        cc.json(
          {
            error: {
              message: signedIn ? "请求内容超过 15 MB,请缩小文件后重试。" : "请求内容过大。",
              code: -32600,
            },
          },
          413,
        ),
    })(c, next);
  });
  app.use(
    "/trpc/*",
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      createContext: async (fetchOpts, c): Promise<Context> => {
        const token = readSessionCookie(c.req.header("cookie") ?? null);
        const { availability } = database;
        // With the database known down the first middleware answers 503; no session lookup waits.
        let user: Awaited<ReturnType<typeof getSessionUser>> = null;
        if (token && availability.available) {
          try {
            user = await getSessionUser(database.db, token, now(), sessionPolicy);
          } catch (e) {
            if (!isConnectionError(e)) throw e;
            availability.failed();
          }
        }
        return {
          availability,
          db: database.db,
          dbKind: database.kind,
          now,
          user,
          sessionToken: user ? token : null,
          cookies: headerCookieJar(fetchOpts.resHeaders, { secure: opts.secureCookies ?? false }),
          clientIp: clientIp(c),
          userAgent: c.req.header("user-agent") ?? null,
          sessionPolicy,
        };
      },
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path}:`, error.cause ?? error);
      },
    }),
  );

  if (opts.webDist) {
    const root = opts.webDist;
    // Built files carry a hash of their content in their name (Vite): a new build makes new names,
    // so a browser keeps them a year without asking again. Brotli or gzip as written at build.
    app.use("/assets/*", async (c, next) => {
      await next();
      if (c.res.status !== 200) return;
      c.res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
      if (!c.res.headers.has("Vary")) c.res.headers.set("Vary", "Accept-Encoding");
    });
    app.use("/assets/*", serveStatic({ root, precompressed: true }));
    // A chunk of an older build is gone: a 404, not the page's HTML where a script is expected.
    app.get("/assets/*", (c) => c.text("找不到该文件,请刷新页面。", 404));
    // Files without a hash: used from the cache only after asking (a 304 when unchanged).
    app.use("/favicon.svg", async (c, next) => {
      c.header("Cache-Control", "no-cache");
      await next();
    });
    app.use("/favicon.svg", etag());
    app.use("/favicon.svg", serveStatic({ root, precompressed: true }));
    // Every other GET is the single-page app: always asked for again (no-cache), answered 304 when
    // the build is the same (its ETag); compressed by compression() above.
    let indexHtml: Promise<{ html: string; etag: string }> | undefined;
    app.get("*", async (c) => {
      indexHtml ??= readFile(join(root, "index.html"), "utf8").then((html) => ({
        html,
        etag: `"${createHash("sha256").update(html).digest("base64url").slice(0, 27)}"`,
      }));
      let index: { html: string; etag: string };
      try {
        index = await indexHtml;
      } catch {
        indexHtml = undefined;
        return c.text("控制台尚未构建:请先运行 pnpm --filter @gongkai/web build。", 503);
      }
      c.header("Cache-Control", "no-cache");
      c.header("ETag", index.etag);
      c.header("Vary", "Accept-Encoding");
      const ifNoneMatch = c.req.header("If-None-Match");
      // Weak comparison (RFC 9110 §13.1.2): the compressed answer's ETag is W/ of the same value.
      if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === index.etag))
        return c.body(null, 304);
      return c.html(index.html);
    });
  }
  return Object.assign(app, {
    /** Answer 503 on /ready from now on (called when the process starts shutting down). */
    drain: () => {
      draining = true;
    },
  });
}
