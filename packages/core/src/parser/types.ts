import type { ParsedDeadline } from "../deadlines/types.ts";

/** Offsets into the original input text: `start` inclusive, `end` exclusive. */
export type Span = { start: number; end: number };

export type MarkKind = "code" | "lead" | "cooperating" | "responsible" | "deadline";

/** A recognised part of the source, for the preview to highlight. */
export type Mark = { kind: MarkKind; start: number; end: number; text: string };

/** Something a person should check; `message` is Chinese and says what to check. */
export type TaskFlag = { code: string; message: string };

export type ParsedSection = { code: string; title: string; span: Span };

export type ParsedTask = {
  /** The item number as written: （一）, 12 (from 12、), 1. — or generated for unnumbered paragraphs, e.g. (四)-1. */
  code: string;
  /** Title of the nearest heading above the task (一、… or a heading-only （一）…), null when none. */
  section: string | null;
  sectionCode: string | null;
  /** The short heading: up to the first 。 (or the table's task cell). */
  title: string;
  /** The task's full text as written, without its code and without its unit/deadline line. */
  content: string;
  lead: string[];
  cooperating: string[];
  responsible: string[];
  deadlines: ParsedDeadline[];
  flags: TaskFlag[];
  span: Span;
  marks: Mark[];
};

export type ParsedPlan = {
  title: string;
  year: number | null;
  docNumber: string | null;
  issuer: string | null;
  /** ISO date, when the document shows one. */
  publishDate: string | null;
  /** The documents the notice and preamble say the plan implements (./citations.ts). */
  cites: { title: string; docNumber: string | null; span: Span }[];
  span: Span;
  sections: ParsedSection[];
  tasks: ParsedTask[];
};

export type ParseResult = {
  plans: ParsedPlan[];
  warnings: string[];
  /** The text the spans refer to, when it is not the input (a mirror's pinyin taken out). */
  text?: string;
};

export type ParseOptions = {
  /** The plan's year when the office knows it; wins over the year read from the document. */
  year?: number | null | undefined;
};
