export * from "./apiTokens.ts";
export * from "./assessment.ts";
export * from "./channels.ts";
export * from "./evaluation.ts";
export { foundation } from "./foundation.ts";
export * from "./links.ts";
export * from "./reports.ts";
export * from "./search.ts";
export * from "./years.ts";
