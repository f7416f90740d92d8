export * from "./carry.ts";
