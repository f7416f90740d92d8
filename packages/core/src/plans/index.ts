export * from "./carry.ts";
export * from "./links.ts";
