import { defineConfig } from "vitest/config";

/**
 * One test run for the whole repo. Projects by kind:
 * - unit: pure tests next to the code (packages/core, validators, files)
 * - db: integration tests on PGlite, and on PostgreSQL when one answers on 127.0.0.1:5432
 * - e2e: a real headless Chromium against the built dashboard
 */
export default defineConfig({
  test: {
    globalSetup: ["./tooling/vitest/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: [
            "packages/*/test/**/*.db.test.ts",
            "packages/*/src/**/*.db.test.ts",
            "apps/*/test/**/*.db.test.ts",
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["apps/web/e2e/**/*.e2e.test.ts"],
          // Under CI a failed browser test runs once more; the report names every retry, and a
          // retry is a bug to fix (wait for a state, never for time), not a pass to keep. The retry
          // starts on the data its first attempt found (retry-setup.ts, harness.ts).
          retry: process.env.CI ? 1 : 0,
          setupFiles: ["apps/web/e2e/retry-setup.ts"],
          // A state polled for (a drawer done sliding in) may take longer than 1 s on a loaded machine.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
