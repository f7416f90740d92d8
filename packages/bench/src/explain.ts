/**
 * `tsx packages/bench/src/explain.ts [name-filter]`: for each read of the suite, the statements one
 * call sends (first input of its sample), each with `EXPLAIN (ANALYZE, BUFFERS)` on the loaded data,
 * written to docs/explain/<read>.txt. PostgreSQL only (DATABASE_URL).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SqlCapture } from "./capture.ts";
import { rawClient } from "./load.ts";
import { Callers, loadFixtures, procedure, reads } from "./suite.ts";
import { openTarget } from "./target.ts";

const outDir = fileURLToPath(new URL("../../../docs/explain/", import.meta.url));
const only = process.argv[2];

const target = await openTarget();
if ("missing" in target) {
  console.error(`[explain] nothing to explain: ${target.missing}`);
  process.exit(0);
}
const { database } = target;
const raw = rawClient(database);
if (raw.kind !== "postgres") {
  console.error("[explain] needs PostgreSQL (DATABASE_URL)");
  process.exit(2);
}
const capture = new SqlCapture(database);
const callers = new Callers(database, capture);
const fixtures = await loadFixtures(database.db);
mkdirSync(outDir, { recursive: true });

const [counts] = await raw.sql<{ reports: number; audit: number; assignments: number }[]>`
  select (select count(*) from progress_reports)::int as reports, (select count(*) from audit_log)::int as audit,
         (select count(*) from task_assignments)::int as assignments`;
const [version] = await raw.sql<{ v: string }[]>`select version() as v`;

for (const r of reads(fixtures)) {
  if (only && !r.name.includes(only)) continue;
  const input = r.inputs[0];
  if (input === undefined) continue;
  const { capturing } = await callers.of(r.userOf(input));
  if (r.requires && !procedure(capturing, ...r.requires)) continue;
  await r.call(capturing, input); // warm the cache the way a running server has it
  const statements = (await capture.capture(() => r.call(capturing, input))).flat();
  const parts = [
    `# ${r.name}: EXPLAIN (ANALYZE, BUFFERS) of each statement one call sends`,
    `# input: ${JSON.stringify(input)}`,
    `# data: ${counts?.reports.toLocaleString("en")} progress reports, ${counts?.assignments.toLocaleString("en")} assignments, ${counts?.audit.toLocaleString("en")} audit rows`,
    `# ${version?.v}`,
    "",
  ];
  for (const [i, s] of statements.entries()) {
    const plan = await raw.sql.unsafe(`explain (analyze, buffers) ${s.text}`, s.params as never[]);
    const params = JSON.stringify(s.params, (_k, v) =>
      Array.isArray(v) && v.length > 12 ? [...v.slice(0, 12), `… ${v.length} values`] : v,
    );
    parts.push(
      `## statement ${i + 1} of ${statements.length}`,
      s.text,
      `-- params: ${params.length > 400 ? `${params.slice(0, 400)}…` : params}`,
      "",
      ...plan.map((row) => String((row as Record<string, unknown>)["QUERY PLAN"])),
      "",
    );
  }
  const file = `${outDir}${r.name}.txt`;
  writeFileSync(file, `${parts.join("\n")}\n`);
  console.error(`[explain] ${r.name}: ${statements.length} statements -> docs/explain/${r.name}.txt`);
}
await database.close();
