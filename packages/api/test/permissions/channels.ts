import type { Meta } from "../../src/index.ts";

/**
 * Notification channels: one's own preferences for anyone signed in; the office's robots, webhooks
 * and 发送记录 for the office (scoped to its government) and administrators.
 */
export const channels: Record<string, Meta["roles"]> = {
  "channels.myPreferences": "signedIn",
  "channels.savePreferences": "signedIn",
  "channels.robots": ["admin", "office"],
  "channels.saveRobot": ["admin", "office"],
  "channels.deleteRobot": ["admin", "office"],
  "channels.webhooks": ["admin", "office"],
  "channels.saveWebhook": ["admin", "office"],
  "channels.deleteWebhook": ["admin", "office"],
  "channels.deliveries": ["admin", "office"],
  "channels.retryDelivery": ["admin", "office"],
};
