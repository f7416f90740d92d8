/**
 * `pnpm --silent cli parse <file> [--year YYYY]` — a plan document (.txt, .html, .pdf, .docx) or
 * task-division table (.xlsx, .csv) → one JSON object on stdout (issue 3):
 * {"plans":[{"title","year","docNumber","issuer","tasks":[{"code","section","title","content",
 *   "lead","cooperating","responsible","deadlines":[{"phrase","kind","due"}]}]}]}
 * plus, since issue 14, optional "warnings" (why a document gave no task, what to check) and a
 * deadline's "monthDay" when the plan's year is unknown.
 * An unreadable, empty, binary or over-size file is a CliError (one line, Chinese / English, exit 2).
 */
import { readFile, stat } from "node:fs/promises";
import {
  isDomainError,
  type ParseOutput,
  parsePlanDocument,
  parseTaskTable,
  toParseOutput,
} from "@gongkai/core";
import { englishMessage, MAX_FILE_BYTES, readDocument } from "@gongkai/files";
import { CliError, type CommandResult } from "../io.ts";

const USAGE_ZH = "用法:pnpm --silent cli parse <文件> [--year 年份]";
const USAGE_EN = "usage: pnpm --silent cli parse <file> [--year YYYY]";

function parseArgs(args: string[]): { file: string; year: number | undefined } {
  let file: string | undefined;
  let year: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--year" || a.startsWith("--year=")) {
      const value = a === "--year" ? args[++i] : a.slice("--year=".length);
      if (!value || !/^\d{4}$/.test(value) || Number(value) < 1949 || Number(value) > 2100) {
        throw new CliError(
          `年份“${value ?? ""}”无效,请写四位数年份,例如 --year 2024`,
          `invalid year "${value ?? ""}": use four digits, e.g. --year 2024`,
        );
      }
      year = Number(value);
    } else if (a.startsWith("--")) {
      throw new CliError(`未知选项 ${a}。${USAGE_ZH}`, `unknown option ${a}. ${USAGE_EN}`);
    } else if (file === undefined) file = a;
    else throw new CliError(`只能解析一个文件。${USAGE_ZH}`, `parse takes one file. ${USAGE_EN}`);
  }
  if (!file) throw new CliError(`缺少文件名。${USAGE_ZH}`, `missing file name. ${USAGE_EN}`);
  return { file, year };
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a file");
    if (info.size > MAX_FILE_BYTES) {
      const mb = (info.size / 1024 / 1024).toFixed(1);
      throw new CliError(
        `文件“${file}”有 ${mb} MB,超过 10 MB 的上限`,
        `file "${file}" is ${mb} MB, over the 10 MB limit`,
      );
    }
    return new Uint8Array(await readFile(file));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      `无法读取文件“${file}”,请检查路径和权限`,
      `cannot read file "${file}": check the path and permissions`,
    );
  }
}

/** A file's bytes → the contract JSON, as `parse` prints it (also what `pnpm corpus` scores). */
export async function parseFileBytes(bytes: Uint8Array, file: string, year?: number): Promise<ParseOutput> {
  let doc: Awaited<ReturnType<typeof readDocument>>;
  try {
    doc = await readDocument(bytes, file);
  } catch (e) {
    if (isDomainError(e)) throw new CliError(e.message, englishMessage(e) ?? e.message);
    throw e;
  }
  const opts = year === undefined ? {} : { year };
  const result = doc.kind === "table" ? parseTaskTable(doc.rows, opts) : parsePlanDocument(doc.text, opts);
  return toParseOutput(result);
}

export async function parseCommand(args: string[]): Promise<CommandResult> {
  const { file, year } = parseArgs(args);
  return { json: await parseFileBytes(await readBytes(file), file, year) };
}
