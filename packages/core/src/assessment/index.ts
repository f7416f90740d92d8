export * from "./grades.ts";
export * from "./ranking.ts";
export * from "./results.ts";
export * from "./rounding.ts";
export * from "./scheme.ts";
export * from "./schemeParse.ts";
export * from "./scoring.ts";
export * from "./templates.ts";
