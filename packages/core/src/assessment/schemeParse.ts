/**
 * Reading a scheme from untrusted JSON: validation by the schemas of scheme.ts, and every problem
 * turned into one Chinese message naming the indicator or the path (`indicators[2].children[0]`).
 * A key the scheme does not know and a tree deeper than `MAX_INDICATOR_DEPTH` also get an English
 * line in the error's `details.en`, for the CLI's "Chinese / English" errors.
 */
import { z } from "zod";
import { DomainError } from "../errors.ts";
import {
  type AssessmentScheme,
  assessmentSchemeSchema,
  depthMessage,
  type IndicatorSystem,
  indicatorSystemSchema,
  MAX_INDICATOR_DEPTH,
  schemeProblems,
  systemShape,
} from "./scheme.ts";

/** Finds the indicator an issue path points into, to name it in the message (a loop, not recursion). */
function indicatorAt(input: unknown, path: readonly PropertyKey[]): string | null {
  let node: unknown = input;
  let found: string | null = null;
  for (const key of path) {
    if (node === null || typeof node !== "object") break;
    node = (node as Record<PropertyKey, unknown>)[key];
    if (node && typeof node === "object" && !Array.isArray(node)) {
      const code = (node as { code?: unknown }).code;
      if (typeof code === "string" && code !== "") found = code;
    }
  }
  return found;
}

/** The dotted form a `DomainError.field` takes: indicators.2.children.0 */
const pathText = (path: readonly PropertyKey[]) => path.map(String).join(".");

/** The form people read: indicators[2].children[0].weight */
export const pathLabel = (path: readonly PropertyKey[]) =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");

/** The keys allowed where an unknown key was found, to suggest the right spelling. */
function allowedKeys(path: readonly PropertyKey[], withShare: boolean): string {
  const last = path.at(-1);
  if (path.length === 0)
    return `name、bonus、grades、indicators、ranking、precision、tieBreak${withShare ? "、share" : ""}`;
  if (last === "bonus") return "threshold、cap";
  if (last === "rule")
    return "type,以及分档 levels、扣分 per、数据来源 source、评估项目 project 中该类型所用的";
  if (typeof last === "number" && path.at(-2) === "grades") return "name、min、quotaPercent、quotaTies";
  return "code、name、points、weight、rule、criteria、observationPoints、children";
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, withShare: boolean): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const english: string[] = [];
  const lines = issues.slice(0, 8).map((iss) => {
    if (iss.code === "unrecognized_keys") {
      const where = iss.path.length > 0 ? pathLabel(iss.path) : "方案顶层";
      for (const key of iss.keys) english.push(`unknown key ${pathLabel([...iss.path, key])}`);
      const named = iss.keys.map((k) => pathLabel([...iss.path, k])).join("、");
      return `未知的键 ${named}(在 ${where}):请删去或改正拼写,此处可用的键为 ${allowedKeys(iss.path, withShare)}`;
    }
    // Our own (custom) messages name their indicator or field already; zod's shape errors do not.
    if (iss.code === "custom") return iss.message;
    if (iss.message === depthMessage)
      english.push(`indicators nested deeper than ${MAX_INDICATOR_DEPTH} levels at ${pathLabel(iss.path)}`);
    const code = indicatorAt(input, iss.path);
    const where = code !== null ? `指标 ${code}:` : iss.path.length > 0 ? `${pathLabel(iss.path)}:` : "";
    return `${where}${iss.message}`;
  });
  const more = issues.length > 8 ? `(另有 ${issues.length - 8} 处问题)` : "";
  const text = lines.map((l) => l.replace(/[。;；]$/, "")).join(";");
  const first = issues[0];
  const field =
    first?.code === "unrecognized_keys" && first.keys[0] !== undefined
      ? pathText([...first.path, first.keys[0]])
      : pathText(first?.path ?? []);
  throw new DomainError("INVALID_INPUT", `方案有误:${text}。${more}`, {
    field,
    ...(english.length > 0 ? { details: { en: english.join("; ") } } : {}),
  });
}

/** Validates an assessment scheme; throws `DomainError` INVALID_INPUT with every problem in Chinese. */
export const parseAssessmentScheme = (input: unknown): AssessmentScheme =>
  parseWith(assessmentSchemeSchema, input, true);

/** Validates an indicator system (no share), e.g. a third-party evaluation's. */
export const parseIndicatorSystem = (input: unknown): IndicatorSystem =>
  parseWith(indicatorSystemSchema, input, false);

/** An indicator system, or an assessment scheme read as its indicator system (for scoring). */
const scorableSchema = z
  .strictObject({ ...systemShape, share: z.number().optional() })
  .superRefine((system, ctx) => {
    for (const p of schemeProblems(system))
      ctx.addIssue({ code: "custom", message: p.message, path: p.path });
  });

/** Validates what `compileScheme` scores: an indicator system, or a scheme (its share set aside). */
export function parseScorableSystem(input: unknown): IndicatorSystem {
  const { share: _share, ...system } = parseWith(scorableSchema, input, true);
  return system;
}
