/**
 * Assessment schemes and indicator systems as .xlsx 评分细则 tables, and results as .xlsx.
 *
 * The 评分细则 sheet: one row per leaf indicator, with columns (found by header text, in any order,
 * below an optional title row):
 *   一级指标 | 二级指标 | 三级指标 (四级… if deeper) | 分值 and/or 权重 | 评分方式 | 评分细则 | 观测点 | 一级编码 …
 * - a parent indicator is a merged cell over its leaves' rows (an empty cell above a named deeper
 *   level repeats the row above, for tables typed without merging); its points or weight are written
 *   in its name: 载体建设（15分）, 信息公开（权重50%）, 政策解读（20分，权重30%）. A parent without
 *   points takes the sum of its children's;
 * - 分值 / 权重 of a row belong to its leaf;
 * - 评分方式 holds the rule in a fixed form: 人工评分, 是否, 分档 0/0.5/1, 扣分 每次0.5分, 单项否决, 加分,
 *   比例(任务按时完成率), 第三方评估. When the column is missing or empty the rule is read from the
 *   评分细则 text: …否决… → veto; 每…扣N分 → deduction of N; 加分/加N分 → bonus; otherwise manual;
 * - the code columns (一级编码 …) keep codes across a round trip; without them codes are positional
 *   (1, 1.2, 1.2.3).
 * A second sheet 方案 holds name, share and rules as label | value rows:
 *   方案名称 | …;  政务公开分值权重(%) | 5;  加分门槛 | 80;  加分上限 | 30;  等次 | 优秀≥90(限20%)；合格≥60；不合格≥0
 * and, when the scheme states them, its ranking keys (absent rows leave them absent):
 *   排名规则 | 密集排名(1, 2, 2, 3,并列不占位);  总分保留小数位数 | 1;  并列时比较的指标编码 | A
 * 排名规则 is read by its words: 竞争/并列占位/competition, 密集/并列不占位/dense, 顺序/不并列/ordinal.
 */
import {
  type AssessmentScheme,
  type CompiledScheme,
  compileScheme,
  DomainError,
  dataSourceLabels,
  type GradeBand,
  type Indicator,
  type IndicatorSystem,
  invalid,
  parseAssessmentScheme,
  parseIndicatorSystem,
  type RankedUnit,
  type RankingConvention,
  type RateSource,
  rateSources,
  type ScoringRule,
} from "@gongkai/core";
import ExcelJS from "exceljs";
import { inspectZip } from "./zip.ts";

const MAX_INDICATOR_ROWS = 5000;
const LEVEL_DIGITS = ["一", "二", "三", "四", "五", "六"];
const SHEET = "评分细则";
const META_SHEET = "方案";

type Bytes = Uint8Array | ArrayBuffer;

const num = (s: string) => Number(s.replace(/[,，\s]/g, ""));
const trimNum = (x: number) => String(Number(x.toPrecision(12)));

// ───────────────────────────── rules as text ─────────────────────────────

/** The fixed text of a rule in the 评分方式 column. */
export function ruleText(rule: ScoringRule): string {
  switch (rule.type) {
    case "manual":
      return "人工评分";
    case "yesno":
      return "是否";
    case "levels":
      return `分档 ${rule.levels.map(trimNum).join("/")}`;
    case "deduction":
      return `扣分 每次${trimNum(rule.per)}分`;
    case "veto":
      return "单项否决";
    case "bonus":
      return "加分";
    case "proportion":
      return rule.source ? `比例(${dataSourceLabels[rule.source]})` : "比例";
    case "evaluation":
      return rule.project ? `第三方评估(${rule.project})` : "第三方评估";
  }
}

const inParens = (s: string) => /[（(]\s*(.+?)\s*[）)]\s*$/.exec(s)?.[1];

