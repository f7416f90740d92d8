/**
 * The dashboard's JavaScript per route against its budget (issue 15): what a browser must fetch
 * before a page can show, read from the build's `.vite/manifest.json`: the entry chunk and its
 * static imports, plus each lazily loaded module of the route (its layout and its page) and their
 * static imports, each chunk counted once. Sizes are gzip at level 9 (the `.gz` the server
 * sends); brotli (quality 11, what Chromium gets) beside it. kB are 1,000 bytes, as Vite prints.
 *
 * `pnpm bench` runs it first (run.ts), after building the dashboard (turbo: nothing to do when
 * the source has not changed). On its own: `pnpm exec tsx packages/bench/src/bundle.ts [distDir]`
 * (given a folder, it measures that build as it is).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const defaultWebDist = join(repoRoot, "apps/web/dist");

/**
 * The routes with a budget and the modules App.tsx loads lazily for each (paths as the manifest
 * names them, relative to apps/web): antd's providers (AntdRoot), the layout and the page. A page
 * that moves must be moved here too: the report refuses a module the build does not have as a
 * chunk of its own. `after`: what the page fetches once it shows (its charts; on a desktop the
 * unit's task table, which a phone never loads), reported beside the budgeted figure, not in it.
 */
const signedIn = ["src/components/AntdRoot.tsx", "src/components/AppLayout.tsx"];
const charts = "src/components/reports/charts.tsx";
export const budgets: { route: string; budgetKb: number; lazy: string[]; after: string[] }[] = [
  { route: "/login", budgetKb: 150, lazy: ["src/pages/LoginPage.tsx"], after: [] },
  {
    route: "/my-tasks",
    budgetKb: 300,
    lazy: [...signedIn, "src/pages/MyTasksPage.tsx"],
    after: [charts, "src/pages/my-tasks/MyTaskTable.tsx"],
  },
  {
    route: "/dashboard",
    budgetKb: 450,
    lazy: [...signedIn, "src/pages/reports/DashboardPage.tsx"],
    after: [charts],
  },
];

type ManifestChunk = {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
};
type Manifest = Record<string, ManifestChunk>;

export type RouteSize = {
  route: string;
  chunks: number;
  jsRaw: number;
  jsGzip: number;
  jsBrotli: number;
  cssGzip: number;
  /** What the page fetches once it shows (`after`), gzip, beyond the budgeted figure. */
  thenGzip: number;
  budgetKb: number;
  met: boolean;
  /** Set when the build is not split by route: every route loads the whole entry. */
  unsplit: boolean;
};

/** The chunk and everything it imports statically (what loads before it can run). */
function closure(manifest: Manifest, key: string, into: Set<string>) {
  if (into.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`bundle: ${key} is not in the build manifest`);
  into.add(key);
  for (const dep of chunk.imports ?? []) closure(manifest, dep, into);
}

