import type { OutboxMessage } from "@gongkai/db/outbox";

/**
 * Sends one message of a channel or throws. A `DeliveryError` with `final` means trying again
 * cannot help (the robot was deleted, the channel is not set up): the message is marked failed at
 * once instead of retried.
 */
export type Sender = (message: OutboxMessage, now: Date) => Promise<void>;

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly final = false,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** How long one request to a robot, a webhook or the SMS provider may take. */
export const requestTimeoutMs = 15_000;

/**
 * POSTs JSON and returns the response's text; a network failure, a timeout or a non-2xx status
 * throws a DeliveryError naming it (the 发送记录 shows it to the office).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (e as Error).name === "TimeoutError"
        ? `${requestTimeoutMs / 1000} 秒内无响应`
        : (cause?.code ?? cause?.message ?? (e as Error).message);
    throw new DeliveryError(`无法连接 ${new URL(url).host}:${why}`);
  }
  const text = await res.text().catch(() => "");
  if (res.status < 200 || res.status >= 300)
    throw new DeliveryError(
      `${new URL(url).host} 返回 HTTP ${res.status}${text ? `:${text.slice(0, 200)}` : ""}`,
    );
  return { status: res.status, text };
}

/** The absolute address of a page of the app, for a message read outside it. */
export const absoluteLink = (baseUrl: string, link: string | null) =>
  link ? `${baseUrl.replace(/\/$/, "")}${link.startsWith("/") ? "" : "/"}${link}` : null;
