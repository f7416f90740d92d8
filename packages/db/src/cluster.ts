/**
 * A PostgreSQL cluster of a test's own (Debian's pg_createcluster on a free port, trust auth), to
 * restart, stop and kill -9 without touching the machine's main server — for fault tests, and the
 * replica tests that want a second server. Needs root and Debian's postgresql-common.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export type TestCluster = {
  name: string;
  version: string;
  port: number;
  /** postgres://postgres@127.0.0.1:port/<db> */
  url(db?: string): string;
  start(): void;
  /** pg_ctlcluster restart -m fast: sessions are cut, the server comes back. */
  restart(): void;
  stop(): void;
  /** SIGKILL to the postmaster: no clean shutdown, crash recovery on the next start. */
  kill9(): void;
  isReady(): boolean;
  drop(): void;
};

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 120_000 });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Can this machine make a cluster of our own (root, postgresql-common)? */
export function canCreateClusters(): boolean {
  try {
    run("pg_lsclusters", []);
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

export async function createTestCluster(name: string): Promise<TestCluster> {
  const version = run("pg_lsclusters", ["--no-header"]).trim().split(/\s+/)[0] ?? "15";
  const port = await freePort();
  // A leftover of an earlier run with the same name goes first.
  try {
    run("pg_dropcluster", ["--stop", version, name]);
  } catch {}
  run("pg_createcluster", [version, name, "--port", String(port), "--", "--auth=trust"]);
  const pgdata = `/var/lib/postgresql/${version}/${name}`;
  const ctl = (action: string, ...extra: string[]) =>
    run("pg_ctlcluster", ["--skip-systemctl-redirect", version, name, action, ...extra]);
  const cluster: TestCluster = {
    name,
    version,
    port,
    url: (db = "postgres") => `postgres://postgres@127.0.0.1:${port}/${db}`,
    start() {
      // After a kill -9 the old backends may hold the shared memory a moment: try again.
      for (let attempt = 1; ; attempt++) {
        try {
          ctl("start");
          return;
        } catch (e) {
          if (attempt >= 20) throw e;
          execFileSync("sleep", ["0.25"]);
        }
      }
    },
    restart: () => void ctl("restart", "-m", "fast"),
    stop: () => void ctl("stop", "-m", "fast"),
    kill9() {
      const pid = Number(readFileSync(`${pgdata}/postmaster.pid`, "utf8").split("\n")[0]);
      process.kill(pid, "SIGKILL");
    },
    isReady() {
      try {
        run("pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port)]);
        return true;
      } catch {
        return false;
      }
    },
    drop: () => {
      try {
        run("pg_dropcluster", ["--stop", version, name]);
      } catch {}
    },
  };
  cluster.start();
  return cluster;
}
