import { assignmentRoles, categories, deadlineKinds, planStatuses, roles, unitKinds } from "@gongkai/core";
import { pgEnum } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", roles);
export const unitKindEnum = pgEnum("unit_kind", unitKinds);
export const assignmentRoleEnum = pgEnum("assignment_role", assignmentRoles);
export const planStatusEnum = pgEnum("plan_status", planStatuses);
export const categoryEnum = pgEnum("category", categories);
export const deadlineKindEnum = pgEnum("deadline_kind", deadlineKinds);
export const reportingCycleEnum = pgEnum("reporting_cycle", ["month", "quarter", "halfYear", "year"]);
