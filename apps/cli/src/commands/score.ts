/**
 * `pnpm --silent cli score <scheme.json|scheme.xlsx> <scores.csv>` — scores and ranks units.
 *
 * stdout: {"units":[{"unit","total","rank","grade","vetoed","indicators":{"<code>":number}}]}, in
 * ranking order (ties by unit name; under `"ranking":"ordinal"` by the tie-break), unranked units
 * last. Totals are rounded to the scheme's `precision` (decimals, default 2, half up) *before*
 * ranking and grading, so `total` is the rounded total that was ranked; indicator scores are
 * rounded to the same decimals for display. Ties follow the scheme's `ranking` (`competition`
 * 1, 2, 2, 4 by default; `dense` 1, 2, 2, 3; `ordinal` 1, 2, 3, 4). A unit with a missing score
 * has `rank` null, `grade` null (the lowest grade if vetoed), `total` the points scored so far, and
 * `indicators` only for the indicators whose scores are all there.
 *
 * scheme.json: validated strictly (an unknown key is an error naming its path, a tree deeper than
 * 12 levels is refused). scores.csv: UTF-8 with the header `unit,indicator,value`, one row per unit
 * and leaf indicator, at least one row below the header. A value is a plain decimal numeral
 * (`45`, `-1.5`; spaces around it are trimmed; no `0x2D`, `1e2`, `+5`, `.5`, `Infinity`). An empty
 * value means "not scored yet" (the unit stays unranked), never zero.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import {
  type AssessmentScheme,
  assess,
  DEFAULT_PRECISION,
  isDomainError,
  parseAssessmentScheme,
  roundHalfUp,
  type ScoreRow,
} from "@gongkai/core";
import { readSchemeXlsx } from "@gongkai/files/scheme-xlsx";
import { CliError, type CommandResult } from "../io.ts";

const USAGE = "pnpm --silent cli score <scheme.json|scheme.xlsx> <scores.csv>";

/** Rounds to 2 decimals, half away from zero on the decimal text (1.005 → 1.01). */
export const round2 = (x: number): number => roundHalfUp(x, 2);

async function readBytes(path: string, what: { zh: string; en: string }): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new CliError(`找不到${what.zh}文件:${path}`, `${what.en} file not found: ${path}`);
    if (code === "EISDIR")
      throw new CliError(
        `${path} 是目录,不是${what.zh}文件`,
        `${path} is a directory, not a ${what.en} file`,
      );
    throw new CliError(
      `无法读取${what.zh}文件 ${path}`,
      `cannot read ${what.en} file ${path}: ${code ?? String(e)}`,
    );
  }
}

const domainToCli = (e: unknown, en: string): never => {
  if (isDomainError(e)) {
    const detail = typeof e.details?.en === "string" ? `: ${e.details.en}` : e.field ? ` (${e.field})` : "";
    throw new CliError(e.message, `${en}${detail}`);
  }
  throw e;
};

/** A plain decimal numeral: 45, -1.5, 0.25 (no sign +, no exponent, no hex, no bare point). */
const DECIMAL = /^-?\d+(\.\d+)?$/;

async function readScheme(path: string): Promise<AssessmentScheme> {
  const ext = extname(path).toLowerCase();
  if (ext !== ".json" && ext !== ".xlsx") {
    throw new CliError(
      `方案文件须为 .json 或 .xlsx:${path}`,
      `the scheme must be a .json or .xlsx file: ${path}`,
    );
  }
  const bytes = await readBytes(path, { zh: "方案", en: "scheme" });
  try {
    if (ext === ".xlsx") return await readSchemeXlsx(bytes);
    let json: unknown;
    try {
      json = JSON.parse(decode(bytes, path));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(
        `方案文件 ${path} 不是有效的 JSON:${(e as Error).message}`,
        `the scheme ${path} is not valid JSON: ${(e as Error).message}`,
      );
    }
    return parseAssessmentScheme(json);
  } catch (e) {
    return domainToCli(e, `invalid scheme ${path}`);
  }
}

