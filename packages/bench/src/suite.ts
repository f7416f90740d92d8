/**
 * What the suite reads, and as whom: inputs sampled from the loaded data (a fixed sample, the same
 * on every run of the same data), callers signed in through real sessions, and the list of reads
 * that `run.ts` measures and `explain.ts` explains.
 */
import { type Context, createCaller } from "@gongkai/api";
import { createSession, type Database, type Db, getSessionUser } from "@gongkai/db";
import { type SQL, sql } from "drizzle-orm";
import type { SqlCapture } from "./capture.ts";
import { benchNow, benchYear } from "./generate.ts";
import { selectRows } from "./load.ts";
import { Random } from "./random.ts";

export type Caller = ReturnType<typeof createCaller>;
type Gov = { unitId: number; regionCode: string; planId: number; officeUserId: number };

export async function loadFixtures(db: Db) {
  const rows = <T>(query: SQL) => selectRows<T>(db, query);
  const govs = await rows<Gov>(sql`
    select u.id as "unitId", u.region_code as "regionCode", p.id as "planId", o.id as "officeUserId"
    from units u
    join plans p on p.issuer_unit_id = u.id
    join users o on o.unit_id = u.id and o.role = 'office'
    order by u.id`);
  const levelOf = (code: string) =>
    code.length > 6 ? "town" : code.endsWith("0000") ? "province" : code.endsWith("00") ? "city" : "county";
  const byLevel = (level: string) => govs.filter((g) => levelOf(g.regionCode) === level);
  const pick = <T>(items: T[], n: number, seed: number) => new Random(seed).sample(items, n);
  const hasCities = byLevel("city").length > 0;

  const unitLoads = await rows<{ unitId: number; userId: number; n: number }>(sql`
    select a.unit_id as "unitId", min(u.id)::int as "userId", count(*)::int as n
    from task_assignments a join users u on u.unit_id = a.unit_id and u.role = 'unit'
    group by a.unit_id order by a.unit_id`);
  const taskRows = await rows<{ taskId: number; officeUserId: number }>(sql`
    select t.id as "taskId", o.id as "officeUserId"
    from tasks t join plans p on p.id = t.plan_id join users o on o.unit_id = p.issuer_unit_id and o.role = 'office'
    order by t.id`);
  const [busiestTaskId] = await rows<{ taskId: number }>(sql`
    select task_id as "taskId" from progress_reports group by task_id order by count(*) desc, task_id limit 1`);
  const [scheme] = await rows<{ id: number; officeUserId: number }>(sql`
    select s.id, o.id as "officeUserId" from assessment_schemes s
    join users o on o.unit_id = s.owner_unit_id and o.role = 'office' order by s.id limit 1`);
  const [project] = await rows<{ id: number; officeUserId: number }>(sql`
    select e.id, o.id as "officeUserId" from evaluation_projects e
    join users o on o.unit_id = e.owner_unit_id and o.role = 'office' order by e.id limit 1`);
  // Evaluators of the first project, each on a page of its grid (the pages rotate).
  const evaluators = project
    ? await rows<{ projectId: number; userId: number; page: number }>(sql`
        select project_id as "projectId", evaluator_id as "userId", (row_number() over (order by evaluator_id))::int % 5 + 1 as page
        from (select distinct project_id, evaluator_id from evaluation_assignments where project_id = ${project.id}) a
        order by evaluator_id limit 8`)
    : [];
  return {
    /** City governments and their plans (a county scale has none: its county stands in). */
    cityGovs: hasCities ? byLevel("city") : byLevel("county"),
    planLabel: hasCities ? "cityPlan" : "countyPlan",
    /** The top government's plan (the province; the county at county scale): its roll-up reads every level below. */
    topGov: byLevel(hasCities ? "province" : "county")[0],
    topLabel: hasCities ? "provincePlan" : "countyPlan",
    countyGovs: pick(byLevel("county"), 20, 2),
    townGovs: pick(byLevel("town"), 20, 3),
    sampleUnits: pick(unitLoads, 40, 4),
    busiestUnit: unitLoads.reduce((a, b) => (b.n > a.n ? b : a)),
    sampleTasks: pick(taskRows, 40, 5),
    busiestTask: taskRows.find((t) => t.taskId === busiestTaskId?.taskId),
    scheme,
    project,
    evaluators,
  };
}
export type Fixtures = Awaited<ReturnType<typeof loadFixtures>>;

/** Callers signed in through real sessions (the clock is the bench's), each with a twin on the capturing handle. */
export class Callers {
  private readonly cache = new Map<number, { api: Caller; capturing: Caller }>();
  constructor(
    private readonly database: Database,
    private readonly capture: SqlCapture,
  ) {}

  async of(userId: number) {
    const had = this.cache.get(userId);
    if (had) return had;
    const { db } = this.database;
    const { token } = await createSession(db, userId, benchNow);
    const user = await getSessionUser(db, token, benchNow);
    const ctx = (handle: Db): Context => ({
      db: handle,
      dbKind: this.database.kind,
      now: () => benchNow,
      user,
      sessionToken: token,
      cookies: { setSession: () => {}, clearSession: () => {} },
      clientIp: "127.0.0.1",
      userAgent: "gongkai-bench",
    });
    const pair = { api: createCaller(ctx(db)), capturing: createCaller(ctx(this.capture.db)) };
    this.cache.set(userId, pair);
    return pair;
  }
}

export type Read = {
  name: string;
  inputs: unknown[];
  userOf: (input: unknown) => number;
  call: (caller: Caller, input: unknown) => Promise<unknown>;
  n: number;
  warmup: number;
  /** Router and procedure, for reads another feature owns (skipped when the API lacks them). */
  requires?: [string, string];
};

