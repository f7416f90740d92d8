export * from "./agreement.ts";
export * from "./reconcile.ts";
