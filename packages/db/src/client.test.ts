import { describe, expect, it } from "vitest";
import { unixSocket } from "./client.ts";

describe("a DATABASE_URL naming a Unix socket, as libpq does", () => {
  it("takes the socket directory out of the URL and points postgres.js at the socket file", () => {
    expect(unixSocket("postgres://postgres@localhost/gongkai?host=/var/run/postgresql")).toEqual({
      url: "postgres://postgres@localhost/gongkai",
      path: "/var/run/postgresql/.s.PGSQL.5432",
    });
    expect(unixSocket("postgres://app:secret@localhost:5433/gk?host=/tmp/&sslmode=disable")).toEqual({
      url: "postgres://app:secret@localhost:5433/gk?sslmode=disable",
      path: "/tmp/.s.PGSQL.5433",
    });
  });

  it("leaves a TCP URL alone", () => {
    const url = "postgres://postgres@127.0.0.1:5432/gongkai?host=db.internal";
    expect(unixSocket(url)).toEqual({ url, path: null });
    expect(unixSocket("postgres://postgres@127.0.0.1:5432/gongkai")).toEqual({
      url: "postgres://postgres@127.0.0.1:5432/gongkai",
      path: null,
    });
  });
});

describe("one process per embedded data folder", () => {
  it("refuses a second open of the same folder in Chinese, and opens again once the first closes", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { createDatabase } = await import("./client.ts");
    const dir = mkdtempSync(join(tmpdir(), "gongkai-lock-"));
    const dataDir = join(dir, "pglite");
    try {
      const first = await createDatabase({ dataDir });
      await expect(createDatabase({ dataDir })).rejects.toThrow(/正由另一个进程\(pid \d+\)使用/);
      await first.close();
      const again = await createDatabase({ dataDir });
      await again.close();
      // A lock left by a process that is gone (a crash) does not keep the folder closed.
      writeFileSync(`${dataDir}.lock`, `999999999\n${(await import("node:os")).hostname()}\n`);
      const afterCrash = await createDatabase({ dataDir });
      await afterCrash.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
