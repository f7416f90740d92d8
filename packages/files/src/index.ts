export { englishMessage } from "./errors.ts";
export {
  DEFAULT_ISOLATION,
  type IsolationLimits,
  readDocumentIsolated,
  readIndicatorSystemXlsxIsolated,
  readSchemeXlsxIsolated,
} from "./isolated.ts";
export { MAX_FILE_BYTES, type ReadDocument, readDocument } from "./read.ts";
export { type TaskDivisionPlan, writeTaskDivisionXlsx } from "./write.ts";
