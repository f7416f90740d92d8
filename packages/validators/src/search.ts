import { z } from "zod";

/** The header's search box: 1 to 50 characters once trimmed. */
export const searchInput = z.object({
  q: z
    .string({ error: "请输入要搜索的任务编号、任务名称、单位名称或报告内容" })
    .trim()
    .min(1, "请输入要搜索的任务编号、任务名称、单位名称或报告内容")
    .max(50, "搜索内容不能超过 50 个字,请输入其中最能区分的几个字"),
});
export type SearchInput = z.infer<typeof searchInput>;
