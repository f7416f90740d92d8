/**
 * Backup and restore of a whole installation: the database and the evidence files.
 *
 * One backup is one folder (not a .tar): every part can be checked with `sha256sum` against the
 * manifest, copied with rsync/restic (evidence files never change, so daily backups deduplicate
 * them), and nothing here needs an archive library.
 *
 *   gongkai-backup-20260115T020000Z/
 *     manifest.json        when, which version, which database, migrations, rows per table,
 *                          size and sha256 of every other file
 *     manifest.sha256      sha256 of manifest.json (a flipped byte in the manifest is caught too)
 *     database.pgdump      PostgreSQL: `pg_dump -Fc`, taken in the same snapshot as the row counts
 *     database.pglite.tgz  PGlite: its data folder (`dumpDataDir`), taken with the folder's lock held
 *     files/ab/ab12…       the file store, same layout as DATA_DIR/files
 *
 * A restore verifies every checksum before it touches anything, writes only into an empty
 * database and an empty files folder, and then checks the rows per table and every file again.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { constants, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { DomainError, isDomainError } from "@gongkai/core";
import { createDatabase, type Database, type Db, type DbKind, migrationsFolder } from "@gongkai/db";
import { type SQL, sql } from "drizzle-orm";
import { childEnv } from "./env.ts";

/** Where the data is, or goes: a PostgreSQL database, or a PGlite data folder (DATA_DIR/pglite). */
export type DatabaseLocation = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type ManifestFile = { path: string; size: number; sha256: string };

export type Manifest = {
  format: "gongkai-backup";
  formatVersion: 1;
  createdAt: string;
  productVersion: string;
  database: {
    kind: DbKind;
    serverVersion: string;
    /** The dump, a path listed in `files`. */
    dump: string;
    migrations: { count: number; last: string | null };
    /** Rows per table, "schema.table" → count, in the snapshot the dump was taken from. */
    tables: Record<string, number>;
  };
  /** Every file of the backup but the manifest itself: the dump and the file store. */
  files: ManifestFile[];
  /** Storage keys the dumped rows name whose bytes were not in the store (should be empty). */
  missingFiles: string[];
};

export type BackupResult = { dir: string; manifest: Manifest; bytes: number };

export type RestoreSummary = {
  manifest: Manifest;
  tables: number;
  rows: number;
  files: number;
  bytes: number;
};

const MANIFEST = "manifest.json";
const MANIFEST_SUM = "manifest.sha256";
const FILES = "files";
/** A file store key, "ab/ab12…" (storage.ts): only such names are looked up from the rows. */
const storageKey = /^[0-9a-f]{2}\/[0-9a-f]{64}$/;

type Log = (line: string) => void;
const quiet: Log = () => {};

// ---------------------------------------------------------------------------------------------
// Backup

/**
 * Writes a backup of `source` and the file store at `filesDir` into a new folder under `outDir`,
 * and returns it. The folder is written as `<name>.partial` and renamed when complete, so a backup
 * that was interrupted never looks like one.
 *
 * PGlite: the data folder's lock is taken (a running server holds it: refused, saying what to do).
 * PostgreSQL: the server may keep running; the dump and the row counts share one snapshot, and the
 * files are copied after it (the store never rewrites a key, and deletes only what no row names), so
 * the files the dumped rows name are in the backup; any that are not are listed as `missingFiles`.
 */