/** Reads the 评分方式 text back; null when it is not one of the fixed forms. */
export function parseRuleText(text: string): ScoringRule | null {
  const t = text.trim();
  if (/^人工/.test(t)) return { type: "manual" };
  if (/^是否/.test(t)) return { type: "yesno" };
  if (/^(单项)?否决/.test(t)) return { type: "veto" };
  if (/^加分/.test(t)) return { type: "bonus" };
  if (/^分档/.test(t)) {
    const levels = (t.match(/\d+(?:\.\d+)?%?/g) ?? []).map((x) =>
      x.endsWith("%") ? num(x.slice(0, -1)) / 100 : num(x),
    );
    return levels.length > 0 ? { type: "levels", levels } : null;
  }
  if (/^扣分/.test(t)) {
    const per = /(\d+(?:\.\d+)?)\s*分?/.exec(t.slice(2));
    return per?.[1] ? { type: "deduction", per: num(per[1]) } : null;
  }
  if (/^比例/.test(t)) {
    const label = inParens(t);
    const source = rateSources.find((s) => dataSourceLabels[s] === label || s === label) as
      | RateSource
      | undefined;
    return source ? { type: "proportion", source } : { type: "proportion" };
  }
  if (/^第三方评估/.test(t)) {
    const project = inParens(t);
    return project ? { type: "evaluation", project } : { type: "evaluation" };
  }
  return null;
}

/** A rule read from the 评分细则 text when no 评分方式 is given. */
function inferRule(criteria: string): ScoringRule {
  if (/否决/.test(criteria)) return { type: "veto" };
  const per = /每[^，,。;；]*?扣\s*(\d+(?:\.\d+)?)\s*分/.exec(criteria);
  if (per?.[1]) return { type: "deduction", per: num(per[1]) };
  if (/^\s*加分|加\s*\d+(?:\.\d+)?\s*分/.test(criteria)) return { type: "bonus" };
  return { type: "manual" };
}

// ───────────────────────────── names with points ─────────────────────────────

/** 载体建设（15分，权重30%） → name, points 15, weight 0.3. */
function splitName(text: string): { name: string; points?: number; weight?: number } {
  const m =
    /^(.*?)\s*[（(]\s*(?:(\d+(?:\.\d+)?)\s*分)?\s*[，,、;；]?\s*(?:权重\s*(\d+(?:\.\d+)?)\s*(%?))?\s*[）)]\s*$/.exec(
      text,
    );
  if (!m || (m[2] === undefined && m[3] === undefined) || !m[1]) return { name: text.trim() };
  const out: { name: string; points?: number; weight?: number } = { name: m[1].trim() };
  if (m[2] !== undefined) out.points = num(m[2]);
  if (m[3] !== undefined) out.weight = m[4] === "%" ? num(m[3]) / 100 : num(m[3]);
  return out;
}

function nameWith(n: Indicator): string {
  const parts: string[] = [];
  if (n.points !== undefined) parts.push(`${trimNum(n.points)}分`);
  if (n.weight !== undefined) parts.push(`权重${trimNum(n.weight * 100)}%`);
  return parts.length > 0 ? `${n.name}（${parts.join("，")}）` : n.name;
}

// ───────────────────────────── grades as text ─────────────────────────────

/**
 * 优秀≥90(限20%)；良好≥80；合格≥60；不合格≥0. A band by share alone is 先进(前10%); a quota whose
 * ties at the boundary enter together says so: 优秀≥90(限20%,并列一并评入).
 */
export function gradesText(grades: readonly GradeBand[]): string {
  return grades
    .map((g) => {
      const ties = g.quotaTies === "include" ? ",并列一并评入" : "";
      const quota =
        g.quotaPercent === undefined
          ? ""
          : `(${g.min === undefined ? "前" : "限"}${trimNum(g.quotaPercent)}%${ties})`;
      return `${g.name}${g.min === undefined ? "" : `≥${trimNum(g.min)}`}${quota}`;
    })
    .join("；");
}

const gradeTextPattern =
  /^(.+?)\s*(?:(?:≥|>=|:|：)\s*(-?\d+(?:\.\d+)?)\s*(?:分)?)?\s*(?:[（(]\s*(限|前)\s*(\d+(?:\.\d+)?)\s*%\s*([,，]\s*并列一并评入)?\s*[）)])?$/;

