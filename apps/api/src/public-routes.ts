import { isDomainError } from "@gongkai/core";
import { chinaDateTime } from "@gongkai/core/reports";
import { resultRuleText } from "@gongkai/core/rule-text";
import { type Database, getPublishedEvaluation, resultsCsvRows } from "@gongkai/db";
import { Hono } from "hono";

const problem = (message: string) => ({ error: { message } });

/** One CSV field: quoted when it holds a comma, quote or line break; a formula prefix is defused. */
function csvField(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csvLine = (row: (string | number | null)[]) => row.map(csvField).join(",");

/**
 * Open data without sign-in, at /api/public: the published results of an evaluation as JSON and
 * CSV, the latest version or `?version=N`. Only published versions are read (what the public page
 * shows); anything else is 404. Each download carries the version's sha256 content hash — in the
 * body and in `X-Content-SHA256` — taken over the canonical JSON of `results` (keys sorted, no
 * whitespace), so anyone can check a file against the hash on the public page.
 */
export function publicRoutes(opts: { database: Database }) {
  const { database } = opts;
  const app = new Hono();

  const load = async (projectParam: string, versionParam: string | undefined) => {
    const projectId = Number(projectParam);
    const version = versionParam === undefined ? undefined : Number(versionParam);
    const isId = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;
    if (!isId(projectId)) return null;
    if (version !== undefined && !isId(version)) return null;
    try {
      return await getPublishedEvaluation(database.db, projectId, version);
    } catch (e) {
      if (isDomainError(e) && e.code === "NOT_FOUND") return null;
      throw e;
    }
  };
  // A version whose stored results no longer match their published hash is withheld (409).
  app.onError((e, c) => {
    if (isDomainError(e) && e.code === "CONFLICT") return c.json(problem(e.message), 409);
    throw e;
  });
  const notFound = "该评估结果不存在或尚未发布。";
  const fileName = (p: NonNullable<Awaited<ReturnType<typeof load>>>, ext: string) =>
    encodeURIComponent(`${p.results.project.name}-第${p.version.version}版.${ext}`);
  const headers = (p: NonNullable<Awaited<ReturnType<typeof load>>>, type: string, ext: string) => ({
    "content-type": type,
    "content-disposition": `attachment; filename*=UTF-8''${fileName(p, ext)}`,
    "x-content-sha256": p.version.contentHash,
    etag: `"${p.version.contentHash}"`,
    "cache-control": "public, max-age=300",
  });

  app.get("/evaluations/:projectId/results.json", async (c) => {
    const p = await load(c.req.param("projectId"), c.req.query("version"));
    if (!p) return c.json(problem(notFound), 404);
    const body = {
      projectId: p.projectId,
      version: p.version.version,
      publishedAt: p.version.publishedAt,
      reason: p.version.reason,
      hashAlgorithm: "sha256",
      hashOf: "canonical JSON of `results`: object keys sorted by code point, no whitespace",
      contentHash: p.version.contentHash,
      results: p.results,
    };
    return c.body(JSON.stringify(body, null, 2), 200, headers(p, "application/json; charset=utf-8", "json"));
  });

  app.get("/evaluations/:projectId/results.csv", async (c) => {
    const p = await load(c.req.param("projectId"), c.req.query("version"));
    if (!p) return c.json(problem(notFound), 404);
    const { project } = p.results;
    const lines = [
      csvLine(["项目", project.name]),
      csvLine(["评估机构", project.organisation]),
      csvLine(["年度", project.year]),
      csvLine(["版本", p.version.version]),
      // Read by people in Excel: China time, as the office published it (the JSON keeps ISO UTC).
      csvLine(["发布时间(北京时间)", chinaDateTime(new Date(p.version.publishedAt))]),
      ...(p.version.reason ? [csvLine(["更正原因", p.version.reason])] : []),
      csvLine(["内容哈希(SHA-256)", p.version.contentHash]),
      csvLine([
        "排名与等次规则",
        resultRuleText(
          p.results.ranking ?? {},
          p.results.grades,
          (code) => p.results.indicators.find((i) => i.code === code)?.name,
        ),
      ]),
      "",
      ...resultsCsvRows(p.results).map(csvLine),
    ];
    // A byte-order mark so that Excel opens the Chinese text as UTF-8.
    return c.body(`\uFEFF${lines.join("\r\n")}\r\n`, 200, headers(p, "text/csv; charset=utf-8", "csv"));
  });

  return app;
}
