import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insertStoredFile, seedDemo, type UploadQuota } from "@gongkai/db";
import { auditLog, storedFiles, users } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { sweepFileStore, sweepGraceMs } from "../src/file-sweep.ts";
import { filesRoutes } from "../src/files-routes.ts";
import { LocalFileStore, MemoryFileStore, storageKeyFor } from "../src/storage.ts";

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
    // The download is in the audit log: who, which file.
    const [audited] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "file.download"), eq(auditLog.entityId, String(body.id))));
    expect(audited?.actorId).not.toBeNull();
    expect(audited?.after).toMatchObject({ fileName: "目录截图.pdf" });
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

/** A PDF of fixed length whose bytes (and so its key) differ by `n`. */
const numberedPdf = (n: number) =>
  new TextEncoder().encode(
    `%PDF-1.4\n% ${String(n).padStart(8, "0")}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
const keyOf = (bytes: Uint8Array) => storageKeyFor(createHash("sha256").update(bytes).digest("hex"));
const hour = 3_600_000;
const PASSWORDS: Record<string, string> = {
  dangzheng: "Unit@2026",
  qianming: "Unit@2026",
  office: "Office@2026",
  evaluator: "Eval@2026",
};

/** Uploads on a real folder: staged, moved to their key after the row; the sweep of what nothing uses. */
describe.each(testDbKinds())("the file store's folder and its sweep on %s", (kind) => {
  let database: TestDatabase;
  let root: string;
  let userId: number;
  const host = "gongkai.test";
  let cookie = "";

  /** Names under a store's folder, "tmp/…" and "ab/ab…" alike. */
  const filesOnDisk = async (dir: string) => {
    const found: string[] = [];
    for (const sub of await readdir(dir))
      for (const f of await readdir(join(dir, sub))) found.push(`${sub}/${f}`);
    return found.sort();
  };
  const appWith = (store: LocalFileStore) => createApp({ database, version: "t", fileStore: store });
  const upload = (app: ReturnType<typeof createApp>, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.append("file", new File([bytes], name));
    return app.request(`http://${host}/api/files`, { method: "POST", body: form, headers: { cookie, host } });
  };
  const download = (app: ReturnType<typeof createApp>, id: number) =>
    app.request(`http://${host}/api/files/${id}`, { headers: { cookie, host } });
  const rowsFor = async (key: string) =>
    (await database.db.select().from(storedFiles).where(eq(storedFiles.storageKey, key))).length;
  const rowFor = (key: string, bytes: Uint8Array) =>
    insertStoredFile(database.db, {
      sha256: key.slice(3),
      sizeBytes: bytes.length,
      mimeType: "application/pdf",
      fileName: "台账.pdf",
      storageKey: key,
      uploadedBy: userId,
      unitId: null,
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db, { activity: false });
    const app = createApp({ database, version: "t" });
    const res = await app.request(`http://${host}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", host },
      body: JSON.stringify({ username: "dangzheng", password: "Unit@2026" }),
    });
    cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const [user] = await database.db.select().from(users).where(eq(users.username, "dangzheng"));
    userId = user?.id ?? 0;
  });
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "gongkai-files-"));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it("an upload leaves one file under its key and nothing temporary; the same bytes again share it", async () => {
    const dir = join(root, "upload");
    const app = appWith(new LocalFileStore(dir));
    const bytes = numberedPdf(1);
    const first = (await (await upload(app, "台账.pdf", bytes)).json()) as { id: number };
    const again = (await (await upload(app, "台账(副本).pdf", bytes)).json()) as { id: number };
    expect(again.id).not.toBe(first.id);
    expect(await filesOnDisk(dir)).toEqual([keyOf(bytes)]);
    expect(await rowsFor(keyOf(bytes))).toBe(2);
    expect(new Uint8Array(await (await download(app, again.id)).arrayBuffer())).toEqual(bytes);
  });

  it("a store that cannot move the bytes into place: the upload fails in Chinese and leaves no row and no file", async () => {
    class BrokenStore extends LocalFileStore {
      override async commit(): Promise<boolean> {
        throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      }
    }
    const dir = join(root, "broken");
    const app = appWith(new BrokenStore(dir));
    const bytes = numberedPdf(2);
    const res = await upload(app, "证明.pdf", bytes);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("请重新上传");
    expect(await rowsFor(keyOf(bytes))).toBe(0);
    expect(await readdir(join(dir, "tmp"))).toEqual([]);
    expect(await readdir(dir)).not.toContain(keyOf(bytes).slice(0, 2));
  });

  it("an upload killed before its row leaves only a temporary file, swept after the grace period and not before", async () => {
    const dir = join(root, "killed");
    const store = new LocalFileStore(dir);
    const bytes = numberedPdf(3);
    const key = keyOf(bytes);
    const staged = await store.stage(key, bytes); // …and the process dies here
    // The store before staged uploads: `<key>.<pid>.<ms>.tmp` beside the object.
    await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
    await writeFile(join(dir, `${key}.4242.1700000000000.tmp`), bytes.slice(0, 10));
    expect(await store.get(key)).toBeNull();

    const now = new Date();
    const early = await sweepFileStore(database.db, store, new Date(now.getTime() + sweepGraceMs - 60_000));
    expect(early).toMatchObject({ temporary: 0, orphans: 0 });
    expect(await store.get(staged)).not.toBeNull();

    const late = await sweepFileStore(database.db, store, new Date(now.getTime() + sweepGraceMs + 60_000));
    expect(late).toMatchObject({ temporary: 2, orphans: 0, recovered: 0, bytes: bytes.length + 10 });
    expect(await readdir(join(dir, "tmp"))).toEqual([]);
    expect(await readdir(join(dir, key.slice(0, 2)))).toEqual([]);
  });

  it("an upload killed after its row and before the move is completed by the sweep, and downloads again", async () => {
    const dir = join(root, "after-row");
    const store = new LocalFileStore(dir);
    const app = appWith(store);
    const bytes = numberedPdf(4);
    const key = keyOf(bytes);
    await store.stage(key, bytes);
    const row = await rowFor(key, bytes); // …and the process dies here, before the move
    expect((await download(app, row.id)).status).toBe(410);

    // Another one whose bytes were cut short: never served as if whole.
    const cut = numberedPdf(40);
    const cutStaged = await store.stage(keyOf(cut), cut.slice(0, 20));
    const cutRow = await rowFor(keyOf(cut), cut);

    const result = await sweepFileStore(database.db, store, new Date(Date.now() + sweepGraceMs + 60_000));
    expect(result).toMatchObject({ recovered: 1, temporary: 1 });
    const got = await download(app, row.id);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    expect((await download(app, cutRow.id)).status).toBe(410);
    expect(await store.get(cutStaged)).toBeNull();
  });

  it("deletes an old file no record names, keeps one a record names, a young one, and anything not its own", async () => {
    const dir = join(root, "orphans");
    const store = new LocalFileStore(dir);
    const app = appWith(store);
    const kept = numberedPdf(5);
    const up = (await (await upload(app, "在用.pdf", kept)).json()) as { id: number };
    const orphan = numberedPdf(6);
    await store.commit(await store.stage(keyOf(orphan), orphan), keyOf(orphan));
    await writeFile(join(dir, "说明.txt"), "not the store's");
    await writeFile(join(dir, keyOf(kept).slice(0, 2), "notes.txt"), "not the store's");

    const young = await sweepFileStore(database.db, store, new Date());
    expect(young.orphans).toBe(0);
    expect(await store.get(keyOf(orphan))).not.toBeNull();

    const result = await sweepFileStore(database.db, store, new Date(Date.now() + 25 * hour));
    expect(result).toMatchObject({ orphans: 1, bytes: orphan.length, failed: 0 });
    expect(await store.get(keyOf(orphan))).toBeNull();
    expect((await download(app, up.id)).status).toBe(200);
    expect(await readFile(join(dir, "说明.txt"), "utf8")).toBe("not the store's");
    expect(await readdir(join(dir, keyOf(kept).slice(0, 2)))).toContain("notes.txt");
    await expect(store.remove("../../etc/passwd")).rejects.toThrow(/invalid storage name/);
    await expect(store.remove(`../${keyOf(orphan)}`)).rejects.toThrow(/invalid storage name/);
  });

  it("keeps an old file that is uploaded again while the sweep is setting it aside", async () => {
    const dir = join(root, "race");
    const bytes = numberedPdf(7);
    const key = keyOf(bytes);
    let rowId = 0;
    class RacingStore extends LocalFileStore {
      override async setAside(k: string) {
        const aside = await super.setAside(k);
        // The same content uploaded at this moment: its row commits, the object seems to be there.
        if (k === key) rowId = (await rowFor(key, bytes)).id;
        return aside;
      }
    }
    const store = new RacingStore(dir);
    await store.commit(await store.stage(key, bytes), key);
    const result = await sweepFileStore(database.db, store, new Date(Date.now() + 25 * hour));
    expect(result.orphans).toBe(0);
    const got = await download(appWith(store), rowId);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
  });
});

/** The per-user quota: total bytes (413) and files a day (429), checked one upload at a time per user. */
describe.each(testDbKinds())("upload quota on %s", (kind) => {
  let database: TestDatabase;
  const host = "gongkai.test";
  const cookies = new Map<string, string>();
  const size = numberedPdf(0).length;
  let clock = new Date("2026-03-02T09:00:00+08:00");

  const filesApp = (store: MemoryFileStore, quota: UploadQuota) =>
    new Hono().route("/api/files", filesRoutes({ database, store, now: () => clock, quota }));
  const upload = (app: Hono, as: string, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.append("file", new File([bytes], name));
    return app.request(`http://${host}/api/files`, {
      method: "POST",
      body: form,
      headers: { cookie: cookies.get(as) ?? "", host },
    });
  };
  const usage = async (username: string) => {
    const [row] = await database.db
      .select({
        n: sql<number>`count(*)::int`,
        bytes: sql<number>`coalesce(sum(${storedFiles.sizeBytes}), 0)::int`,
      })
      .from(storedFiles)
      .innerJoin(users, eq(users.id, storedFiles.uploadedBy))
      .where(eq(users.username, username));
    return row ?? { n: 0, bytes: 0 };
  };
  const messageOf = async (res: Response) =>
    ((await res.json()) as { error: { message: string } }).error.message;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db, { activity: false });
    const app = createApp({ database, version: "t" });
    for (const username of ["dangzheng", "qianming", "office", "evaluator"]) {
      const res = await app.request(`http://${host}/trpc/auth.signIn`, {
        method: "POST",
        headers: { "content-type": "application/json", host },
        body: JSON.stringify({ username, password: PASSWORDS[username] }),
      });
      cookies.set(username, (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "");
    }
  });
  afterAll(() => database?.drop());

  it("refuses the upload that would pass the cap with 413 in Chinese, writing no row and no file", async () => {
    const store = new MemoryFileStore();
    const app = filesApp(store, { maxBytesPerUser: 3 * size + size / 2, maxFilesPerDay: 100 });
    for (const n of [101, 102, 103])
      expect((await upload(app, "dangzheng", `${n}.pdf`, numberedPdf(n))).status).toBe(200);
    const over = await upload(app, "dangzheng", "104.pdf", numberedPdf(104));
    expect(over.status).toBe(413);
    const message = await messageOf(over);
    expect(message).toContain("上限");
    expect(message).toContain("联系系统管理员调整额度");
    expect(await usage("dangzheng")).toEqual({ n: 3, bytes: 3 * size });
    expect(store.files.has(keyOf(numberedPdf(104)))).toBe(false);
    expect(store.staged.size).toBe(0);
    // Another user's uploads are their own.
    expect((await upload(app, "evaluator", "104.pdf", numberedPdf(104))).status).toBe(200);
  });

  it("refuses the day's upload past the daily count with 429 in Chinese, and takes it the next day", async () => {
    const store = new MemoryFileStore();
    const app = filesApp(store, { maxBytesPerUser: 100 * size, maxFilesPerDay: 2 });
    clock = new Date("2026-03-03T23:30:00+08:00");
    expect((await upload(app, "qianming", "1.pdf", numberedPdf(201))).status).toBe(200);
    expect((await upload(app, "qianming", "2.pdf", numberedPdf(202))).status).toBe(200);
    const third = await upload(app, "qianming", "3.pdf", numberedPdf(203));
    expect(third.status).toBe(429);
    expect(await messageOf(third)).toContain("请明天再上传");
    expect((await usage("qianming")).n).toBe(2);
    expect(store.files.has(keyOf(numberedPdf(203)))).toBe(false);
    clock = new Date("2026-03-04T00:10:00+08:00");
    expect((await upload(app, "qianming", "3.pdf", numberedPdf(203))).status).toBe(200);
  });

  it("parallel uploads at the cap: exactly as many as fit are taken, the total never passes it", async () => {
    const store = new MemoryFileStore();
    const cap = 5 * size + size / 2;
    const app = filesApp(store, { maxBytesPerUser: cap, maxFilesPerDay: 100 });
    const before = await usage("office");
    const room = Math.floor((cap - before.bytes) / size);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => upload(app, "office", `${i}.pdf`, numberedPdf(300 + i))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(room);
    expect(statuses.filter((s) => s === 413)).toHaveLength(12 - room);
    const after = await usage("office");
    expect(after.bytes).toBeLessThanOrEqual(cap);
    expect(after.n - before.n).toBe(room);
    expect(store.files.size).toBe(room);
    expect(store.staged.size).toBe(0);
  });
});
