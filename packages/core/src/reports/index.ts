export * from "./bulletin.ts";
export * from "./chinese-date.ts";
export * from "./lights.ts";
export * from "./periods.ts";
