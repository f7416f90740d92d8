/**
 * `pnpm backup` / `pnpm restore` (apps/api/src/backup.ts) on a real database: the demo with a year
 * of activity and a few evidence files, backed up, restored into an empty database and an empty
 * files folder, and compared row by row and byte by byte. A backup with one flipped byte is refused
 * and the target stays empty; a running server's PGlite folder and a target with data are refused.
 */
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, type Database, insertStoredFile, migrationsFolder, seedDemo } from "@gongkai/db";
import { testDbKinds } from "@gongkai/db/testing";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type BackupResult,
  createBackup,
  type DatabaseLocation,
  listTables,
  restoreBackup,
} from "../src/backup.ts";

const storageKeyFor = (sha: string) => `${sha.slice(0, 2)}/${sha}`;
const sha256 = async (bytes: Uint8Array) =>
  Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");

const evidence: { name: string; mime: string; bytes: Uint8Array }[] = [
  { name: "目录截图.pdf", mime: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n") },
  {
    name: "现场.png",
    mime: "image/png",
    bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  },
  // Large enough to span many read chunks; random, so no two runs share it.
  { name: "会议纪要.pdf", mime: "application/pdf", bytes: new Uint8Array(randomBytes(3 * 1024 * 1024 + 7)) },
];

/** Every row of every table as PostgreSQL writes it as text, sorted; and every sequence's position. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  const rowsOf = async <T>(query: ReturnType<typeof sql>) => {
    const r = (await database.db.execute(query)) as unknown;
    return Array.isArray(r) ? (r as T[]) : (r as { rows: T[] }).rows;
  };
  const out: Record<string, string[]> = {};
  for (const name of await listTables(database.db)) {
    const [schema, table] = name.split(".") as [string, string];
    const rows = await rowsOf<{ r: string }>(
      sql`select t::text as r from ${sql.identifier(schema)}.${sql.identifier(table)} t order by 1`,
    );
    out[name] = rows.map((x) => x.r);
  }
  const seqs = await rowsOf<{ s: string }>(
    sql`select schemaname || '.' || sequencename || '=' || coalesce(last_value::text, '-') as s
        from pg_sequences order by 1`,
  );
  out["(sequences)"] = seqs.map((x) => x.s);
  return out;
}

/** Every file under a folder, "relative path" → bytes. */
async function filesUnder(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.isFile())
      out.set(join(e.parentPath, e.name).slice(root.length + 1), await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

describe.each(testDbKinds())("backup and restore on %s", (kind) => {
  let tmp: string;
  let source: DatabaseLocation;
  let sourceFiles: string;
  let expected: Record<string, string[]>;
  const pgDatabases: string[] = [];
  const adminUrl = inject("pgAdminUrl");

  /** An empty target: a new PGlite folder, or a newly created PostgreSQL database. */
  const emptyTarget = async (label: string): Promise<{ target: DatabaseLocation; filesDir: string }> => {
    const root = join(tmp, label);
    if (kind === "pglite")
      return { target: { kind, dataDir: join(root, "pglite") }, filesDir: join(root, "files") };
    if (!adminUrl) throw new Error("no PostgreSQL server for this run");
    const name = `${inject("pgRunPrefix")}_bk_${label}_${randomBytes(3).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    pgDatabases.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { target: { kind, url: url.toString() }, filesDir: join(root, "files") };
  };
  const open = async (location: DatabaseLocation) => {
    if (location.kind === "postgres") return createDatabase({ url: location.url, max: 2 });
    await mkdir(location.dataDir, { recursive: true });
    return createDatabase({ dataDir: location.dataDir });
  };
  /** Nothing written: no table (PostgreSQL) or an empty folder (PGlite), and no file. */
  const expectUntouched = async (target: DatabaseLocation, filesDir: string) => {
    expect(await filesUnder(filesDir)).toEqual(new Map());
    if (target.kind === "pglite") {
      expect(await readdir(target.dataDir).catch(() => [])).toEqual([]);
    } else {
      const database = await open(target);
      expect(await listTables(database.db)).toEqual([]);
      await database.close();
    }
  };
  const backup = (outDir: string): Promise<BackupResult> =>
    createBackup({ source, filesDir: sourceFiles, outDir, productVersion: "9.9.9-test" });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "gongkai-backup-"));
    const src = await emptyTarget("src");
    source = src.target;
    sourceFiles = src.filesDir;
    const database = await open(source);
    try {
      await database.migrate();
      await seedDemo(database.db);
      for (const f of evidence) {
        const sha = await sha256(f.bytes);
        await mkdir(join(sourceFiles, sha.slice(0, 2)), { recursive: true });
        await writeFile(join(sourceFiles, storageKeyFor(sha)), f.bytes);
        await insertStoredFile(database.db, {
          sha256: sha,
          sizeBytes: f.bytes.length,
          mimeType: f.mime,
          fileName: f.name,
          storageKey: storageKeyFor(sha),
        });
      }
      // An upload staged but not yet committed to its key: kept, the restored server's sweep decides.
      await mkdir(join(sourceFiles, "tmp"), { recursive: true });
      await writeFile(join(sourceFiles, "tmp", `${"0".repeat(64)}.${"1".repeat(16)}`), "staged");
      expected = await contents(database);
    } finally {
      await database.close();
    }
  });

  afterAll(async () => {
    if (adminUrl && pgDatabases.length) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      for (const name of pgDatabases) await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("restores every row of every table and every evidence file, byte for byte, into an empty target", async () => {
    const { dir, manifest } = await backup(join(tmp, "backups"));
    const journal = JSON.parse(await readFile(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
      entries: { tag: string }[];
    };
    expect(manifest).toMatchObject({
      format: "gongkai-backup",
      productVersion: "9.9.9-test",
      database: {
        kind,
        migrations: { count: journal.entries.length, last: journal.entries.at(-1)?.tag },
      },
    });
    expect(manifest.database.tables["public.audit_log"]).toBe(expected["public.audit_log"]?.length);
    expect(manifest.database.tables["public.stored_files"]).toBe(evidence.length);
    expect(manifest.files).toHaveLength(1 + evidence.length + 1);
    expect(manifest.missingFiles).toEqual([]);
    expect(await readdir(join(tmp, "backups"))).toEqual([dir.split("/").at(-1)]);

    const { target, filesDir } = await emptyTarget("dst");
    const summary = await restoreBackup({ backupDir: dir, target, filesDir });
    expect(summary).toMatchObject({
      files: evidence.length + 1,
      tables: Object.keys(manifest.database.tables).length,
    });

    const restored = await open(target);
    try {
      const got = await contents(restored);
      expect(Object.keys(got)).toEqual(Object.keys(expected));
      for (const table of Object.keys(expected)) expect(got[table], table).toEqual(expected[table]);
    } finally {
      await restored.close();
    }
    const before = await filesUnder(sourceFiles);
    const after = await filesUnder(filesDir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, bytes] of before) expect(after.get(path)?.equals(bytes), path).toBe(true);
  });

  it("refuses a backup with one flipped byte (dump, evidence file or manifest) and leaves the target empty", async () => {
    const { dir, manifest } = await backup(join(tmp, "backups-corrupt"));
    const evidencePath = manifest.files.find((f) => f.path.startsWith("files/"))?.path ?? "";
    for (const part of [manifest.database.dump, evidencePath, "manifest.json"]) {
      const copy = join(tmp, `corrupt-${part.replace(/\W/g, "_")}`);
      await cp(dir, copy, { recursive: true });
      const bytes = await readFile(join(copy, part));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] ?? 0) ^ 0x01;
      await writeFile(join(copy, part), bytes);

      const { target, filesDir } = await emptyTarget(`bad${part.length}`);
      await expect(restoreBackup({ backupDir: copy, target, filesDir }), part).rejects.toThrow(
        /校验失败,未做任何改动/,
      );
      await expectUntouched(target, filesDir);
    }
  });

  it("refuses a target that already has data, and a backup of the other database kind", async () => {
    const { dir } = await backup(join(tmp, "backups-refusals"));
    await expect(
      restoreBackup({ backupDir: dir, target: source, filesDir: join(tmp, "unused") }),
    ).rejects.toThrow(kind === "pglite" ? /数据目录 .* 不是空的/ : /已有 \d+ 张表/);
    const empty = await emptyTarget("busyfiles");
    await expect(
      restoreBackup({ backupDir: dir, target: empty.target, filesDir: sourceFiles }),
    ).rejects.toThrow(/文件目录 .* 不是空的/);
    await expectUntouched(empty.target, join(tmp, "busyfiles", "none"));
    const other: DatabaseLocation =
      kind === "pglite"
        ? { kind: "postgres", url: "postgres://nobody@127.0.0.1:1/none" }
        : { kind: "pglite", dataDir: join(tmp, "x") };
    await expect(
      restoreBackup({ backupDir: dir, target: other, filesDir: join(tmp, "unused") }),
    ).rejects.toThrow(/只能恢复到同一种数据库/);
    const database = await open(source);
    try {
      expect(await contents(database)).toEqual(expected);
    } finally {
      await database.close();
    }
  });

  // PGlite only (a PostgreSQL server is backed up while it runs): defined for that kind alone, not skipped.
  if (kind === "pglite")
    it("refuses to back up an embedded database a running server holds", async () => {
      const server = await open(source);
      try {
        await expect(backup(join(tmp, "backups-locked"))).rejects.toThrow(
          /服务器正在运行.*请先停止服务器.*PostgreSQL/,
        );
        expect(await readdir(join(tmp, "backups-locked"))).toEqual([]);
      } finally {
        await server.close();
      }
    });
});
