import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { createTestDatabase, type TestDatabase } from "@gongkai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";

/**
 * The built dashboard as the server sends it (issue 15): hashed files kept a year and sent as the
 * build compressed them, index.html asked for again each time and answered 304 when unchanged.
 * The database is not used here; PGlite is enough (the app needs one to be made).
 */
describe("the built dashboard over HTTP", () => {
  let database: TestDatabase;
  let webDist: string;
  let app: ReturnType<typeof createApp>;
  const script = `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `第${i}项任务`))};\n`;
  // Past the compression threshold, as the real index.html with its boot spinner is.
  const indexHtml = `<!doctype html><html lang="zh-CN"><head><title>政务公开工作平台</title><style>${".boot{display:grid}\n".repeat(80)}</style></head><body><div id="root"></div></body></html>`;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    webDist = await mkdtemp(join(tmpdir(), "gk-static-"));
    await mkdir(join(webDist, "assets"));
    await writeFile(join(webDist, "index.html"), indexHtml);
    const asset = join(webDist, "assets/x-Ab12Cd34.js");
    await writeFile(asset, script);
    await writeFile(`${asset}.br`, brotliCompressSync(script));
    await writeFile(`${asset}.gz`, gzipSync(script));
    app = createApp({ database, version: "t", webDist });
  });
  afterAll(async () => {
    await database?.drop();
    if (webDist) await rm(webDist, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    app.request(`http://gongkai.test${path}`, { headers });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

  it("sends a hashed asset precompressed with brotli, to be kept a year without asking", async () => {
    const res = await get("/assets/x-Ab12Cd34.js", { "Accept-Encoding": "gzip, deflate, br" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("Content-Encoding")).toBe("br");
    expect(res.headers.get("Content-Type")).toMatch(/javascript/);
    expect(res.headers.get("Vary")).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(await bytes(res)).toString("utf8")).toBe(script);
  });

  it("sends the gzip file to a client without brotli, and the plain file to one without either", async () => {
    const gz = await get("/assets/x-Ab12Cd34.js", { "Accept-Encoding": "gzip" });
    expect(gz.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(await bytes(gz)).toString("utf8")).toBe(script);
    const plain = await get("/assets/x-Ab12Cd34.js");
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(await plain.text()).toBe(script);
    expect(plain.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
  });

  it("answers a missing asset (a chunk of an older build) with 404, not the page's HTML", async () => {
    const res = await get("/assets/gone-Zz99Yy88.js", { "Accept-Encoding": "br" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type") ?? "").not.toMatch(/html/);
    expect(res.headers.get("Cache-Control") ?? "").not.toMatch(/immutable/);
  });

  it("sends index.html for the app's routes with an ETag, to be asked for again each time", async () => {
    for (const path of ["/", "/my-tasks", "/plans/3"]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(/text\/html/);
      expect(res.headers.get("Cache-Control")).toBe("no-cache");
      expect(res.headers.get("ETag")).toMatch(/^"[\w-]+"$/);
      expect(await res.text()).toBe(indexHtml);
    }
  });

  it("answers 304 to If-None-Match with index.html's ETag, compressed (weak) or not", async () => {
    const plain = await get("/dashboard");
    const etag = plain.headers.get("ETag") ?? "";
    const notModified = await get("/dashboard", { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");

    const compressed = await get("/dashboard", { "Accept-Encoding": "br" });
    expect(compressed.headers.get("Content-Encoding")).toBe("br");
    expect(compressed.headers.get("ETag")).toBe(`W/${etag}`);
    expect(brotliDecompressSync(await bytes(compressed)).toString("utf8")).toBe(indexHtml);
    const again = await get("/dashboard", {
      "Accept-Encoding": "br",
      "If-None-Match": compressed.headers.get("ETag") ?? "",
    });
    expect(again.status).toBe(304);

    const changed = await get("/dashboard", { "If-None-Match": '"an-older-build"' });
    expect(changed.status).toBe(200);
  });
});
