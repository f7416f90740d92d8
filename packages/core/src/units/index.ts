export * from "./resolver.ts";
export { shortKey as unitShortKey } from "./shortForms.ts";
