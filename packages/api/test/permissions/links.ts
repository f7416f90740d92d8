import type { Meta } from "../../src/index.ts";

/** Plans linked across levels (issue 17, items 1–3). */
export const links: Record<string, Meta["roles"]> = {};
