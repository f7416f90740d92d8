import { assignmentRoles, categories, deadlineKinds, planStatuses } from "@gongkai/core/domain";
import { z } from "zod";
import { id, isoDate, optionalText, requestKey, requiredText, year } from "./common.ts";

export const planInput = z.object({
  year,
  title: requiredText(200),
  docNumber: optionalText(100),
  issuerUnitId: id.nullable(),
  publishDate: isoDate.nullish(),
});
export const updatePlanInput = planInput.extend({ id, version: z.number().int().positive().optional() });
/** A new year's plan started from last year's (接续): the tasks continued and those looked at again. */
export const carryForwardInput = z.object({
  fromPlanId: id,
  year,
  title: requiredText(200),
  continueTaskIds: z.array(id).max(2000, { error: "一次最多延续 2000 项任务" }),
  revisitTaskIds: z.array(id).max(2000, { error: "一次最多回头看 2000 项任务" }),
});
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

/** 批量设置单位: new lead units and/or cooperating units added or replaced on ticked tasks of a plan. */
const somePick = z
  .object({ unitIds: z.array(id).max(5000).default([]), groupIds: z.array(id).max(200).default([]) })
  .refine((p) => p.unitIds.length + p.groupIds.length > 0, "请选择单位或分组");
export const setTaskUnitsInput = z
  .object({
    requestKey,
    planId: id,
    tasks: z
      .array(z.object({ id, version: z.number().int().positive() }))
      .min(1, "请至少选择一项任务")
      .max(500, "一次最多设置 500 项任务,请分批操作")
      .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, "所选任务有重复,请刷新后重新选择"),
    lead: somePick.nullable().default(null),
    cooperating: z
      .object({
        mode: z.enum(["add", "replace"], { error: "请选择添加或替换配合单位" }),
        units: z
          .object({ unitIds: z.array(id).max(5000).default([]), groupIds: z.array(id).max(200).default([]) })
          .default({ unitIds: [], groupIds: [] }),
      })
      .refine((c) => c.mode === "replace" || c.units.unitIds.length + c.units.groupIds.length > 0, {
        message: "请选择要添加的配合单位",
        path: ["units"],
      })
      .nullable()
      .default(null),
  })
  .refine((v) => v.lead !== null || v.cooperating !== null, "请选择牵头单位或配合单位");

export const byId = z.object({ id });
export const byYear = z.object({ year: year.optional() }).default({});
export const parseDeadlineInput = z.object({ phrase: requiredText(200), year });
