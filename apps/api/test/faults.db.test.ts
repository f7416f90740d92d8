/**
 * The API through database faults, as an operator meets them: its own PostgreSQL cluster (not the
 * machine's main one) restarted and then its postmaster killed -9 while 200 clients submit
 * progress reports over HTTP to a server running as its own process.
 *
 * What must hold (issue 16): the server process never exits; it answers again within 5 s of the
 * database being back; every submission a client was told succeeded is in the database exactly
 * once (none lost, none doubled) — clients retry what failed with the same submission key, as
 * the dashboard does. The figures are printed for BENCHMARKS.md.
 *
 * The fault that killed the process (postgres.js 3.4.9, porsager/postgres#1154) is guarded by
 * patches/postgres@3.4.9.patch; without the patch this test sees the server exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createDatabase,
  createPlan,
  createTask,
  createUnit,
  createUser,
  setPlanStatus,
  setReportingCycle,
  systemActor,
} from "@gongkai/db";
import { canCreateClusters, createTestCluster, type TestCluster } from "@gongkai/db/cluster";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const mainTs = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const UNITS = 20;
const TASKS = 60;
const CLIENTS = 200;
const PASSWORD = "Fault@2026x";
const YEAR = 2026;

let cluster: TestCluster;
let server: ChildProcess;
let baseUrl = "";
const exits: string[] = [];
const dataDir = mkdtempSync(join(tmpdir(), "gongkai-fault-"));

async function startServer(url: string): Promise<void> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn(process.execPath, ["--import", "tsx", mainTs], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: "127.0.0.1",
      JOBS: "false",
      SEED_DEMO: "false",
      DATA_DIR: dataDir,
      WEB_DIST: join(dataDir, "no-web"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.on("exit", (code, signal) => exits.push(`exit ${code} ${signal ?? ""}`));
  let stderr = "";
  server.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (exits.length) throw new Error(`the server exited before listening: ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server did not come up: ${stderr}`);
}

beforeAll(async () => {
  if (!canCreateClusters())
    throw new Error("the fault test needs root and Debian's postgresql-common (pg_createcluster)");
  cluster = await createTestCluster(`gkfault${process.pid}`);
  const admin = postgres(cluster.url(), { max: 1, onnotice: () => {} });
  await admin.unsafe("create database gongkai");
  await admin.end();
  // Data: 20 departments with a user each, a published monthly plan of 60 tasks every unit
  // carries out itself: 20 × 60 × 12 reports to file.
  const database = await createDatabase({ url: cluster.url("gongkai"), max: 4 });
  await database.migrate();
  const db = database.db;
  const gov = await createUnit(db, systemActor, { parentId: null, name: "某县人民政府", kind: "government" });
  const unitIds: number[] = [];
  for (let u = 1; u <= UNITS; u++) {
    const unit = await createUnit(db, systemActor, {
      parentId: gov.id,
      name: `某县第${u}局`,
      kind: "department",
    });
    unitIds.push(unit.id);
    await createUser(db, systemActor, {
      username: `unit${u}`,
      displayName: `第${u}局联络员`,
      role: "unit",
      unitId: unit.id,
      password: PASSWORD,
    });
  }
  const plan = await createPlan(db, systemActor, {
    year: YEAR,
    title: "某县2026年政务公开工作要点",
    issuerUnitId: gov.id,
  });
  await setReportingCycle(db, systemActor, plan.id, "month");
  const none = { unitIds: [], groupIds: [] };
  for (let t = 1; t <= TASKS; t++) {
    await createTask(db, systemActor, plan.id, {
      sectionId: null,
      code: String(t),
      title: `第${t}项任务`,
      content: `第${t}项任务的内容。`,
      category: null,
      units: { lead: none, cooperating: none, responsible: { unitIds, groupIds: [] } },
      deadlines: [],
    });
  }
  await setPlanStatus(db, systemActor, plan.id, "published");
  await database.close();
  await startServer(cluster.url("gongkai"));
}, 300_000);

afterAll(async () => {
  server?.kill("SIGTERM");
  cluster?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Call = { ok: boolean; status: number; body: unknown };

async function call(cookie: string, path: string, input: unknown, method: "GET" | "POST"): Promise<Call> {
  try {
    const res =
      method === "GET"
        ? await fetch(`${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
            headers: { cookie },
            signal: AbortSignal.timeout(20_000),
          })
        : await fetch(`${baseUrl}/trpc/${path}`, {
            method: "POST",
            headers: { cookie, "content-type": "application/json", origin: baseUrl },
            body: JSON.stringify(input),
            signal: AbortSignal.timeout(20_000),
          });
    const body = (await res.json().catch(() => null)) as { result?: { data?: unknown } } | null;
    return { ok: res.ok, status: res.status, body: body?.result?.data ?? body };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

it("survives a restart and a kill -9 of PostgreSQL under 200 clients: no exit, back within 5 s, nothing lost or doubled", async () => {
  // Sessions: one per unit, shared by the unit's ten clients.
  const cookies: string[] = [];
  for (let u = 1; u <= UNITS; u++) {
    const res = await fetch(`${baseUrl}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({ username: `unit${u}`, password: PASSWORD }),
    });
    cookies.push((res.headers.get("set-cookie") ?? "").split(";")[0] ?? "");
  }
  const tasks = (await call(cookies[0] as string, "tasks.mine", { year: YEAR }, "GET")).body as {
    id: number;
  }[];
  const taskIds = tasks.map((t) => t.id);
  expect(taskIds.length).toBeGreaterThan(0);

  const acked = new Map<string, number>(); // submission key → report id
  let errors = 0;
  let stop = false;
  let lastSuccess = 0;
  const successes: number[] = [];
  const client = async (c: number) => {
    const unit = c % UNITS;
    const cookie = cookies[unit] as string;
    // Each client owns its share of the unit's (task, month) slots.
    const mine = taskIds.filter((_, i) => i % (CLIENTS / UNITS) === Math.floor(c / UNITS));
    for (const taskId of mine) {
      for (let m = 1; m <= 12 && !stop; m++) {
        const period = `${YEAR}-${String(m).padStart(2, "0")}`;
        const key = `fault-${c}-${taskId}-${period}`;
        let report: { id: number; version: number; state: string } | null = null;
        while (!stop && report === null) {
          const saved = await call(
            cookie,
            "reports.save",
            { taskId, period, status: "inProgress", percent: 50, summary: "按计划推进。" },
            "POST",
          );
          if (saved.ok) report = saved.body as typeof report;
          else {
            errors++;
            // A save that committed before the connection dropped: read what is there.
            const form = await call(cookie, "reports.form", { taskId, period }, "GET");
            const r = (form.body as { report?: { id: number; version: number; state: string } } | null)
              ?.report;
            if (form.ok && r) report = r;
            else await new Promise((res) => setTimeout(res, 100));
          }
        }
        while (!stop && report) {
          const submitted = await call(
            cookie,
            "reports.submit",
            { reportId: report.id, version: report.version, submissionKey: key },
            "POST",
          );
          if (submitted.ok) {
            acked.set(key, report.id);
            successes.push(Date.now());
            lastSuccess = Date.now();
            break;
          }
          errors++;
          if (submitted.status === 409) {
            const form = await call(cookie, "reports.form", { taskId, period }, "GET");
            const r = (form.body as { report?: { id: number; version: number; state: string } } | null)
              ?.report;
            if (form.ok && r) report = r;
          } else await new Promise((res) => setTimeout(res, 100));
        }
      }
    }
  };

  const started = Date.now();
  const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const backAfter = async (label: string, fault: () => void | Promise<void>) => {
    const before = successes.length;
    await fault();
    while (!cluster.isReady()) await wait(50);
    const back = Date.now();
    while (successes.length === before || (successes.at(-1) ?? 0) < back) {
      if (Date.now() - back > 30_000) break;
      await wait(20);
    }
    const firstSuccess = ((successes.find((t) => t >= back) ?? Date.now()) - back) / 1000;
    console.info(
      `[faults] ${label}: database back, first submission accepted ${firstSuccess.toFixed(2)} s later`,
    );
    return firstSuccess;
  };
  await wait(3000);
  const afterRestart = await backAfter("restart -m fast", () => cluster.restart());
  await wait(3000);
  let whileDown: { health: number; ready: number; read: Call } | null = null;
  const afterKill = await backAfter("postmaster killed -9", async () => {
    cluster.kill9();
    // While it is down the server says so: 503 on /health and /ready, and 503 with a Chinese
    // message on a read (tried twice), never a 500 or a hang.
    await wait(300);
    const t0 = Date.now();
    whileDown = {
      health: (await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(20_000) })).status,
      ready: (await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(20_000) })).status,
      read: await call(cookies[0] as string, "tasks.mine", { year: YEAR }, "GET"),
    };
    console.info(
      `[faults] while down: ${JSON.stringify({ ...whileDown, read: whileDown.read.status })} in ${Date.now() - t0} ms`,
    );
    // The backends notice their postmaster is gone and exit; then the server starts again.
    await wait(700);
    cluster.start();
  });
  await wait(3000);
  stop = true;
  await load;
  const seconds = (Date.now() - started) / 1000;

  // What the database holds for the clients' keys.
  const check = postgres(cluster.url("gongkai"), { max: 1, onnotice: () => {} });
  const rows = await check<{ key: string; report_id: number; n: number }[]>`
      select submission_key as key, report_id, count(*)::int as n from report_revisions
      where submission_key like 'fault-%' group by submission_key, report_id`;
  const perReport = await check<{ n: number }[]>`
      select count(*)::int as n from report_revisions where submission_key like 'fault-%'
      group by report_id having count(*) > 1`;
  await check.end();
  const stored = new Map(rows.map((r) => [r.key, r]));
  const lost = [...acked.keys()].filter((k) => stored.get(k)?.report_id !== acked.get(k));
  const doubled = rows.filter((r) => r.n > 1).length + perReport.length;
  console.info(
    `[faults] ${CLIENTS} clients, ${seconds.toFixed(0)} s: ${acked.size} submissions accepted, ${errors} failed attempts retried, ${lost.length} lost, ${doubled} doubled, ${exits.length} server exits`,
  );
  expect(exits).toEqual([]);
  const down = whileDown as unknown as { health: number; ready: number; read: Call };
  expect([down.health, down.ready, down.read.status]).toEqual([503, 503, 503]);
  expect(JSON.stringify(down.read.body)).toContain("数据库暂时无法连接");
  // Enough traffic that both faults hit requests in flight. How much gets through depends on what
  // else the machine runs (687 alone, 372 beside two other suites on two cores): a floor, not a speed.
  expect(acked.size).toBeGreaterThan(200);
  expect(lost).toEqual([]);
  expect(doubled).toBe(0);
  expect(afterRestart).toBeLessThanOrEqual(5);
  expect(afterKill).toBeLessThanOrEqual(5);
  expect(lastSuccess).toBeGreaterThan(0);
  // And the health check says so.
  expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
}, 300_000);
