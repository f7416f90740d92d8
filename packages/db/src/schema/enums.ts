import {
  assignmentRoles,
  carryKinds,
  categories,
  deadlineKinds,
  planStatuses,
  roles,
  unitKinds,
} from "@gongkai/core";
import { pgEnum } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", roles);
export const unitKindEnum = pgEnum("unit_kind", unitKinds);
export const assignmentRoleEnum = pgEnum("assignment_role", assignmentRoles);
export const planStatusEnum = pgEnum("plan_status", planStatuses);
export const categoryEnum = pgEnum("category", categories);
export const deadlineKindEnum = pgEnum("deadline_kind", deadlineKinds);
/** How a task came from last year's plan (接续): continued unfinished, or 回头看 of a finished one. */
export const carryKindEnum = pgEnum("carry_kind", carryKinds);
export const reportingCycleEnum = pgEnum("reporting_cycle", ["month", "quarter", "halfYear", "year"]);
