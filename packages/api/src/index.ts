export * from "./context.ts";
export { formatError } from "./errors.ts";
export * from "./rest/index.ts";
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from "./root.ts";
export type { Meta } from "./trpc.ts";
