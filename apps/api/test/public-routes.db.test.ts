import { createHash } from "node:crypto";
import { canonicalJson } from "@gongkai/core";
import { projectAccess, seedDemo, setEvaluationFinalScore, systemActor } from "@gongkai/db";
import { auditLog, evaluationProjects } from "@gongkai/db/schema";
import { createTestDatabase, type TestDatabase, testDbKinds } from "@gongkai/db/testing";
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicRoutes } from "../src/public-routes.ts";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

type Download = {
  projectId: number;
  version: number;
  publishedAt: string;
  contentHash: string;
  reason: string | null;
  results: { units: { unitName: string; total: number | null; rank: number | null; tier: string }[] };
};

/** CSV lines split into fields (the fields here hold no commas or quotes). */
const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n")
    .map((l) => l.split(","));

/** The open-data downloads at /api/public, through a Hono app holding only these routes. */
describe.each(testDbKinds())("public downloads on %s", (kind) => {
  let database: TestDatabase;
  let app: Hono;
  let demo2022: number;
  let demo2023: number;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDemo(database.db);
    app = new Hono();
    app.route("/api/public", publicRoutes({ database }));
    const projects = await database.db.select().from(evaluationProjects);
    demo2022 = projects.find((p) => p.year === 2022)?.id ?? 0;
    demo2023 = projects.find((p) => p.year === 2023)?.id ?? 0;
  });
  afterAll(() => database?.drop());

  const get = (path: string) => app.request(`http://gongkai.test/api/public${path}`);

  it("serves the latest version as JSON carrying its hash, which is the sha256 of the canonical results", async () => {
    const res = await get(`/evaluations/${demo2022}/results.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as Download;
    expect(body.version).toBe(2);
    expect(body.reason).toContain("更正");
    expect(sha256(canonicalJson(body.results))).toBe(body.contentHash);
    expect(res.headers.get("x-content-sha256")).toBe(body.contentHash);
    expect(body.results.units).toHaveLength(12);
    expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("第2版.json"));
  });

  it("serves an earlier version on ?version=, with that version's own hash", async () => {
    const v1 = (await (await get(`/evaluations/${demo2022}/results.json?version=1`)).json()) as Download;
    const v2 = (await (await get(`/evaluations/${demo2022}/results.json`)).json()) as Download;
    expect(v1.version).toBe(1);
    expect(v1.contentHash).not.toBe(v2.contentHash);
    expect(sha256(canonicalJson(v1.results))).toBe(v1.contentHash);
  });

  it("serves the same data as CSV (UTF-8 with BOM) with the hash in the file", async () => {
    const json = (await (await get(`/evaluations/${demo2022}/results.json`)).json()) as Download;
    const res = await get(`/evaluations/${demo2022}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("x-content-sha256")).toBe(json.contentHash);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const rows = csvRows(text);
    expect(rows).toContainEqual(["内容哈希(SHA-256)", json.contentHash]);
    expect(rows).toContainEqual(["版本", "2"]);
    // The publish time in China time (UTC+8, no summer time), not the JSON's UTC.
    const china = new Date(Date.parse(json.publishedAt) + 8 * 3_600_000).toISOString();
    expect(rows).toContainEqual(["发布时间(北京时间)", `${china.slice(0, 10)} ${china.slice(11, 16)}`]);
    // The rule the ranks and grades were given by, in words (a quoted field: it holds commas).
    expect(text).toContain(
      '排名与等次规则,"排名规则:竞争排名(并列占位),总分按 2 位小数比较。等次:优秀:90 分及以上',
    );
    const header = rows.findIndex((r) => r[0] === "层级");
    expect(rows[header]?.slice(0, 5)).toEqual(["层级", "排名", "单位", "总分", "等次"]);
    expect(rows[header]).toContain("1 信息公开(100分)");
    const table = rows.slice(header + 1);
    expect(table.map((r) => [r[0], r[1], r[2], Number(r[3])])).toEqual(
      json.results.units.map((u) => [u.tier, String(u.rank), u.unitName, u.total]),
    );
    const v1 = csvRows(await (await get(`/evaluations/${demo2022}/results.csv?version=1`)).text());
    expect(v1).toContainEqual(["版本", "1"]);
    expect(v1.find((r) => r[0] === "内容哈希(SHA-256)")?.[1]).not.toBe(json.contentHash);
  });

  it("answers 404 in Chinese for anything unpublished or unknown", async () => {
    for (const path of [
      `/evaluations/${demo2023}/results.json`,
      `/evaluations/${demo2023}/results.csv`,
      `/evaluations/${demo2022}/results.json?version=3`,
      `/evaluations/${demo2022}/results.csv?version=abc`,
      "/evaluations/abc/results.json",
      "/evaluations/999999/results.csv",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        "该评估结果不存在或尚未发布。",
      );
    }
  });

  it("keeps serving the published version after an unpublished change", async () => {
    const before = await (await get(`/evaluations/${demo2022}/results.csv`)).text();
    const p = await projectAccess(database.db, systemActor, demo2022);
    const dz = (await database.db.query.units.findMany()).find((u) => u.name === "党政办公室");
    await setEvaluationFinalScore(
      database.db,
      systemActor,
      p,
      { unitId: dz?.id ?? 0, indicatorCode: "1.1", value: 0, reason: "尚未发布的改动" },
      new Date("2023-03-01T00:00:00Z"),
    );
    expect(await (await get(`/evaluations/${demo2022}/results.csv`)).text()).toBe(before);
    const json = await (await get(`/evaluations/${demo2022}/results.json`)).text();
    expect(json).not.toContain("尚未发布的改动");
  });

  it("withholds a published version whose stored results were changed behind the application's back, and audits it", async () => {
    expect((await get(`/evaluations/${demo2022}/results.json?version=1`)).status).toBe(200);
    // What someone with the database's rights could do: move a unit up the published ranking.
    await database.db.execute(
      sql`update evaluation_results set results = jsonb_set(results, '{units,0,total}', '100'::jsonb)
          where project_id = ${demo2022} and version = 1`,
    );
    for (const path of [
      `/evaluations/${demo2022}/results.json?version=1`,
      `/evaluations/${demo2022}/results.csv?version=1`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(409);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        "与发布时的校验值不符",
      );
    }
    const alerts = await database.db.select().from(auditLog).where(eq(auditLog.action, "integrity.alert"));
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts[0]?.entityId).toBe(`${demo2022}:1`);
    // The untouched version 2 is still served.
    expect((await get(`/evaluations/${demo2022}/results.json`)).status).toBe(200);
  });
});
