import { fileURLToPath } from "node:url";
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
