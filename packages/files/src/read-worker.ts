/**
 * The worker side of ./isolated.ts: reads one upload and posts the result (or the DomainError's
 * code, message, field and details) back. It runs with a memory cap; if a library blows past it,
 * this thread dies and the server does not.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isDomainError } from "@gongkai/core";
import type { IsolatedJob } from "./isolated.ts";
import { readDocument } from "./read.ts";
import { readIndicatorSystemXlsx, readSchemeXlsx } from "./scheme-xlsx.ts";

async function run(job: IsolatedJob): Promise<unknown> {
  switch (job.job) {
    case "document":
      return readDocument(job.bytes, job.fileName);
    case "scheme":
      return readSchemeXlsx(job.bytes, job.opts);
    case "indicatorSystem":
      return readIndicatorSystemXlsx(job.bytes, job.opts);
  }
}

run(workerData as IsolatedJob).then(
  (value) => parentPort?.postMessage({ ok: true, value }),
  (e: unknown) => {
    if (isDomainError(e)) {
      parentPort?.postMessage({
        ok: false,
        error: { code: e.code, message: e.message, field: e.field, details: e.details },
      });
    } else {
      parentPort?.postMessage({
        ok: false,
        error: null,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  },
);
