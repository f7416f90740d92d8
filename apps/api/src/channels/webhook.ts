import { createHmac } from "node:crypto";
import { DeliveryError, postJson, type Sender } from "./delivery.ts";

/**
 * The signature of an outbound webhook call: hex HMAC-SHA256, keyed with the webhook's secret, over
 * `${timestamp}.${body}` — the Unix time in seconds of `X-Gongkai-Timestamp`, a dot, and the exact
 * body bytes. The receiver recomputes it, compares in constant time, and refuses a timestamp more
 * than five minutes old (a replay).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

/**
 * An office's outbound webhook: POST the event's JSON (`{ id, event, occurredAt, data }`, written
 * when the event happened) with `X-Gongkai-Event`, `X-Gongkai-Event-Id` (the same on a retry: the
 * receiver drops one it has seen), `X-Gongkai-Timestamp` and `X-Gongkai-Signature: sha256=<hex>`.
 * Any 2xx answer is delivery; anything else is retried with backoff.
 */
export function webhookSender(): Sender {
  return async (m, now) => {
    if (!m.target) throw new DeliveryError("Webhook 已被删除", true);
    if (!m.target.active) throw new DeliveryError("Webhook 已停用", true);
    const timestamp = Math.floor(now.getTime() / 1000);
    const eventId = (m.meta as { eventId?: string } | null)?.eventId ?? String(m.id);
    await postJson(m.target.url, m.body, {
      "user-agent": "Gongkai-Webhook/1",
      "x-gongkai-event": m.kind,
      "x-gongkai-event-id": eventId,
      "x-gongkai-delivery": String(m.id),
      "x-gongkai-timestamp": String(timestamp),
      "x-gongkai-signature": webhookSignature(m.target.secret ?? "", timestamp, m.body),
    });
  };
}
