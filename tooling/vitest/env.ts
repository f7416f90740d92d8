/**
 * The test run's environment, parsed once. No test or test helper reads process.env but through this.
 */
import { z } from "zod";

const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0" && v !== "false");

const schema = z.object({
  /** The PostgreSQL server the db tests also run on (a database per test file, dropped after). */
  TEST_PG_ADMIN_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** Set in CI: an unreachable PostgreSQL fails the run instead of skipping its pass. */
  CI: flag,
  /** The e2e tests serve this build of the dashboard instead of apps/web/dist (one made aside). */
  GONGKAI_WEB_DIST: z.string().min(1).optional(),
  /** The accessibility e2e reports every axe finding, not only critical and serious ones. */
  A11Y_ALL: flag,
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  throw new Error(
    `测试环境变量有误:${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join(";")}`,
  );
}
export const env = parsed.data;
