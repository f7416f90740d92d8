/** Test helpers: read fixtures (tests only — the package itself never touches the file system). */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

export const seedNames = [
  "000_99825069cb864015",
  "001_6b261e1ba6fd1902",
  "002_c8b85c001a642098",
  "003_33391eb50aacad12",
  "004_dea02f1aa65a5a79",
] as const;

/** Seeds are read from seeds/ (never edited); their expected output is in fixtures/expected/. */
export const seedText = (name: string) => readFileSync(`${repoRoot}seeds/${name}.txt`, "utf8");
export const seedExpected = (name: string) =>
  JSON.parse(readFileSync(`${fixtures}expected/${name}.json`, "utf8"));

export const unseenNames = () =>
  readdirSync(`${fixtures}unseen`)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => f.replace(/\.txt$/, ""))
    .sort();
export const unseenText = (name: string) => readFileSync(`${fixtures}unseen/${name}.txt`, "utf8");
export const unseenExpected = (name: string) =>
  JSON.parse(readFileSync(`${fixtures}unseen/${name}.expected.json`, "utf8"));

export type Score = { right: number; total: number; misses: string[] };

/**
 * Field accuracy of a parse against an expected output: plan fields (title, year, docNumber,
 * issuer) and task fields (code, section, title, content, lead, cooperating, responsible,
 * deadlines) compared exactly, task by task in order; a missing or extra task counts every one of
 * its fields as wrong.
 */
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
export function score(got: any, want: any): Score {
  const s: Score = { right: 0, total: 0, misses: [] };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const n = Math.max(got.plans.length, want.plans.length);
  for (let i = 0; i < n; i++) {
    const a = got.plans[i] ?? { tasks: [] };
    const b = want.plans[i] ?? { tasks: [] };
    for (const k of ["title", "year", "docNumber", "issuer"]) {
      s.total++;
      if (same(a[k], b[k])) s.right++;
      else s.misses.push(`plan ${i} ${k}: ${JSON.stringify(a[k])} ≠ ${JSON.stringify(b[k])}`);
    }
    const m = Math.max(a.tasks.length, b.tasks.length);
    for (let j = 0; j < m; j++) {
      const x = a.tasks[j] ?? {};
      const y = b.tasks[j] ?? {};
      for (const k of [
        "code",
        "section",
        "title",
        "content",
        "lead",
        "cooperating",
        "responsible",
        "deadlines",
      ]) {
        s.total++;
        if (same(x[k], y[k])) s.right++;
        else
          s.misses.push(
            `plan ${i} task ${y.code ?? x.code} ${k}: ${JSON.stringify(x[k])} ≠ ${JSON.stringify(y[k])}`,
          );
      }
    }
  }
  return s;
}