type Loose = Record<string, Record<string, ((input: unknown) => Promise<unknown>) | undefined> | undefined>;
/** A procedure by name, or undefined when the API has none of that name. */
export const procedure = (c: Caller, router: string, name: string) => (c as unknown as Loose)[router]?.[name];

function read<I>(
  name: string,
  inputs: (I | undefined)[],
  userOf: (input: I) => number,
  call: (caller: Caller, input: I) => Promise<unknown>,
  n: number,
  warmup: number,
): Read {
  return {
    name,
    inputs: inputs.filter((i): i is I => i !== undefined),
    userOf: userOf as (input: unknown) => number,
    call: call as (caller: Caller, input: unknown) => Promise<unknown>,
    n,
    warmup,
  };
}

/** The reads of the suite, in the order they run. */
export function reads(f: Fixtures): Read[] {
  const year = { year: benchYear };
  const today = benchNow.toISOString().slice(0, 10);
  type G = Fixtures["cityGovs"][number];
  type U = Fixtures["sampleUnits"][number];
  type T = Fixtures["sampleTasks"][number];
  type E = Fixtures["evaluators"][number];
  const office = (g: G) => g.officeUserId;
  const optional = (
    name: string,
    target: { id: number; officeUserId: number } | undefined,
    router: string,
    proc: string,
    input: (id: number) => unknown,
    n: number,
    warmup = 2,
  ): Read => ({
    ...read(
      name,
      [target],
      (t) => t.officeUserId,
      (c, t) => (procedure(c, router, proc) as (i: unknown) => Promise<unknown>)(input(t.id)),
      n,
      warmup,
    ),
    requires: [router, proc],
  });
  return [
    read<U>(
      "tasks.mine",
      f.sampleUnits,
      (u) => u.userId,
      (c) => c.tasks.mine(year),
      200,
      20,
    ),
    read<U>(
      "tasks.mine.busiest",
      [f.busiestUnit],
      (u) => u.userId,
      (c) => c.tasks.mine(year),
      30,
      3,
    ),
    read<T>(
      "reports.taskHistory",
      f.sampleTasks,
      (t) => t.officeUserId,
      (c, t) => c.reports.taskHistory({ id: t.taskId }),
      200,
      20,
    ),
    read<T>(
      "reports.taskHistory.busiest",
      [f.busiestTask],
      (t) => t.officeUserId,
      (c, t) => c.reports.taskHistory({ id: t.taskId }),
      20,
      3,
    ),
    ...(
      [
        [f.planLabel.replace("Plan", "Office"), f.cityGovs],
        ["countyOffice", f.countyGovs],
        ["townOffice", f.townGovs],
      ] as const
    )
      // At county scale the county stands in for the city: its queue is measured once.
      .filter(([label], i, all) => all.findIndex(([other]) => other === label) === i)
      .map(([label, govs]) =>
        read<G>(
          `reports.queue.${label}`,
          [...govs],
          office,
          (c) => c.reports.queue({ state: "submitted", limit: 200 }),
          60,
          6,
        ),
      ),
    read<G>(
      `reports.lights.${f.planLabel}`,
      f.cityGovs,
      office,
      (c, g) => c.reports.lights({ planId: g.planId }),
      56,
      6,
    ),
    read<G>(
      `reports.dashboard.${f.planLabel}`,
      f.cityGovs,
      office,
      (c, g) => c.reports.dashboard({ planId: g.planId }),
      56,
      6,
    ),
    read<G>(
      "bulletins.preview.countyPlan",
      f.countyGovs.length > 0 ? f.countyGovs : f.cityGovs,
      office,
      (c, g) => c.bulletins.preview({ planId: g.planId, asOf: today }),
      40,
      4,
    ),
    // The roll-up over every plan below (issue 17, item 4): a province plan's reads every city,
    // county and town. Seconds a call at province scale (BENCHMARKS.md), hence few calls.
    {
      ...read<G>(
        `links.rollup.${f.topLabel}`,
        [f.topGov],
        office,
        (c, g) => (procedure(c, "links", "rollup") as (i: unknown) => Promise<unknown>)({ planId: g.planId }),
        10,
        2,
      ),
      requires: ["links", "rollup"] as [string, string],
    },
    // Reads of ~30 ms, warmed up and sampled as long as the half-second ones: their JavaScript is
    // still being optimised after two calls, and ten calls measured mostly that.
    optional("assessment.results", f.scheme, "assessment", "results", (id) => ({ id }), 30, 10),
    optional("evaluation.preview", f.project, "evaluation", "preview", (id) => ({ projectId: id }), 30, 10),
    // Kept since the last submission: a read of ~7 ms, sampled as the other short ones.
    optional(
      "evaluation.agreement",
      f.project,
      "evaluation",
      "agreement",
      (id) => ({ projectId: id }),
      30,
      10,
    ),
    optional(
      "evaluation.reconciliation",
      f.project,
      "evaluation",
      "reconciliation",
      (id) => ({ projectId: id }),
      5,
    ),
    optional("public.evaluation", f.project, "public", "evaluation", (id) => ({ projectId: id }), 10),
    read<E>(
      "evaluation.grid",
      f.evaluators,
      (e) => e.userId,
      (c, e) => c.evaluation.grid({ projectId: e.projectId, page: e.page }),
      // A read of ~20 ms, sampled as long as the lights and the dashboard (16 calls moved its ratio
      // by ±0.1 from run to run).
      48,
      16,
    ),
  ];
}
