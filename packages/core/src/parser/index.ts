export { parsePlanDocument } from "./document.ts";
export { matchingMirror, nameKey, withoutPinyin } from "./normalize.ts";
export { type ParseOutput, toParseOutput } from "./output.ts";
export { findTaskTableHeader, parseTaskTable, tableToText } from "./tableApi.ts";
export * from "./types.ts";