export function parseGradesText(text: string): GradeBand[] {
  return text
    .split(/[;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const m = gradeTextPattern.exec(s);
      const [, name, min, kind, quota, include] = m ?? [];
      const byShare = kind === "前" && min === undefined;
      if (!name || (min === undefined && !byShare) || (kind === "前" && min !== undefined)) {
        throw invalid(
          `等次「${s}」看不懂:请写成“优秀≥90”“优秀≥90(限20%)”或按名次“优秀(前20%)”,各等次之间用“；”分隔。`,
          "grades",
        );
      }
      const band: GradeBand = { name };
      if (min !== undefined) band.min = num(min);
      if (quota !== undefined) band.quotaPercent = num(quota);
      if (include) band.quotaTies = "include";
      return band;
    });
}

// ───────────────────────────── reading ─────────────────────────────

const cellText = (row: ExcelJS.Row, col: number | undefined): string => {
  if (col === undefined) return "";
  const cell = row.getCell(col);
  const v = cell.value;
  if (v === null || v === undefined) return "";
  return (typeof v === "number" ? String(v) : cell.text).trim();
};

const cellNumber = (row: ExcelJS.Row, col: number | undefined, where: string): number | undefined => {
  if (col === undefined) return undefined;
  const v = row.getCell(col).value;
  if (typeof v === "number") return v;
  const t = cellText(row, col);
  if (t === "") return undefined;
  const pct = t.endsWith("%");
  const x = num(pct ? t.slice(0, -1) : t.replace(/分$/, ""));
  if (!Number.isFinite(x)) throw invalid(`${where}的“${t}”不是数字:请填写数字。`);
  return pct ? x / 100 : x;
};

type Columns = {
  levels: number[];
  codes: (number | undefined)[];
  points?: number;
  weight?: number;
  rule?: number;
  criteria?: number;
  observation?: number;
};

function findHeader(ws: ExcelJS.Worksheet): { row: number; cols: Columns } | null {
  for (let r = 1; r <= Math.min(ws.rowCount, 10); r++) {
    const row = ws.getRow(r);
    const cols: Columns = { levels: [], codes: [] };
    row.eachCell((cell, c) => {
      const t = cell.text.replace(/\s/g, "");
      const level = /^([一二三四五六])级指标$/.exec(t);
      const code = /^([一二三四五六])级编码$/.exec(t);
      if (level?.[1]) cols.levels[LEVEL_DIGITS.indexOf(level[1])] = c;
      else if (code?.[1]) cols.codes[LEVEL_DIGITS.indexOf(code[1])] = c;
      else if (/^(分值|满分|分数)/.test(t)) cols.points = c;
      else if (/^权重/.test(t)) cols.weight = c;
      else if (/^评分方式|^规则类型/.test(t)) cols.rule = c;
      else if (/^(评分细则|评分标准|评分办法|考核内容及评分标准)/.test(t)) cols.criteria = c;
      else if (/^观测点/.test(t)) cols.observation = c;
    });
    if (cols.levels[0] !== undefined) {
      const levels: number[] = [];
      for (const c of cols.levels) {
        if (c === undefined) break;
        levels.push(c);
      }
      cols.levels = levels;
      return { row: r, cols };
    }
  }
  return null;
}

type Draft = Omit<Indicator, "children"> & { children: Draft[] };

