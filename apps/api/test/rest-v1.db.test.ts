import { restOperations } from "@gongkai/api";
import {
  createPlan,
  createTask,
  createUnit,
  type Db,
  seedDemo,
  setPlanStatus,
  systemActor,
} from "@gongkai/db";
import { issueApiToken } from "@gongkai/db/api-tokens";
import { auditLog, progressReports, reportRevisions } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { id } from "@gongkai/validators";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";

type Json = Record<string, unknown>;
type Doc = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};

/**
 * A JSON-schema check for the keywords the document uses (no validator is installed). A keyword it
 * does not know fails the test: a schema it cannot check is not passed as checked.
 */
function validate(doc: Doc, schema: Json, value: unknown, at = "$"): string[] {
  const known = new Set([
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "pattern",
    "minLength",
    "maxLength",
    "description",
    "default",
    "discriminator",
    "title",
    "examples",
    "propertyNames",
  ]);
  for (const k of Object.keys(schema)) if (!known.has(k)) return [`${at}: the test cannot check "${k}"`];
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = doc.components.schemas[name];
    return target ? validate(doc, target, value, at) : [`${at}: no schema ${name}`];
  }
  const errors: string[] = [];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives) {
    const passing = alternatives.filter((s) => validate(doc, s, value, at).length === 0).length;
    if (passing === 0 || (schema.oneOf && passing !== 1))
      errors.push(`${at}: matches ${passing} of the alternatives`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "array"
          : Number.isInteger(value)
            ? "integer"
            : typeof value;
    const ok = types.some((t) => t === actual || (t === "number" && actual === "integer"));
    if (!ok) return [...errors, `${at}: ${JSON.stringify(value)?.slice(0, 60)} is not ${types.join("|")}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value))
    errors.push(`${at}: ${String(value)} not in enum`);
  if ("const" in schema && schema.const !== value) errors.push(`${at}: not ${String(schema.const)}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above maximum`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      errors.push(`${at}: not above`);
  }
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
      errors.push(`${at}: pattern`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      errors.push(`${at}: too short`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
      errors.push(`${at}: too long`);
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value)))
      errors.push(`${at}: not a date-time`);
  }
  if (Array.isArray(value) && schema.items)
    for (const [i, v] of value.entries())
      errors.push(...validate(doc, schema.items as Json, v, `${at}[${i}]`));
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const props = (schema.properties ?? {}) as Record<string, Json>;
    for (const r of (schema.required ?? []) as string[])
      if (!(r in value)) errors.push(`${at}.${r}: missing`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.propertyNames)
        errors.push(...validate(doc, schema.propertyNames as Json, k, `${at}.${k} (name)`));
      const s = props[k];
      if (s) errors.push(...validate(doc, s, v, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${k}: not in the schema`);
      else if (typeof schema.additionalProperties === "object")
        errors.push(...validate(doc, schema.additionalProperties as Json, v, `${at}.${k}`));
    }
  }
  return errors;
}

/**
 * An integration that knows only the OpenAPI document: it finds an operation by its id, fills its
 * path and query parameters, calls it with the token, and checks the answer against the schema the
 * document gives for that status.
 */
function clientFrom(
  doc: Doc,
  fetch: (url: string, init: RequestInit) => Response | Promise<Response>,
  token: string,
) {
  const find = (operationId: string) => {
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item))
        if (op.operationId === operationId) return { path, method, op };
    throw new Error(`no operation ${operationId} in the document`);
  };
  return async (
    operationId: string,
    args: { params?: Record<string, string | number>; headers?: Record<string, string>; body?: unknown } = {},
  ) => {
    const { path, method, op } = find(operationId);
    const declared = (op.parameters ?? []) as { in: string; name: string; required?: boolean }[];
    let url = path;
    const query = new URLSearchParams();
    for (const p of declared) {
      const v = args.params?.[p.name];
      if (p.in === "path") {
        if (v === undefined) throw new Error(`${operationId} needs path parameter ${p.name}`);
        url = url.replace(`{${p.name}}`, encodeURIComponent(String(v)));
      } else if (p.in === "query" && v !== undefined) query.set(p.name, String(v));
    }
    for (const name of Object.keys(args.params ?? {}))
      if (!declared.some((p) => p.name === name)) throw new Error(`${operationId} has no parameter ${name}`);
    const qs = query.toString();
    const res = await fetch(`${doc.servers[0]?.url}${url}${qs ? `?${qs}` : ""}`, {
      method: method.toUpperCase(),
      headers: {
        authorization: `Bearer ${token}`,
        ...(args.body === undefined ? {} : { "content-type": "application/json" }),
        ...args.headers,
      },
      ...(args.body === undefined ? {} : { body: JSON.stringify(args.body) }),
    });
    const response = (op.responses as Record<string, Json>)[String(res.status)];
    if (!response) throw new Error(`${operationId} answered ${res.status}, which the document does not list`);
    const content = response.content as Record<string, { schema: Json }> | undefined;
    const body = res.status === 304 ? null : await res.json();
    const schema = content?.["application/json"]?.schema;
    if (schema) expect(validate(doc, schema, body), `${operationId} ${res.status}`).toEqual([]);
    else expect(body).toBeNull();
    return { status: res.status, body: body as Json, headers: res.headers };
  };
}

