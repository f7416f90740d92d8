import type { MiddlewareHandler } from "hono";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests sent by a browser from another site: the Origin header (or,
 * failing that, Sec-Fetch-Site) must name this server or an allowed origin. Requests without
 * either header (scripts, curl) are not from a browser page and pass.
 */
export function originGuard(allowedOrigins: string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/$/, "")));
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
    let foreign = false;
    if (origin && origin !== "null") {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        foreign = true;
      }
      if (!foreign) foreign = originHost !== host && !allowed.has(origin);
    } else if (origin === "null") {
      foreign = true;
    } else if (c.req.header("sec-fetch-site") === "cross-site") {
      foreign = true;
    }
    if (foreign) {
      return c.json(
        {
          error: {
            code: "FORBIDDEN",
            message: "请求来自其他网站,已被拒绝。请直接在本系统页面中操作。",
          },
        },
        403,
      );
    }
    return next();
  };
}