export async function createBackup(opts: {
  source: DatabaseLocation;
  filesDir: string;
  outDir: string;
  productVersion: string;
  now?: () => Date;
  log?: Log;
}): Promise<BackupResult> {
  const log = opts.log ?? quiet;
  const createdAt = (opts.now ?? (() => new Date()))();
  const name = `gongkai-backup-${createdAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
  const dir = resolve(opts.outDir, name);
  const work = `${dir}.partial`;
  if (existsSync(dir))
    throw new DomainError("CONFLICT", `备份目录 ${dir} 已存在,请稍后再试或换一个输出目录。`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const dumped =
      opts.source.kind === "postgres"
        ? await dumpPostgres(opts.source.url, work, log)
        : await dumpPglite(opts.source.dataDir, work, log);
    log(`数据库:${Object.keys(dumped.tables).length} 张表,${sum(Object.values(dumped.tables))} 行`);

    const files: ManifestFile[] = [{ path: dumped.dump, ...(await hashFile(join(work, dumped.dump))) }];
    const copy = async (rel: string) => {
      const copied = await copyHashed(join(opts.filesDir, rel), join(work, FILES, rel));
      if (copied) files.push({ path: `${FILES}/${rel}`, ...copied });
    };
    for (const rel of await listFiles(opts.filesDir)) await copy(rel);
    // A row written while the folder was listed may have had its upload still staged (tmp/…) and
    // committed to its key after the key's folder was passed: look for those once more.
    const copied = new Set(files.map((f) => f.path.slice(FILES.length + 1)));
    for (const key of dumped.storageKeys) if (!copied.has(key) && storageKey.test(key)) await copy(key);
    const have = new Set(files.map((f) => f.path.slice(FILES.length + 1)));
    const missingFiles = dumped.storageKeys.filter((key) => !have.has(key));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    log(`文件:${files.length - 1} 个`);
    if (missingFiles.length) {
      log(
        `注意:数据库中 ${missingFiles.length} 个文件记录在文件目录中找不到(如 ${missingFiles[0]}),已记在 manifest.json 的 missingFiles。`,
      );
    }

    const manifest: Manifest = {
      format: "gongkai-backup",
      formatVersion: 1,
      createdAt: createdAt.toISOString(),
      productVersion: opts.productVersion,
      database: {
        kind: opts.source.kind,
        serverVersion: dumped.serverVersion,
        dump: dumped.dump,
        migrations: dumped.migrations,
        tables: dumped.tables,
      },
      files,
      missingFiles,
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    await writeFile(join(work, MANIFEST), text);
    await writeFile(join(work, MANIFEST_SUM), `${sha256(Buffer.from(text))}  ${MANIFEST}\n`);
    await rename(work, dir);
    return { dir, manifest, bytes: sum(files.map((f) => f.size)) + Buffer.byteLength(text) };
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
}

type Dumped = {
  dump: string;
  serverVersion: string;
  migrations: Manifest["database"]["migrations"];
  tables: Record<string, number>;
  /** The file store keys the dumped rows name. */
  storageKeys: string[];
};

/**
 * `pg_dump -Fc` with `--snapshot`: a read-only repeatable-read transaction exports its snapshot,
 * counts the rows in it and keeps it open while pg_dump reads the same snapshot, so the counts in
 * the manifest are exactly the rows in the dump even while the server keeps writing.
 */
async function dumpPostgres(url: string, work: string, log: Log): Promise<Dumped> {
  const database = await createDatabase({ url, max: 1 });
  try {
    return await database.db.transaction(
      async (tx) => {
        const [snapshot] = await rows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
        if (!snapshot) throw new Error("pg_export_snapshot returned nothing");
        const serverVersion = await serverVersionOf(tx);
        const tables = await countRows(tx);
        const migrations = await migrationState(tx);
        const storageKeys = await storageKeysOf(tx);
        const pgDump = await findPgTool("pg_dump", Number.parseInt(serverVersion, 10));
        const dump = "database.pgdump";
        log(`pg_dump(${pgDump})……`);
        const target = libpqTarget(url);
        await run(
          pgDump,
          ["-Fc", "--snapshot", snapshot.id, "-f", join(work, dump), "-d", target.dsn],
          target.env,
        );
        return { dump, serverVersion, migrations, tables, storageKeys };
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
  } finally {
    await database.close();
  }
}

/**
 * PGlite's data folder as a gzipped tar, by `dumpDataDir()`, the documented counterpart of the
 * `loadDataDir` option (pglite.dev/docs/api). The dump copies the folder's files as they are, so
 * it is consistent only if no one writes meanwhile and the pages are on disk: the folder's lock is
 * held (no server), and a CHECKPOINT runs first. The dump is then loaded into an in-memory PGlite
 * and its rows counted again: a backup that would not load is never written.
 */
async function dumpPglite(dataDir: string, work: string, log: Log): Promise<Dumped> {
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    throw new DomainError(
      "NOT_FOUND",
      `在 ${dataDir} 没有找到嵌入式数据库。请检查 DATA_DIR 是否与服务器使用的一致。`,
    );
  }
  const database = await openPglite({ dataDir }, "备份");
  let dumped: Dumped;
  let bytes: Uint8Array;
  try {
    const { db, pglite } = database;
    if (!pglite) throw new Error("not a PGlite database");
    dumped = {
      dump: "database.pglite.tgz",
      serverVersion: await serverVersionOf(db),
      migrations: await migrationState(db),
      tables: await countRows(db),
      storageKeys: await storageKeysOf(db),
    };
    await pglite.exec("checkpoint");
    log("导出嵌入式数据库……");
    bytes = new Uint8Array(await (await pglite.dumpDataDir("gzip")).arrayBuffer());
  } finally {
    await database.close();
  }
  await writeFile(join(work, dumped.dump), bytes);
  const copy = await createDatabase({ loadDataDir: new Blob([bytes]) });
  try {
    const problems = compareCounts(dumped.tables, await countRows(copy.db));
    if (problems.length) throw new Error(`PGlite dump does not load back as it was: ${problems.join("; ")}`);
  } finally {
    await copy.close();
  }
  return dumped;
}

// ---------------------------------------------------------------------------------------------
// Verify and restore

/**
 * Checks a backup without changing anything: the manifest against its checksum, then the size and
 * sha256 of every file it lists, and that the folder holds nothing else. Throws in Chinese naming
 * what is wrong.
 */
export async function verifyBackup(backupDir: string): Promise<Manifest> {
  const dir = resolve(backupDir);
  const corrupt = (what: string) =>
    new DomainError("INVALID_INPUT", `备份 ${dir} 校验失败,未做任何改动:${what}。请改用另一份备份。`);
  if (!existsSync(join(dir, MANIFEST))) {
    throw new DomainError(
      "NOT_FOUND",
      `${dir} 不是一份备份(没有 ${MANIFEST})。请给出 pnpm backup 生成的备份目录。`,
    );
  }
  const text = await readFile(join(dir, MANIFEST));
  const expected = (await readFile(join(dir, MANIFEST_SUM), "utf8").catch(() => "")).split(/\s/)[0];
  if (expected !== sha256(text)) throw corrupt(`${MANIFEST} 与 ${MANIFEST_SUM} 不符(清单被改动或损坏)`);
  const manifest = JSON.parse(text.toString("utf8")) as Manifest;
  if (manifest.format !== "gongkai-backup" || manifest.formatVersion !== 1) {
    throw corrupt(`不认识的备份格式 ${manifest.format} ${manifest.formatVersion}`);
  }

  const bad: string[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    const path = resolve(dir, f.path);
    if (!path.startsWith(dir + sep) || f.path.includes("\\")) throw corrupt(`清单中的路径 ${f.path} 不合法`);
    listed.add(f.path);
    const got = await hashFile(path).catch(() => null);
    if (!got) bad.push(`${f.path} 缺失`);
    else if (got.size !== f.size || got.sha256 !== f.sha256) bad.push(`${f.path} 内容不符`);
  }
  if (!listed.has(manifest.database.dump)) bad.push(`清单没有列出数据库文件 ${manifest.database.dump}`);
  for (const rel of await listFiles(dir)) {
    if (rel !== MANIFEST && rel !== MANIFEST_SUM && !listed.has(rel)) bad.push(`${rel} 不在清单中`);
  }
  if (bad.length) {
    const shown = bad.slice(0, 5).join(";");
    throw corrupt(`${bad.length} 处问题(${shown}${bad.length > 5 ? "……" : ""})`);
  }
  return manifest;
}

/**
 * Restores a backup into an empty database and an empty files folder. Order: verify every checksum
 * (a corrupt backup changes nothing); refuse a target that is not empty, of the other kind, or on
 * an older schema than the backup; load the database (PostgreSQL: one transaction, all or nothing;
 * PGlite: the dump unpacked into the new folder, with its lock held); copy the files; then count the
 * rows per table and hash every restored file against the manifest.
 */
export async function restoreBackup(opts: {
  backupDir: string;
  target: DatabaseLocation;
  filesDir: string;
  log?: Log;
}): Promise<RestoreSummary> {
  const log = opts.log ?? quiet;
  const dir = resolve(opts.backupDir);
  const manifest = await verifyBackup(dir);
  log(`校验通过:${manifest.files.length} 个文件(${formatBytes(sum(manifest.files.map((f) => f.size)))})`);
  const { target } = opts;
  const dbFile = join(dir, manifest.database.dump);

  if (manifest.database.kind !== target.kind) {
    const name = (k: DbKind) => (k === "postgres" ? "PostgreSQL" : "嵌入式数据库 PGlite");
    throw new DomainError(
      "CONFLICT",
      `这份备份来自${name(manifest.database.kind)},当前配置的是${name(target.kind)}:只能恢复到同一种数据库。` +
        (manifest.database.kind === "postgres"
          ? "请设置 DATABASE_URL 指向一个空的 PostgreSQL 数据库。"
          : "请不要设置 DATABASE_URL。"),
    );
  }
  const known = await knownMigrations();
  const { last } = manifest.database.migrations;
  if (last && !known.includes(last)) {
    throw new DomainError(
      "CONFLICT",
      `这份备份来自更新的版本(数据库迁移 ${last},当前程序只到 ${known.at(-1)}):请先把程序升级到 ${manifest.productVersion} 或更新,再恢复。`,
    );
  }
  // Both targets are checked before anything is written.
  const serverMajor = target.kind === "postgres" ? await refuseNonEmptyPostgres(target.url) : 0;
  if (target.kind === "pglite" && !(await isEmptyDir(target.dataDir))) {
    throw new DomainError(
      "CONFLICT",
      `数据目录 ${resolve(target.dataDir)} 不是空的:恢复只写入空目录,不覆盖现有数据。请把 DATA_DIR 指向一个新目录,或先停止服务器并把现有目录移走(如 mv data data.old)。`,
    );
  }
  if (!(await isEmptyDir(opts.filesDir))) {
    throw new DomainError(
      "CONFLICT",
      `文件目录 ${resolve(opts.filesDir)} 不是空的:恢复只写入空目录,不覆盖现有文件。请把 DATA_DIR 指向一个新目录,或先把现有目录移走。`,
    );
  }

  let restored: Record<string, number>;
  if (target.kind === "postgres") {
    const pgRestore = await findPgTool(
      "pg_restore",
      Math.max(serverMajor, Number.parseInt(manifest.database.serverVersion, 10)),
    );
    log(`pg_restore(${pgRestore})……`);
    const t = libpqTarget(target.url);
    // One transaction, stopping at the first error: a failed restore leaves the database empty.
    await run(
      pgRestore,
      ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", "-d", t.dsn, dbFile],
      t.env,
    ).catch((e: unknown) => {
      throw new DomainError(
        "INVALID_INPUT",
        `pg_restore 失败,目标数据库未改动(整个恢复在一个事务中):${(e as Error).message}`,
      );
    });
    restored = await withDatabase({ url: target.url, max: 1 }, (d) => countRows(d.db));
  } else {
    restored = await restorePglite(target.dataDir, dbFile, log);
  }

  log("复制文件……");
  for (const f of manifest.files) {
    if (!f.path.startsWith(`${FILES}/`)) continue;
    const to = join(opts.filesDir, f.path.slice(FILES.length + 1));
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(dir, f.path), to, constants.COPYFILE_EXCL);
  }

  const problems = compareCounts(manifest.database.tables, restored);
  const restoredFiles = manifest.files.filter((f) => f.path.startsWith(`${FILES}/`));
  for (const f of restoredFiles) {
    const got = await hashFile(join(opts.filesDir, f.path.slice(FILES.length + 1)));
    if (got.sha256 !== f.sha256 || got.size !== f.size) problems.push(`文件 ${f.path} 与备份不符`);
  }
  if (problems.length) {
    throw new Error(`恢复后的检查未通过(数据已写入目标,请勿启用):${problems.slice(0, 10).join(";")}`);
  }
  return {
    manifest,
    tables: Object.keys(restored).length,
    rows: sum(Object.values(restored)),
    files: restoredFiles.length,
    bytes: sum(restoredFiles.map((f) => f.size)),
  };
}

/** Refuses a database that has any table; returns the server's major version. */
async function refuseNonEmptyPostgres(url: string): Promise<number> {
  const { tables, version } = await withDatabase({ url, max: 1 }, async (d) => ({
    tables: await listTables(d.db),
    version: await serverVersionOf(d.db),
  }));
  if (tables.length) {
    const name = new URL(url).pathname.slice(1);
    throw new DomainError(
      "CONFLICT",
      `目标数据库 ${name} 已有 ${tables.length} 张表(如 ${tables.slice(0, 3).join("、")}):恢复只写入空数据库,不覆盖现有数据。` +
        "请新建一个空数据库(如 createdb gongkai_restored)并把 DATABASE_URL 指向它,恢复完成后再启动服务器。",
    );
  }
  return Number.parseInt(version, 10);
}

/** Unpacks the dump into an empty folder (checked by the caller), with the folder's lock held. */
async function restorePglite(dataDir: string, dump: string, log: Log): Promise<Record<string, number>> {
  await mkdir(dataDir, { recursive: true });
  log("载入嵌入式数据库……");
  try {
    const database = await openPglite({ dataDir, loadDataDir: new Blob([await readFile(dump)]) }, "恢复");
    try {
      return await countRows(database.db);
    } finally {
      await database.close();
    }
  } catch (e) {
    // A server holding the folder's lock: nothing was written. Otherwise the folder was empty
    // before, so emptying it again leaves nothing of ours behind, nor a lock left by a failed start.
    if (!isDomainError(e)) {
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir);
      const lock = `${dataDir.replace(/\/$/, "")}.lock`;
      const owner = (await readFile(lock, "utf8").catch(() => "")).split("\n")[0];
      if (owner === String(process.pid)) await rm(lock, { force: true });
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Database helpers

type Queryable = Pick<Db, "execute">;

async function rows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

async function withDatabase<T>(
  opts: { url: string; max: number },
  fn: (d: Database) => Promise<T>,
): Promise<T> {
  const database = await createDatabase(opts);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** A PGlite data folder opened with its lock; a server holding it is named in the refusal. */
async function openPglite(
  opts: { dataDir: string; loadDataDir?: Blob },
  action: "备份" | "恢复",
): Promise<Database> {
  try {
    return await createDatabase(opts);
  } catch (e) {
    if (!isDomainError(e) || e.code !== "CONFLICT") throw e;
    const pid = (await readFile(`${opts.dataDir.replace(/\/$/, "")}.lock`, "utf8").catch(() => "")).split(
      "\n",
    )[0];
    throw new DomainError(
      "CONFLICT",
      `服务器正在运行(pid ${pid || "?"}),嵌入式数据库 ${resolve(opts.dataDir)} 同一时间只能由一个进程打开,无法${action}。` +
        `请先停止服务器(如 systemctl stop gongkai,或在运行它的终端按 Ctrl+C),${action}完成后再启动;` +
        "需要在服务运行时备份,请改用 PostgreSQL(设置 DATABASE_URL)。",
    );
  }
}

/** Every table outside PostgreSQL's own schemas, as "schema.table", sorted. */
export async function listTables(db: Queryable): Promise<string[]> {
  const found = await rows<{ name: string }>(
    db,
    sql`select schemaname || '.' || tablename as name from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema') order by 1`,
  );
  return found.map((r) => r.name);
}

