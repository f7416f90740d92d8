/**
 * The `parse` command as other tools call it: `pnpm --silent cli parse <file> [--year YYYY]` from
 * the repo root, stdout one JSON object and exit 0, or one line on stderr and exit 2.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePlanDocument } from "@gongkai/core";
import { writeTaskDivisionXlsx } from "@gongkai/files";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "gongkai-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Exactly as other tools call it. */
function cli(...args: string[]) {
  const r = spawnSync("pnpm", ["--silent", "cli", "parse", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same entry point without pnpm's start-up, for the rest (each process takes seconds on a busy machine). */
function main(...args: string[]) {
  const tsx = join(root, "node_modules/.bin/tsx");
  const r = spawnSync(tsx, ["apps/cli/src/main.ts", "parse", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const expected = (name: string) =>
  JSON.parse(readFileSync(join(root, "packages/core/test/fixtures/expected", `${name}.json`), "utf8"));

// Each call starts a process: about a second, and 30 s was seen on a loaded 2-core CI machine.
describe("pnpm --silent cli parse", { timeout: 300_000 }, () => {
  it("prints the contract JSON for seed 003 (Traditional Chinese) and exits 0", () => {
    const r = cli("seeds/003_33391eb50aacad12.txt");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.plans).toEqual(expected("003_33391eb50aacad12").plans);
    // What a person should check comes along, in Chinese (a field added after the contract).
    expect(out.warnings === undefined || out.warnings.every((w: string) => /[\u4e00-\u9fff]/.test(w))).toBe(
      true,
    );
  });

  it("uses --year when the document names none", () => {
    const r = main("seeds/004_dea02f1aa65a5a79.txt", "--year", "2021");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).plans[0].year).toBe(2021);
  });

  it("reads a task-division .xlsx written by the exporter back to the same tasks", async () => {
    const plan = parsePlanDocument(readFileSync(join(root, "seeds/002_c8b85c001a642098.txt"), "utf8"))
      .plans[1];
    if (!plan) throw new Error("seed 002 has two plans");
    const file = join(tmp, "分工.xlsx");
    writeFileSync(file, await writeTaskDivisionXlsx(plan));
    const r = main(file, "--year", "2011");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.plans[0].title).toBe("2011年全市政务公开工作要点");
    expect(out.plans[0].tasks).toEqual(expected("002_c8b85c001a642098").plans[1].tasks);
  });

  it.each([
    ["an empty file", "empty.txt", new Uint8Array(), "是空的", "is empty"],
    [
      "a binary file",
      "photo.txt",
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1, 2, 3]),
      "不是文本文件",
      "not a text file",
    ],
    ["a corrupt .docx", "broken.docx", new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]), "已损坏", "damaged"],
    ["a corrupt .xlsx", "broken.xlsx", new Uint8Array([1, 2, 3, 4]), "已损坏", "damaged"],
    [
      "a file over 10 MB",
      "big.txt",
      new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41),
      "超过 10 MB",
      "over the 10 MB limit",
    ],
  ])("refuses %s with one line in Chinese and English, exit 2", (_what, name, bytes, zh, en) => {
    const file = join(tmp, name);
    writeFileSync(file, bytes);
    const r = main(file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(zh);
    expect(lines[0]).toContain(en);
  });

  it("refuses a missing file and a bad year", () => {
    const missing = main("seeds/no-such-file.txt");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/无法读取文件.*cannot read file/);
    const year = main("seeds/001_6b261e1ba6fd1902.txt", "--year", "23");
    expect(year.code).toBe(2);
    expect(year.stderr).toMatch(/年份.*invalid year/);
  });
});
