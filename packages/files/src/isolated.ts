/**
 * Uploads read where they cannot hurt the server: each in a worker thread with a memory cap
 * (`resourceLimits`) and a time limit, at most `concurrency` at once with a short queue.
 *
 * The size checks in ./zip.ts refuse the known bombs before any library runs; this is the second
 * line for what they cannot foresee (a library's own blow-up on a crafted file, a PDF that takes
 * minutes). A worker that runs out of memory or time is terminated and the upload refused with a
 * message in Chinese; other requests are served meanwhile, since the main thread only waits.
 *
 * One mechanism for every upload a server reads: plan documents and task tables, unit
 * directories, assessment schemes and evaluation indicator systems.
 */
import { Worker } from "node:worker_threads";
import { type AssessmentScheme, DomainError, type ErrorCode, type IndicatorSystem } from "@gongkai/core";
import type { ReadDocument } from "./read.ts";

export type IsolatedJob =
  | { job: "document"; bytes: Uint8Array; fileName: string }
  | { job: "scheme"; bytes: Uint8Array; opts: { name?: string; share?: number } }
  | { job: "indicatorSystem"; bytes: Uint8Array; opts: { name?: string } };

export type IsolationLimits = {
  /** Heap a worker may use (V8 old generation), in MB. */
  memoryMb: number;
  timeoutMs: number;
  /** Workers at once (each holds up to memoryMb), and uploads that may wait for one. */
  concurrency: number;
  queue: number;
};

export const DEFAULT_ISOLATION: IsolationLimits = {
  memoryMb: 512,
  timeoutMs: 60_000,
  concurrency: 2,
  queue: 16,
};

// From source (tsx, vitest) the worker starts through a small .mjs that registers tsx's loader;
// a build that compiles the package to .js can point at the worker directly.
const workerUrl = new URL("./read-worker-boot.mjs", import.meta.url);

let running = 0;
const waiting: (() => void)[] = [];

async function slot(limits: IsolationLimits): Promise<() => void> {
  if (running >= limits.concurrency) {
    if (waiting.length >= limits.queue) {
      throw new DomainError("TOO_MANY_REQUESTS", "服务器正在处理较多的上传文件,请稍候一分钟再试。");
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

type Reply =
  | { ok: true; value: unknown }
  | {
      ok: false;
      error: { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> } | null;
      message?: string;
    };

function runJob(job: IsolatedJob, limits: IsolationLimits): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 64 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new DomainError(
            "PAYLOAD_TOO_LARGE",
            `文件在 ${Math.round(limits.timeoutMs / 1000)} 秒内未能读完(内容过于复杂或文件异常),已停止读取;请另存为新文件,或只粘贴正文后再导入。`,
            { field: "file" },
          ),
        ),
      );
    }, limits.timeoutMs);
    worker.on("message", (reply: Reply) => {
      finish(() => {
        if (reply.ok) resolve(reply.value);
        else if (reply.error) {
          const { code, message, field, details } = reply.error;
          reject(
            new DomainError(code, message, {
              ...(field === undefined ? {} : { field }),
              ...(details === undefined ? {} : { details }),
            }),
          );
        } else reject(new Error(reply.message ?? "reading the file failed"));
      });
    });
    worker.on("error", (e: Error & { code?: string }) => {
      finish(() =>
        reject(
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new DomainError(
                "PAYLOAD_TOO_LARGE",
                `读取该文件所需的内存超过了单个文件的上限(${limits.memoryMb} MB),已停止读取;请另存为新文件,或只粘贴正文后再导入。`,
                { field: "file" },
              )
            : e,
        ),
      );
    });
    worker.on("exit", (code) => {
      finish(() => reject(new Error(`the file reader stopped (exit ${code})`)));
    });
  });
}

async function isolated(job: IsolatedJob, limits: Partial<IsolationLimits>): Promise<unknown> {
  const l = { ...DEFAULT_ISOLATION, ...limits };
  const release = await slot(l);
  try {
    return await runJob(job, l);
  } finally {
    release();
  }
}

/** readDocument (./read.ts) in a worker thread. */
export async function readDocumentIsolated(
  bytes: Uint8Array,
  fileName: string,
  limits: Partial<IsolationLimits> = {},
): Promise<ReadDocument> {
  return (await isolated({ job: "document", bytes, fileName }, limits)) as ReadDocument;
}

/** readSchemeXlsx (./scheme-xlsx.ts) in a worker thread. */
export async function readSchemeXlsxIsolated(
  bytes: Uint8Array,
  opts: { name?: string; share?: number } = {},
  limits: Partial<IsolationLimits> = {},
): Promise<AssessmentScheme> {
  return (await isolated({ job: "scheme", bytes, opts }, limits)) as AssessmentScheme;
}

/** readIndicatorSystemXlsx (./scheme-xlsx.ts) in a worker thread. */
export async function readIndicatorSystemXlsxIsolated(
  bytes: Uint8Array,
  opts: { name?: string } = {},
  limits: Partial<IsolationLimits> = {},
): Promise<IndicatorSystem> {
  return (await isolated({ job: "indicatorSystem", bytes, opts }, limits)) as IndicatorSystem;
}
