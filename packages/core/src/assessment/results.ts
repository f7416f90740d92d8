/**
 * Results of a scheme: scoring then ranking in one call, a unit's contribution to its performance
 * score, and the canonical text a published version's content hash is computed over.
 */
import { invalid } from "../errors.ts";
import { type RankedUnit, rankingOptionsOf, rankUnits } from "./ranking.ts";
import type { IndicatorSystem } from "./scheme.ts";
import {
  type CompiledScheme,
  compileScheme,
  type IndicatorDetail,
  type ScoreValues,
  scoreUnits,
} from "./scoring.ts";

/**
 * Scores and ranks one comparable group of units with the scheme's own grade bands and ranking keys
 * (convention, precision, tie-break): each ranked unit's `total` is the rounded total that was ranked.
 */
export function assess(
  scheme: IndicatorSystem | CompiledScheme,
  values: ScoreValues,
  opts: { units?: readonly string[]; indicators?: IndicatorDetail } = {},
): { scheme: CompiledScheme; units: RankedUnit[] } {
  const compiled = "nodes" in scheme && "byCode" in scheme ? scheme : compileScheme(scheme);
  return {
    scheme: compiled,
    units: rankUnits(scoreUnits(compiled, values, opts), rankingOptionsOf(compiled.system)),
  };
}

/**
 * A unit's contribution to its performance assessment: score / max × share × performanceTotal,
 * with `sharePercent` a percent (4 means 4%, so it is divided by 100). E.g. 85 of 100 with a 4%
 * share of a 1000-point performance assessment contributes 85 / 100 × 0.04 × 1000 = 34.
 * Not capped: a score with bonus points above `max` contributes more than the share; pass the
 * base score to keep within it.
 */
export function contribution(
  score: number,
  max: number,
  sharePercent: number,
  performanceTotal: number,
): number {
  if (!Number.isFinite(score) || score < 0) throw invalid(`得分 ${score} 无效:应为非负数。`, "score");
  if (!Number.isFinite(max) || max <= 0) throw invalid(`满分 ${max} 无效:应大于 0。`, "max");
  if (!Number.isFinite(sharePercent) || sharePercent < 0 || sharePercent > 100) {
    throw invalid(`分值权重 ${sharePercent}% 无效:应为 0 到 100 之间的百分数,如 4 表示 4%。`, "share");
  }
  if (!Number.isFinite(performanceTotal) || performanceTotal < 0) {
    throw invalid(`绩效考核总分 ${performanceTotal} 无效:应为非负数。`, "performanceTotal");
  }
  return (score / max) * (sharePercent / 100) * performanceTotal;
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, -0 written as 0. Only plain JSON
 * values are accepted (no undefined inside arrays, no NaN/Infinity, no Map/Date), so the same data
 * always gives the same text and so the same hash; undefined object properties are left out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw invalid(`无法规范化数值 ${value}:只接受有限的数字。`);
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw invalid("只能规范化普通对象、数组、字符串、数字、布尔值和 null。");
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw invalid(`无法规范化 ${typeof value} 类型的值。`);
  }
}

/** Numbers in a hash input are rounded to 6 decimals, so storage as numeric(…, 6) reproduces the hash. */
const HASH_DECIMALS = 1e6;
const r6 = (x: number) => Math.round(x * HASH_DECIMALS) / HASH_DECIMALS;

/**
 * The text a published version's content hash (sha256, computed by the caller) is taken over: the
 * scheme as validated and each unit's result, in ranking order, numbers rounded to 6 decimals.
 */
export function resultsHashInput(system: IndicatorSystem, units: readonly RankedUnit[]): string {
  // canonicalJson({ scheme: system, units: [{ unit, rank, grade, vetoed, complete, total, base, bonus,
  // indicators }] }) with numbers rounded to 6 decimals, written out directly: the same text (a
  // property test holds it to that form), several times faster for 3,000 units × 150 indicators.
  const quoted = new Map<string, string>();
  const parts = units.map((u) => {
    const fields: [string, string | undefined][] = [
      ["base", num(u.base)],
      ["bonus", num(u.bonus)],
      ["complete", canonicalJson(u.complete)],
      ["grade", u.grade === undefined ? undefined : canonicalJson(u.grade)],
      ["indicators", indicatorsJson(u.indicators, quoted)],
      ["rank", u.rank === undefined ? undefined : canonicalJson(u.rank)],
      ["total", u.total === null ? "null" : num(u.total)],
      ["unit", canonicalJson(u.unit)],
      ["vetoed", canonicalJson(u.vetoed)],
    ];
    return `{${fields
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `"${k}":${v}`)
      .join(",")}}`;
  });
  return `{"scheme":${canonicalJson(system)},"units":[${parts.join(",")}]}`;
}

/** canonicalJson(r6(x)), without its generic dispatch: this runs half a million times. */
function num(x: number): string {
  const r = r6(x);
  if (!Number.isFinite(r)) return canonicalJson(r); // throws the usual message
  return r === 0 ? "0" : String(r);
}
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function indicatorsJson(indicators: Record<string, number>, quoted: Map<string, string>): string {
  const keys = Object.keys(indicators).sort(byCodeUnit);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    let q = quoted.get(k);
    if (q === undefined) {
      q = JSON.stringify(k);
      quoted.set(k, q);
    }
    out += `${i ? "," : ""}${q}:${num(indicators[k] as number)}`;
  }
  return `${out}}`;
}