function readIndicators(ws: ExcelJS.Worksheet): Indicator[] {
  const header = findHeader(ws);
  if (!header) {
    throw invalid(
      `工作表「${ws.name}」前 10 行里没有找到“一级指标”表头:请使用含 一级指标/二级指标/三级指标/分值/评分细则 列的评分细则表。`,
    );
  }
  const { cols } = header;
  // An indicator system runs to a few hundred rows; a sheet of tens of thousands is not one.
  if (ws.actualRowCount > MAX_INDICATOR_ROWS) {
    throw invalid(
      `工作表「${ws.name}」有 ${ws.actualRowCount} 行,超过指标体系的上限 ${MAX_INDICATOR_ROWS} 行:请只保留评分细则表后再导入。`,
    );
  }
  const roots: Draft[] = [];
  let prevTexts: string[] = [];
  let prevNodes: Draft[] = [];
  for (let r = header.row + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const texts = cols.levels.map((c) => cellText(row, c));
    let depth = -1;
    texts.forEach((t, i) => {
      if (t !== "") depth = i;
    });
    if (depth < 0) continue; // blank or note row
    const where = `第 ${r} 行`;
    for (let i = 0; i < depth; i++) {
      if (texts[i] === "") {
        if (prevTexts[i] === undefined)
          throw invalid(`${where}缺少${LEVEL_DIGITS[i]}级指标名称:请补上或合并单元格。`);
        texts[i] = prevTexts[i] as string;
      }
    }
    const codes = cols.codes.map((c) => cellText(row, c));
    const nodes: Draft[] = [];
    for (let i = 0; i <= depth; i++) {
      const text = texts[i] as string;
      const code = codes[i] ?? "";
      const prev = prevNodes[i];
      const sameAsAbove =
        i < depth &&
        prev !== undefined &&
        prev.children.length > 0 &&
        nodes[i - 1] === prevNodes[i - 1] &&
        (code !== "" ? prev.code === code : prevTexts[i] === text);
      if (sameAsAbove && prev) {
        nodes.push(prev);
        continue;
      }
      const { name, points, weight } = splitName(text);
      const node: Draft = { code, name, children: [] };
      if (points !== undefined) node.points = points;
      if (weight !== undefined) node.weight = weight;
      if (i === depth) {
        const leafPoints = cellNumber(row, cols.points, `${where}的分值`);
        const leafWeight = cellNumber(row, cols.weight, `${where}的权重`);
        if (leafPoints !== undefined) node.points = leafPoints;
        if (leafWeight !== undefined) node.weight = leafWeight;
        const criteria = cellText(row, cols.criteria);
        const ruleCell = cellText(row, cols.rule);
        let rule: ScoringRule;
        if (ruleCell !== "") {
          const parsed = parseRuleText(ruleCell);
          if (!parsed) {
            throw invalid(
              `${where}的评分方式“${ruleCell}”看不懂:请填 人工评分、是否、分档 0/0.5/1、扣分 每次0.5分、单项否决、加分、比例 或 第三方评估。`,
            );
          }
          rule = parsed;
        } else rule = inferRule(criteria);
        node.rule = rule;
        if (criteria !== "") node.criteria = criteria;
        const obs = cellText(row, cols.observation);
        if (obs !== "")
          node.observationPoints = obs
            .split(/\r?\n/)
            .map((s) => s.trim())
            .filter((s) => s !== "");
      }
      const parent = nodes[i - 1];
      if (parent) parent.children.push(node);
      else roots.push(node);
      nodes.push(node);
    }
    prevTexts = texts.slice(0, depth + 1);
    prevNodes = nodes;
  }
  if (roots.length === 0) throw invalid(`工作表「${ws.name}」在表头下没有指标行:请至少填写一行指标。`);
  return roots.map((n, i) => finish(n, `${i + 1}`));
}

/** Positional codes where none were given; parents without points get their children's sum. */
function finish(n: Draft, position: string): Indicator {
  const out: Indicator = { code: n.code !== "" ? n.code : position, name: n.name };
  const children = n.children.map((c, i) => finish(c, `${position}.${i + 1}`));
  let points = n.points;
  if (children.length > 0 && points === undefined && children.every((c) => c.weight === undefined)) {
    const withPoints = children.filter((c) => c.points !== undefined);
    if (withPoints.length > 0) points = withPoints.reduce((s, c) => s + (c.points ?? 0), 0);
  }
  if (points !== undefined) out.points = points;
  if (n.weight !== undefined) out.weight = n.weight;
  if (n.rule) out.rule = n.rule;
  if (n.criteria !== undefined) out.criteria = n.criteria;
  if (n.observationPoints) out.observationPoints = n.observationPoints;
  if (children.length > 0) out.children = children;
  return out;
}

// ───────────────────────────── ranking keys as text ─────────────────────────────

const rankingTexts: Record<RankingConvention, string> = {
  competition: "竞争排名(1, 2, 2, 4,并列占位)",
  dense: "密集排名(1, 2, 2, 3,并列不占位)",
  ordinal: "顺序排名(1, 2, 3, 4,不并列)",
};

