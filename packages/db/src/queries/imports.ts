import {
  type AssignmentRole,
  assignmentRoles,
  type Category,
  createUnitResolver,
  type DeadlineRule,
  invalid,
  type ParseResult,
  parsePlanDocument,
  parseTaskTable,
  type UnitKind,
  type UnitMatch,
} from "@gongkai/core";
import type { Db } from "../client.ts";
import type { Actor } from "./actor.ts";
import { recordAudit } from "./audit.ts";
import { createPlan, createSection, getPlanDetail } from "./plans.ts";
import { onceForKey } from "./requests.ts";
import { createTask } from "./tasks.ts";
import { createUnit, listGroups, listUnits } from "./units.ts";

export type ImportSource = { kind: "text"; text: string } | { kind: "table"; rows: string[][]; text: string };

export type UnitPhrase = {
  /** As written in the document. */
  name: string;
  match: UnitMatch & { label?: string };
};

/**
 * Parse a document and match every unit phrase to the directory in the actor's scope:
 * exact names, aliases, Simplified/Traditional forms, short forms, groups. Names that match
 * nothing come back with suggestions, to be picked by hand or created as new units.
 */
export async function previewImport(
  db: Db,
  actor: Actor,
  source: ImportSource,
  opts: { year?: number | undefined },
) {
  const parsed: ParseResult =
    source.kind === "table"
      ? parseTaskTable(source.rows, { year: opts.year })
      : parsePlanDocument(source.text, { year: opts.year });
  if (parsed.plans.length === 0 || parsed.plans.every((p) => p.tasks.length === 0)) {
    // The parser says why (not a plan, no numbered items, a table without task rows…).
    const why = parsed.warnings.find((w) => /不是工作要点|没有识别到任务|没有找到任务行|中断/.test(w));
    throw invalid(
      why
        ? `没有从文件中识别出任务:${why.replace(/^《[^》]*》/, "").replace(/^没有识别到任务:/, "")}`
        : "没有从文件中识别出任务。请确认这是一份工作要点(含「一、」「(一)」「1、」等编号的条目)或任务分工表(含「工作任务」「牵头单位」等表头)。",
      "contentBase64",
    );
  }
  const units = await listUnits(db, actor.scopePath);
  const groups = await listGroups(db, actor.scopePath);
  const resolver = createUnitResolver({ units, groups });
  const labelOf = (m: UnitMatch) =>
    m.kind === "unit"
      ? units.find((u) => u.id === m.id)?.name
      : m.kind === "group"
        ? groups.find((g) => g.id === m.id)?.name
        : undefined;
  const phrase = (name: string): UnitPhrase => {
    const match = resolver.resolve(name);
    const label = labelOf(match);
    return { name, match: label ? { ...match, label } : match };
  };
  const issuerOf = (issuer: string | null) => (issuer ? phrase(issuer) : null);
  return {
    text: parsed.text ?? source.text,
    warnings: parsed.warnings,
    plans: parsed.plans.map((p) => ({
      ...p,
      issuerMatch: issuerOf(p.issuer),
      tasks: p.tasks.map((t) => ({
        ...t,
        units: Object.fromEntries(assignmentRoles.map((r) => [r, t[r].map(phrase)])) as Record<
          AssignmentRole,
          UnitPhrase[]
        >,
      })),
    })),
  };
}

export type ImportPick = { unitIds: number[]; groupIds: number[]; newUnits: string[] };
export type ImportPlanInput = {
  title: string;
  year: number;
  docNumber: string | null;
  issuerUnitId: number | null;
  publishDate: string | null;
  sourceText: string | null;
  sections: { code: string; title: string }[];
  tasks: {
    sectionIndex: number | null;
    code: string;
    title: string;
    content: string;
    category: Category | null;
    units: Record<AssignmentRole, ImportPick>;
    deadlines: { phrase: string; rule?: DeadlineRule | undefined }[];
  }[];
};
export type ImportInput = {
  /** Chosen by the page once per preview: confirming twice with it imports once. */
  requestKey: string;
  plans: ImportPlanInput[];
  /** Units the office chose to create from unmatched names: where they go and what they are. */
  newUnits: { name: string; parentId: number; kind: UnitKind }[];
};

/**
 * Create the plans, their sections and tasks, and the new units, as one transaction: all of it
 * or none. The plans start as drafts for the office to check and publish.
 */
