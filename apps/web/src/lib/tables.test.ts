import { describe, expect, it } from "vitest";
import { unitPages } from "./tables.ts";

describe("unitPages", () => {
  it("shows a page's worth of units whole, and pages beyond it, saying how many there are", () => {
    expect(unitPages(0)).toBe(false);
    expect(unitPages(50)).toBe(false);
    const pages = unitPages(3000);
    expect(pages).not.toBe(false);
    if (!pages) return;
    expect(pages.pageSize).toBe(50);
    expect(pages.showTotal?.(3000, [1, 50])).toBe("共 3000 个单位");
    expect(unitPages(11, 10)).toMatchObject({ pageSize: 10 });
  });
});
