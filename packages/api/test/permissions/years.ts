import type { Meta } from "../../src/index.ts";
import { office } from "./foundation.ts";

/** Year over year (issue 17, item 7). */
export const years: Record<string, Meta["roles"]> = {
  "years.overview": office,
  "years.unit": office,
  "years.mine": ["unit"],
};
