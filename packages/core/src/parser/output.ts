/**
 * The JSON other tools read (`pnpm cli parse`, issue 3): plans with their tasks, units by role and
 * deadline rules — without spans, marks and flags, which are for the preview. Fields added since
 * (optional for readers, never removed): `warnings` (what a person should check, and why a
 * document gave no task), a plan's `cites` (the upper plans and policy documents its notice and
 * preamble name), and a deadline's `monthDay` (`"03-31"`) when it names a date but the
 * plan's year is unknown (`due` is then null).
 */

import { isMonthDay } from "../deadlines/types.ts";
import type { DeadlineKind } from "../domain.ts";
import type { ParseResult } from "./types.ts";

export type ParseOutput = {
  plans: {
    title: string;
    year: number | null;
    docNumber: string | null;
    issuer: string | null;
    /** The documents the plan says it implements (added with issue 17). */
    cites: { title: string; docNumber: string | null }[];
    tasks: {
      code: string;
      section: string | null;
      title: string;
      content: string;
      lead: string[];
      cooperating: string[];
      responsible: string[];
      deadlines: { phrase: string; kind: DeadlineKind; due: string | null; monthDay?: string }[];
    }[];
  }[];
  warnings?: string[];
};

export function toParseOutput(result: ParseResult): ParseOutput {
  return {
    plans: result.plans.map((p) => ({
      title: p.title,
      year: p.year,
      docNumber: p.docNumber,
      issuer: p.issuer,
      cites: p.cites.map((c) => ({ title: c.title, docNumber: c.docNumber })),
      tasks: p.tasks.map((t) => ({
        code: t.code,
        section: t.section,
        title: t.title,
        content: t.content,
        lead: t.lead,
        cooperating: t.cooperating,
        responsible: t.responsible,
        deadlines: t.deadlines.map((d) =>
          d.rule.kind === "by" && isMonthDay(d.rule.date)
            ? { phrase: d.phrase, kind: d.rule.kind, due: d.due, monthDay: d.rule.date.slice(2) }
            : { phrase: d.phrase, kind: d.rule.kind, due: d.due },
        ),
      })),
    })),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}
