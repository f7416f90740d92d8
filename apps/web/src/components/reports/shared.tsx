import { FileOutlined, LinkOutlined } from "@ant-design/icons";
import {
  type NoticeLevel,
  type NoticeState,
  noticeLevelColors,
  noticeLevelLabels,
  noticeStateLabels,
  type ReportState,
  type ReportStatus,
  reportStateLabels,
  reportStatusLabels,
} from "@gongkai/core/domain";
import {
  type Light,
  lightColors,
  lightLabels,
  lights,
  periodByKey,
  type ReportingCycle,
} from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import { Segmented, Select, Space, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import type { CSSProperties, ReactNode } from "react";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useIsPhone } from "../../lib/useIsPhone.ts";

// ---------------------------------------------------------------- formatting

type DateLike = string | Date | null | undefined;

/** 2023-03-31 */
export const fmtDate = (v: DateLike) => (v ? dayjs(v).format("YYYY-MM-DD") : "—");
/** 2023-03-31 14:05 */
export const fmtDateTime = (v: DateLike) => (v ? dayjs(v).format("YYYY-MM-DD HH:mm") : "—");
export const todayIso = () => dayjs().format("YYYY-MM-DD");

export function fmtBytes(n: number | null | undefined) {
  if (n === null || n === undefined) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** 2023-Q4 → 2023年第四季度 (any cycle, read from the key's form). */
export function periodLabel(key: string) {
  const cycle: ReportingCycle = /-Q\d$/.test(key)
    ? "quarter"
    : /-H\d$/.test(key)
      ? "halfYear"
      : /^\d{4}-\d{2}$/.test(key)
        ? "month"
        : "year";
  return periodByKey(key, cycle)?.label ?? key;
}

export const fmtPercent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** Numbers in tables: right-aligned, tabular figures. */
export const numCell: CSSProperties = { fontVariantNumeric: "tabular-nums" };

// ---------------------------------------------------------------- traffic lights

const severity: Record<Light, number> = { done: 0, onTrack: 1, dueSoon: 2, overdue: 3 };

/** The worst light of several (a task is done only when every unit on it is done). */
export function worstLight(ls: readonly Light[]): Light | null {
  if (ls.length === 0) return null;
  return ls.reduce((a, b) => (severity[b] > severity[a] ? b : a));
}

export const lightOrder = [...lights].reverse() as Light[]; // overdue first

export function LightDot({ light, size = 10 }: { light: Light; size?: number }) {
  return (
    <span
      aria-hidden
      style={{
        display: "inline-block",
        width: size,
        height: size,
        borderRadius: "50%",
        background: lightColors[light],
        flex: "none",
      }}
    />
  );
}

/** A coloured dot and the light's name; the reason in a tooltip. */
export function LightBadge({ light, reason }: { light: Light | null; reason?: string | undefined }) {
  if (!light) return <Typography.Text type="secondary">—</Typography.Text>;
  const body = (
    <span
      style={{ display: "inline-flex", alignItems: "center", gap: 6, whiteSpace: "nowrap" }}
      data-light={light}
    >
      <LightDot light={light} />
      <span style={{ color: light === "overdue" ? lightColors.overdue : undefined }}>
        {lightLabels[light]}
      </span>
    </span>
  );
  return reason ? <Tooltip title={reason}>{body}</Tooltip> : body;
}

/**
 * All / 逾期 / 临期预警 / 正常推进 / 已完成 with counts, as a segmented control; on a phone as
 * chips that wrap (the control is wider than the screen).
 */
export function LightFilter({
  counts,
  value,
  onChange,
  total,
}: {
  counts: Record<Light, number>;
  value: Light | "all";
  onChange: (v: Light | "all") => void;
  total: number;
}) {
  const isPhone = useIsPhone();
  if (isPhone) {
    const chip = (v: Light | "all", label: ReactNode) => (
      <Tag.CheckableTag
        key={v}
        checked={value === v}
        onChange={() => onChange(v)}
        style={{ fontSize: 14, padding: "4px 10px", margin: 0, border: "1px solid #d9d9d9" }}
      >
        {label}
      </Tag.CheckableTag>
    );
    return (
      <div style={{ display: "flex", flexWrap: "wrap", gap: 6 }}>
        {chip("all", `全部 ${total}`)}
        {lightOrder.map((l) =>
          chip(
            l,
            <span style={{ display: "inline-flex", alignItems: "center", gap: 6 }} data-testid={`light-${l}`}>
              <LightDot light={l} size={8} />
              {lightLabels[l]} {counts[l]}
            </span>,
          ),
        )}
      </div>
    );
  }
  return (
    <Segmented<Light | "all">
      value={value}
      onChange={onChange}
      options={[
        { value: "all", label: `全部 ${total}` },
        ...lightOrder.map((l) => ({
          value: l,
          label: (
            <span style={{ display: "inline-flex", alignItems: "center", gap: 6 }} data-testid={`light-${l}`}>
              <LightDot light={l} size={8} />
              {lightLabels[l]} {counts[l]}
            </span>
          ),
        })),
      ]}
    />
  );
}

export const zeroCounts = (): Record<Light, number> => ({ done: 0, onTrack: 0, dueSoon: 0, overdue: 0 });

// ---------------------------------------------------------------- reports and notices

const reportStateColors: Record<ReportState, string> = {
  draft: "default",
  submitted: "processing",
  approved: "success",
  returned: "error",
};

export function ReportStateTag({ state }: { state: ReportState | null | undefined }) {
  if (!state) return <Tag>未填报</Tag>;
  return <Tag color={reportStateColors[state]}>{reportStateLabels[state]}</Tag>;
}

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
