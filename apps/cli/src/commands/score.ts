/**
 * `pnpm --silent cli score <scheme.json|scheme.xlsx> <scores.csv>` — scores and ranks units.
 *
 * stdout: {"units":[{"unit","total","rank","grade","vetoed","indicators":{"<code>":number}}]}, in
 * ranking order (ties by unit name), unranked units last. Numbers are rounded to 2 decimals here,
 * in the output only: ranking and grading use full precision. A unit with a missing score has
 * `rank` null, `grade` null (the lowest grade if vetoed), `total` the points scored so far, and
 * `indicators` only for the indicators whose scores are all there.
 *
 * scores.csv: UTF-8 with the header `unit,indicator,value`, one row per unit and leaf indicator. An
 * empty value means "not scored yet" (the unit stays unranked), never zero.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import {
  type AssessmentScheme,
  assess,
  isDomainError,
  parseAssessmentScheme,
  type ScoreRow,
} from "@gongkai/core";
import { readSchemeXlsx } from "@gongkai/files/scheme-xlsx";
import { CliError, type CommandResult } from "../io.ts";

const USAGE = "pnpm --silent cli score <scheme.json|scheme.xlsx> <scores.csv>";

/** Rounds for output: 2 decimals, half away from zero on the decimal text (1.005 → 1.01). */
export function round2(x: number): number {
  const clean = Number(x.toPrecision(12)); // drop float noise such as 59.989999999999995
  const text = String(Math.abs(clean));
  const r = text.includes("e")
    ? Math.round(Math.abs(clean) * 100) / 100
    : Math.round(Number(`${text}e2`)) / 100;
  const out = clean < 0 ? -r : r;
  return out === 0 ? 0 : out;
}

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
  if (isDomainError(e)) throw new CliError(e.message, `${en}${e.field ? ` (${e.field})` : ""}`);
  throw e;
};

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
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      throw new CliError(
        `得分文件第 ${line} 行的得分“${raw}”不是数字(单位 ${unit},指标 ${indicator})`,
        `line ${line} of the scores file: value "${raw}" is not a number`,
      );
    }
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
  return {
    json: {
      units: ranked.map((u) => ({
        unit: u.unit,
        total: round2(u.total ?? u.partialTotal),
        rank: u.rank,
        grade: u.grade,
        vetoed: u.vetoed,
        indicators: Object.fromEntries(Object.entries(u.indicators).map(([code, v]) => [code, round2(v)])),
      })),
    },
  };
}
