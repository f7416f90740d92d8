import type { Meta } from "../../src/index.ts";

/** 接口令牌: only the system administrator issues, lists and revokes the open API's tokens. */
export const apiTokens: Record<string, Meta["roles"]> = {
  "apiTokens.list": ["admin"],
  "apiTokens.create": ["admin"],
  "apiTokens.revoke": ["admin"],
};
