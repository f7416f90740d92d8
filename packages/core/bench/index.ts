/**
 * `pnpm bench`: the pure benchmarks of packages/core. Each bench module exports
 * `run(): Promise<BenchResult[]>`; results print as JSON lines.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type BenchResult, print } from "./harness.ts";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv[2];
for (const file of (await readdir(dir)).filter((f) => f.endsWith(".bench.ts")).sort()) {
  if (only && !file.includes(only)) continue;
  const mod = (await import(`./${file}`)) as { run: () => Promise<BenchResult[]> };
  for (const r of await mod.run()) print(r);
}
