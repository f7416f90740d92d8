import { z } from "zod";
import { id } from "./common.ts";

/** The office's overview of its scope: nothing to choose (every year with plans is shown). */
export const yearsOverviewInput = z.object({}).default({});

/** One unit's years, as the office that oversees it sees them. */
export const unitYearsInput = z.object({ unitId: id }, { error: "请选择要查看的单位" });

/** A unit's own years: nothing to choose. */
export const myYearsInput = z.object({}).default({});
