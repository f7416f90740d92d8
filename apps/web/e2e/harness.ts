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
import { createDatabase, type Database, seedCalendar, seedDemo } from "@gongkai/db";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";

export const webDist = fileURLToPath(new URL("../dist/", import.meta.url));
export const screenshotDir = fileURLToPath(new URL("../../../test-results/screenshots/", import.meta.url));
const chromiumPath = "/usr/bin/chromium";

export type E2E = { baseUrl: string; browser: Browser; database: Database; close(): Promise<void> };

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
  const app = createApp({ database, version: "e2e", webDist });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
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
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    database,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
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

/** Pick an option in an antd TreeSelect by typing its name. */
export async function pickUnit(page: Page, testId: string, search: string, option: string) {
  const select = page.getByTestId(testId);
  // A dropdown that is still playing its closing animation is visible too: skip it.
  const open = page.locator(".ant-select-dropdown:visible:not([class*='-leave'])");
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
  // On a loaded machine the tree re-renders as it filters (one key at a time) and a click can land
  // on a row being replaced, or the keys can arrive before the search box has focus: the pick is
  // made again. The row's own selected state says whether it took — a second click on a selected
  // row would unselect it.
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await open.first().waitFor();
    // Typed into the search box itself (focused first), not wherever the focus happens to be.
    await select.locator("input").first().pressSequentially(search);
    await page.waitForTimeout(300); // let the filtering of the last key render
    let taken = false;
    if (await settled(node.waitFor({ timeout: 10_000 }))) {
      if (!(await selectedNode.isVisible())) await node.click();
      taken = await settled(selectedNode.waitFor({ timeout: 5_000 }));
    }
    await page.keyboard.press("Escape");
    await closed();
    if (taken || (await chosen.isVisible()) || attempt === 3) break;
  }
  await chosen.waitFor();
}
