import { assignmentRoles, categories, deadlineKinds, planStatuses } from "@gongkai/core/domain";
import { z } from "zod";
import { id, isoDate, optionalText, requiredText, year } from "./common.ts";

export const planInput = z.object({
  year,
  title: requiredText(200),
  docNumber: optionalText(100),
  issuerUnitId: id.nullable(),
  publishDate: isoDate.nullish(),
  parentPlanId: id.nullish(),
});
export const updatePlanInput = planInput.extend({ id, version: z.number().int().positive().optional() });
export const listPlansInput = z.object({ year: year.optional() }).default({});
export const setPlanStatusInput = z.object({
  id,
  status: z.enum(planStatuses, { error: "状态只能是草稿、已发布或已归档" }),
});

export const sectionInput = z.object({
  planId: id,
  code: z.string().trim().max(20, "编号不能超过 20 个字").default(""),
  title: requiredText(200),
  sortOrder: z.number().int().min(0).optional(),
});
export const updateSectionInput = sectionInput.omit({ planId: true }).extend({ id });

const unitPick = z
  .object({
    unitIds: z.array(id).max(5000).default([]),
    groupIds: z.array(id).max(200).default([]),
  })
  .default({ unitIds: [], groupIds: [] });

/** A deadline rule the office sets by hand (the parsed rule is the default). */
export const deadlineRule = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("by"), date: isoDate, precision: z.enum(["day", "month", "year"]) }),
  z.object({
    kind: z.literal("after"),
    event: requiredText(100),
    amount: z.number().int().positive().max(10_000),
    unit: z.enum(["workingDays", "days", "hours"]),
  }),
  z.object({
    kind: z.literal("recurring"),
    period: z.enum(["year", "halfYear", "quarter", "month", "week"]),
    times: z.number().int().positive().max(1000),
  }),
  z.object({
    kind: z.literal("duration"),
    amount: z.number().int().positive().max(10_000),
    unit: z.enum(["days", "workingDays", "hours"]),
  }),
  z.object({ kind: z.literal("ongoing") }),
]);
export const deadlineKindEnum = z.enum(deadlineKinds);

export const taskInput = z.object({
  planId: id,
  sectionId: id.nullable(),
  code: z.string().trim().max(20, "编号不能超过 20 个字").default(""),
  title: requiredText(200),
  content: z.string().trim().max(20_000, "具体内容不能超过 20000 字").default(""),
  category: z.enum(categories, { error: "请选择任务类别" }).nullable(),
  sortOrder: z.number().int().min(0).optional(),
  units: z
    .object(
      Object.fromEntries(assignmentRoles.map((r) => [r, unitPick])) as Record<
        (typeof assignmentRoles)[number],
        typeof unitPick
      >,
    )
    .default({
      lead: { unitIds: [], groupIds: [] },
      cooperating: { unitIds: [], groupIds: [] },
      responsible: { unitIds: [], groupIds: [] },
    }),
  deadlines: z
    .array(
      z.object({
        phrase: requiredText(200),
        rule: deadlineRule.optional(),
        eventDate: isoDate.nullish(),
      }),
    )
    .max(20, "一项任务最多 20 个时限")
    .default([]),
});
export const updateTaskInput = taskInput.omit({ planId: true }).extend({
  id,
  version: z.number({ error: "缺少版本号,请刷新页面后再保存" }).int().positive(),
});

export const byId = z.object({ id });
export const byYear = z.object({ year: year.optional() }).default({});
export const parseDeadlineInput = z.object({ phrase: requiredText(200), year });
