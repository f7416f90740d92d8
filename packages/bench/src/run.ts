/**
 * `pnpm bench` (second part): first the dashboard's JavaScript per route against its budgets
 * (bundle.ts: one JSON line per route, `{"name":"bundle/login","js_gzip_kb",…,"met"}`; a route
 * over its budget makes the run fail at the end). Then the benchmark suite against the data `pnpm bench:seed` loaded, on
 * PostgreSQL at DATABASE_URL or on the PGlite data a tiny/county seed left. Prints one JSON line
 * per benchmark ({"name","p50_ms","p95_ms","ops_per_s","n"}) on stdout; a summary with the
 * API/SQL ratios and the targets goes to stderr. Skips the database part when no data is loaded.
 *
 * Each read runs two ways, in turns on the same input: `<name>` through the tRPC caller (procedure,
 * middleware, query functions, drizzle, JavaScript work on the rows), and `<name>/sql`, the
 * statements that call sent (captured once per input) replayed through the raw driver. Inputs
 * rotate over a fixed sample. Taking turns keeps the ratio of the two from being skewed by what the
 * machine did during one of two separate runs (it moved a read's ratio by ±0.3 from run to run).
 */
import { cpus, loadavg, totalmem } from "node:os";
import { type SQL, sql } from "drizzle-orm";
import { type BenchResult, measure, measurePair, print } from "../../core/bench/harness.ts";
import { bundleReport } from "./bundle.ts";
import { type Round, SqlCapture } from "./capture.ts";
import { env } from "./env.ts";
import { benchYear } from "./generate.ts";
import { cannon, type HttpResult, signIn, startServer } from "./http.ts";
import { selectRows } from "./load.ts";
import { type Caller, Callers, loadFixtures, procedure, type Read, reads } from "./suite.ts";
import { openTarget } from "./target.ts";

const log = (line: string) => process.stderr.write(`${line}\n`);

// The bundle first: it needs no database, and a slow link is where most users wait.
const bundle = await bundleReport();
const overBudget = bundle.filter((r) => !r.met).map((r) => r.route);
if (overBudget.length > 0) process.exitCode = 1;

const target = await openTarget();
if ("missing" in target) {
  log(
    `[bench] database benchmarks skipped: no benchmark data loaded (${target.missing}).\n` +
      "        Load it with `pnpm bench:seed --scale county` (PGlite, kept in $TMPDIR) or " +
      "`DATABASE_URL='postgres://postgres@localhost/gongkai_bench?host=/var/run/postgresql' pnpm bench:seed --scale province`.",
  );
  process.exit(process.exitCode ?? 0);
}
const { database } = target;
const { db } = database;
const capture = new SqlCapture(database);
const results: BenchResult[] = [];
const httpResults: HttpResult[] = [];
const wanted = (name: string) => !env.BENCH_ONLY || name.includes(env.BENCH_ONLY);
const emit = (r: BenchResult) => {
  results.push(r);
  print(r);
};

const rows = <T>(query: SQL) => selectRows<T>(db, query);

