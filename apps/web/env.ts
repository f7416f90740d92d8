/**
 * The dev server's environment (vite.config.ts), parsed once with zod: where `pnpm dev` finds the API.
 */
import { z } from "zod";

const parsed = z
  .object({ API_PORT: z.coerce.number().int().min(1).max(65535).default(3000) })
  .safeParse(process.env);
if (!parsed.success) {
  throw new Error(`API_PORT 应为 1–65535 之间的端口号,现为「${process.env.API_PORT}」:请改正或删除它。`);
}
export const env = parsed.data;
