import { FileOutlined, LinkOutlined } from "@ant-design/icons";
import {
  type NoticeLevel,
  type NoticeState,
  noticeLevelColors,
  noticeLevelLabels,
  noticeStateLabels,
  type ReportStatus,
  reportStatusLabels,
} from "@gongkai/core/domain";
import { useQuery } from "@tanstack/react-query";
import { Select, Space, Tag, Typography } from "antd";
import type { CSSProperties, ReactNode } from "react";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { fmtBytes } from "./format.ts";

// Formatting and a task's light and report state live in modules of their own, for pages that
// need only those (a unit's task list, the header's notifications); here for every other page.
export {
  fmtBytes,
  fmtDate,
  fmtDateTime,
  fmtPercent,
  numCell,
  periodLabel,
  todayIso,
} from "./format.ts";
export {
  LightBadge,
  LightDot,
  LightFilter,
  lightOrder,
  ReportStateTag,
  worstLight,
  zeroCounts,
} from "./status.tsx";

// ---------------------------------------------------------------- reports and notices

const reportStatusColors: Record<ReportStatus, string> = {
  notStarted: "default",
  inProgress: "blue",
  done: "green",
  blocked: "volcano",
};

export function ReportStatusTag({ status }: { status: ReportStatus }) {
  return <Tag color={reportStatusColors[status]}>{reportStatusLabels[status]}</Tag>;
}

export function NoticeLevelTag({ level }: { level: NoticeLevel }) {
  return <Tag color={noticeLevelColors[level]}>{noticeLevelLabels[level]}</Tag>;
}

const noticeStateColors: Record<NoticeState, string> = {
  open: "processing",
  replied: "success",
  escalated: "warning",
  closed: "default",
};

export function NoticeStateTag({ state }: { state: NoticeState }) {
  return <Tag color={noticeStateColors[state]}>{noticeStateLabels[state]}</Tag>;
}

/** What the audit trail's action codes mean, for people. */
export const auditActionLabels: Record<string, string> = {
  "task.create": "创建任务",
  "task.update": "修改任务",
  "task.units": "批量设置单位",
  "task.delete": "删除任务",
  "deadline.event": "登记事件日期",
  "report.create": "新建进展报告",
  "report.update": "修改进展报告",
  "report.submit": "提交审核",
  "report.approve": "审核通过",
  "report.return": "退回",
  "notice.issue": "下发督办通知",
  "notice.reply": "回复督办通知",
  "notice.close": "办结督办通知",
  "notice.escalate": "逾期未回复,升级",
  "plan.reportingCycle": "修改报送周期",
};

// ---------------------------------------------------------------- evidence

export type EvidenceItem = {
  id?: number;
  kind: "link" | "file";
  url: string | null;
  title: string;
  fileId: number | null;
  fileName: string | null;
  sizeBytes: number | null;
};

export const fileUrl = (fileId: number) => `/api/files/${fileId}`;

/** Links open in a new tab; files download. `mark` colours added / removed items in comparisons. */
export function EvidenceList({
  items,
  mark,
  empty = "无",
}: {
  items: EvidenceItem[];
  mark?: (e: EvidenceItem) => "added" | "removed" | null;
  empty?: string;
}) {
  if (items.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2} style={{ width: "100%" }}>
      {items.map((e, i) => {
        const m = mark?.(e) ?? null;
        const style: CSSProperties =
          m === "added"
            ? { background: "#f6ffed", border: "1px solid #b7eb8f", borderRadius: 4, padding: "0 4px" }
            : m === "removed"
              ? {
                  background: "#fff1f0",
                  border: "1px solid #ffa39e",
                  borderRadius: 4,
                  padding: "0 4px",
                  textDecoration: "line-through",
                }
              : {};
        return (
          <div
            key={e.id ?? `${e.kind}-${e.url ?? e.fileId}-${i}`}
            style={{ ...style, wordBreak: "break-all" }}
          >
            {m === "added" && <Tag color="green">新增</Tag>}
            {m === "removed" && <Tag color="red">删除</Tag>}
            {e.kind === "link" && e.url ? (
              <Space size={4} align="start">
                <LinkOutlined />
                <a href={e.url} target="_blank" rel="noopener noreferrer">
                  {e.title || e.url}
                </a>
                {e.title && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.url}
                  </Typography.Text>
                )}
              </Space>
            ) : (
              <Space size={4} align="start">
                <FileOutlined />
                {e.fileId ? (
                  <a href={fileUrl(e.fileId)} download={e.fileName ?? undefined}>
                    {e.fileName ?? `文件 ${e.fileId}`}
                  </a>
                ) : (
                  <span>{e.fileName}</span>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {fmtBytes(e.sizeBytes)}
                </Typography.Text>
              </Space>
            )}
          </div>
        );
      })}
    </Space>
  );
}

// ---------------------------------------------------------------- plans

type PlanRow = RouterOutputs["plans"]["list"][number];

/** The plans the office can pick from; the default is the latest published one. */
export function usePlans() {
  const trpc = useTRPC();
  const plans = useQuery(trpc.plans.list.queryOptions({}));
  const list = plans.data ?? [];
  const defaultPlan = list.find((p) => p.status === "published") ?? list[0] ?? null;
  return { plans, list, defaultPlan };
}

export function PlanSelect({
  list,
  value,
  onChange,
  allowAll,
  onlyPublished,
  width = 360,
}: {
  list: PlanRow[];
  value: number | null;
  onChange: (id: number | null) => void;
  allowAll?: boolean;
  onlyPublished?: boolean;
  width?: number;
}) {
  const options = list
    .filter((p) => !onlyPublished || p.status !== "draft")
    .map((p) => ({
      value: p.id,
      label: `${p.year}年 · ${p.title}${p.status === "draft" ? "(草稿)" : p.status === "archived" ? "(已归档)" : ""}`,
    }));
  return (
    <Select<number>
      value={value ?? undefined}
      onChange={(v) => onChange(v ?? null)}
      allowClear={allowAll}
      placeholder={allowAll ? "全部工作要点" : "选择工作要点"}
      aria-label="工作要点"
      options={options}
      style={{ width, maxWidth: "100%" }}
      popupMatchSelectWidth={false}
      data-testid="plan-select"
    />
  );
}

/** A label: value pair for dense headers. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span style={{ whiteSpace: "nowrap" }}>
      <Typography.Text type="secondary">{label}:</Typography.Text>
      {children}
    </span>
  );
}