function decode(bytes: Buffer, path: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new CliError(
      `文件 ${path} 不是 UTF-8 编码:请在 Excel/WPS 中另存为“CSV UTF-8”或用编辑器转成 UTF-8`,
      `${path} is not UTF-8 encoded: save it as UTF-8`,
    );
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Returns rows with line numbers. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (quoted)
    throw new CliError(`CSV 第 ${rowLine} 行的引号没有闭合`, `unclosed quote in CSV line ${rowLine}`);
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows.filter((r) => r.fields.some((f) => f.trim() !== ""));
}

async function readScores(path: string): Promise<{ rows: ScoreRow[]; units: string[] }> {
  const rows = parseCsv(decode(await readBytes(path, { zh: "得分", en: "scores" }), path));
  if (rows.length === 0) {
    throw new CliError(
      `得分文件 ${path} 是空的:第一行须为表头 unit,indicator,value,其下每行一个单位的一个指标得分`,
      `the scores file ${path} is empty: it needs the header unit,indicator,value and one row per score`,
    );
  }
  const header = rows[0]?.fields.map((h) => h.trim().toLowerCase()) ?? [];
  const at = {
    unit: header.indexOf("unit"),
    indicator: header.indexOf("indicator"),
    value: header.indexOf("value"),
  };
  if (at.unit < 0 || at.indicator < 0 || at.value < 0) {
    throw new CliError(
      `得分文件 ${path} 的表头须为 unit,indicator,value(当前为 ${header.join(",") || "空"})`,
      `the scores file ${path} needs the header unit,indicator,value (found: ${header.join(",") || "nothing"})`,
    );
  }
  if (rows.length === 1) {
    throw new CliError(
      `得分文件 ${path} 只有表头,没有得分行:请在表头下每行填一个单位的一个指标得分`,
      `the scores file ${path} has a header but no rows: add one row per unit and indicator`,
    );
  }
  const column = `第 ${at.value + 1} 列 value`;
  const out: ScoreRow[] = [];
  const units: string[] = [];
  const seen = new Set<string>();
  for (const { line, fields } of rows.slice(1)) {
    const unit = (fields[at.unit] ?? "").trim();
    const indicator = (fields[at.indicator] ?? "").trim();
    const raw = (fields[at.value] ?? "").trim();
    if (unit === "" || indicator === "") {
      throw new CliError(
        `得分文件第 ${line} 行缺少单位或指标编码`,
        `line ${line} of the scores file lacks a unit or an indicator`,
      );
    }
    if (!seen.has(unit)) {
      seen.add(unit);
      units.push(unit);
    }
    if (raw === "") continue; // not scored yet: a missing score, not a zero
    if (!DECIMAL.test(raw)) {
      throw new CliError(
        `得分文件第 ${line} 行的得分“${raw}”不是数字(${column},单位 ${unit},指标 ${indicator}):只接受十进制写法,如 45、-1.5、0.25,不接受十六进制、科学计数法或 Infinity`,
        `line ${line}, column ${at.value + 1} (value) of the scores file: "${raw}" is not a plain decimal number`,
      );
    }
    const value = Number(raw);
    out.push({ unit, indicator, value });
  }
  return { rows: out, units };
}

export async function scoreCommand(args: string[]): Promise<CommandResult> {
  const [schemePath, scoresPath, ...rest] = args;
  if (!schemePath || !scoresPath || rest.length > 0) {
    throw new CliError(`参数有误,用法:${USAGE}`, `wrong arguments, usage: ${USAGE}`);
  }
  const scheme = await readScheme(schemePath);
  const { rows, units: listed } = await readScores(scoresPath);
  let ranked: ReturnType<typeof assess>["units"];
  try {
    ranked = assess(scheme, rows, { units: listed }).units;
  } catch (e) {
    return domainToCli(e, `invalid scores in ${scoresPath}`);
  }
  const precision = scheme.precision ?? DEFAULT_PRECISION;
  const round = (x: number) => roundHalfUp(x, precision);
  return {
    json: {
      units: ranked.map((u) => ({
        unit: u.unit,
        total: u.total ?? round(u.partialTotal), // a ranked unit's total is already rounded
        rank: u.rank,
        grade: u.grade,
        vetoed: u.vetoed,
        indicators: Object.fromEntries(Object.entries(u.indicators).map(([code, v]) => [code, round(v)])),
      })),
    },
  };
}
