import type { OutboxChannel } from "@gongkai/core";
import type { Db } from "@gongkai/db";
import type { Env } from "../env.ts";
import type { Sender } from "./delivery.ts";
import { dingtalkSender } from "./dingtalk.ts";
import { emailSender } from "./email.ts";
import { smsSender, type TencentSmsConfig, tencentSms } from "./sms.ts";
import { webhookSender } from "./webhook.ts";
import { wecomSender } from "./wecom.ts";
import { createOutboxWorker } from "./worker.ts";

/**
 * The channels this deployment has, from the environment: group robots and webhooks always (their
 * addresses are set by the office), email with SMTP_HOST, SMS with SMS_PROVIDER and its keys. What
 * is missing is named, so the 发送记录 tells the office which variable to set.
 */
export function sendersFromEnv(env: Env) {
  const baseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
  const senders: Partial<Record<OutboxChannel, Sender>> = {
    wecom: wecomSender({ baseUrl }),
    dingtalk: dingtalkSender({ baseUrl }),
    webhook: webhookSender(),
  };
  const missing: Partial<Record<OutboxChannel, string>> = {};
  const close: (() => void)[] = [];
  if (env.SMTP_HOST) {
    const secure = env.SMTP_SECURE === "true";
    const email = emailSender(
      {
        host: env.SMTP_HOST,
        port: env.SMTP_PORT ?? (secure ? 465 : 587),
        secure,
        user: env.SMTP_USER,
        pass: env.SMTP_PASS,
        from: env.SMTP_FROM ?? env.SMTP_USER ?? `gongkai@${env.SMTP_HOST}`,
      },
      { baseUrl },
    );
    senders.email = email;
    close.push(email.close);
  } else missing.email = "未开通邮件发送:请设置环境变量 SMTP_HOST 等(见 README「通知渠道」)";
  const sms = env.SMS_PROVIDER === "tencent" ? tencentSmsConfig(env) : null;
  if (sms?.config) senders.sms = smsSender(tencentSms(sms.config));
  else if (sms) missing.sms = `短信未开通:缺少环境变量 ${sms.missing.join("、")}`;
  else missing.sms = "未开通短信发送:请设置 SMS_PROVIDER=tencent 及腾讯云短信的密钥(见 README「通知渠道」)";
  if (!env.PUBLIC_BASE_URL) console.warn(`[outbox] PUBLIC_BASE_URL 未设置:消息中的链接指向 ${baseUrl}`);
  return {
    senders,
    missing,
    close: () => {
      for (const c of close) c();
    },
  };
}

function tencentSmsConfig(
  env: Env,
): { config: TencentSmsConfig; missing: [] } | { config: null; missing: string[] } {
  const need = {
    TENCENT_SMS_SECRET_ID: env.TENCENT_SMS_SECRET_ID,
    TENCENT_SMS_SECRET_KEY: env.TENCENT_SMS_SECRET_KEY,
    TENCENT_SMS_SDK_APP_ID: env.TENCENT_SMS_SDK_APP_ID,
    TENCENT_SMS_SIGN_NAME: env.TENCENT_SMS_SIGN_NAME,
    TENCENT_SMS_TEMPLATE_ID: env.TENCENT_SMS_TEMPLATE_ID,
  };
  const missing = Object.entries(need)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0) return { config: null, missing };
  const config = {
    secretId: need.TENCENT_SMS_SECRET_ID ?? "",
    secretKey: need.TENCENT_SMS_SECRET_KEY ?? "",
    sdkAppId: need.TENCENT_SMS_SDK_APP_ID ?? "",
    signName: need.TENCENT_SMS_SIGN_NAME ?? "",
    templateId: need.TENCENT_SMS_TEMPLATE_ID ?? "",
    region: env.TENCENT_SMS_REGION,
    endpoint: env.TENCENT_SMS_ENDPOINT,
  };
  return { config, missing: [] };
}

/** The worker over the environment's channels, started; the returned function stops it. */
export function startOutboxWorker(db: Db, env: Env) {
  const { senders, missing, close } = sendersFromEnv(env);
  const worker = createOutboxWorker({ db, senders, missing, perMinute: env.OUTBOX_RATE_PER_MINUTE });
  const stop = worker.start();
  return async () => {
    await stop();
    close();
  };
}
