/**
 * The JSON other tools read (`pnpm cli parse`, issue 3): plans with their tasks, units by role and
 * deadline rules — without spans, marks, flags and warnings, which are for the preview.
 */
import type { DeadlineKind } from "../domain.ts";
import type { ParseResult } from "./types.ts";

export type ParseOutput = {
  plans: {
    title: string;
    year: number | null;
    docNumber: string | null;
    issuer: string | null;
    tasks: {
      code: string;
      section: string | null;
      title: string;
      content: string;
      lead: string[];
      cooperating: string[];
      responsible: string[];
      deadlines: { phrase: string; kind: DeadlineKind; due: string | null }[];
    }[];
  }[];
};

export function toParseOutput(result: ParseResult): ParseOutput {
  return {
    plans: result.plans.map((p) => ({
      title: p.title,
      year: p.year,
      docNumber: p.docNumber,
      issuer: p.issuer,
      tasks: p.tasks.map((t) => ({
        code: t.code,
        section: t.section,
        title: t.title,
        content: t.content,
        lead: t.lead,
        cooperating: t.cooperating,
        responsible: t.responsible,
        deadlines: t.deadlines.map((d) => ({ phrase: d.phrase, kind: d.rule.kind, due: d.due })),
      })),
    })),
  };
}