export async function measureRoutes(distDir: string): Promise<RouteSize[]> {
  const manifestPath = join(distDir, ".vite/manifest.json");
  if (!existsSync(manifestPath))
    throw new Error(`bundle: ${manifestPath} is missing (build with build.manifest: true)`);
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as Manifest;
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error("bundle: the manifest has no entry chunk");
  // A build from before routes were lazy (no page is a chunk of its own) loads everything at once.
  const unsplit = !Object.values(manifest).some((c) => c.isDynamicEntry);

  const sizes = new Map<string, { raw: number; gzip: number; brotli: number }>();
  const sizeOf = async (file: string) => {
    let s = sizes.get(file);
    if (!s) {
      const bytes = await readFile(join(distDir, file));
      s = {
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
        brotli: brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }).length,
      };
      sizes.set(file, s);
    }
    return s;
  };

  const out: RouteSize[] = [];
  for (const b of budgets) {
    const keys = new Set<string>();
    closure(manifest, entry, keys);
    const then = new Set<string>();
    if (!unsplit) {
      const lazyChunk = (module: string) => {
        if (!manifest[module]?.isDynamicEntry)
          throw new Error(
            `bundle: ${b.route} loads ${module}, which the build has no chunk for: has the page moved? ` +
              "Update `budgets` in packages/bench/src/bundle.ts to App.tsx's imports.",
          );
        return module;
      };
      for (const module of b.lazy) closure(manifest, lazyChunk(module), keys);
      for (const module of b.after) closure(manifest, lazyChunk(module), then);
      for (const key of keys) then.delete(key);
    }
    const row: RouteSize = {
      route: b.route,
      chunks: keys.size,
      jsRaw: 0,
      jsGzip: 0,
      jsBrotli: 0,
      cssGzip: 0,
      thenGzip: 0,
      budgetKb: b.budgetKb,
      met: false,
      unsplit,
    };
    const css = new Set<string>();
    for (const key of keys) {
      const chunk = manifest[key] as ManifestChunk;
      const s = await sizeOf(chunk.file);
      row.jsRaw += s.raw;
      row.jsGzip += s.gzip;
      row.jsBrotli += s.brotli;
      for (const file of chunk.css ?? []) css.add(file);
    }
    for (const file of css) row.cssGzip += (await sizeOf(file)).gzip;
    for (const key of then) row.thenGzip += (await sizeOf((manifest[key] as ManifestChunk).file)).gzip;
    row.met = row.jsGzip <= b.budgetKb * 1000;
    out.push(row);
  }
  return out;
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

/** One JSON line per route on stdout, a table on stderr. */
export function printRoutes(rows: RouteSize[]) {
  for (const r of rows) {
    process.stdout.write(
      `${JSON.stringify({
        name: `bundle${r.route}`,
        js_gzip_kb: Number(kb(r.jsGzip)),
        js_brotli_kb: Number(kb(r.jsBrotli)),
        js_raw_kb: Number(kb(r.jsRaw)),
        css_gzip_kb: Number(kb(r.cssGzip)),
        then_gzip_kb: Number(kb(r.thenGzip)),
        chunks: r.chunks,
        budget_kb: r.budgetKb,
        met: r.met,
      })}\n`,
    );
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log("\n[bench] JavaScript a route loads before it shows (kB; budget on gzip):");
  log(
    `  ${"route".padEnd(12)}${"chunks".padStart(7)}${"raw".padStart(10)}${"gzip".padStart(9)}${"brotli".padStart(9)}${"budget".padStart(9)}  met`,
  );
  for (const r of rows) {
    log(
      `  ${r.route.padEnd(12)}${String(r.chunks).padStart(7)}${kb(r.jsRaw).padStart(10)}${kb(r.jsGzip).padStart(9)}${kb(r.jsBrotli).padStart(9)}${String(r.budgetKb).padStart(9)}  ${r.met ? "yes" : "NO, over budget"}`,
    );
  }
  if (rows.some((r) => r.unsplit)) log("  (this build is not split by route: every route loads all of it)");
  const then = rows.filter((r) => r.thenGzip > 0);
  if (then.length > 0)
    log(
      `  then, once the page shows (its charts; /my-tasks on a desktop its table; gzip): ${then.map((r) => `${r.route} +${kb(r.thenGzip)}`).join(", ")}`,
    );
  if (rows.some((r) => r.cssGzip > 0))
    log(`  CSS (gzip): ${rows.map((r) => `${r.route} ${kb(r.cssGzip)}`).join(", ")}`);
}

/** Builds the dashboard (turbo skips it when nothing changed), then measures and prints. */
export async function bundleReport(distDir?: string) {
  if (!distDir) {
    execFileSync(
      "pnpm",
      ["exec", "turbo", "run", "build", "--filter=@gongkai/web", "--output-logs=errors-only"],
      {
        cwd: repoRoot,
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
  }
  const rows = await measureRoutes(distDir ?? defaultWebDist);
  printRoutes(rows);
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await bundleReport(process.argv[2]);
  if (rows.some((r) => !r.met)) process.exitCode = 1;
}