describe.each(testDbKinds())("the open REST API (/api/v1) on %s", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let adminCookie: string;
  let otherPlanId: number;
  const host = "gongkai.test";
  const fetch = (url: string, init: RequestInit = {}) =>
    app.request(`http://${host}${url}`, { ...init, headers: { host, ...(init.headers as object) } });

  /** A tRPC call as the signed-in administrator: a mutation with `input`, a query without. */
  const trpc = async (path: string, input?: unknown) => {
    const res = await fetch(
      `/trpc/${path}`,
      input === undefined
        ? { headers: { cookie: adminCookie } }
        : {
            method: "POST",
            headers: { "content-type": "application/json", cookie: adminCookie },
            body: JSON.stringify(input),
          },
    );
    const body = (await res.json()) as { result?: { data: Json }; error?: { message: string } };
    if (!body.result) throw new Error(`${path}: ${res.status} ${body.error?.message}`);
    return body.result.data;
  };
  const issue = async (scope: "read" | "write", unitName = "徐泾镇人民政府") => {
    const unit = await db.query.units.findFirst({ where: (u, { eq }) => eq(u.name, unitName) });
    const t = await trpc("apiTokens.create", { name: `测试系统-${scope}`, unitId: unit?.id, scope });
    return { id: t.id as number, token: t.token as string };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
    await seedDemo(db, { activity: false });
    // A second town with a published plan of its own: never visible to 徐泾镇's tokens.
    const other = await createUnit(db, systemActor, { parentId: null, name: "白鹤镇人民政府", kind: "town" });
    const dept = await createUnit(db, systemActor, {
      parentId: other.id,
      name: "党政办公室",
      kind: "department",
    });
    const plan = await createPlan(db, systemActor, {
      year: 2023,
      title: "白鹤镇2023年政务公开工作要点",
      issuerUnitId: other.id,
    });
    const none = { unitIds: [], groupIds: [] };
    await createTask(db, systemActor, plan.id, {
      sectionId: null,
      code: "1",
      title: "白鹤镇的任务",
      content: "",
      category: null,
      units: { lead: { unitIds: [dept.id], groupIds: [] }, cooperating: none, responsible: none },
      deadlines: [{ phrase: "6月底前" }],
    });
    await setPlanStatus(db, systemActor, plan.id, "published");
    otherPlanId = plan.id;
    app = createApp({
      database,
      version: "9.9.9",
      now: () => new Date("2023-07-01T02:00:00Z"),
      apiRequestsPerMinute: 1000,
    });
    const signIn = await fetch("/trpc/auth.signIn", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "Admin@2026" }),
    });
    adminCookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    doc = (await (await fetch("/api/v1/openapi.json")).json()) as Doc;
  });
  afterAll(() => database?.drop());

  it("publishes an OpenAPI 3.1 document with the bearer scheme, and a reference page", async () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]?.url).toBe("/api/v1");
    expect(Object.values(doc.components.securitySchemes)).toContainEqual(
      expect.objectContaining({ type: "http", scheme: "bearer" }),
    );
    const page = await fetch("/api/v1/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/api/v1/plans/{id}/tasks");
    expect(html).not.toMatch(/<script/i);
  });

  it("lets an integration read a plan's tasks and lights with a token, following only the document", async () => {
    const { token } = await issue("read");
    const call = clientFrom(doc, fetch, token);
    const plans = await call("listPlans", { params: { limit: 10 } });
    expect(plans.status).toBe(200);
    const items = plans.body.items as { id: number; title: string }[];
    const planId = items.find((p) => /^关于徐泾镇\d{4}年政务公开工作要点$/.test(p.title))?.id as number;
    expect(planId).toBeDefined();
    expect(items.map((p) => p.id)).not.toContain(otherPlanId);

    // Every task, page by page, with its units by role and its deadlines.
    const tasks: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call("listPlanTasks", {
        params: { id: planId, limit: 10, ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      tasks.push(...(page.body.items as Json[]));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(tasks).toHaveLength(28);
    expect(pages).toBe(3);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(28);
    const withLead = tasks.filter((t) => (t.units as { role: string }[]).some((u) => u.role === "lead"));
    expect(withLead.length).toBeGreaterThan(20);
    expect(tasks.some((t) => (t.deadlines as { dueDate: string | null }[]).some((d) => d.dueDate))).toBe(
      true,
    );

    const lights = await call("getPlanLights", { params: { id: planId } });
    expect(lights.status).toBe(200);
    expect(lights.body.asOf).toBe("2023-07-01");
    const rows = lights.body.lights as { taskId: number; light: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(28);
    expect(new Set(rows.map((r) => r.taskId))).toEqual(new Set(tasks.map((t) => t.id)));
    const totals = lights.body.totals as Record<string, number>;
    expect(Object.values(totals).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it("names every v1 procedure in the document, GET for reads and POST for writes only", () => {
    const inDoc = Object.values(doc.paths).flatMap((item) =>
      Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${op.operationId}`),
    );
    expect(inDoc.sort()).toEqual(restOperations.map((op) => `${op.method} ${op.operationId}`).sort());
    for (const op of restOperations)
      expect(op.scope, op.operationId).toBe(op.method === "GET" ? "read" : "write");
  });

  it("leaves the shared input schemas as they were (query strings are converted, schemas not coerced)", async () => {
    const { token } = await issue("read");
    expect((await clientFrom(doc, fetch, token)("getPlan", { params: { id: 1 } })).status).not.toBe(400);
    expect(id.safeParse("9").success).toBe(false);
  });

  it("answers 304 to If-None-Match while the list is unchanged", async () => {
    const { token } = await issue("read");
    const call = clientFrom(doc, fetch, token);
    const first = await call("listPlans");
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await call("listPlans", { headers: { "if-none-match": etag as string } });
    expect(again.status).toBe(304);
    const other = await call("listPlans", {
      params: { year: 2022 },
      headers: { "if-none-match": etag as string },
    });
    expect(other.status).toBe(200);
  });

  it("never shows another government's plan: 404, as for a plan that does not exist", async () => {
    const { token } = await issue("read");
    const call = clientFrom(doc, fetch, token);
    for (const op of ["getPlan", "listPlanTasks", "getPlanLights"]) {
      const res = await call(op, { params: { id: otherPlanId } });
      expect(res.status, op).toBe(404);
      expect(res.body.message).toBe("工作要点不存在或您无权查看。");
    }
  });

  it("refuses a missing, unknown or revoked token with 401 in Chinese, and audits each use", async () => {
    const { id, token } = await issue("read");
    const call = clientFrom(doc, fetch, token);
    expect((await call("listPlans")).status).toBe(200);
    const missing = await fetch("/api/v1/plans");
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as Json).message).toContain("Authorization");
    const unknown = await clientFrom(doc, fetch, `gk_${"A".repeat(43)}`)("listPlans");
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toContain("接口令牌无效");
    await trpc("apiTokens.revoke", { id });
    const revoked = await call("listPlans");
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({
      code: "UNAUTHORIZED",
      message: "该接口令牌已被吊销,不能再使用。请联系系统管理员签发新令牌。",
    });
    const uses = await db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "apiToken"), eq(auditLog.entityId, String(id))));
    expect(uses.map((u) => u.action)).toEqual([
      "apiToken.create",
      "apiToken.use",
      "apiToken.revoke",
      "apiToken.refused",
    ]);
    expect(uses[1]?.after).toMatchObject({
      method: "GET",
      path: "/api/v1/plans",
      status: 200,
      operationId: "listPlans",
    });
    const listed = (await trpc("apiTokens.list")) as unknown as Json[];
    const row = listed.find((t) => t.id === id);
    expect(row).toMatchObject({ scope: "read", unitName: "徐泾镇人民政府" });
    expect(row?.revokedAt).toBeTruthy();
    expect(row?.lastUsedAt).toBeTruthy();
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it("answers 429 with Retry-After past the token's requests per minute", async () => {
    const limited = createApp({ database, version: "9.9.9", apiRequestsPerMinute: 3 });
    const { token } = await issue("read");
    const call = clientFrom(
      doc,
      (url, init) =>
        limited.request(`http://${host}${url}`, { ...init, headers: { host, ...(init.headers as object) } }),
      token,
    );
    for (let i = 0; i < 3; i++) expect((await call("listPlans")).status).toBe(200);
    const refused = await call("listPlans");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.message).toContain("每分钟最多 3 次");
  });

  it("submits a unit's report with a write token, once per Idempotency-Key; a read token is refused", async () => {
    const read = clientFrom(doc, fetch, (await issue("read")).token);
    const write = clientFrom(doc, fetch, (await issue("write")).token);
    const plans = await read("listPlans");
    const plan = (plans.body.items as { id: number; title: string; year: number }[]).find((p) =>
      p.title.includes("徐泾镇"),
    );
    const planId = plan?.id as number;
    const tasks = await read("listPlanTasks", { params: { id: planId, limit: 50 } });
    const task = (tasks.body.items as { id: number; units: { unitId: number; role: string }[] }[]).find((t) =>
      t.units.some((u) => u.role === "lead"),
    );
    const unitId = task?.units.find((u) => u.role === "lead")?.unitId as number;
    const body = {
      unitId,
      period: `${plan?.year}-Q3`,
      status: "inProgress",
      percent: 40,
      summary: "已在政府网站公开第三季度的政策文件。",
      links: [{ url: "https://www.example.gov.cn/col/1.html", title: "政策文件栏目" }],
    };
    const refused = await read("submitTaskReport", { params: { id: task?.id as number }, body });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain("只能读取");

    const key = { "idempotency-key": "province-2023Q3-0001" };
    const first = await write("submitTaskReport", { params: { id: task?.id as number }, body, headers: key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ unitId, state: "submitted", percent: 40, revision: 1 });
    const second = await write("submitTaskReport", {
      params: { id: task?.id as number },
      body,
      headers: key,
    });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const made = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(reportRevisions)
      .innerJoin(progressReports, eq(progressReports.id, reportRevisions.reportId))
      .where(and(eq(progressReports.taskId, task?.id as number), eq(progressReports.unitId, unitId)));
    expect(made[0]?.n).toBe(1);

    // The office sees it in the task's reports, through the API too.
    const reports = await read("listTaskReports", {
      params: { id: task?.id as number, period: `${plan?.year}-Q3` },
    });
    expect((reports.body.reports as Json[]).map((r) => r.id)).toContain(first.body.id);
  });
});

/** The other reads on the full demo (a year of reports, a published assessment and evaluation). */
describe.each(testDbKinds())("the open REST API's results on the full demo on %s", (kind) => {
  let database: TestDatabase;
  let call: ReturnType<typeof clientFrom>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db);
    const app = createApp({ database, version: "9.9.9", apiRequestsPerMinute: 1000 });
    const fetch = (url: string, init: RequestInit = {}) => app.request(`http://gongkai.test${url}`, init);
    const doc = (await (await fetch("/api/v1/openapi.json")).json()) as Doc;
    const admin = await database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, "admin") });
    const gov = await database.db.query.units.findFirst({
      where: (u, { eq }) => eq(u.name, "徐泾镇人民政府"),
    });
    const actor = { userId: admin?.id ?? 0, role: "admin" as const, unitId: null, scopePath: null };
    const { token } = await issueApiToken(database.db, actor, {
      name: "评估机构",
      unitId: gov?.id ?? 0,
      scope: "read",
    });
    call = clientFrom(doc, fetch, token);
  });
  afterAll(() => database?.drop());

  it("reads published assessment results and evaluation rankings, and a task's reports, as the document says", async () => {
    const schemes = await call("listAssessmentSchemes");
    const scheme = (schemes.body as unknown as { id: number; latestVersion: number }[])[0];
    expect(scheme?.latestVersion).toBeGreaterThan(0);
    const results = await call("getAssessmentResults", { params: { id: scheme?.id as number } });
    expect(results.status).toBe(200);
    expect((results.body.units as { rank: number | null }[]).some((u) => u.rank === 1)).toBe(true);

    const rankings = await call("listEvaluationRankings");
    const project = (rankings.body as unknown as { projectId: number; latestVersion: number }[])[0];
    const ranking = await call("getEvaluationRanking", { params: { id: project?.projectId as number } });
    expect(ranking.body.version).toBe(project?.latestVersion);
    expect((ranking.body.units as unknown[]).length).toBeGreaterThan(0);

    const plans = await call("listPlans");
    const planId = (plans.body.items as { id: number }[])[0]?.id as number;
    const tasks = await call("listPlanTasks", { params: { id: planId, limit: 5 } });
    for (const task of tasks.body.items as { id: number }[]) {
      const reports = await call("listTaskReports", { params: { id: task.id } });
      expect(reports.status).toBe(200);
    }
    expect((await call("getPlan", { params: { id: planId } })).body.id).toBe(planId);
    expect((await call("getPlanLights", { params: { id: planId } })).status).toBe(200);
  });
});