export async function confirmImport(db: Db, actor: Actor, input: ImportInput) {
  const wanted = new Set(
    input.plans.flatMap((p) => p.tasks.flatMap((t) => assignmentRoles.flatMap((r) => t.units[r].newUnits))),
  );
  // One unit per name, however often the name was listed.
  const declared = new Map(input.newUnits.map((u) => [u.name, u]));
  const missing = [...wanted].filter((n) => !declared.has(n));
  if (missing.length) {
    throw invalid(`新单位「${missing.join("、")}」还没有指定上级单位和类型,请在预览中补全。`, "newUnits");
  }
  return db.transaction(async (tx) => {
    // The key first: a second request with it waits for the first to commit, then replays it.
    const { result, replayed } = await onceForKey(
      tx,
      { userId: actor.userId, kind: "imports.confirm", key: input.requestKey },
      () => createImported(tx, actor, input, wanted, declared),
    );
    return { ...result, replayed };
  });
}

async function createImported(
  tx: Db,
  actor: Actor,
  input: ImportInput,
  wanted: Set<string>,
  declared: Map<string, ImportInput["newUnits"][number]>,
) {
  const created = new Map<string, number>();
  for (const u of declared.values()) {
    if (!wanted.has(u.name)) continue;
    const unit = await createUnit(tx, actor, {
      parentId: u.parentId,
      name: u.name,
      kind: u.kind,
      aliases: [],
    });
    created.set(u.name, unit.id);
  }
  const planIds: number[] = [];
  for (const p of input.plans) {
    const plan = await createPlan(tx, actor, {
      year: p.year,
      title: p.title,
      docNumber: p.docNumber,
      issuerUnitId: p.issuerUnitId,
      publishDate: p.publishDate,
      sourceText: p.sourceText,
    });
    planIds.push(plan.id);
    const sectionIds: number[] = [];
    for (const s of p.sections) sectionIds.push((await createSection(tx, actor, plan.id, s)).id);
    for (const [i, t] of p.tasks.entries()) {
      if (t.sectionIndex !== null && sectionIds[t.sectionIndex] === undefined) {
        throw invalid(`第 ${i + 1} 项任务所属的章节不存在。`, `plans.tasks.${i}.sectionIndex`);
      }
      const pick = (r: AssignmentRole) => ({
        unitIds: [...t.units[r].unitIds, ...t.units[r].newUnits.map((n) => created.get(n) as number)],
        groupIds: t.units[r].groupIds,
      });
      await createTask(tx, actor, plan.id, {
        sectionId: t.sectionIndex === null ? null : (sectionIds[t.sectionIndex] ?? null),
        code: t.code,
        title: t.title,
        content: t.content,
        category: t.category,
        sortOrder: (i + 1) * 10,
        units: { lead: pick("lead"), cooperating: pick("cooperating"), responsible: pick("responsible") },
        deadlines: t.deadlines,
      });
    }
    await recordAudit(tx, actor, {
      action: "plan.import",
      entityType: "plan",
      entityId: plan.id,
      after: {
        title: p.title,
        tasks: p.tasks.length,
        sections: p.sections.length,
        newUnits: [...created.keys()],
      },
      regionCode: plan.regionCode,
    });
  }
  return { planIds, unitsCreated: created.size };
}

/** A plan as a task-division table (for the .xlsx export, which imports back to the same tasks). */
export async function planForExport(db: Db, actor: Actor, planId: number) {
  const detail = await getPlanDetail(db, actor, planId);
  const sectionTitle = new Map(detail.sections.map((s) => [s.id, s.title]));
  const names = (t: (typeof detail.tasks)[number], role: AssignmentRole) => {
    const out: string[] = [];
    for (const a of t.assignments.filter((x) => x.role === role)) {
      const name = a.groupName ?? a.unitName;
      if (!out.includes(name)) out.push(name);
    }
    return out;
  };
  return {
    title: detail.plan.title,
    docNumber: detail.plan.docNumber,
    tasks: detail.tasks.map((t) => ({
      code: t.code,
      section: t.sectionId ? (sectionTitle.get(t.sectionId) ?? null) : null,
      title: t.title,
      content: t.content,
      lead: names(t, "lead"),
      cooperating: names(t, "cooperating"),
      responsible: names(t, "responsible"),
      deadlines: t.deadlines.map((d) => ({ phrase: d.phrase })),
    })),
  };
}
