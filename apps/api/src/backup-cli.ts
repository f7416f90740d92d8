/**
 * Backup and restore of the installation the environment names (docs/operations.md):
 *   pnpm backup [--out <folder>]             a new backup folder under DATA_DIR/backups or <folder>
 *   pnpm restore <backup> [--check]          into an empty database and files folder; --check only verifies
 * PostgreSQL when DATABASE_URL is set, else the embedded database in DATA_DIR/pglite; evidence
 * files in DATA_DIR/files (as main.ts serves them).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isDomainError } from "@gongkai/core";
import rootPackage from "../../../package.json" with { type: "json" };
import { createBackup, type DatabaseLocation, formatBytes, restoreBackup, verifyBackup } from "./backup.ts";
import { env } from "./env.ts";

const usage = [
  "用法:",
  "  pnpm backup [--out <目录>]          备份数据库和佐证文件(默认写到 DATA_DIR/backups)",
  "  pnpm restore <备份目录> [--check]    恢复到空数据库和空文件目录;--check 只校验备份,不做改动",
].join("\n");

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: { out: { type: "string" }, check: { type: "boolean" }, help: { type: "boolean", short: "h" } },
});
if (values.help || (command !== "backup" && command !== "restore")) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const location: DatabaseLocation = env.DATABASE_URL
  ? { kind: "postgres", url: env.DATABASE_URL }
  : { kind: "pglite", dataDir: join(env.DATA_DIR, "pglite") };
const filesDir = join(env.DATA_DIR, "files");
const log = (line: string) => console.log(`  ${line}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} 秒`;
const started = performance.now();

try {
  if (command === "backup") {
    const where = location.kind === "postgres" ? "PostgreSQL" : `嵌入式数据库 ${location.dataDir}`;
    console.log(`备份 ${where} 和 ${filesDir}……`);
    const { dir, manifest, bytes } = await createBackup({
      source: location,
      filesDir,
      outDir: values.out ?? join(env.DATA_DIR, "backups"),
      productVersion: rootPackage.version,
      log,
    });
    const rows = Object.values(manifest.database.tables).reduce((a, b) => a + b, 0);
    console.log(
      `已备份到 ${dir}\n  ${Object.keys(manifest.database.tables).length} 张表 ${rows} 行,` +
        `${manifest.files.length - 1} 个文件,共 ${formatBytes(bytes)},用时 ${seconds(started)}。` +
        "\n  请把这个目录复制到另一台机器或异地存储。",
    );
  } else {
    const backupDir = positionals[0];
    if (!backupDir) {
      console.error(usage);
      process.exit(2);
    }
    if (values.check) {
      const manifest = await verifyBackup(backupDir);
      console.log(
        `备份完好:${manifest.files.length} 个文件校验一致(${manifest.createdAt} 创建,版本 ${manifest.productVersion},${manifest.database.kind})。`,
      );
    } else {
      console.log(`从 ${backupDir} 恢复……`);
      const s = await restoreBackup({ backupDir, target: location, filesDir, log });
      const m = s.manifest;
      console.log(
        [
          `恢复完成,用时 ${seconds(started)}:`,
          `  备份:${m.createdAt} 创建,版本 ${m.productVersion},${m.database.kind} ${m.database.serverVersion},迁移 ${m.database.migrations.count} 个(最后 ${m.database.migrations.last})`,
          `  数据库:${s.tables} 张表 ${s.rows} 行,每张表行数与备份一致`,
          `  文件:${s.files} 个(${formatBytes(s.bytes)})写入 ${filesDir},sha256 与备份一致`,
          "  现在可以启动服务器(pnpm start);它会补上本版本新增的数据库迁移。",
        ].join("\n"),
      );
    }
  }
} catch (e) {
  // A refusal we can explain: one line in Chinese, no stack.
  console.error(isDomainError(e) ? e.message : e);
  process.exit(1);
}
// The PGlite worker and postgres.js sockets are closed; exit without waiting for timers.
process.exit(0);
