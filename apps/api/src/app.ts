import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { appRouter, type Context, headerCookieJar, readSessionCookie } from "@gongkai/api";
import { type Database, getSessionUser, isConnectionError, ping, type SessionPolicy } from "@gongkai/db";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { trpcServer } from "@hono/trpc-server";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { filesRoutes } from "./files-routes.ts";
import { importsRoutes } from "./imports-routes.ts";
import { originGuard } from "./origin-guard.ts";
import { publicRoutes } from "./public-routes.ts";
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
};

export function createApp(opts: AppOptions) {
  const { database } = opts;
  const now = opts.now ?? (() => new Date());
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
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

  app.get("/health", async (c) => {
    try {
      if (!database.availability.available) throw new Error("database unavailable");
      await ping(database.db);
      return c.json({ status: "ok", db: database.kind, version: opts.version });
    } catch {
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
      await ping(database.db);
      return c.json({ ready: true });
    } catch {
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
    app.use("/assets/*", serveStatic({ root }));
    app.use("/favicon.svg", serveStatic({ root }));
    // Every other GET is the single-page app.
    let indexHtml: Promise<string> | undefined;
    app.get("*", async (c) => {
      indexHtml ??= readFile(join(root, "index.html"), "utf8");
      try {
        return c.html(await indexHtml);
      } catch {
        indexHtml = undefined;
        return c.text("控制台尚未构建:请先运行 pnpm --filter @gongkai/web build。", 503);
      }
    });
  }
  return Object.assign(app, {
    /** Answer 503 on /ready from now on (called when the process starts shutting down). */
    drain: () => {
      draining = true;
    },
  });
}
