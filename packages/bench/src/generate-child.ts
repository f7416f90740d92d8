/**
 * The generator in a process of its own, so a PostgreSQL load overlaps generation and COPY. It
 * reads its parameters from the JSON file named by its argument, writes segments of COPY files, and
 * announces each one on stdout as it closes (one JSON line, written synchronously: the generator
 * does not give the event loop a turn), then the summary. Started by load.ts.
 *
 *   node --import tsx generate-child.ts <params.json>
 */
import { readFileSync, writeSync } from "node:fs";
import { type CalendarException, WorkingCalendar } from "@gongkai/core";
import { generate, type ScaleName, scales } from "./generate.ts";
import { SegmentedCopySink } from "./sinks.ts";

export type ChildParams = {
  scale: ScaleName;
  seed?: number;
  dir: string;
  passwordHash: string;
  calendar: CalendarException[];
};

const file = process.argv[2];
if (!file) throw new Error("usage: generate-child.ts <params.json>");
const params = JSON.parse(readFileSync(file, "utf8")) as ChildParams;
const say = (message: unknown) => writeSync(1, `${JSON.stringify(message)}\n`);
const sink = new SegmentedCopySink(params.dir, (segment) => say({ type: "segment", segment }));
const summary = generate(scales[params.scale], sink, {
  passwordHash: params.passwordHash,
  calendar: new WorkingCalendar(params.calendar),
  ...(params.seed ? { seed: params.seed } : {}),
});
sink.close();
say({ type: "done", summary });