/** Rows per table (the drizzle migrations table included). */
export async function countRows(db: Queryable): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await listTables(db)) {
    const [schema, table] = name.split(".") as [string, string];
    const [row] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(schema)}.${sql.identifier(table)}`,
    );
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

async function storageKeysOf(db: Queryable): Promise<string[]> {
  const [exists] = await rows<{ t: string | null }>(
    db,
    sql`select to_regclass('public.stored_files')::text as t`,
  );
  if (!exists?.t) return [];
  const found = await rows<{ key: string }>(
    db,
    sql`select distinct storage_key as key from stored_files order by 1`,
  );
  return found.map((r) => r.key);
}

async function serverVersionOf(db: Queryable): Promise<string> {
  const [row] = await rows<{ v: string }>(db, sql`select current_setting('server_version') as v`);
  return (row?.v ?? "").split(" ")[0] ?? "";
}

/** The migrations this code ships, by tag, in order. */
async function journal(): Promise<{ tag: string; when: number }[]> {
  const text = await readFile(join(migrationsFolder, "meta", "_journal.json"), "utf8");
  return (JSON.parse(text) as { entries: { tag: string; when: number }[] }).entries;
}

async function knownMigrations(): Promise<string[]> {
  return (await journal()).map((e) => e.tag);
}

/** Applied migrations, as drizzle records them (by the journal's `when`), named by their tag. */
async function migrationState(db: Queryable): Promise<Manifest["database"]["migrations"]> {
  const [exists] = await rows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return { count: 0, last: null };
  const applied = await rows<{ at: string }>(
    db,
    sql`select created_at::text as at from drizzle.__drizzle_migrations order by created_at`,
  );
  const byWhen = new Map((await journal()).map((e) => [String(e.when), e.tag]));
  const lastAt = applied.at(-1)?.at;
  return { count: applied.length, last: lastAt ? (byWhen.get(lastAt) ?? `unknown@${lastAt}`) : null };
}

/** Differences between the manifest's counts and a database's, in Chinese. */
function compareCounts(expected: Record<string, number>, got: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const [table, n] of Object.entries(expected)) {
    if (!(table in got)) problems.push(`缺少表 ${table}`);
    else if (got[table] !== n) problems.push(`表 ${table} 有 ${got[table]} 行,备份中为 ${n} 行`);
  }
  for (const table of Object.keys(got)) if (!(table in expected)) problems.push(`多出表 ${table}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL client tools

