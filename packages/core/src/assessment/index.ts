export * from "./ranking.ts";
export * from "./results.ts";
export * from "./scheme.ts";
export * from "./scoring.ts";
