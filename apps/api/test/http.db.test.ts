import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemo } from "@gongkai/db";
import { units } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";

/** The HTTP surface, through Hono's fetch handler: health, cookies, origin checks, the dashboard. */
describe.each(testDbKinds())("HTTP on %s", (kind) => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  const host = "gongkai.test";

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db, { activity: false });
    const webDist = await mkdtemp(join(tmpdir(), "gk-web-"));
    await writeFile(join(webDist, "index.html"), "<!doctype html><title>政务公开工作平台</title>");
    app = createApp({
      database,
      version: "9.9.9",
      webDist,
      allowedOrigins: ["https://portal.example.gov.cn"],
    });
  });
  afterAll(() => database?.drop());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(`http://${host}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", host, ...headers },
      body: JSON.stringify(body),
    });

  it("answers /health with the database kind and version", async () => {
    const res = await app.request(`http://${host}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: kind, version: "9.9.9" });
  });

  it("signs in over HTTP with an httpOnly, SameSite session cookie that opens the session", async () => {
    const res = await post("/trpc/auth.signIn", { username: "office", password: "Office@2026" });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^gk_session=[^;]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    const token = cookie.split(";")[0] ?? "";
    const me = await app.request(`http://${host}/trpc/auth.me`, { headers: { cookie: token, host } });
    const body = (await me.json()) as { result: { data: { username: string } } };
    expect(body.result.data.username).toBe("office");
  });

  it("answers a wrong password with 401 and a Chinese message", async () => {
    const res = await post("/trpc/auth.signIn", { username: "office", password: "wrong-password" });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toBe("用户名或密码错误,请检查后重试。");
  });

  it("answers invalid input with 400, the field named in Chinese, and the field path in data", async () => {
    const res = await post("/trpc/auth.signIn", { username: "", password: "x" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { field: string } } };
    expect(body.error.message).toContain("「用户名」");
    expect(body.error.data.field).toBe("username");
  });

  it("refuses a state-changing request from a foreign Origin, and changes nothing", async () => {
    const signIn = await post("/trpc/auth.signIn", { username: "office", password: "Office@2026" });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const count = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(units))[0]?.n;
    const before = await count();
    const body = { parentId: null, name: "跨站创建的单位", kind: "other", aliases: [] };
    const foreign = await post("/trpc/units.create", body, { cookie, origin: "https://evil.example.com" });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toContain("其他网站");
    const crossSite = await post("/trpc/units.create", body, { cookie, "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(await count()).toBe(before);
    // The server's own origin and a configured one pass the guard (and reach the API).
    const same = await post(
      "/trpc/auth.signIn",
      { username: "office", password: "Office@2026" },
      { origin: `http://${host}` },
    );
    expect(same.status).toBe(200);
    const allowed = await post("/trpc/auth.me", {}, { origin: "https://portal.example.gov.cn" });
    expect(allowed.status).not.toBe(403);
  });

  it("serves the dashboard for page routes, with security headers", async () => {
    const res = await app.request(`http://${host}/plans/1`, { headers: { host } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("政务公开工作平台");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