/**
 * pg_dump / pg_restore of at least `minMajor` (a pg_dump older than the server refuses to dump it):
 * the one on PATH, else the newest in /usr/lib/postgresql/<version>/bin (Debian's layout).
 */
export async function findPgTool(name: "pg_dump" | "pg_restore", minMajor: number): Promise<string> {
  const versions = await readdir("/usr/lib/postgresql").catch(() => [] as string[]);
  const candidates = [
    name,
    ...versions
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin/${name}`),
  ];
  for (const candidate of candidates) {
    const out = await run(candidate, ["--version"]).catch(() => null);
    const major = Number(/(\d+)(?:\.\d+)?/.exec(out ?? "")?.[1]);
    if (major >= minMajor) return candidate;
  }
  throw new DomainError(
    "NOT_FOUND",
    `找不到 ${name}(需要 PostgreSQL ${minMajor} 或更新版本的客户端工具)。请安装,如 Debian/Ubuntu:apt-get install postgresql-client-${minMajor}。`,
  );
}

/**
 * A URL for libpq (which reads `?host=/socket/dir` itself), with the password moved to PGPASSWORD
 * so it does not show in the process list.
 */
function libpqTarget(url: string): { dsn: string; env?: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  if (!password) return { dsn: url };
  parsed.password = "";
  return { dsn: parsed.toString(), env: { PGPASSWORD: password } };
}

/** Runs a program, resolving with its stdout; rejects with its stderr when it fails. */
function run(cmd: string, args: string[], env?: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      stdio: ["ignore", "pipe", "pipe"],
      ...(env ? { env: childEnv(env) } : {}),
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise(out) : reject(new Error(`${cmd} 退出码 ${code}:${err.trim()}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Files

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest("hex") };
}

/**
 * Copies a file, hashing the bytes it wrote (evidence files are at most 20 MB each); null when it
 * is gone (a staged upload committed to its key, or swept, since the folder was listed).
 */
async function copyHashed(from: string, to: string): Promise<{ size: number; sha256: string } | null> {
  const bytes = await readFile(from).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  if (!bytes) return null;
  await mkdir(dirname(to), { recursive: true });
  await writeFile(to, bytes, { flag: "wx" });
  return { size: bytes.length, sha256: sha256(bytes) };
}

async function isEmptyDir(path: string): Promise<boolean> {
  const entries = await readdir(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  return entries.length === 0;
}

/**
 * Regular files under `root` as sorted "/"-separated relative paths; none when it does not exist.
 * A store's staged uploads (tmp/…) are included: a row may name one whose move to its key had not
 * happened yet, and the restored server's file sweep finishes or removes them as it would have.
 */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
    (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [];
      throw e;
    },
  );
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
