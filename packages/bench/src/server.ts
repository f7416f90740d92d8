/**
 * The API as it is served (createApp on @hono/node-server), for the HTTP benchmarks: started by
 * run.ts as a child process so the load generator and the server do not share an event loop.
 * Prints {"port":N} once listening. The clock is the bench's "now" (sessions, lights).
 *
 *   node --import tsx src/server.ts <DATABASE_URL>
 */
import { createApp } from "@gongkai/api-server/src/app.ts";
import { createDatabase, startAuditSealer } from "@gongkai/db";
import { serve } from "@hono/node-server";
import { benchNow } from "./generate.ts";

const url = process.argv[2];
if (!url) throw new Error("usage: server.ts <DATABASE_URL>");
const database = await createDatabase({ url, max: 10 });
const app = createApp({ database, version: "bench", now: () => benchNow, webDist: null });
// As main.ts does: the audit log's new rows are sealed into its chain each second.
const stopSealer = startAuditSealer(database.db);
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
const stop = async () => {
  server.close();
  // Requests the load generator gave up on at the end of its run are still being answered.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await stopSealer();
  await database.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
