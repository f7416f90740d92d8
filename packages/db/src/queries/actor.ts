import type { Role } from "@gongkai/core";

/**
 * Who is acting. Query functions that change data take it so they can write the audit log;
 * `scopePath` limits an office user to the subtree of its government (null: everything).
 */
export type Actor = {
  userId: number;
  role: Role;
  unitId: number | null;
  scopePath: string | null;
};

/** The system itself (demo seed, scheduled jobs). */
export const systemActor: Actor = { userId: 0, role: "admin", unitId: null, scopePath: null };