/** The 排名规则 cell read back (不并列 and 并列不占位 before 并列占位, which they contain). */
export function parseRankingText(text: string): RankingConvention {
  const t = text.replace(/\s/g, "");
  if (/顺序|不并列|ordinal/i.test(t)) return "ordinal";
  if (/密集|并列不占位|dense/i.test(t)) return "dense";
  if (/竞争|并列占位|competition/i.test(t)) return "competition";
  throw invalid(
    `排名规则“${text}”看不懂:请填 竞争排名(1, 2, 2, 4)、密集排名(1, 2, 2, 3,并列不占位)或 顺序排名(1, 2, 3, 4)。`,
    "ranking",
  );
}

type Meta = {
  name?: string;
  share?: number;
  threshold?: number;
  cap?: number;
  grades?: GradeBand[];
  ranking?: RankingConvention;
  precision?: number;
  tieBreak?: string;
};

function readMeta(wb: ExcelJS.Workbook): Meta {
  const ws = wb.getWorksheet(META_SHEET);
  const meta: Meta = {};
  if (!ws) return meta;
  ws.eachRow((row, r) => {
    const label = cellText(row, 1).replace(/\s/g, "");
    const value = cellText(row, 2);
    if (label === "" || value === "") return;
    const where = `「${META_SHEET}」第 ${r} 行的${label}`;
    if (/^排名(规则|方式)/.test(label)) meta.ranking = parseRankingText(value);
    else if (/小数位数|精度/.test(label)) meta.precision = cellNumber(row, 2, where);
    else if (/并列时比较|决胜指标/.test(label)) meta.tieBreak = value;
    else if (/名称/.test(label)) meta.name = value;
    else if (/权重|share/i.test(label)) meta.share = cellNumber(row, 2, where);
    else if (/加分门槛/.test(label)) meta.threshold = cellNumber(row, 2, where);
    else if (/加分上限/.test(label)) meta.cap = cellNumber(row, 2, where);
    else if (/等次/.test(label)) meta.grades = parseGradesText(value);
  });
  return meta;
}

async function load(data: Bytes): Promise<ExcelJS.Workbook> {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  const inspected = inspectZip(bytes);
  if (!inspected.ok) {
    if (inspected.problem.kind === "damaged") {
      throw invalid("无法读取该文件:它不是有效的 .xlsx 文件,请用 Excel 或 WPS 另存为 .xlsx 后再上传。");
    }
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      "该 .xlsx 文件解压后的内容或表格范围远超一份指标体系(可能是压缩炸弹或大量空白行列),未予读取;请只保留指标表后另存再上传。",
      { field: "file" },
    );
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load((data instanceof ArrayBuffer ? data : Buffer.from(data)) as unknown as ExcelJS.Buffer);
  } catch {
    throw invalid("无法读取该文件:它不是有效的 .xlsx 文件,请用 Excel 或 WPS 另存为 .xlsx 后再上传。");
  }
  return wb;
}

function systemOf(wb: ExcelJS.Workbook, opts: { name?: string }): { raw: IndicatorSystem; meta: Meta } {
  const ws = wb.getWorksheet(SHEET) ?? wb.worksheets.find((w) => findHeader(w) !== null) ?? wb.worksheets[0];
  if (!ws) throw invalid("该 .xlsx 文件没有工作表。");
  const meta = readMeta(wb);
  const indicators = readIndicators(ws);
  const title = ws.getRow(1).getCell(1).text.trim();
  const name = meta.name ?? opts.name ?? (findHeader(ws)?.row === 1 || title === "" ? ws.name : title);
  const hasBonus = meta.threshold !== undefined || meta.cap !== undefined;
  return {
    raw: {
      name,
      bonus: hasBonus ? { threshold: meta.threshold ?? 0, cap: meta.cap ?? 0 } : null,
      grades: meta.grades ?? null,
      indicators,
      ...(meta.ranking !== undefined ? { ranking: meta.ranking } : {}),
      ...(meta.precision !== undefined ? { precision: meta.precision } : {}),
      ...(meta.tieBreak !== undefined ? { tieBreak: meta.tieBreak } : {}),
    },
    meta,
  };
}

