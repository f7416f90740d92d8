import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { env } from "./env.ts";

const apiPort = env.API_PORT;

const antdInternals =
  /[\\/]node_modules[\\/](?:@rc-component[\\/]|@ant-design[\\/](?:cssinjs|cssinjs-utils|colors|fast-color)[\\/])/;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Text the server sends; images other than SVG and fonts are compressed already. */
const compressible = /\.(?:js|mjs|css|html|svg|json|txt|xml|map)$/;

/**
 * Writes `x.br` (brotli, quality 11) and `x.gz` (gzip, level 9) beside every compressible file of
 * the build, the public folder's included, for the API server's `serveStatic({ precompressed })`:
 * the best compression once at build instead of a fast one on every request. A variant is kept
 * only when it is smaller than the file. Node's zlib does it in a dozen lines, so no plugin.
 */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "gongkai:precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter(
        (f) => compressible.test(f) && !f.startsWith(".vite"),
      );
      await Promise.all(
        files.map(async (name) => {
          const path = join(outDir, name);
          if (!(await stat(path)).isFile()) return;
          const raw = await readFile(path);
          const [br, gz] = await Promise.all([
            brotli(raw, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              },
            }),
            gzipAsync(raw, { level: constants.Z_BEST_COMPRESSION }),
          ]);
          if (br.length < raw.length) await writeFile(`${path}.br`, br);
          if (gz.length < raw.length) await writeFile(`${path}.gz`, gz);
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: 5173,
    proxy: {
      "/trpc": `http://localhost:${apiPort}`,
      "/api": `http://localhost:${apiPort}`,
      "/health": `http://localhost:${apiPort}`,
    },
  },
  build: {
    // .vite/manifest.json: which chunks each route loads, for the bundle budget in `pnpm bench`
    // (packages/bench/src/bundle.ts).
    manifest: true,
    rolldownOptions: {
      treeshake: {
        // Ant Design's @rc-component packages (and its CSS-in-JS and colour helpers) declare no
        // `sideEffects`, so the bundler keeps every module they import whether it is used or not:
        // antd's Radio (in every Table) takes one name-path helper from Form's useForm, and with
        // it came all of @rc-component/form and its validator on every page with a table (7 kB
        // gzip). They are React components and helpers with nothing to run on import.
        moduleSideEffects: (id: string) => (antdInternals.test(id) ? false : undefined),
      },
    },
    // Chunks are left to Rollup: each route's page is its own chunk (React.lazy in App.tsx) with
    // the antd components and charts it uses, shared code in chunks of its own. No manualChunks:
    // lumping antd or recharts into one chunk made the sign-in page load all of both.
  },
});
