import { z } from "zod";
import { id, optionalText } from "./common.ts";

/** The upper plans a plan implements: the whole list (it replaces the links). */
export const setUpperPlansInput = z.object({
  planId: id,
  upper: z
    .array(z.object({ planId: id, citedAs: optionalText(300) }))
    .max(20, { error: "一个工作要点最多关联 20 个上级要点" }),
});

/** The office's decisions for tasks: an upper task, none (null), or back to undecided (clear). */
export const setTaskLinksInput = z.object({
  planId: id,
  decisions: z
    .array(z.object({ taskId: id, upperTaskId: id.nullable(), clear: z.boolean().optional() }))
    .min(1, { error: "请至少选择一项任务的对标结果" })
    .max(2000, { error: "一次最多保存 2000 项任务的对标结果" }),
});

/** The roll-up of an upper plan, per region one level below `regionId` (the plan's issuer when left out). */
export const planRollupInput = z.object({
  planId: id,
  regionId: id.optional(),
});
