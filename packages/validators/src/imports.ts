import { assignmentRoles, categories, unitKinds } from "@gongkai/core/domain";
import { z } from "zod";
import { id, isoDate, optionalText, requestKey, requiredText, year } from "./common.ts";
import { deadlineRule } from "./plans.ts";

const pick = z
  .object({
    unitIds: z.array(id).max(5000).default([]),
    groupIds: z.array(id).max(200).default([]),
    newUnits: z.array(requiredText(100)).max(200).default([]),
  })
  .default({ unitIds: [], groupIds: [], newUnits: [] });

export const importPreviewFields = z.object({
  year: z.coerce.number().pipe(year).optional(),
  text: z
    .string()
    .max(10 * 1024 * 1024, "粘贴的文字超过 10 MB,请分次导入")
    .optional(),
});

export const confirmImportInput = z.object({
  requestKey: requestKey.unwrap(),
  plans: z
    .array(
      z.object({
        title: requiredText(200),
        year,
        docNumber: optionalText(100),
        issuerUnitId: id.nullable(),
        publishDate: isoDate.nullish().transform((v) => v ?? null),
        sourceText: z
          .string()
          .max(10 * 1024 * 1024)
          .nullish()
          .transform((v) => v ?? null),
        sections: z
          .array(z.object({ code: z.string().trim().max(20).default(""), title: requiredText(200) }))
          .max(200),
        tasks: z
          .array(
            z.object({
              sectionIndex: z.number().int().min(0).nullable(),
              code: z.string().trim().max(20, "编号不能超过 20 个字").default(""),
              title: requiredText(200),
              content: z.string().trim().max(20_000).default(""),
              category: z.enum(categories).nullable().default(null),
              units: z
                .object(
                  Object.fromEntries(assignmentRoles.map((r) => [r, pick])) as Record<
                    (typeof assignmentRoles)[number],
                    typeof pick
                  >,
                )
                .default({
                  lead: { unitIds: [], groupIds: [], newUnits: [] },
                  cooperating: { unitIds: [], groupIds: [], newUnits: [] },
                  responsible: { unitIds: [], groupIds: [], newUnits: [] },
                }),
              deadlines: z
                .array(z.object({ phrase: requiredText(200), rule: deadlineRule.optional() }))
                .max(20)
                .default([]),
            }),
          )
          .min(1, "至少要有一项任务")
          .max(2000, "一次最多导入 2000 项任务"),
      }),
    )
    .min(1, "没有要导入的工作要点")
    .max(10),
  newUnits: z
    .array(z.object({ name: requiredText(100), parentId: id, kind: z.enum(unitKinds) }))
    .max(500)
    .default([]),
});

export const calendarDaysInput = z.object({
  days: z
    .array(
      z.object({
        date: isoDate,
        kind: z.enum(["holiday", "workday"], { error: "类型只能是放假(holiday)或调休上班(workday)" }),
        name: z.string().trim().max(50).default(""),
      }),
    )
    .min(1, "请至少填写一天")
    .max(400),
});
export const calendarDeleteInput = z.object({ dates: z.array(isoDate).min(1).max(400) });
