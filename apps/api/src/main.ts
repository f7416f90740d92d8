import { isDomainError } from "@gongkai/core";
import { startAuditSealer } from "@gongkai/db";
import { serve } from "@hono/node-server";
import rootPackage from "../../../package.json" with { type: "json" };
import { createApp } from "./app.ts";
import { startOutboxWorker } from "./channels/index.ts";
import { env } from "./env.ts";
import { startScheduler } from "./scheduler.ts";
import { openDatabase, prepareDatabase } from "./server.ts";
import { LocalFileStore } from "./storage.ts";

const database = await openDatabase(env).catch((e: unknown) => {
  // A refusal we can explain (another process holds the embedded database): one line, no stack.
  if (isDomainError(e)) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
});
const { demoLoaded } = await prepareDatabase(database, env);
const fileStore = new LocalFileStore(`${env.DATA_DIR}/files`);
const app = createApp({
  database,
  version: rootPackage.version,
  allowedOrigins: env.ALLOWED_ORIGINS,
  secureCookies: env.SECURE_COOKIES === "true",
  trustProxy: env.TRUST_PROXY === "true",
  webDist: env.WEB_DIST,
  fileStore,
  apiRequestsPerMinute: env.API_REQUESTS_PER_MINUTE,
  sessionPolicy: {
    idleMs: env.SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: env.SESSION_MAX_HOURS * 3_600_000,
    maxPerUser: env.SESSIONS_PER_USER,
    passwordMaxAgeDays: env.PASSWORD_MAX_AGE_DAYS,
  },
});

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const where = database.kind === "pglite" ? `嵌入式数据库 PGlite (${env.DATA_DIR}/pglite)` : "PostgreSQL";
  console.log(`公开 Gongkai ${rootPackage.version} — http://localhost:${info.port}  [${where}]`);
  if (demoLoaded) console.log("已载入演示数据。演示账号见 README(office / Office@2026 等)。");
});

const stopScheduler = env.JOBS === "true" ? startScheduler({ database, fileStore }) : () => {};
// Emails, SMS, group robots' messages and webhook calls, from the outbox (any number of processes).
const stopOutbox = env.OUTBOX_WORKER === "true" ? startOutboxWorker(database.db, env) : async () => {};

// Every process seals the audit log's new rows into its hash chain each second (one at a time).
const stopSealer = startAuditSealer(database.db);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  app.drain();
  stopScheduler();
  await stopOutbox();
  server.close();
  await stopSealer();
  await database.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
