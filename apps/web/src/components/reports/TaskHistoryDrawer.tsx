import { AlertOutlined } from "@ant-design/icons";
import { type AssignmentRole, assignmentRoles, type Category, categoryLabels } from "@gongkai/core/domain";
import type { Light } from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import {
  Button,
  Card,
  Collapse,
  Descriptions,
  Drawer,
  Empty,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { RoleTag } from "../../lib/labels.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { IssueNoticeModal } from "./IssueNoticeModal.tsx";
import { DeadlineList, ReportTimeline } from "./ReportDrawer.tsx";
import {
  auditActionLabels,
  EvidenceList,
  fmtDate,
  fmtDateTime,
  LightBadge,
  NoticeLevelTag,
  NoticeStateTag,
  periodLabel,
  ReportStateTag,
  ReportStatusTag,
} from "./shared.tsx";

type History = RouterOutputs["reports"]["taskHistory"];
type LightRow = RouterOutputs["reports"]["lights"][number];
type UnitRow = {
  unitId: number;
  unitName: string;
  roles: AssignmentRole[];
  light: LightRow | undefined;
  latest: History["latest"][number] | undefined;
  openNotices: number;
};

/**
 * A task's history at a glance for the office: units with their lights and latest reports,
 * deadlines (with 登记事件日期 for `after` rules), the reports of one period at a time with their
 * reviews (a province-wide task gathers hundreds a year), the notices, and the audit trail;
 * 督办 issues a notice to a unit on the task.
 */
export function TaskHistoryDrawer({
  taskId,
  planId,
  lights,
  onClose,
  canIssue,
}: {
  taskId: number | null;
  planId: number;
  lights: LightRow[];
  onClose: () => void;
  canIssue: boolean;
}) {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<{ taskId: number; period: string } | null>(null);
  const chosen = period !== null && period.taskId === taskId ? period.period : undefined;
  const history = useQuery({
    ...trpc.reports.taskHistory.queryOptions({ id: taskId ?? 0, ...(chosen ? { period: chosen } : {}) }),
    enabled: taskId !== null,
    // Switching periods keeps the drawer on screen; another task starts afresh.
    placeholderData: (previous) => (previous?.task.id === taskId ? previous : undefined),
  });
  const [issuing, setIssuing] = useState<{ unitId?: number } | null>(null);
  const h = history.data;
  const title = h ? `任务历史 · ${h.task.code} ${h.task.title}` : "任务历史";

  return (
    <Drawer
      open={taskId !== null}
      onClose={onClose}
      title={title}
      size={Math.min(960, window.innerWidth - 48)}
      destroyOnHidden
      extra={
        canIssue && (
          <Button
            icon={<AlertOutlined />}
            onClick={() => setIssuing({})}
            disabled={!h}
            data-testid="history-issue"
          >
            督办
          </Button>
        )
      }
      styles={{ body: { paddingTop: 0 } }}
    >
      {history.isPending && taskId !== null && <Spin style={{ display: "block", marginTop: 48 }} />}
      {history.error && (
        <Result status="warning" title="无法打开任务历史" subTitle={errorMessage(history.error)} />
      )}
      {h && (
        <Tabs
          items={[
            {
              key: "overview",
              label: "概况",
              children: (
                <Overview
                  h={h}
                  lights={lights.filter((l) => l.taskId === h.task.id)}
                  onIssue={canIssue ? (unitId) => setIssuing({ unitId }) : undefined}
                />
              ),
            },
            {
              key: "reports",
              label: `进展报告(${h.periods.reduce((n, p) => n + p.reports, 0)})`,
              children: (
                <Reports
                  h={h}
                  loading={history.isPlaceholderData}
                  onPeriod={(p) => taskId !== null && setPeriod({ taskId, period: p })}
                />
              ),
            },
            { key: "notices", label: `督办(${h.notices.length})`, children: <Notices h={h} /> },
            { key: "trail", label: `操作记录(${h.trail.length})`, children: <Trail h={h} /> },
          ]}
        />
      )}
      {h && (
        <IssueNoticeModal
          open={issuing !== null}
          onClose={() => setIssuing(null)}
          preset={{ planId, taskId: h.task.id, ...(issuing?.unitId ? { unitId: issuing.unitId } : {}) }}
        />
      )}
    </Drawer>
  );
}

function Overview({
  h,
  lights,
  onIssue,
}: {
  h: History;
  lights: LightRow[];
  onIssue: ((unitId: number) => void) | undefined;
}) {
  const units = new Map<number, UnitRow>();
  for (const a of h.assignments) {
    const u = units.get(a.unitId) ?? {
      unitId: a.unitId,
      unitName: a.unitName,
      roles: [],
      light: undefined,
      latest: undefined,
      openNotices: 0,
    };
    if (!u.roles.includes(a.role)) u.roles.push(a.role);
    units.set(a.unitId, u);
  }
  const rows = [...units.values()].map((u) => {
    const own = lights.filter((l) => l.unitId === u.unitId);
    return {
      ...u,
      roles: assignmentRoles.filter((r) => u.roles.includes(r)),
      light: own.find((l) => l.role === "lead") ?? own.find((l) => l.role === "responsible") ?? own[0],
      latest: h.latest.find((r) => r.unitId === u.unitId),
      openNotices: h.notices.filter(
        (n) => n.unitId === u.unitId && (n.state === "open" || n.state === "escalated"),
      ).length,
    };
  });
  const order: Record<Light, number> = { overdue: 0, dueSoon: 1, onTrack: 2, done: 3 };
  rows.sort(
    (a, b) =>
      assignmentRoles.indexOf(a.roles[0] ?? "responsible") -
        assignmentRoles.indexOf(b.roles[0] ?? "responsible") ||
      (a.light ? order[a.light.light] : 9) - (b.light ? order[b.light.light] : 9),
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: "plan", label: "工作要点", children: `${h.task.year}年 · ${h.task.planTitle}`, span: 2 },
          { key: "section", label: "章节", children: h.task.sectionTitle ?? "—" },
          {
            key: "cat",
            label: "类别",
            children: h.task.category ? categoryLabels[h.task.category as Category] : "未分类",
          },
          {
            key: "due",
            label: "完成时限",
            span: 2,
            children: <DeadlineList deadlines={h.deadlines} canRecord />,
          },
        ]}
      />
      <Typography.Paragraph
        type="secondary"
        ellipsis={{ rows: 3, expandable: "collapsible", symbol: (e) => (e ? "收起" : "展开") }}
        style={{ margin: 0, whiteSpace: "pre-wrap" }}
      >
        {h.task.content}
      </Typography.Paragraph>
      <Table<UnitRow>
        rowKey="unitId"
        size="small"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        tableLayout="fixed"
        columns={[
          { title: "单位", dataIndex: "unitName", ellipsis: true },
          {
            title: "角色",
            width: 110,
            render: (_, u) => u.roles.map((r) => <RoleTag key={r} of={r} />),
          },
          {
            title: "状态",
            width: 108,
            render: (_, u) => <LightBadge light={u.light?.light ?? null} reason={u.light?.reason} />,
          },
          {
            title: "截止日期",
            width: 100,
            render: (_, u) => (
              <span style={{ fontVariantNumeric: "tabular-nums" }}>{u.light?.dueDate ?? "—"}</span>
            ),
          },
          {
            title: "最新报告",
            width: 230,
            render: (_, u) => {
              const last = u.latest;
              return last ? (
                <Space size={4}>
                  <ReportStateTag state={last.state} />
                  <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {periodLabel(last.period)} · {last.percent}%
                  </Typography.Text>
                </Space>
              ) : (
                <ReportStateTag state={null} />
              );
            },
          },
          {
            title: "督办",
            width: 100,
            render: (_, u) => (
              <Space size={4}>
                {u.openNotices > 0 && <Typography.Text type="danger">{u.openNotices} 份未结</Typography.Text>}
                {onIssue && (
                  <Button size="small" type="link" onClick={() => onIssue(u.unitId)} style={{ padding: 0 }}>
                    督办
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

function Reports({
  h,
  loading,
  onPeriod,
}: {
  h: History;
  loading: boolean;
  onPeriod: (period: string) => void;
}) {
  if (h.period === null) return <Empty description="还没有单位填报。" />;
  const sorted = [...h.reports].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      <Space size={8} wrap>
        <Typography.Text type="secondary">报送周期</Typography.Text>
        <Select
          value={h.period}
          onChange={onPeriod}
          loading={loading}
          style={{ minWidth: 260 }}
          data-testid="history-period"
          options={h.periods.map((p) => ({
            value: p.period,
            label: `${periodLabel(p.period)} · ${p.reports} 份${p.submitted > 0 ? `,${p.submitted} 份待审核` : ""}`,
          }))}
        />
      </Space>
      <Spin spinning={loading}>
        <Collapse
          key={h.period}
          size="small"
          defaultActiveKey={(sorted.length <= 3
            ? sorted
            : sorted.filter((r, i) => i === 0 || r.state === "submitted" || r.state === "returned")
          ).map((r) => String(r.id))}
          items={sorted.map((r) => ({
            key: String(r.id),
            label: (
              <Space size={6} wrap>
                <Typography.Text strong>{r.unitName}</Typography.Text>
                <Typography.Text type="secondary">{periodLabel(r.period)}</Typography.Text>
                <ReportStateTag state={r.state} />
                <ReportStatusTag status={r.status} />
                <span style={{ fontVariantNumeric: "tabular-nums" }}>{r.percent}%</span>
                {r.revision > 0 && <Typography.Text type="secondary">第 {r.revision} 版</Typography.Text>}
              </Space>
            ),
            extra: <Typography.Text type="secondary">{fmtDateTime(r.updatedAt)}</Typography.Text>,
            children: (
              <Space orientation="vertical" size={8} style={{ width: "100%" }}>
                <div style={{ whiteSpace: "pre-wrap" }}>{r.summary || "—"}</div>
                {r.blockedReason && (
                  <Typography.Text type="warning">无法按期完成:{r.blockedReason}</Typography.Text>
                )}
                {r.occurredOn && (
                  <Typography.Text type="secondary">开展日期 {fmtDate(r.occurredOn)}</Typography.Text>
                )}
                <EvidenceList items={r.evidence} empty="无佐证材料" />
                {(r.revisions.length > 0 || r.reviews.length > 0) && (
                  <Card size="small" styles={{ body: { paddingBottom: 0 } }}>
                    <ReportTimeline report={r} />
                  </Card>
                )}
              </Space>
            ),
          }))}
        />
      </Spin>
    </Space>
  );
}

function Notices({ h }: { h: History }) {
  if (h.notices.length === 0) return <Empty description="没有督办通知。" />;
  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      {[...h.notices].reverse().map((n) => (
        <div key={n.id} style={{ borderLeft: "3px solid #f0f0f0", paddingLeft: 12 }}>
          <Space size={6} wrap>
            <NoticeLevelTag level={n.level} />
            <NoticeStateTag state={n.state} />
            <Typography.Text strong>{n.unitName}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fmtDateTime(n.issuedAt)} 下发 · 回复期限 {n.replyDueDate ?? "—"}
            </Typography.Text>
            {n.parentNoticeId && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                (由逾期未回复的通知升级)
              </Typography.Text>
            )}
          </Space>
          <div style={{ whiteSpace: "pre-wrap", margin: "4px 0" }}>{n.content}</div>
          {n.reply && (
            <div style={{ background: "#f6ffed", padding: "4px 8px", borderRadius: 4 }}>
              <Typography.Text type="secondary">回复({fmtDateTime(n.repliedAt)}):</Typography.Text>
              {n.reply}
            </div>
          )}
        </div>
      ))}
    </Space>
  );
}

function Trail({ h }: { h: History }) {
  if (h.trail.length === 0) return <Empty description="没有操作记录。" />;
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ margin: "4px 0 12px" }}>
        任务与督办通知的操作,以及{h.period ? `${periodLabel(h.period)}进展报告` : "进展报告"}
        的操作(其他期次请在「进展报告」中切换)。
      </Typography.Paragraph>
      <Timeline
        items={[...h.trail].reverse().map((t) => ({
          key: t.id,
          color: t.action.endsWith("return") ? "red" : t.action.endsWith("approve") ? "green" : "blue",
          content: (
            <Space size={8} wrap>
              <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                {fmtDateTime(t.at)}
              </Typography.Text>
              <Typography.Text strong>{auditActionLabels[t.action] ?? t.action}</Typography.Text>
              <Typography.Text type="secondary">{t.actor ?? "系统"}</Typography.Text>
            </Space>
          ),
        }))}
      />
    </>
  );
}
