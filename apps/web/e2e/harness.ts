/**
 * End-to-end harness: the real API server (Hono on a free port) over an in-memory PGlite with the
 * demo data, serving the built dashboard, driven by a real headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core). Screenshots go to test-results/screenshots/.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createApp } from "@gongkai/api-server/src/app.ts";
import { type FileStore, MemoryFileStore } from "@gongkai/api-server/src/storage.ts";
import { createDatabase, type Database, seedCalendar, seedDemo } from "@gongkai/db";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect, type RunnerTestCase as Test } from "vitest";
import { env } from "../../../tooling/vitest/env.ts";

/** The built dashboard; GONGKAI_WEB_DIST names another build (one made aside, while others build). */
export const webDist = env.GONGKAI_WEB_DIST
  ? `${env.GONGKAI_WEB_DIST.replace(/\/$/, "")}/`
  : fileURLToPath(new URL("../dist/", import.meta.url));
export const screenshotDir = fileURLToPath(new URL("../../../test-results/screenshots/", import.meta.url));
const chromiumPath = "/usr/bin/chromium";

export type E2E = { baseUrl: string; browser: Browser; database: Database; close(): Promise<void> };

type Served = { baseUrl: string; database: Database; close(): Promise<void> };

/** The API and the dashboard over this database, on a free port. */
async function serveOn(database: Database, fileStore: FileStore): Promise<Served> {
  const app = createApp({ database, version: "e2e", webDist, fileStore });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Pages a failed attempt left open may hold keep-alive connections: they would keep it open.
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
      await database.close();
    },
  };
}

/**
 * What the retry hook (retry-setup.ts) does to this file's harness before each attempt of a test:
 * when the test may be retried, its first attempt starts by dumping the database; a retry starts
 * on a new server over that dump, so it finds the data exactly as the first attempt found it (a
 * report not yet submitted, a project not yet created), not as the failed attempt left it.
 */
let attempts: ((task: Test) => Promise<void>) | undefined;
export const beforeAttempt = (task: Test) => attempts?.(task) ?? Promise.resolve();

export async function startE2E(): Promise<E2E> {
  if (!existsSync(`${webDist}index.html`)) {
    throw new Error(
      "apps/web/dist is missing: run `pnpm --filter @gongkai/web build` (pnpm test does it first).",
    );
  }
  if (!existsSync(chromiumPath))
    throw new Error("Chromium is missing: apt-get install -y chromium fonts-noto-cjk");
  await mkdir(screenshotDir, { recursive: true });
  const database = await createDatabase({});
  await database.migrate();
  await seedCalendar(database.db);
  await seedDemo(database.db, { activity: false });
  // One store for every attempt: files uploaded by earlier tests stay readable after a restore.
  const fileStore = new MemoryFileStore();
  let served = await serveOn(database, fileStore);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  const e2e: E2E = {
    baseUrl: served.baseUrl,
    browser,
    database,
    close: async () => {
      attempts = undefined;
      await browser.close();
      await served.close();
    },
  };
  let before: Blob | null = null;
  attempts = async (task) => {
    const retries = typeof task.retry === "number" ? task.retry : (task.retry?.count ?? 0);
    if (retries === 0) return;
    const retry = task.result?.retryCount ?? 0;
    if (retry === 0) {
      before = (await served.database.pglite?.dumpDataDir("none")) ?? null;
      return;
    }
    if (!before) throw new Error("no dump of the database from before the first attempt");
    // What failed (with Playwright's call log: what the locator found, and why it did not act) and
    // where in the test: a retry is a bug to fix.
    const error = task.result?.errors?.[0];
    const where = error?.stack?.split("\n").find((line) => /\.e2e\.test\.ts|harness\.ts/.test(line));
    const lines = (error?.stack ?? error?.message ?? "?").split("\n");
    const frames = lines.findIndex((line) => /^\s+at /.test(line));
    const what = lines.slice(0, frames < 0 ? 16 : Math.min(frames, 16)).join("\n");
    console.warn(
      `[e2e] retry ${retry} of "${task.name}", on the data as it was before attempt 1, after:\n` +
        `${what}${where ? `\n${where.trim()}` : ""}`,
    );
    for (const context of browser.contexts()) await context.close();
    await served.close();
    served = await serveOn(await createDatabase({ loadDataDir: before }), fileStore);
    e2e.baseUrl = served.baseUrl;
    e2e.database = served.database;
  };
  return e2e;
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByTestId("current-user").waitFor();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

/**
 * Waits until nothing on the page moves: every CSS animation and transition under way has ended (a
 * toast sliding in, a drawer opening); ones that loop for ever (a spinner) are not waited for.
 */
export async function stopped(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** Pick an option in an antd TreeSelect by typing its name. */
export async function pickUnit(page: Page, testId: string, search: string, option: string) {
  const select = page.getByTestId(testId);
  // A dropdown that is still playing its closing animation is visible too: skip it.
  const open = page.locator(".ant-select-dropdown:visible:not([class*='-leave'])");
  // One that has finished sliding in (rc-motion's -appear / -enter classes gone): it stands still.
  const still = page.locator(
    ".ant-select-dropdown:visible:not([class*='-leave']):not([class*='-appear']):not([class*='-enter'])",
  );
  const input = select.locator("input").first();
  const closed = () => page.locator(".ant-select-dropdown:visible").first().waitFor({ state: "hidden" });
  const chosen = select.getByText(option).first();
  const node = open.locator(".ant-select-tree-node-content-wrapper", { hasText: option }).first();
  const selectedNode = open
    .locator(".ant-select-tree-node-content-wrapper.ant-select-tree-node-selected", { hasText: option })
    .first();
  const settled = (p: Promise<unknown>) =>
    p.then(
      () => true,
      () => false,
    );
  // Should the keys arrive before the search box has focus, or the click not take, the pick is
  // made again. The row's own selected state says whether it took — a second click on a selected
  // row would unselect it.
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await open.first().waitFor();
    // Typed into the search box itself (focused first), not wherever the focus happens to be.
    await input.pressSequentially(search);
    // The list is filtered as each key arrives: it shows the whole search's matches once the box
    // holds the whole search; and a click lands where aimed once the list has stopped sliding in.
    const typed = await settled(expect.poll(() => input.inputValue()).toBe(search));
    await still.first().waitFor();
    let taken = false;
    if (typed && (await settled(node.waitFor({ timeout: 10_000 })))) {
      if (!(await selectedNode.isVisible())) await node.click();
      taken = await settled(selectedNode.waitFor({ timeout: 5_000 }));
    }
    await page.keyboard.press("Escape");
    await closed();
    if (taken || (await chosen.isVisible()) || attempt === 3) break;
  }
  await chosen.waitFor();
}
