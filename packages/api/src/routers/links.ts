import { router } from "../trpc.ts";

/** Plans linked across levels: upper plans, task links, coverage (issue 17, items 1–3). */
export const linksRouter = router({});
