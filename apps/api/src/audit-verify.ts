/**
 * Verifies the audit log's hash chain on the database the environment names:
 *   pnpm audit:verify            (exit 0: intact; 1: a problem, each listed with its row)
 * Prints the chain's head (its last position and hash): keep it somewhere else (the daily job logs
 * it too), since removing the newest rows shows only against a head recorded earlier.
 */
import { verifyAuditChain } from "@gongkai/db";
import { env } from "./env.ts";
import { openDatabase } from "./server.ts";

const kinds = {
  changed: "内容与其哈希不符(记录被修改)",
  link: "与前一条记录的哈希不衔接",
  gap: "前面有记录缺失(被删除)",
  unsealed: "未加入哈希链(绕过触发器写入)",
} as const;

const database = await openDatabase(env);
try {
  const report = await verifyAuditChain(database.db);
  console.log(`审计日志共 ${report.rows} 条已入链。`);
  if (report.head) console.log(`链头:第 ${report.head.seq} 条,哈希 ${report.head.hash}`);
  if (report.problems.length === 0) {
    console.log("校验通过:哈希链完整,没有发现修改、删除或插入的记录。");
  } else {
    console.error(`校验未通过:发现 ${report.problems.length} 处问题。`);
    for (const p of report.problems.slice(0, 200))
      console.error(`  记录 id=${p.id}${p.seq === null ? "" : `(链上第 ${p.seq} 条)`}:${kinds[p.kind]}`);
    if (report.problems.length > 200) console.error(`  ……另有 ${report.problems.length - 200} 处未列出`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
