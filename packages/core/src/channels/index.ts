/**
 * Notification channels as rules, no I/O: what kinds of message there are, which a person may
 * take by email or SMS, the events an outbound webhook may subscribe to, SMS quiet hours and the
 * worker's retry schedule. "Now" is always an argument.
 */

/** Every kind of notification the product writes (the in-app bell's `kind`). */
export const notificationKinds = [
  "task.dueSoon",
  "task.overdue",
  "notice.issued",
  "notice.escalated",
  "notice.replied",
  "report.returned",
  "report.approved",
  "results.published",
  "appeal.decided",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];
export const notificationKindLabels: Record<NotificationKind, string> = {
  "task.dueSoon": "任务即将到期提醒",
  "task.overdue": "任务逾期提醒",
  "notice.issued": "收到督办通知",
  "notice.escalated": "督办通知升级",
  "notice.replied": "督办通知已回复",
  "report.returned": "进展报告被退回",
  "report.approved": "进展报告通过审核",
  "results.published": "考核、评估结果发布",
  "appeal.decided": "申诉处理结果",
};
/** What a unit's contact is offered first on the account page (the office's own kind is 督办回复). */
export const defaultUnitKinds: NotificationKind[] = [
  "task.dueSoon",
  "task.overdue",
  "notice.issued",
  "notice.escalated",
  "report.returned",
];

/** Channels a message leaves by. */
export const outboxChannels = ["email", "sms", "wecom", "dingtalk", "webhook"] as const;
export type OutboxChannel = (typeof outboxChannels)[number];
export const outboxChannelLabels: Record<OutboxChannel, string> = {
  email: "邮件",
  sms: "短信",
  wecom: "企业微信群",
  dingtalk: "钉钉群",
  webhook: "Webhook",
};
export const robotProviders = ["wecom", "dingtalk"] as const;
export type RobotProvider = (typeof robotProviders)[number];

/**
 * A message's state in the outbox: `pending` (waiting for its time), `sending` (a worker holds it
 * under a lease), `retrying` (an attempt failed; the next is at `nextAttemptAt`), `sent`, `failed`
 * (attempts used up, or nothing to send it to), `held` (waiting for the person's daily digest),
 * `digested` (went out in a digest).
 */
export const outboxStatuses = [
  "pending",
  "sending",
  "retrying",
  "sent",
  "failed",
  "held",
  "digested",
] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
export const outboxStatusLabels: Record<OutboxStatus, string> = {
  pending: "待发送",
  sending: "发送中",
  retrying: "重试中",
  sent: "已发送",
  failed: "发送失败",
  held: "待每日汇总",
  digested: "已并入汇总",
};

/** Events an office's outbound webhook may subscribe to. */
export const webhookEvents = [
  "report.submitted",
  "report.approved",
  "report.returned",
  "task.overdue",
  "results.published",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];
export const webhookEventLabels: Record<WebhookEvent, string> = {
  "report.submitted": "单位提交进展报告",
  "report.approved": "报告通过审核",
  "report.returned": "报告被退回",
  "task.overdue": "任务逾期",
  "results.published": "考核、评估结果发布",
};

const HOUR_MS = 3_600_000;
/** China Standard Time: UTC+8 all year (no daylight saving). */
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** No SMS at night, China time: from 22:00 until 08:00 the next morning. */
export const smsQuietHours = { from: 22, until: 8 } as const;

/**
 * The first moment at or after `at` when an SMS may go out: `at` itself in the day, otherwise
 * 08:00 China time that morning (22:00 sharp is night; 08:00 sharp is day).
 */
export function afterQuietHours(at: Date, quiet: { from: number; until: number } = smsQuietHours): Date {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= quiet.until && hour < quiet.from) return at;
  const morning = new Date(local);
  morning.setUTCHours(quiet.until, 0, 0, 0);
  if (hour >= quiet.from) morning.setUTCDate(morning.getUTCDate() + 1);
  return new Date(morning.getTime() - CHINA_OFFSET_MS);
}

/**
 * How long to wait after the `attempt`-th failed attempt (1 for the first): doubling from `baseMs`
 * up to `maxMs` — with the defaults 30 s, 1, 2, 4, 8, 16, 32 min, then hourly.
 */
export function retryDelayMs(attempt: number, baseMs = 30_000, maxMs = HOUR_MS): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
}