log(
  `[bench] ${target.where}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
);
const [counts] = await rows<Record<string, number>>(sql`
  select (select count(*) from units)::int as units, (select count(*) from plans)::int as plans,
         (select count(*) from tasks)::int as tasks, (select count(*) from task_assignments)::int as assignments,
         (select count(*) from progress_reports)::int as reports, (select count(*) from audit_log)::int as audit`);
log(`[bench] data: ${JSON.stringify(counts)}`);

// ------------------------------------------------------------------ reads

const fixtures = await loadFixtures(db);
const callers = new Callers(database, capture);
const callerFor = (userId: number) => callers.of(userId);

/** A read through the API and, replaying what that call sent, as plain SQL; inputs rotate. */
async function pair(r: Read) {
  if (!wanted(r.name) || r.inputs.length === 0) return;
  if (r.requires) {
    const probe = (await callerFor(r.userOf(r.inputs[0]))).api;
    if (!procedure(probe, ...r.requires)) {
      log(`[bench] ${r.name}: skipped (the API has no ${r.requires.join(".")})`);
      return;
    }
  }
  const statements: Round[][] = [];
  const apiCallers: Caller[] = [];
  for (const input of r.inputs) {
    const { api, capturing } = await callerFor(r.userOf(input));
    // Captured at steady state: a first call may keep what later calls read (the dashboard keeps
    // its trend's past days), and replaying that first call's writes would not be the read.
    await r.call(api, input);
    statements.push(await capture.capture(() => r.call(capturing, input)));
    apiCallers.push(api);
  }
  // In turns, the same input through the API then as plain SQL (see measurePair).
  const [api, plain] = await measurePair(
    [r.name, `${r.name}/sql`],
    (i) => r.call(apiCallers[i % r.inputs.length] as Caller, r.inputs[i % r.inputs.length]),
    (i) => capture.replay(statements[i % r.inputs.length] as Round[]),
    { n: r.n, warmup: r.warmup },
  );
  emit(api);
  emit(plain);
  const count = (rounds: Round[]) => rounds.reduce((s, round) => s + round.length, 0);
  const perCall = statements.reduce((s, rounds) => s + count(rounds), 0) / statements.length;
  const rounds = statements.reduce((s, list) => s + list.length, 0) / statements.length;
  log(`[bench] ${r.name}: ${perCall.toFixed(1)} statements in ${rounds.toFixed(1)} round trips per call`);
}

for (const r of reads(fixtures)) {
  try {
    await pair(r);
  } catch (e) {
    log(`[bench] ${r.name}: failed (${(e as Error).message})`);
  }
}
const { sampleUnits, scheme, project } = fixtures;
const year = { year: benchYear };

// ------------------------------------------------------------------ writes

type Draft = { id: number; unitId: number; userId: number; version: number };
/** Drafts, the units with the most first (fewer sessions), in a fixed order. */
const drafts = await rows<Draft>(sql`
  select r.id, r.unit_id as "unitId", u.id as "userId", r.version
  from progress_reports r
  join users u on u.unit_id = r.unit_id and u.role = 'unit'
  join (select unit_id, count(*) as n from progress_reports where state = 'draft' group by unit_id) d on d.unit_id = r.unit_id
  where r.state = 'draft' and r.summary <> ''
  order by d.n desc, r.unit_id, r.id
  limit 40000`);
const runKey = `bench-${Date.now().toString(36)}`;
let nextDraft = 0;
const takeDrafts = (n: number) => {
  const out = drafts.slice(nextDraft, nextDraft + n);
  nextDraft += out.length;
  return out;
};

if (wanted("reports.submit")) {
  const mine = takeDrafts(300);
  if (mine.length < 50) log(`[bench] reports.submit: skipped (only ${mine.length} drafts left: reseed)`);
  else {
    for (const d of mine) await callerFor(d.userId);
    let k = 0;
    emit(
      await measure(
        "reports.submit",
        async () => {
          const d = mine[k++] as Draft;
          const { api } = await callerFor(d.userId);
          await api.reports.submit({
            reportId: d.id,
            version: d.version,
            submissionKey: `${runKey}-${d.id}`,
          });
        },
        { n: mine.length - 20, warmup: 20 },
      ),
    );
  }
}

// ------------------------------------------------------------------ HTTP

const httpNames = [
  "http.tasks.mine",
  "http.reports.submit",
  "http.assessment.results",
  "http.public.evaluation",
];
if (httpNames.some(wanted)) {
  const server = await startServer(database, target.url);
  try {
    const connections = env.BENCH_HTTP_CONNECTIONS;
    const seconds = env.BENCH_HTTP_SECONDS;
    const readers = await Promise.all(
      sampleUnits.slice(0, 8).map(async (u) => signIn(server.url, `unit-${u.unitId}`).catch(() => null)),
    );
    const cookies = readers.filter((c): c is string => c !== null);
    const path = `/trpc/tasks.mine?input=${encodeURIComponent(JSON.stringify(year))}`;
    if (cookies.length > 0 && wanted("http.tasks.mine")) {
      const r = await cannon("http.tasks.mine", server.url, {
        connections,
        seconds,
        next: (i) => ({ method: "GET", path, cookie: cookies[i % cookies.length] as string }),
      });
      httpResults.push(r);
      emit(r);
    }

    // Writes: each request submits a different draft of a signed-in unit, with its own key.
    // Enough drafts for 1,200 submissions a second; the run is bounded by time, not by the drafts.
    // Taken unit by unit, sent round-robin over the units: concurrent submissions come from different
    // units, as they do in a province (not sixteen at once from one unit's account).
    const taken = wanted("http.reports.submit")
      ? takeDrafts(Math.min(drafts.length - nextDraft, 1200 * seconds))
      : [];
    const byUnit = new Map<number, Draft[]>();
    for (const d of taken) byUnit.set(d.unitId, [...(byUnit.get(d.unitId) ?? []), d]);
    const pool: Draft[] = [];
    for (let round = 0; pool.length < taken.length; round++)
      for (const list of byUnit.values()) if (list[round]) pool.push(list[round] as Draft);
    const sessions = new Map<number, string>();
    const unitsToSign = [...new Set(pool.map((d) => d.unitId))];
    for (let s = 0; s < unitsToSign.length; s += 8) {
      await Promise.all(
        unitsToSign
          .slice(s, s + 8)
          .map(async (unitId) => sessions.set(unitId, await signIn(server.url, `unit-${unitId}`))),
      );
    }
    if (pool.length > 0)
      log(`[bench] http.reports.submit: ${pool.length} drafts of ${sessions.size} signed-in units`);
    if (pool.length > 0) {
      let sent = 0;
      const r = await cannon("http.reports.submit", server.url, {
        connections,
        seconds,
        next: (i) => {
          sent = i + 1;
          const d = pool[i % pool.length] as Draft;
          return {
            method: "POST",
            path: "/trpc/reports.submit",
            cookie: sessions.get(d.unitId) as string,
            body: JSON.stringify({ reportId: d.id, version: d.version, submissionKey: `${runKey}-h${d.id}` }),
          };
        },
      });
      httpResults.push(r);
      emit(r);
      if (sent > pool.length)
        log(
          `[bench] http.reports.submit: drafts ran out (${sent} requests): later requests repeated a submission`,
        );
    }

    // The big reads end to end over HTTP (JSON encoding of the response included).
    for (const [name, userId, path] of [
      [
        "http.assessment.results",
        scheme?.officeUserId,
        `/trpc/assessment.results?input=${encodeURIComponent(JSON.stringify({ id: scheme?.id }))}`,
      ],
      [
        "http.public.evaluation",
        undefined,
        `/trpc/public.evaluation?input=${encodeURIComponent(JSON.stringify({ projectId: project?.id }))}`,
      ],
    ] as const) {
      if (!wanted(name)) continue;
      const username =
        userId === undefined
          ? null
          : (await rows<{ username: string }>(sql`select username from users where id = ${userId}`))[0]
              ?.username;
      const cookie = username ? await signIn(server.url, username) : "";
      const probe = await fetch(`${server.url}${path}`, { headers: { cookie } });
      if (!probe.ok) {
        log(`[bench] ${name}: skipped (${probe.status})`);
        continue;
      }
      await probe.arrayBuffer();
      emit(
        await measure(
          name,
          async () => {
            const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
            await res.arrayBuffer();
          },
          { n: 5, warmup: 1 },
        ),
      );
    }
  } finally {
    await server.stop();
  }
}

// ------------------------------------------------------------------ summary

const find = (name: string) => results.find((r) => r.name === name);
log("\n[bench] API time over SQL time (p50, p95):");
for (const r of results) {
  const s = find(`${r.name}/sql`);
  if (!s) continue;
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "–");
  log(
    `  ${r.name.padEnd(36)} ${ratio(r.p50_ms, s.p50_ms).padStart(6)} ${ratio(r.p95_ms, s.p95_ms).padStart(6)}`,
  );
}
for (const h of httpResults) {
  if (h.non2xx > 0 || h.errors > 0)
    log(`[bench] ${h.name}: ${h.non2xx} non-2xx responses, ${h.errors} errors`);
}
await database.close();
if (overBudget.length > 0)
  log(`[bench] over the JavaScript budget: ${overBudget.join(", ")} (see the bundle table above)`);
