export * from "./password.ts";
export * from "./policy.ts";
export * from "./totp.ts";
