// The rest of issue 16's list: PostgreSQL restart/kill under load in faults.db.test.ts, least privilege in roles.db.test.ts, backup/restore in backup.db.test.ts, upload quota and sweep in files.db.test.ts, the daily job in packages/api/test/reports.db.test.ts.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createDatabase,
  createUnit,
  createUser,
  sealAuditLog,
  seedDemo,
  systemActor,
  verifyAuditChain,
} from "@gongkai/db";
import { auditLog, evaluationProjects, units, users } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { serve } from "@hono/node-server";
import { Document, Packer, Paragraph } from "docx";
import { and, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { MemoryFileStore } from "../src/storage.ts";

/** A response body: a refusal carries a message; a tRPC answer its data under `result`. */
type Body<T = unknown> = T & { error?: { message: string } };
type Trpc<T> = Body<{ result?: { data: T } }>;
const isChinese = (s: string | undefined) => /[\u4e00-\u9fff]/.test(s ?? "");
const MB = 1024 * 1024;
const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

/** A real .docx whose document.xml unpacks to 256 MB (built once: it takes seconds). */
let bomb: Promise<Uint8Array> | undefined;
const zipBomb = () => {
  bomb ??= (async () => {
    const docx = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph("一、公开。")] }] }),
    );
    const zip = await JSZip.loadAsync(docx);
    zip.file("word/document.xml", Buffer.alloc(256 * MB, "<w:p><w:r><w:t>一、公开。</w:t></w:r></w:p>"));
    return zip.generateAsync({
      type: "uint8array",
      compression: "DEFLATE",
      compressionOptions: { level: 1 },
    });
  })();
  return bomb;
};

const fileForm = (bytes: Uint8Array, name: string) => {
  const form = new FormData();
  form.append("file", new File([bytes], name));
  return form;
};

/** A body of `bytes` zeros sent as a stream of 64 KB chunks, never held in memory whole. */
const streamOf = (bytes: number) => {
  const chunk = new Uint8Array(64 * 1024);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
};

/** How long a request takes, and its response. */
const timed = async (request: Promise<Response>) => {
  const started = performance.now();
  const res = await request;
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
};

