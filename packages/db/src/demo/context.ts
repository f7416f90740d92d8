import type { DemoClock } from "./clock.ts";

/** What later parts of the demo seed need from the directory and plan already loaded. */
export type DemoContext = {
  govId: number;
  /** By name and by short name. */
  unitIds: Map<string, number>;
  groupIds: Map<string, number>;
  /** By username. */
  userIds: Map<string, number>;
  planId: number;
  /** The demo's year and day (./clock.ts). */
  clock: DemoClock;
};
