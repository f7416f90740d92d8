/**
 * What the parser was unsure of, task by task, in the words the preview shows: the office sees
 * how many tasks need which check ("12 项未写明承办单位"), can show only those, and fixes them —
 * many at once for units. A check is worked out from the task as edited: a task given units by
 * hand no longer counts as "no unit".
 */
import { type DraftTask, phraseState, type Resolution, roles } from "./model.ts";

export type CheckKind = "noUnit" | "unitUnsure" | "deadline" | "code" | "title";

export const checkLabels: Record<CheckKind, (n: number) => string> = {
  noUnit: (n) => `${n} 项未写明承办单位`,
  unitUnsure: (n) => `${n} 项单位需核实`,
  deadline: (n) => `${n} 项时限需核对`,
  code: (n) => `${n} 项编号需核对`,
  title: (n) => `${n} 项标题为系统截取`,
};

const UNIT_FLAGS = new Set(["vagueUnit", "openUnitList", "oddUnit"]);
const CODE_FLAGS = new Set(["generatedCode", "sharedCode", "unnumbered", "codeGap", "mergedParagraphs"]);
const TITLE_FLAGS = new Set(["titleGuessed", "titleLong"]);

/** Does the task, as edited, name any unit (a name dropped from the import names none)? */
export function hasUnits(t: DraftTask, resolutions: Record<string, Resolution>): boolean {
  return roles.some(
    (r) =>
      t.extra[r].length > 0 ||
      t.source.units[r].some(
        (p) => !t.removed[r].includes(p.name) && phraseState(p.match, resolutions[p.name]) !== "dropped",
      ),
  );
}

/** `year`: the plan's year as edited — once set, "the year is unknown" is no longer a check. */
export function taskChecks(
  t: DraftTask,
  year: number | null,
  resolutions: Record<string, Resolution>,
): CheckKind[] {
  const out: CheckKind[] = [];
  if (!hasUnits(t, resolutions)) out.push("noUnit");
  const codes = new Set(t.source.flags.map((f) => f.code));
  if ([...codes].some((c) => UNIT_FLAGS.has(c))) out.push("unitUnsure");
  const deadlineFlagged = t.deadlines.some(
    (d) =>
      d.original !== null &&
      d.phrase === d.original.phrase &&
      d.original.flags.some((f) => f.code !== "yearUnknown" || year === null),
  );
  if (deadlineFlagged) out.push("deadline");
  if ([...codes].some((c) => CODE_FLAGS.has(c))) out.push("code");
  if ([...codes].some((c) => TITLE_FLAGS.has(c))) out.push("title");
  return out;
}

export type CheckSummary = { kind: CheckKind; label: string; keys: string[] };

/** Checks over the tasks that will be imported, in a fixed order, with the tasks each concerns. */
export function checkSummary(
  tasks: DraftTask[],
  year: number | null,
  resolutions: Record<string, Resolution>,
): CheckSummary[] {
  const keys = new Map<CheckKind, string[]>();
  for (const t of tasks) {
    if (t.excluded) continue;
    for (const k of taskChecks(t, year, resolutions)) keys.set(k, [...(keys.get(k) ?? []), t.key]);
  }
  return (Object.keys(checkLabels) as CheckKind[])
    .filter((k) => (keys.get(k)?.length ?? 0) > 0)
    .map((k) => ({ kind: k, label: checkLabels[k](keys.get(k)?.length ?? 0), keys: keys.get(k) ?? [] }));
}

/** Units added by hand to many tasks at once (the preview's bulk action). */
export function addUnits(t: DraftTask, role: (typeof roles)[number], values: string[]): DraftTask {
  const extra = [...t.extra[role]];
  for (const v of values) if (!extra.includes(v)) extra.push(v);
  return { ...t, extra: { ...t.extra, [role]: extra } };
}
