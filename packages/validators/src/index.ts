export * from "./assessment.ts";
export * from "./auth.ts";
export * from "./common.ts";
export * from "./evaluation.ts";
export * from "./imports.ts";
export * from "./plans.ts";
export * from "./reports.ts";
export * from "./units.ts";
