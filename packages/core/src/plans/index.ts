export * from "./carry.ts";
export * from "./links.ts";
export * from "./rollup.ts";