/** Reads an indicator system (e.g. a third-party evaluation's); throws `DomainError` in Chinese. */
export async function readIndicatorSystemXlsx(
  data: Bytes,
  opts: { name?: string } = {},
): Promise<IndicatorSystem> {
  const { raw } = systemOf(await load(data), opts);
  return parseIndicatorSystem(raw);
}

/** Reads an assessment scheme: the indicator table plus the 方案 sheet's share (≥ 4%). */
export async function readSchemeXlsx(
  data: Bytes,
  opts: { name?: string; share?: number } = {},
): Promise<AssessmentScheme> {
  const { raw, meta } = systemOf(await load(data), opts);
  const share = meta.share ?? opts.share;
  if (share === undefined) {
    throw invalid(
      `缺少政务公开在绩效考核中的分值权重:请在「${META_SHEET}」工作表加一行“政务公开分值权重(%) | 5”(不低于 4)。`,
      "share",
    );
  }
  return parseAssessmentScheme({ ...raw, share });
}

// ───────────────────────────── writing ─────────────────────────────

const depthOf = (nodes: readonly Indicator[]): number =>
  nodes.reduce((d, n) => Math.max(d, 1 + depthOf(n.children ?? [])), 0);

const leavesOf = (n: Indicator, path: Indicator[] = []): Indicator[][] =>
  (n.children ?? []).length === 0
    ? [[...path, n]]
    : (n.children ?? []).flatMap((c) => leavesOf(c, [...path, n]));

const headerStyle = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
};

