/**
 * The test run's environment, parsed once. Nothing else under tooling/vitest reads process.env.
 */
import { z } from "zod";

const schema = z.object({
  /** The PostgreSQL server the db tests also run on (a database per test file, dropped after). */
  TEST_PG_ADMIN_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** Set in CI: an unreachable PostgreSQL fails the run instead of skipping its pass. */
  CI: z
    .string()
    .optional()
    .transform((v) => v !== undefined && v !== "" && v !== "0" && v !== "false"),
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  throw new Error(
    `测试环境变量有误:${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join(";")}`,
  );
}
export const env = parsed.data;
