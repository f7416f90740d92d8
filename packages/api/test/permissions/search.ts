import type { Meta } from "../../src/index.ts";

/** The header's search: whoever has tasks to find (each sees only what its lists show it). */
export const search: Record<string, Meta["roles"]> = {
  "search.all": ["admin", "office", "unit"],
};
