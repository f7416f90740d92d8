import {
  assignmentRoleLabels,
  noticeLevelLabels,
  noticeStateLabels,
  type ReportStatus,
  reportStatusLabels,
} from "@gongkai/core/domain";
import { fmtDate, fmtDateTime, periodLabel } from "../../components/reports/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import type { ExportColumn } from "../../lib/xlsx-export.ts";

/** What 导出 Excel writes for the review queue and the notices: the columns shown, in Chinese. */

type QueueRow = RouterOutputs["reports"]["queue"][number];
type Notice = RouterOutputs["supervision"]["list"][number];

const dash = (v: string) => (v === "—" ? "" : v);

export const queueExportColumns: ExportColumn<QueueRow>[] = [
  { header: "提交时间", value: (r) => dash(fmtDateTime(r.submittedAt)) },
  { header: "编号", value: (r) => r.code },
  { header: "任务", value: (r) => r.title },
  { header: "工作要点", value: (r) => r.planTitle },
  { header: "单位", value: (r) => r.unitName },
  { header: "角色", value: (r) => assignmentRoleLabels[r.role] },
  { header: "周期", value: (r) => periodLabel(r.period) },
  { header: "进展状态", value: (r) => reportStatusLabels[r.status as ReportStatus] ?? r.status },
  { header: "完成进度(%)", value: (r) => r.percent },
  { header: "版本", value: (r) => `第 ${r.revision} 版` },
];

export const noticeExportColumns: ExportColumn<Notice>[] = [
  { header: "下发日期", value: (n) => dash(fmtDate(n.issuedAt)) },
  { header: "级别", value: (n) => noticeLevelLabels[n.level] },
  { header: "编号", value: (n) => n.taskCode },
  { header: "任务", value: (n) => n.taskTitle },
  { header: "单位", value: (n) => n.unitName },
  { header: "督办内容", value: (n) => n.content },
  { header: "回复期限", value: (n) => n.replyDueDate },
  { header: "状态", value: (n) => noticeStateLabels[n.state] },
  { header: "回复", value: (n) => n.reply },
  { header: "回复时间", value: (n) => (n.repliedAt ? fmtDateTime(n.repliedAt) : "") },
  { header: "下发人", value: (n) => n.issuedBy ?? "系统" },
];
