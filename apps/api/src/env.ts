import { fileURLToPath } from "node:url";
import { outboxChannels } from "@gongkai/core";
import { z } from "zod";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The environment, parsed once. Nothing else reads process.env. */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** A real PostgreSQL server; when unset, the embedded PGlite keeps its data in DATA_DIR/pglite. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * The schema owner's connection, for migrations only; the application then connects through
   * DATABASE_URL as a role with rows only (no DDL, an audit log it can only append to).
   */
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(`${repoRoot}data`),
  /** Load the demo directory, accounts and plan into an empty database (default: only on PGlite). */
  SEED_DEMO: z.enum(["true", "false"]).optional(),
  /** Origins besides the server's own that may send state-changing requests (comma-separated). */
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** Mark cookies Secure (behind https). */
  SECURE_COOKIES: z.enum(["true", "false"]).default("false"),
  /** Trust X-Forwarded-For for the client address (behind a reverse proxy). */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  WEB_DIST: z.string().default(`${repoRoot}apps/web/dist`),
  /** What all of one user's uploads may hold together, in MB (2048: 2 GB). */
  UPLOAD_QUOTA_MB: z.coerce.number().int().min(1).default(2048),
  /** Files one user may upload in a day (China time); the rest of the day answers 429. */
  UPLOAD_FILES_PER_DAY: z.coerce.number().int().min(1).default(500),
  /** Run the daily job (reminders before due dates and on overdue, notice escalation) in this process. */
  JOBS: z.enum(["true", "false"]).default("true"),
  NODE_ENV: z.string().default("development"),
  /** Sessions (等保 2.0 连接超时自动退出): minutes without a request before a session ends… */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** …hours after sign-in at the most… */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** …and how many one account may hold at once (the oldest ends). */
  SESSIONS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  /** Days before a password must be changed (口令定期更换); 0: never. */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** Requests a minute each API token may make to /api/v1 (README 「开放接口」); more answer 429. */
  API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  // ── Notification channels (apps/api/src/channels; README 「通知渠道」) ──
  /** The dashboard's address as people outside reach it: links in emails and group robots' messages. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Deliver the outbox (emails, SMS, group robots, webhooks) from this process. */
  OUTBOX_WORKER: z.enum(["true", "false"]).default("true"),
  /** Messages a minute per channel across all processes, e.g. `email=120,wecom=20` (others: their defaults). */
  OUTBOX_RATE_PER_MINUTE: z
    .string()
    .default("")
    .transform((s, ctx) => {
      const rates: Record<string, number> = {};
      for (const part of s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)) {
        const [channel, n] = part.split("=");
        const value = Number(n);
        if (!channel || !(outboxChannels as readonly string[]).includes(channel) || !(value > 0)) {
          ctx.addIssue({ code: "custom", message: `应为 渠道=每分钟条数,如 email=120,wecom=20:${part}` });
          return z.NEVER;
        }
        rates[channel] = value;
      }
      return rates;
    }),
  /** Email: the SMTP server (unset: no email is sent; the 发送记录 says so). */
  SMTP_HOST: z.string().optional(),
  /** 465 with SMTP_SECURE=true (TLS from the start); 587 or 25 with STARTTLS. */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURE: z.enum(["true", "false"]).default("false"),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** The sender, e.g. `"徐泾镇政务公开办" <gongkai@example.gov.cn>` (default: SMTP_USER). */
  SMTP_FROM: z.string().optional(),
  /** SMS: `tencent` (Tencent Cloud SMS) or unset (no SMS). */
  SMS_PROVIDER: z.enum(["tencent"]).optional(),
  TENCENT_SMS_SECRET_ID: z.string().optional(),
  TENCENT_SMS_SECRET_KEY: z.string().optional(),
  TENCENT_SMS_SDK_APP_ID: z.string().optional(),
  TENCENT_SMS_SIGN_NAME: z.string().optional(),
  /** An approved template with two parameters, e.g. `您有一条政务公开工作提醒:{1}:{2},请登录平台查看。` */
  TENCENT_SMS_TEMPLATE_ID: z.string().optional(),
  TENCENT_SMS_REGION: z.string().default("ap-guangzhou"),
  TENCENT_SMS_ENDPOINT: z.string().url().default("https://sms.tencentcloudapi.com"),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`环境变量有误 / invalid environment: ${problems}`);
  }
  return result.data;
}

export const env = parseEnv(process.env);

/**
 * What a child program (pg_dump, psql) runs with: this process's environment (PATH, locale, its
 * own PG* settings) with `extra` on top, such as the PGPASSWORD taken out of a connection URL.
 */
export const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...extra });
