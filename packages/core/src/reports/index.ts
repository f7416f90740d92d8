export * from "./bulletin.ts";
export * from "./lights.ts";
export * from "./periods.ts";
