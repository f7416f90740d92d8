import { randomBytes } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { chooseEncoding, compression } from "./compression.ts";

/** Text that compresses well and is well past the 1 kB threshold. */
const bigText = "政务公开工作要点 2026:任务分工、进展督办、考核评估。\n".repeat(200);
const bigJson = JSON.stringify({
  rows: Array.from({ length: 300 }, (_, i) => ({ id: i, title: `任务 ${i}` })),
});

/** A small app with the middleware and one route per kind of answer it must or must not touch. */
function testApp() {
  const app = new Hono();
  app.use(compression({ skip: ["/api/files"] }));
  app.get("/text", (c) => c.text(bigText));
  app.get("/json", (c) => c.json(JSON.parse(bigJson)));
  app.get("/small", (c) => c.text("好"));
  app.get("/png", (c) => c.body(randomBytes(4096), 200, { "Content-Type": "image/png" }));
  app.get("/zip", (c) => c.body(bigText, 200, { "Content-Type": "application/zip" }));
  app.get("/api/files/1", (c) => c.text(bigText));
  app.get("/etag", (c) => c.text(bigText, 200, { ETag: '"v1"' }));
  app.get("/vary", (c) => c.text(bigText, 200, { Vary: "Cookie" }));
  app.get("/no-transform", (c) => c.text(bigText, 200, { "Cache-Control": "no-transform" }));
  // A body of known length (Content-Length set), as a file from disk would be.
  app.get("/sized", (c) =>
    c.body(new TextEncoder().encode(bigText), 200, { "Content-Type": "text/plain; charset=UTF-8" }),
  );
  return app;
}

const get = (app: Hono, path: string, acceptEncoding?: string) =>
  app.request(`http://gongkai.test${path}`, {
    headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding },
  });

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe("chooseEncoding", () => {
  it("prefers brotli, takes q into account, and treats q=0 as a refusal", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseEncoding("gzip")).toBe("gzip");
    expect(chooseEncoding("br;q=0.5, gzip;q=0.8")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip")).toBe("gzip");
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("*, br;q=0")).toBe("gzip");
    expect(chooseEncoding("identity")).toBeUndefined();
    expect(chooseEncoding("gzip;q=0, br;q=0")).toBeUndefined();
    expect(chooseEncoding("")).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});

describe("compression()", () => {
  const app = testApp();

  it("answers with brotli when it is accepted, and the body decompresses to the original", async () => {
    const res = await get(app, "/text", "gzip, deflate, br");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Encoding")).toBe("br");
    expect(res.headers.get("Content-Length")).toBeNull();
    const body = await bytes(res);
    expect(body.length).toBeLessThan(Buffer.byteLength(bigText) / 5);
    expect(brotliDecompressSync(body).toString("utf8")).toBe(bigText);
  });

  it("answers with gzip when only gzip is accepted", async () => {
    const res = await get(app, "/json", "gzip");
    expect(res.headers.get("Content-Encoding")).toBe("gzip");
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(gunzipSync(await bytes(res)).toString("utf8")).toBe(bigJson);
  });

  it("compresses a body of known length too", async () => {
    const res = await get(app, "/sized", "br");
    expect(res.headers.get("Content-Encoding")).toBe("br");
    expect(brotliDecompressSync(await bytes(res)).toString("utf8")).toBe(bigText);
  });

  it("sends the body as it is when no encoding is accepted, or every one is refused with q=0", async () => {
    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0"]) {
      const res = await get(app, "/text", accept);
      expect(res.headers.get("Content-Encoding")).toBeNull();
      expect(await res.text()).toBe(bigText);
      // Whatever this client got, a cache must not give it to one that accepts another encoding.
      expect(res.headers.get("Vary")).toBe("Accept-Encoding");
    }
  });

  it("leaves a body under the threshold alone", async () => {
    const res = await get(app, "/small", "br, gzip");
    expect(res.headers.get("Content-Encoding")).toBeNull();
    expect(await res.text()).toBe("好");
  });

  it("leaves types that are compressed already alone: PNG, ZIP (.docx, .xlsx)", async () => {
    for (const path of ["/png", "/zip"]) {
      const res = await get(app, path, "br, gzip");
      expect(res.headers.get("Content-Encoding")).toBeNull();
      expect((await bytes(res)).length).toBe(path === "/png" ? 4096 : Buffer.byteLength(bigText));
    }
  });

  it("skips evidence files under /api/files, which are sent as stored", async () => {
    const res = await get(app, "/api/files/1", "br, gzip");
    expect(res.headers.get("Content-Encoding")).toBeNull();
    expect(await res.text()).toBe(bigText);
  });

  it("leaves an answer marked Cache-Control: no-transform alone", async () => {
    const res = await get(app, "/no-transform", "br");
    expect(res.headers.get("Content-Encoding")).toBeNull();
  });

  it("weakens a strong ETag on a compressed answer, and keeps it on a plain one", async () => {
    const compressed = await get(app, "/etag", "gzip");
    expect(compressed.headers.get("Content-Encoding")).toBe("gzip");
    expect(compressed.headers.get("ETag")).toBe('W/"v1"');
    const plain = await get(app, "/etag");
    expect(plain.headers.get("ETag")).toBe('"v1"');
  });

  it("adds Accept-Encoding to a Vary header already there", async () => {
    const res = await get(app, "/vary", "br");
    expect(res.headers.get("Vary")).toBe("Cookie, Accept-Encoding");
  });

  it("does not encode the answer to a HEAD request", async () => {
    const res = await app.request("http://gongkai.test/text", {
      method: "HEAD",
      headers: { "Accept-Encoding": "br" },
    });
    expect(res.headers.get("Content-Encoding")).toBeNull();
  });
});
