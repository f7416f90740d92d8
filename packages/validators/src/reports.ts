import { noticeLevels, reportStatuses } from "@gongkai/core/domain";
import { z } from "zod";
import { id, isoDate, optionalText, requestKey, requiredText } from "./common.ts";

const httpUrl = z
  .string()
  .trim()
  .max(2000, "链接过长")
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.includes(".");
    } catch {
      return false;
    }
  }, "应为以 http:// 或 https:// 开头的完整网址,例如 https://www.example.gov.cn/col/1.html");

export const reportPeriodKey = z
  .string()
  .trim()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, "报送周期格式应为 2023-Q3、2023-07、2023-H2 或 2023");

export const reportFormInput = z.object({ taskId: id, period: reportPeriodKey.optional() });

/** A task's history for the office: one period's reports at a time (the latest unless named). */
export const taskHistoryInput = z.object({ id, period: reportPeriodKey.optional() });

export const saveReportInput = z.object({
  taskId: id,
  period: reportPeriodKey,
  status: z.enum(reportStatuses, { error: "请选择进展状态:未启动、推进中、已完成或无法按期完成" }),
  percent: z
    .number({ error: "请填写完成进度" })
    .int("完成进度应为整数")
    .min(0, "完成进度不能小于 0")
    .max(100, "完成进度不能大于 100"),
  summary: z.string().trim().max(10_000, "进展情况不能超过 10000 字").default(""),
  blockedReason: optionalText(2000),
  occurredOn: isoDate.nullish(),
  contributionIds: z.array(id).max(200).default([]),
  evidence: z
    .object({
      links: z
        .array(
          z.object({
            url: httpUrl,
            title: z.string().trim().max(200, "链接标题不能超过 200 字").default(""),
          }),
        )
        .max(50, "链接最多 50 个")
        .default([]),
      fileIds: z.array(id).max(50, "文件最多 50 个").default([]),
    })
    .default({ links: [], fileIds: [] }),
  version: z.number().int().positive().optional(),
  /** One save's key: a retried request (the answer lost on a bad line) saves once, not twice. */
  requestKey,
});

export const submitReportInput = z.object({
  reportId: id,
  version: z.number().int().positive(),
  submissionKey: z.string().trim().min(8, "提交标识无效,请刷新页面后重试").max(100),
});

export const reviewReportInput = z.object({
  reportId: id,
  revision: z.number().int().positive(),
  decision: z.enum(["approve", "return"], { error: "请选择通过或退回" }),
  reason: optionalText(2000),
});

/** 批量通过: many submitted reports at once, each at the revision the office saw in the queue. */
export const reviewReportsInput = z.object({
  items: z
    .array(z.object({ reportId: id, revision: z.number().int().positive() }))
    .min(1, "请至少选择一份报告")
    .max(200, "一次最多批量审核 200 份报告,请分批操作")
    .refine(
      (items) => new Set(items.map((i) => i.reportId)).size === items.length,
      "所选报告有重复,请刷新后重新选择",
    ),
  decision: z.literal("approve", { error: "批量审核只能通过;退回请逐份写明原因" }),
  reason: optionalText(2000),
});

export const reviewQueueInput = z
  .object({
    planId: id.optional(),
    /** One unit's reports only. */
    unitId: id.optional(),
    state: z.enum(["submitted", "returned", "approved"]).default("submitted"),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .default({ state: "submitted", limit: 200 });

export const planScopedInput = z.object({ planId: id });
export const unitDashboardInput = z.object({ planId: id.optional() }).default({});
export const recordEventInput = z.object({ deadlineId: id, eventDate: isoDate });

export const issueNoticeInput = z.object({
  taskId: id,
  unitId: id,
  level: z.enum(noticeLevels, { error: "请选择级别:提醒、督办或通报" }),
  content: requiredText(2000),
  replyDueDate: isoDate.nullish(),
});
/** 督办下级: to the office of the government whose plan holds the task (no unit to pick). */
export const issueNoticeDownInput = issueNoticeInput.omit({ unitId: true });
export const issueNoticesInput = z.object({
  targets: z
    .array(z.object({ taskId: id, unitId: id }))
    .min(1, "请至少选择一个单位")
    .max(500, "一次最多向 500 个单位发出"),
  level: z.enum(noticeLevels, { error: "请选择级别:提醒、督办或通报" }),
  content: requiredText(2000),
  replyDueDate: isoDate.nullish(),
});
export const listNoticesInput = z
  .object({
    planId: id.optional(),
    /** The notices to one unit only. */
    unitId: id.optional(),
    state: z.enum(["open", "replied", "escalated", "closed"]).optional(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .default({ limit: 200 });
export const replyNoticeInput = z.object({ id, reply: requiredText(2000) });

export const officeSettingsInput = z.object({
  dueSoonWorkingDays: z.number().int().min(0, "不能小于 0").max(60, "不能超过 60 个工作日"),
  remindBeforeWorkingDays: z.number().int().min(0, "不能小于 0").max(60, "不能超过 60 个工作日"),
  noticeReplyWorkingDays: z.number().int().min(1, "至少 1 个工作日").max(60, "不能超过 60 个工作日"),
});

export const markReadInput = z.object({ ids: z.array(id).max(500) });

export const bulletinInput = z.object({ planId: id, asOf: isoDate, title: optionalText(200) });
export const bulletinDownloadInput = z.object({
  id,
  format: z.enum(["docx", "xlsx"], { error: "格式只能是 docx 或 xlsx" }),
});
export const reportingCycleInput = z.object({
  planId: id,
  reportingCycle: z.enum(["month", "quarter", "halfYear", "year"], {
    error: "报送周期只能是每月、每季度、每半年或每年",
  }),
});
