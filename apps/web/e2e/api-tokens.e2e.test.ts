import { afterAll, beforeAll, expect, it } from "vitest";
import { type E2E, screenshot, signIn, startE2E } from "./harness.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

it("the administrator issues an API token once, the other system reads with it, and revoking ends it", async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  await signIn(page, e2e.baseUrl, "admin", "Admin@2026");
  await page.getByRole("menuitem", { name: "接口令牌" }).click();
  await page.getByRole("button", { name: "签发令牌" }).click();
  await page.getByRole("dialog", { name: "签发接口令牌" }).getByLabel("对接系统").fill("市政务公开大屏");
  // A single pick closes the list by itself (pickUnit's Escape would close the dialog too).
  const unit = page.getByTestId("api-token-unit");
  await unit.click();
  await unit.locator("input").first().pressSequentially("徐泾镇人民政府");
  await page
    .locator(".ant-select-dropdown:visible .ant-select-tree-node-content-wrapper", {
      hasText: "徐泾镇人民政府",
    })
    .first()
    .click();
  await unit.getByText("徐泾镇人民政府").first().waitFor();
  const ok = page.locator(".ant-modal-footer .ant-btn-primary");
  await ok.click();
  const token = (await page.getByTestId("issued-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^gk_[A-Za-z0-9_-]{43}$/);
  await screenshot(page, "api-token-issued");
  await page.getByRole("button", { name: "我已保存令牌" }).click();

  // The token works on /api/v1, and the list shows it used — never the token itself.
  const read = () => fetch(`${e2e.baseUrl}/api/v1/plans`, { headers: { authorization: `Bearer ${token}` } });
  expect((await read()).status).toBe(200);
  await page.reload();
  const row = page.getByRole("row", { name: /市政务公开大屏/ });
  await row.getByText("有效").waitFor();
  await expect(page.content()).resolves.not.toContain(token);

  await row.getByRole("button", { name: /吊\s*销/ }).click();
  await page.locator(".ant-popconfirm .ant-btn-primary").click();
  await row.getByText(/已吊销/).waitFor();
  const refused = await read();
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { message: string }).message).toContain("已被吊销");
  await page.close();
});