/** Issue 16's list of attacks, each re-run over real HTTP against a running server: all refused or survived. */
describe.each(testDbKinds())("attacks over HTTP on %s", (kind) => {
  let database: TestDatabase;
  let server: ReturnType<typeof serve>;
  let base = "";
  const cookies = new Map<string, string>();

  type Options = { as?: string; from?: string; body?: RequestInit["body"]; json?: unknown };
  /** A request as a browser page of this server would send it (as a signed-in user, from an address). */
  const http = (path: string, o: Options = {}) => {
    const headers: Record<string, string> = { origin: base };
    if (o.as) headers.cookie = cookies.get(o.as) ?? "";
    if (o.from) headers["x-forwarded-for"] = o.from;
    if (o.json !== undefined) headers["content-type"] = "application/json";
    return fetch(`${base}${path}`, {
      method: o.body || o.json !== undefined ? "POST" : "GET",
      headers,
      body: o.json !== undefined ? JSON.stringify(o.json) : o.body,
    });
  };
  const call = async <T = unknown>(path: string, o: Options = {}) => {
    const res = await http(path, o);
    return { status: res.status, body: (await res.json()) as Body<T>, cookie: res.headers.get("set-cookie") };
  };
  const query = <T = unknown>(as: string, path: string, input?: unknown) =>
    call<Trpc<T>>(
      `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
      {
        as,
      },
    );
  const signIn = async (username: string, password: string, from?: string) => {
    const res = await call("/trpc/auth.signIn", { json: { username, password }, from });
    if (res.status === 200) cookies.set(username, (res.cookie ?? "").split(";")[0] ?? "");
    return res;
  };
  const unitId = async (name: string) =>
    (await database.db.select().from(units).where(eq(units.name, name)))[0]?.id ?? 0;
  const addUser = async (username: string, password: string, role: "unit" | "office", unit: number) =>
    createUser(database.db, systemActor, { username, password, displayName: username, role, unitId: unit });
  const auditRows = async (action: string, entityId: string) =>
    (
      await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)))
    )[0]?.n ?? 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db, { activity: true });
    // Behind a proxy (trustProxy) so that tests can speak from addresses of their own. The clock
    // stands still: a sign-in lock of a second must not run out while a loaded machine checks
    // 40 passwords (it did, and the right password from the locked address got in).
    const clock = new Date();
    const app = createApp({
      database,
      version: "security",
      fileStore: new MemoryFileStore(),
      trustProxy: true,
      now: () => clock,
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [username, password] of [
      ["office", "Office@2026"],
      ["dangzheng", "Unit@2026"],
      ["qianming", "Unit@2026"],
    ] as const)
      expect((await signIn(username, password)).status).toBe(200);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await database?.drop();
  });

  it("an anonymous 50 MB body to sign-in is refused with 413 after 16 KB; the server stays up and its memory flat", async () => {
    const before = process.memoryUsage().rss;
    const res = await fetch(`${base}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: streamOf(50 * MB),
      duplex: "half",
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Body).error?.message).toBe("请求内容过大。");
    expect((await http("/health")).status).toBe(200);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it("a zip bomb sent to the importer is refused with 413 in Chinese; /health and auth.me answer within 1 s meanwhile", async () => {
    const upload = call("/api/imports/preview", {
      as: "office",
      body: fileForm(await zipBomb(), "要点.docx"),
    });
    const [health, me] = await Promise.all([
      timed(http("/health")),
      timed(http("/trpc/auth.me", { as: "dangzheng" })),
    ]);
    const refused = await upload;
    expect(refused.status).toBe(413);
    expect(refused.body.error?.message).toMatch(/解压后超过.*压缩炸弹/);
    expect(health).toMatchObject({ status: 200 });
    expect(me).toMatchObject({ status: 200 });
    expect(health.ms).toBeLessThan(1000);
    expect(me.ms).toBeLessThan(1000);
  });

  it("300 parallel guesses at one account from one address check at most 6 passwords; the right one, sent late, does not sign in", async () => {
    await addUser("guess-target", "Target@2026x", "unit", await unitId("党政办公室"));
    const from = "203.0.113.3";
    const guesses = Array.from({ length: 300 }, (_, i) => (i === 280 ? "Target@2026x" : `guess-${i}`));
    const results = await Promise.all(guesses.map((password) => signIn("guess-target", password, from)));
    const checked = results.filter((r) => r.status === 401);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(6);
    for (const r of checked) expect(r.body.error?.message).toBe("用户名或密码错误,请检查后重试。");
    expect(results.filter((r) => r.status === 429)).toHaveLength(300 - checked.length);
    expect(results[280]).toMatchObject({ status: 429, cookie: null });
    expect(await auditRows("auth.signInFailed", "guess-target")).toBe(checked.length);
  });

  it("40 failures from one address for several accounts do not lock out the right password from the owner's address", async () => {
    const gov = await unitId("徐泾镇人民政府");
    await addUser("victim", "Victim@2026x", "office", gov);
    const [owner, attacker] = ["198.51.100.4", "203.0.113.4"];
    expect((await signIn("victim", "Victim@2026x", owner)).status).toBe(200); // the owner's usual address
    const targets = ["victim", "office", "dangzheng", "nobody"];
    const failures = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(targets[i % 4] ?? "victim", `wrong-${i}`, attacker)),
    );
    expect(failures.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect((await signIn("victim", "Victim@2026x", attacker)).status).toBe(429);
    const owners = await signIn("victim", "Victim@2026x", owner);
    expect(owners.status).toBe(200);
    expect(owners.cookie).toMatch(/^gk_session=/);
  });

  it("bad input is refused as 400 or 404, never 500: NUL in a user name, ids past 2^31", async () => {
    const nul = await call("/trpc/auth.signIn", {
      json: { username: "office\u0000", password: "x" },
      from: "192.0.2.5",
    });
    expect(nul.status).toBe(400);
    expect(isChinese(nul.body.error?.message)).toBe(true);
    expect((await http("/api/files/2147483648", { as: "office" })).status).toBe(404);
    expect((await http("/api/public/evaluations/99999999999/results.json")).status).toBe(404);
    const huge = await query("office", "plans.get", { id: 2 ** 31 });
    expect(huge.status).toBe(400);
    expect(isChinese(huge.body.error?.message)).toBe(true);
  });

  it("another unit counting file ids finds none of a unit's evidence: every id answers the same 404", async () => {
    const uploaded = await call<{ id: number }>("/api/files", {
      as: "dangzheng",
      body: fileForm(pdf, "目录截图.pdf"),
    });
    expect(uploaded.status).toBe(200);
    const fileId = uploaded.body.id;
    const plan = await query<{ tasks: { id: number; code: string }[] }>("office", "plans.get", { id: 1 });
    const saved = await call("/trpc/reports.save", {
      as: "dangzheng",
      json: {
        taskId: plan.body.result?.data.tasks.find((t) => t.code === "10")?.id,
        period: "2023-Q4", // one the demo's activity has no report for yet
        status: "done",
        percent: 100,
        summary: "已公开",
        evidence: { links: [], fileIds: [fileId] },
      },
    });
    expect(saved.status).toBe(200);
    expect((await http(`/api/files/${fileId}`, { as: "dangzheng" })).status).toBe(200);
    const counted = [];
    for (let id = 1; id <= fileId + 5; id++) counted.push(await call(`/api/files/${id}`, { as: "qianming" }));
    expect(new Set(counted.map((r) => r.status))).toEqual(new Set([404]));
    expect(new Set(counted.map((r) => r.body.error?.message))).toEqual(new Set(["文件不存在或您无权查看。"]));
  });

  it("a county office editing every government's holiday calendar is refused with 403; the calendar is unchanged", async () => {
    const before = await query("office", "calendar.list", { year: 2026 });
    const res = await call("/trpc/calendar.upsert", {
      as: "office",
      json: { days: [{ date: "2026-10-09", kind: "holiday", name: "国庆节" }] },
    });
    expect(res.status).toBe(403);
    expect(isChinese(res.body.error?.message)).toBe(true);
    expect((await query("office", "calendar.list", { year: 2026 })).body).toEqual(before.body);
  });

  it("another government's office listing evaluators sees none of the demo's", async () => {
    const other = await createUnit(database.db, systemActor, {
      parentId: null,
      name: "白鹤镇人民政府",
      kind: "town",
    });
    await addUser("baihe-office", "Baihe@2026x", "office", other.id);
    expect((await signIn("baihe-office", "Baihe@2026x", "192.0.2.8")).status).toBe(200);
    const demo = await database.db.select().from(users).where(eq(users.role, "evaluator"));
    const names = async (as: string) =>
      (await query<{ username: string }[]>(as, "evaluation.evaluatorOptions")).body.result?.data.map(
        (u) => u.username,
      );
    const evaluators = demo.map((u) => u.username);
    expect(await names("office")).toEqual(expect.arrayContaining(evaluators));
    const theirs = await names("baihe-office");
    expect(theirs).toBeDefined();
    expect(theirs?.filter((n) => evaluators.includes(n))).toEqual([]);
  });

  it("a published ranking altered in the database is withheld (409), and an altered audit row is reported", async () => {
    const [project] = await database.db
      .select()
      .from(evaluationProjects)
      .where(eq(evaluationProjects.year, 2022));
    const path = `/api/public/evaluations/${project?.id}/results.json?version=1`;
    const published = await http(path);
    expect(published.status).toBe(200);
    // What the database's owner could do: move a unit up the published ranking.
    await database.db.execute(
      sql`update evaluation_results set results = jsonb_set(results, '{units,0,total}', '100'::jsonb)
          where project_id = ${project?.id} and version = 1`,
    );
    const altered = await call(path);
    expect(altered.status).toBe(409);
    expect(altered.body).toEqual({ error: { message: expect.stringContaining("与发布时的校验值不符") } });
    // And then rewrite the alert it raised (once sealed, as the server's sealer does within a
    // second), with the append-only trigger switched off.
    await sealAuditLog(database.db, { wait: true });
    const [alert] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "integrity.alert"), eq(auditLog.entityId, `${project?.id}:1`)));
    await database.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    try {
      await database.db.execute(sql`update audit_log set after = '{}'::jsonb where id = ${alert?.id}`);
    } finally {
      await database.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    }
    const report = await verifyAuditChain(database.db);
    expect(report.problems).toContainEqual({ seq: alert?.seq, id: alert?.id, kind: "changed" });
  });

  if (kind === "pglite")
    it("a second process on the same PGlite data folder is refused in Chinese, naming the folder and the lock's owner", async () => {
      const dataDir = await mkdtemp(join(tmpdir(), "gk-security-"));
      const first = await createDatabase({ dataDir });
      try {
        await expect(createDatabase({ dataDir })).rejects.toThrow(
          `数据目录 ${dataDir} 正由另一个进程(pid ${process.pid})使用`,
        );
      } finally {
        await first.close();
        await rm(dataDir, { recursive: true, force: true });
        await rm(`${dataDir}.lock`, { force: true });
      }
    });
});
