import { unitKinds } from "@gongkai/core/domain";
import { z } from "zod";
import { fileUpload, id, optionalText, requiredText } from "./common.ts";

const aliases = z
  .array(z.string().trim().min(1, "别名不能为空").max(100, "别名不能超过 100 个字"))
  .max(50, "别名最多 50 个")
  .default([]);

export const unitInput = z.object({
  parentId: id.nullable(),
  name: requiredText(100),
  shortName: optionalText(50),
  kind: z.enum(unitKinds, { error: "请选择单位类型" }),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6}(\d{3}(\d{3})?)?$/, "行政区划代码应为 6、9 或 12 位数字")
    .nullish()
    .or(z.literal("").transform(() => null)),
  aliases,
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
});
export const updateUnitInput = unitInput.extend({ id });

export const groupInput = z.object({
  ownerUnitId: id.nullable(),
  name: requiredText(100),
  aliases,
  memberIds: z.array(id).max(5000, "一个分组最多 5000 个成员单位"),
});
export const updateGroupInput = groupInput.extend({ id });

export const importUnitsInput = fileUpload;
