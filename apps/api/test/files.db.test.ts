import { createHash } from "node:crypto";
import { seedDemo } from "@gongkai/db";
import { storedFiles } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { MemoryFileStore } from "../src/storage.ts";

const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);
const png = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

/** Upload and download of evidence over HTTP: types from bytes, limits, storage keys, permissions. */
describe.each(testDbKinds())("evidence files over HTTP on %s", (kind) => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let store: MemoryFileStore;
  const host = "gongkai.test";
  const cookies = new Map<string, string>();

  const signIn = async (username: string, password: string) => {
    const res = await app.request(`http://${host}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", host },
      body: JSON.stringify({ username, password }),
    });
    cookies.set(username, (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "");
  };
  const upload = (as: string, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.append("file", new File([bytes], name));
    return app.request(`http://${host}/api/files`, {
      method: "POST",
      body: form,
      headers: { cookie: cookies.get(as) ?? "", host },
    });
  };
  const download = (as: string | null, id: number) =>
    app.request(`http://${host}/api/files/${id}`, {
      headers: { cookie: as ? (cookies.get(as) ?? "") : "", host },
    });
  const trpc = async (as: string, path: string, input: unknown) => {
    const res = await app.request(`http://${host}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: cookies.get(as) ?? "", host },
      body: JSON.stringify(input),
    });
    return (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  };
  const fileCount = async () =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(storedFiles))[0]?.n;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db, { activity: false });
    store = new MemoryFileStore();
    app = createApp({ database, version: "t", fileStore: store });
    await signIn("dangzheng", "Unit@2026");
    await signIn("qianming", "Unit@2026");
    await signIn("office", "Office@2026");
  });
  afterAll(() => database?.drop());

  it("stores a PDF under its sha256, keeps the name for download only, and serves it to its unit", async () => {
    const res = await upload("dangzheng", "../../etc/目录截图.pdf", pdf);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: number; sha256: string; fileName: string; mimeType: string };
    const sha = createHash("sha256").update(pdf).digest("hex");
    expect(body).toMatchObject({ sha256: sha, fileName: "目录截图.pdf", mimeType: "application/pdf" });
    expect([...store.files.keys()]).toContain(`${sha.slice(0, 2)}/${sha}`);
    const got = await download("dangzheng", body.id);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdf);
    expect(got.headers.get("content-disposition")).toContain(encodeURIComponent("目录截图.pdf"));
  });

  it("refuses an .exe renamed .pdf, a PNG named .pdf, an empty file and an oversize one, storing nothing", async () => {
    const before = await fileCount();
    const fake = await upload("dangzheng", "报告.pdf", exe);
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as { error: { message: string } }).error.message).toContain(
      "PDF、OFD、Word、Excel、JPG、PNG",
    );
    const renamed = await upload("dangzheng", "截图.pdf", png);
    expect(renamed.status).toBe(415);
    expect(((await renamed.json()) as { error: { message: string } }).error.message).toContain(
      "扩展名与文件内容不符",
    );
    const empty = await upload("dangzheng", "空.pdf", new Uint8Array());
    expect(empty.status).toBe(400);
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(pdf);
    const huge = await upload("dangzheng", "大.pdf", big);
    expect(huge.status).toBe(413);
    expect(await fileCount()).toBe(before);
    expect(
      (await app.request(`http://${host}/api/files`, { method: "POST", headers: { host } })).status,
    ).toBe(401);
  });

  it("lets only the units on the task and the office download evidence", async () => {
    const up = (await (await upload("dangzheng", "证明.png", png)).json()) as { id: number };
    const res = await app.request(
      `http://${host}/trpc/plans.get?input=${encodeURIComponent(JSON.stringify({ id: 1 }))}`,
      {
        headers: { cookie: cookies.get("office") ?? "", host },
      },
    );
    const office = (await res.json()) as { result?: { data: unknown } };
    const tasks = (office.result?.data as { tasks: { id: number; code: string }[] } | undefined)?.tasks ?? [];
    const t10 = tasks.find((t) => t.code === "10")?.id;
    const saved = await trpc("dangzheng", "reports.save", {
      taskId: t10,
      period: "2023-Q1",
      status: "done",
      percent: 100,
      summary: "已公开",
      evidence: { links: [], fileIds: [up.id] },
    });
    expect(saved.error).toBeUndefined();
    expect((await download("office", up.id)).status).toBe(200);
    expect((await download("qianming", up.id)).status).toBe(404);
    expect((await download(null, up.id)).status).toBe(401);
    expect((await download("qianming", 999_999)).status).toBe(404);
  });
});
