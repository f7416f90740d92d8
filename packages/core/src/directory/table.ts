import { DomainError } from "../errors.ts";

/** One unit as read from a directory file (.xlsx or .csv): names as written, resolved later. */
export type DirectoryRow = {
  /** Row number in the file (1-based), for messages. */
  line: number;
  name: string;
  parentName: string | null;
  kind: string | null;
  regionCode: string | null;
  shortName: string | null;
  aliases: string[];
  groups: string[];
};

const columns = {
  name: ["单位名称", "名称", "单位", "name"],
  parentName: ["上级单位", "上级", "所属单位", "上级单位名称", "parent"],
  kind: ["单位类型", "类型", "类别", "kind"],
  regionCode: ["行政区划代码", "区划代码", "区划", "regioncode"],
  shortName: ["简称", "shortname"],
  aliases: ["别名", "又称", "aliases"],
  groups: ["所属分组", "分组", "groups"],
} as const;
type Column = keyof typeof columns;

const norm = (s: string) => s.replace(/[\s*:：]/g, "").toLowerCase();
const splitList = (s: string) =>
  s
    .split(/[、,，;；|\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Reads a unit directory table: the header row is the first row (within the first 10) that has a
 * 单位名称 column; other columns are optional and may come in any order. Empty rows are skipped.
 */
export function directoryRowsFromTable(rows: string[][]): DirectoryRow[] {
  let headerIndex = -1;
  let map: Partial<Record<Column, number>> = {};
  for (let r = 0; r < Math.min(rows.length, 10); r++) {
    const cells = (rows[r] ?? []).map((c) => norm(c ?? ""));
    const found: Partial<Record<Column, number>> = {};
    for (const [col, names] of Object.entries(columns) as [Column, readonly string[]][]) {
      const i = cells.findIndex((c) => names.includes(c));
      if (i >= 0) found[col] = i;
    }
    if (found.name !== undefined) {
      headerIndex = r;
      map = found;
      break;
    }
  }
  if (headerIndex < 0) {
    throw new DomainError(
      "INVALID_INPUT",
      "没有找到表头:第一行应包含「单位名称」列,可选「上级单位」「单位类型」「行政区划代码」「简称」「别名」「所属分组」。请按模板整理后再导入。",
    );
  }
  const cell = (row: string[], col: Column) => {
    const i = map[col];
    return i === undefined ? "" : (row[i] ?? "").trim();
  };
  const out: DirectoryRow[] = [];
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const name = cell(row, "name");
    if (!name) {
      if (row.some((c) => c?.trim())) {
        throw new DomainError("INVALID_INPUT", `第${r + 1}行没有填写单位名称,请补全或删除该行后再导入。`);
      }
      continue;
    }
    out.push({
      line: r + 1,
      name,
      parentName: cell(row, "parentName") || null,
      kind: cell(row, "kind") || null,
      regionCode: cell(row, "regionCode") || null,
      shortName: cell(row, "shortName") || null,
      aliases: splitList(cell(row, "aliases")),
      groups: splitList(cell(row, "groups")),
    });
  }
  if (out.length === 0) throw new DomainError("INVALID_INPUT", "文件中没有任何单位,请检查后再导入。");
  return out;
}