/** Writes a scheme (or an evaluation's indicator system) as a 评分细则 workbook. */
export async function writeSchemeXlsx(scheme: AssessmentScheme | IndicatorSystem): Promise<Uint8Array> {
  const all: Indicator[] = [];
  const walk = (n: Indicator) => {
    all.push(n);
    for (const c of n.children ?? []) walk(c);
  };
  for (const n of scheme.indicators) walk(n);
  const depth = depthOf(scheme.indicators);
  if (depth > LEVEL_DIGITS.length) throw invalid(`指标最多 ${LEVEL_DIGITS.length} 级,该方案有 ${depth} 级。`);
  const hasPoints = all.some((n) => (n.children ?? []).length === 0 && n.points !== undefined);
  const hasWeight = all.some((n) => (n.children ?? []).length === 0 && n.weight !== undefined);
  const headers = [
    ...LEVEL_DIGITS.slice(0, depth).map((d) => `${d}级指标`),
    ...(hasPoints ? ["分值"] : []),
    ...(hasWeight ? ["权重"] : []),
    "评分方式",
    "评分细则",
    "观测点",
    ...LEVEL_DIGITS.slice(0, depth).map((d) => `${d}级编码`),
  ];
  const col = (h: string) => headers.indexOf(h) + 1;

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ws.addRow([scheme.name]);
  ws.mergeCells(1, 1, 1, headers.length);
  ws.getRow(1).font = { bold: true, size: 14 };
  headerStyle(ws.addRow(headers));
  ws.columns.forEach((c, i) => {
    const h = headers[i] ?? "";
    c.width = /评分细则|观测点/.test(h) ? 48 : /级指标/.test(h) ? 22 : 12;
  });

  const rows = scheme.indicators.flatMap((n) => leavesOf(n));
  const first = 3;
  rows.forEach((path, i) => {
    const r = ws.getRow(first + i);
    const leaf = path.at(-1) as Indicator;
    path.forEach((n, level) => {
      r.getCell(level + 1).value = n === leaf ? n.name : nameWith(n);
      r.getCell(col(`${LEVEL_DIGITS[level]}级编码`)).value = n.code;
    });
    if (hasPoints && leaf.points !== undefined) r.getCell(col("分值")).value = leaf.points;
    if (hasWeight && leaf.weight !== undefined) r.getCell(col("权重")).value = leaf.weight;
    if (leaf.rule) r.getCell(col("评分方式")).value = ruleText(leaf.rule);
    if (leaf.criteria) r.getCell(col("评分细则")).value = leaf.criteria;
    if (leaf.observationPoints?.length) r.getCell(col("观测点")).value = leaf.observationPoints.join("\n");
    r.alignment = { vertical: "middle", wrapText: true };
  });
  // Merge each parent's cells (name and code) over the rows of its leaves.
  for (let level = 0; level < depth; level++) {
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      const a = rows[start]?.[level];
      const b = rows[i]?.[level];
      if (b !== a || i === rows.length) {
        if (a && i - 1 > start && (a.children ?? []).length > 0) {
          ws.mergeCells(first + start, level + 1, first + i - 1, level + 1);
          const codeCol = col(`${LEVEL_DIGITS[level]}级编码`);
          ws.mergeCells(first + start, codeCol, first + i - 1, codeCol);
        }
        start = i;
      }
    }
  }

  const meta = wb.addWorksheet(META_SHEET);
  meta.columns = [{ width: 24 }, { width: 60 }];
  meta.addRow(["方案名称", scheme.name]);
  if ("share" in scheme) meta.addRow(["政务公开分值权重(%)", scheme.share]);
  if (scheme.bonus) {
    meta.addRow(["加分门槛", scheme.bonus.threshold]);
    meta.addRow(["加分上限", scheme.bonus.cap]);
  }
  if (scheme.grades) meta.addRow(["等次", gradesText(scheme.grades)]);
  if (scheme.ranking !== undefined) meta.addRow(["排名规则", rankingTexts[scheme.ranking]]);
  if (scheme.precision !== undefined) meta.addRow(["总分保留小数位数", scheme.precision]);
  if (scheme.tieBreak !== undefined) meta.addRow(["并列时比较的指标编码", scheme.tieBreak]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * Writes ranked results: one row per unit in ranking order, the totals and every indicator's
 * score (full precision, shown with 2 decimals). An incomplete unit shows 未完成 and what is missing.
 */
export async function writeResultsXlsx(
  scheme: IndicatorSystem | CompiledScheme,
  units: readonly RankedUnit[],
  opts: { title?: string } = {},
): Promise<Uint8Array> {
  const c = "nodes" in scheme && "byCode" in scheme ? scheme : compileScheme(scheme);
  const nodes = c.nodes;
  const fixed = ["排名", "单位", "总分", "等次", "基础分", "加分"];
  const indicatorHeaders = nodes.map(
    (n) =>
      `${n.code} ${n.name}\n${n.kind === "veto" ? "(单项否决)" : `(${trimNum(n.max)}${n.kind === "bonus" ? "分加分" : "分"})`}`,
  );
  const headers = [...fixed, ...indicatorHeaders, "备注"];

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("考核结果");
  ws.addRow([opts.title ?? `${c.system.name} 结果`]);
  ws.mergeCells(1, 1, 1, headers.length);
  ws.getRow(1).font = { bold: true, size: 14 };
  headerStyle(ws.addRow(headers));
  ws.views = [{ state: "frozen", xSplit: 2, ySplit: 2 }];
  ws.getColumn(2).width = 24;
  for (let i = 3; i <= headers.length; i++) ws.getColumn(i).width = 12;
  ws.getColumn(headers.length).width = 36;

  for (const u of units) {
    const notes: string[] = [];
    if (u.vetoed) notes.push(`单项否决:${u.vetoedBy.join("、")}`);
    if (!u.complete) notes.push(`缺少得分:${u.missing.join("、")}`);
    const vetoed = new Set(u.vetoedBy);
    const row = ws.addRow([
      u.rank ?? "未完成",
      u.unit,
      u.total ?? null,
      u.grade ?? "",
      u.base,
      u.bonus,
      ...nodes.map((n) => {
        if (n.kind === "veto" && n.children.length === 0) {
          return vetoed.has(n.code) ? "否决" : n.code in u.indicators ? "通过" : null;
        }
        return u.indicators[n.code] ?? null;
      }),
      notes.join(";"),
    ]);
    for (let i = 3; i <= fixed.length + nodes.length; i++) row.getCell(i).numFmt = "0.00";
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
