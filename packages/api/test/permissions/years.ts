import type { Meta } from "../../src/index.ts";

/** Year over year (issue 17, item 7). */
export const years: Record<string, Meta["roles"]> = {};
