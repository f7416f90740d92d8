import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type OutboxChannel, outboxChannelLabels, outboxChannels } from "@gongkai/core";
import type { Db } from "@gongkai/db";
import { claimOutbox, completeOutbox, failOutbox } from "@gongkai/db/outbox";
import { DeliveryError, type Sender } from "./delivery.ts";

/**
 * Messages a minute per channel, across all processes: 企业微信 and 钉钉 take 20 a minute per robot
 * (this counts all robots together, so it stays within that), an SMS provider and a mail server
 * have limits of their own.
 */
export const defaultRates: Record<OutboxChannel, number> = {
  email: 120,
  sms: 60,
  wecom: 20,
  dingtalk: 20,
  webhook: 300,
};

export type OutboxWorkerOptions = {
  db: Db;
  /** The channels this deployment has set up; a message of another channel fails with `missing[channel]`. */
  senders: Partial<Record<OutboxChannel, Sender>>;
  /** Why a channel has no sender (which environment variables switch it on), for the 发送记录. */
  missing?: Partial<Record<OutboxChannel, string>>;
  workerId?: string;
  now?: () => Date;
  /**
   * How long a claim holds its rows: a worker that died is replaced after this. It must outlast
   * a batch's sending (`batch` × the 15 s a request may take).
   */
  leaseMs?: number;
  batch?: number;
  perMinute?: Partial<Record<OutboxChannel, number>>;
  /** The first retry's delay (doubling up to an hour). */
  baseDelayMs?: number;
  log?: (line: string) => void;
};

/**
 * The outbox worker: claims due messages channel by channel (claimOutbox: `FOR UPDATE SKIP LOCKED`
 * under a lease, within the channel's rate), sends each through its channel, and records the
 * outcome — sent, or the error and the next try. Any number of workers may run, in one process or
 * many: a row is held by one worker at a time, so a message goes out once. (Once, short of a
 * worker dying after the other side accepted a message and before it recorded that: the lease
 * then passes and the message is sent again. Webhook receivers drop a repeated X-Gongkai-Event-Id.)
 */
export function createOutboxWorker(opts: OutboxWorkerOptions) {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const batch = opts.batch ?? 10;
  const rates = { ...defaultRates, ...opts.perMinute };
  const log = opts.log ?? ((line: string) => console.log(line));

  async function deliver(channel: OutboxChannel, send: Sender | undefined) {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const claimed = await claimOutbox(opts.db, {
        channel,
        workerId,
        now: now(),
        leaseMs,
        limit: batch,
        perMinute: rates[channel],
      });
      if (claimed.length === 0) return { sent, failed };
      for (const message of claimed) {
        try {
          if (!send)
            throw new DeliveryError(
              opts.missing?.[channel] ?? `本系统未开通${outboxChannelLabels[channel]}发送`,
            );
          await send(message, now());
          await completeOutbox(opts.db, message.id, workerId, now());
          sent++;
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          const final = e instanceof DeliveryError && e.final;
          const status = await failOutbox(opts.db, message, workerId, now(), error, {
            final,
            ...(opts.baseDelayMs ? { baseDelayMs: opts.baseDelayMs } : {}),
          });
          failed++;
          if (status === "failed")
            log(`[outbox] ${outboxChannelLabels[channel]} 消息 ${message.id} 发送失败,不再重试:${error}`);
        }
      }
    }
  }

  /** One pass: every channel until nothing is due or its rate is used up. */
  async function runOnce() {
    const results = await Promise.all(outboxChannels.map((c) => deliver(c, opts.senders[c])));
    return results.reduce((a, b) => ({ sent: a.sent + b.sent, failed: a.failed + b.failed }), {
      sent: 0,
      failed: 0,
    });
  }

  /** Runs a pass every `intervalMs` (never two at once); the returned function stops it after the pass under way. */
  function start(intervalMs = 5_000) {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<unknown> = Promise.resolve();
    const tick = () => {
      running = runOnce()
        .catch((e: unknown) => log(`[outbox] 发送出错:${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }

  return { workerId, runOnce, start };
}
