import type { Meta } from "../../src/index.ts";

/** Plans linked across levels (issue 17, items 1–3): the offices that own the plans. */
export const links: Record<string, Meta["roles"]> = {
  "links.upperChoices": ["admin", "office"],
  "links.setUpper": ["admin", "office"],
  "links.board": ["admin", "office"],
  "links.setTasks": ["admin", "office"],
  "links.coverage": ["admin", "office"],
  "links.rollup": ["admin", "office"],
};
