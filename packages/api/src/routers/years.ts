import { router } from "../trpc.ts";

/** Year over year: this year beside earlier ones (issue 17, item 7). */
export const yearsRouter = router({});
