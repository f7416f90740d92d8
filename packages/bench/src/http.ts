/**
 * HTTP benchmarks: the API served by createApp on @hono/node-server, driven by autocannon.
 * On PostgreSQL the server runs in a child process (its own event loop, as in production); on
 * PGlite, whose data directory one process owns, it runs in this process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createApp } from "@gongkai/api-server/src/app.ts";
import type { Database } from "@gongkai/db";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { type BenchResult, summarise } from "../../core/bench/harness.ts";
import { benchNow, benchPassword } from "./generate.ts";

export type Server = { url: string; stop(): Promise<void> };

export async function startServer(database: Database, databaseUrl: string | null): Promise<Server> {
  if (!databaseUrl) {
    const app = createApp({ database, version: "bench", now: () => benchNow, webDist: null });
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          stop: () => new Promise<void>((done) => server.close(() => done())),
        }),
      );
    });
  }
  const script = fileURLToPath(new URL("./server.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, databaseUrl], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the API server exited (${code}) before listening`)));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        child.removeAllListeners("exit");
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/** Signs in over HTTP as the user; returns the session cookie. */
export async function signIn(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: benchPassword }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!res.ok || !cookie) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  return cookie;
}

export type HttpRequest = { method: "GET" | "POST"; path: string; cookie: string; body?: string };

export type HttpResult = BenchResult & { non2xx: number; errors: number; seconds: number };

/**
 * autocannon against the server: `next(i)` gives the i-th request (each can differ: a write's
 * body, a user's cookie). p50/p95 are taken over every response's latency; ops_per_s is the
 * number of 2xx responses over the run's duration.
 */
export async function cannon(
  name: string,
  baseUrl: string,
  opts: { connections: number; seconds: number; amount?: number; next: (i: number) => HttpRequest },
): Promise<HttpResult> {
  let i = 0;
  const samples: number[] = [];
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: baseUrl,
        connections: opts.connections,
        duration: opts.seconds,
        ...(opts.amount ? { amount: opts.amount } : {}),
        requests: [
          {
            setupRequest: (req) => {
              const r = opts.next(i++);
              return {
                ...req,
                method: r.method,
                path: r.path,
                headers: {
                  cookie: r.cookie,
                  ...(r.body ? { "content-type": "application/json" } : {}),
                },
                ...(r.body ? { body: r.body } : {}),
              };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    (instance as unknown as NodeJS.EventEmitter).on(
      "response",
      (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
        samples.push(responseTime);
      },
    );
  });
  const base = summarise(name, samples);
  return {
    ...base,
    ops_per_s: Math.round((result["2xx"] / result.duration) * 10) / 10,
    n: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
  };
}
