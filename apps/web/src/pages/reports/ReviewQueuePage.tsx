import { CheckOutlined, RollbackOutlined } from "@ant-design/icons";
import type { AssignmentRole, ReportStatus } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Result,
  Space,
  Spin,
  Table,
  Tabs,
  Typography,
} from "antd";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ExportButton } from "../../components/ExportButton.tsx";
import { ReportCompare, type Snapshot, snapshotOf } from "../../components/reports/ReportCompare.tsx";
import { ContributionView, ReportTimeline } from "../../components/reports/ReportDrawer.tsx";
import {
  EvidenceList,
  fmtDate,
  fmtDateTime,
  PlanSelect,
  periodLabel,
  ReportStateTag,
  ReportStatusTag,
  usePlans,
} from "../../components/reports/shared.tsx";
import { PageTitle } from "../../components/text.tsx";
import { UnitFilter } from "../../components/UnitFilter.tsx";
import { RoleTag } from "../../lib/labels.tsx";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { queueExportColumns } from "./export-columns.ts";

type QueueRow = RouterOutputs["reports"]["queue"][number];
type QueueState = "submitted" | "returned" | "approved";
const stateTabs: { key: QueueState; label: string }[] = [
  { key: "submitted", label: "待审核" },
  { key: "returned", label: "已退回" },
  { key: "approved", label: "已通过" },
];

/** 报告审核: the office's queue of reports, and the review of one report. */
export function ReviewQueuePage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const { list } = usePlans();
  const planParam = Number(params.get("plan"));
  const planId = planParam > 0 ? planParam : undefined;
  const unitParam = Number(params.get("unit"));
  const unitId = unitParam > 0 ? unitParam : undefined;
  const state = (params.get("state") as QueueState | null) ?? "submitted";
  const reportParam = Number(params.get("report"));
  const reportId = reportParam > 0 ? reportParam : null;
  const queues = {
    submitted: useQuery(trpc.reports.queue.queryOptions({ planId, unitId, state: "submitted" })),
    returned: useQuery(trpc.reports.queue.queryOptions({ planId, unitId, state: "returned" })),
    approved: useQuery(trpc.reports.queue.queryOptions({ planId, unitId, state: "approved" })),
  };
  const current = queues[state];
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };
  // Newest decisions first in the reviewed tabs; oldest submissions first in the queue.
  const rows = state === "submitted" ? (current.data ?? []) : [...(current.data ?? [])].reverse();
  // 批量通过: the rows ticked in the 待审核 tab (a row gone from the queue drops out by itself).
  const [selectedIds, setSelectedIds] = useState<number[]>([]);
  const selected = state === "submitted" ? rows.filter((r) => selectedIds.includes(r.id)) : [];

  return (
    <Card
      title={<PageTitle>报告审核</PageTitle>}
      extra={
        <Space>
          <PlanSelect
            list={list}
            value={planId ?? null}
            onChange={(id) => set({ plan: id ? String(id) : null })}
            allowAll
            onlyPublished
          />
          <UnitFilter value={unitId ?? null} onChange={(id) => set({ unit: id ? String(id) : null })} />
          <ExportButton
            name={`报告审核-${stateTabs.find((t) => t.key === state)?.label ?? ""}`}
            columns={queueExportColumns}
            rows={rows}
          />
        </Space>
      }
      styles={{ body: { paddingTop: 4 } }}
    >
      <Tabs
        activeKey={state}
        onChange={(k) => {
          setSelectedIds([]);
          set({ state: k });
        }}
        items={stateTabs.map((t) => ({
          key: t.key,
          label: `${t.label}(${queues[t.key].data?.length ?? "…"})`,
        }))}
      />
      {state === "submitted" && rows.length > 0 && (
        <BulkApproveBar selected={selected} onDone={() => setSelectedIds([])} />
      )}
      <Table<QueueRow>
        rowKey="id"
        rowSelection={
          state === "submitted"
            ? {
                selectedRowKeys: selected.map((r) => r.id),
                onChange: (keys) => setSelectedIds(keys as number[]),
                columnWidth: 40,
                getCheckboxProps: (r) => ({ "aria-label": `选择 ${r.code} ${r.unitName}` }),
              }
            : undefined
        }
        size="small"
        loading={current.isPending}
        dataSource={rows}
        tableLayout="fixed"
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{
          emptyText: <Empty description={state === "submitted" ? "没有待审核的报告。" : "暂无记录。"} />,
        }}
        onRow={(r) => ({
          onClick: () => set({ report: String(r.id) }),
          style: { cursor: "pointer" },
        })}
        columns={[
          {
            title: "提交时间",
            dataIndex: "submittedAt",
            width: 140,
            render: (d: string | null) => (
              <span style={{ fontVariantNumeric: "tabular-nums" }}>{fmtDateTime(d)}</span>
            ),
          },
          {
            title: "任务",
            render: (_, r) => (
              <div style={{ minWidth: 0 }}>
                <Typography.Text strong ellipsis={{ tooltip: r.title }} data-testid="queue-task">
                  {r.code} {r.title}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }} ellipsis>
                  {r.planTitle}
                </Typography.Text>
              </div>
            ),
          },
          { title: "单位", dataIndex: "unitName", width: 160, ellipsis: true },
          {
            title: "角色",
            dataIndex: "role",
            width: 72,
            render: (role: AssignmentRole) => <RoleTag of={role} />,
          },
          {
            title: "周期",
            dataIndex: "period",
            width: 128,
            render: (p: string) => periodLabel(p),
          },
          {
            title: "进展",
            width: 124,
            render: (_, r) => (
              <Space size={4}>
                <ReportStatusTag status={r.status as ReportStatus} />
                <span style={{ fontVariantNumeric: "tabular-nums" }}>{r.percent}%</span>
              </Space>
            ),
          },
          {
            title: "版本",
            dataIndex: "revision",
            width: 72,
            align: "right",
            render: (n: number) => `第 ${n} 版`,
          },
          {
            title: "",
            width: 72,
            render: (_, r) => (
              <Button
                size="small"
                type={state === "submitted" ? "primary" : "default"}
                data-testid={`review-${r.id}`}
              >
                {state === "submitted" ? "审核" : "查看"}
              </Button>
            ),
          },
        ]}
      />
      <ReviewDrawer reportId={reportId} onClose={() => set({ report: null })} />
    </Card>
  );
}

/** 批量通过: the ticked reports approved at once, all or none, with one optional comment. */
function BulkApproveBar({ selected, onDone }: { selected: QueueRow[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [requestKey, renewKey] = useRequestKey();
  const approve = useMutation(
    trpc.reports.reviewMany.mutationOptions({
      onSuccess: (r) => {
        renewKey();
        message.success(`已通过 ${r.reportIds.length} 份报告,单位会收到通知`);
        setConfirming(false);
        setReason("");
        onDone();
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
      },
      onError: (e) => {
        // Nothing was approved: a fresh key for the next try, the queue as it is now.
        renewKey();
        message.error(errorMessage(e), 8);
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
      },
    }),
  );
  const count = selected.length;
  return (
    <div style={{ display: "flex", alignItems: "center", gap: 12, marginBottom: 8 }}>
      <Button
        type="primary"
        icon={<CheckOutlined />}
        disabled={count === 0}
        loading={approve.isPending}
        onClick={() => setConfirming(true)}
        data-testid="bulk-approve"
      >
        批量通过{count > 0 ? `(${count})` : ""}
      </Button>
      <Typography.Text type="secondary">
        {count > 0 ? `已选择 ${count} 份报告` : "勾选报告后可一次全部通过;退回请逐份审核并写明原因。"}
      </Typography.Text>
      <Modal
        title={`通过所选的 ${count} 份报告?`}
        open={confirming}
        onCancel={() => setConfirming(false)}
        okText={`通过 ${count} 份`}
        okButtonProps={{
          loading: approve.isPending,
          disabled: count === 0,
          "data-testid": "bulk-approve-confirm",
        }}
        onOk={() =>
          approve.mutate({
            requestKey,
            items: selected.map((r) => ({ reportId: r.id, revision: r.revision })),
            decision: "approve",
            reason: reason.trim() || null,
          })
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          每份报告按列表中的版本通过,单位会各自收到通知。若其中有报告已被他人审核或单位重新提交,本次一份也不会通过,请刷新后重新选择。
        </Typography.Paragraph>
        <ul style={{ maxHeight: 160, overflowY: "auto", paddingInlineStart: 20, margin: "0 0 12px" }}>
          {selected.map((r) => (
            <li key={r.id}>
              <Typography.Text ellipsis style={{ maxWidth: "100%" }}>
                {r.code} {r.title} · {r.unitName} · {periodLabel(r.period)}
              </Typography.Text>
            </li>
          ))}
        </ul>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          style={{ marginBottom: 20 }}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
          showCount
          placeholder="审核意见(选填),如:材料齐全,同意通过。"
          data-testid="bulk-approve-reason"
        />
      </Modal>
    </div>
  );
}

function ReviewDrawer({ reportId, onClose }: { reportId: number | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const detail = useQuery({
    ...trpc.reports.detail.queryOptions({ id: reportId ?? 0 }),
    enabled: reportId !== null,
  });
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const review = useMutation(
    trpc.reports.review.mutationOptions({
      onSuccess: (r) => {
        message.success(r.state === "approved" ? "已通过" : "已退回,单位会收到通知");
        setReturning(false);
        setReason("");
        setError(null);
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        onClose();
      },
      onError: (e) => {
        const text = errorMessage(e);
        message.error(text, 6);
        setError(text);
        detail.refetch();
      },
    }),
  );
  const data = detail.data;
  const report = data?.report;
  const reviewing = report?.state === "submitted";
  // What is under review is what was submitted: the latest revision's snapshot.
  const latest = report?.revisions.find((r) => r.revision === report.revision);
  const shown: Snapshot | null = latest ? snapshotOf(latest) : null;
  const lastReturn = [...(report?.reviews ?? [])].reverse().find((r) => r.decision === "return");

  return (
    <Drawer
      open={reportId !== null}
      onClose={() => {
        setError(null);
        onClose();
      }}
      size={Math.min(960, window.innerWidth - 48)}
      destroyOnHidden
      title={data?.task ? `审核 · ${data.task.code} ${data.task.title}` : "审核"}
      extra={report && <ReportStateTag state={report.state} />}
      styles={{ body: { background: "#f5f6f8", paddingTop: 12 } }}
      footer={
        reviewing && report ? (
          <div style={{ display: "flex", justifyContent: "flex-end", gap: 8 }}>
            <Button
              danger
              icon={<RollbackOutlined />}
              onClick={() => setReturning(true)}
              data-testid="review-return"
            >
              退回
            </Button>
            <Popconfirm
              title={`确认通过第 ${report.revision} 版?`}
              okText="通过"
              onConfirm={() =>
                review.mutate({ reportId: report.id, revision: report.revision, decision: "approve" })
              }
            >
              <Button
                type="primary"
                icon={<CheckOutlined />}
                loading={review.isPending}
                data-testid="review-approve"
              >
                通过
              </Button>
            </Popconfirm>
          </div>
        ) : null
      }
    >
      {detail.isPending && reportId !== null && <Spin style={{ display: "block", marginTop: 48 }} />}
      {detail.error && (
        <Result status="warning" title="无法打开这份报告" subTitle={errorMessage(detail.error)} />
      )}
      {data && report && (
        <Space orientation="vertical" size={12} style={{ width: "100%" }} data-testid="review-drawer">
          {error && <Alert type="error" showIcon title={error} />}
          {reviewing && lastReturn && (
            <Alert
              type="warning"
              showIcon
              title={`第 ${lastReturn.revision} 版曾被退回,本次为修改后重新提交`}
              description={`退回意见:${lastReturn.reason ?? "—"}(${lastReturn.reviewer ?? ""} ${fmtDateTime(lastReturn.at)})`}
            />
          )}
          <Card size="small" title="任务与单位">
            <Descriptions
              size="small"
              column={3}
              items={[
                {
                  key: "task",
                  label: "任务",
                  span: 3,
                  children: data.task ? (
                    <Link to={`/plans/${data.task.planId}?task=${data.task.id}`}>
                      {data.task.code} {data.task.title}
                    </Link>
                  ) : (
                    "—"
                  ),
                },
                { key: "unit", label: "单位", children: report.unitName },
                { key: "role", label: "角色", children: <RoleTag of={report.role} /> },
                { key: "period", label: "报送周期", children: periodLabel(report.period) },
                {
                  key: "sub",
                  label: "提交",
                  span: 3,
                  children: `第 ${report.revision} 版 · ${fmtDateTime(report.submittedAt)}${latest?.submittedBy ? ` · ${latest.submittedBy}` : ""}`,
                },
              ]}
            />
            {data.task?.content && (
              <Typography.Paragraph
                type="secondary"
                ellipsis={{
                  rows: 2,
                  expandable: "collapsible",
                  symbol: (e) => (e ? "收起" : "展开任务内容"),
                }}
                style={{ margin: "4px 0 0", whiteSpace: "pre-wrap" }}
              >
                {data.task.content}
              </Typography.Paragraph>
            )}
          </Card>
          <Card size="small" title={shown ? `报告内容(第 ${report.revision} 版)` : "报告内容"}>
            <Descriptions
              size="small"
              bordered
              column={2}
              styles={{ label: { width: 110 } }}
              items={[
                {
                  key: "status",
                  label: "进展状态",
                  children: <ReportStatusTag status={shown?.status ?? report.status} />,
                },
                { key: "percent", label: "完成进度", children: `${shown?.percent ?? report.percent}%` },
                ...((shown?.blockedReason ?? report.blockedReason)
                  ? [
                      {
                        key: "blocked",
                        label: "无法完成原因",
                        span: 2,
                        children: shown?.blockedReason ?? report.blockedReason,
                      },
                    ]
                  : []),
                {
                  key: "summary",
                  label: "进展情况",
                  span: 2,
                  children: (
                    <div style={{ whiteSpace: "pre-wrap" }} data-testid="review-summary">
                      {(shown?.summary ?? report.summary) || "—"}
                    </div>
                  ),
                },
                {
                  key: "occurred",
                  label: "开展日期",
                  span: 2,
                  children: fmtDate(shown?.occurredOn ?? report.occurredOn),
                },
                {
                  key: "evidence",
                  label: "佐证材料",
                  span: 2,
                  children: <EvidenceList items={shown?.evidence ?? report.evidence} />,
                },
              ]}
            />
          </Card>
          {data.contributions.length > 0 && (
            <Card size="small" title={`配合单位材料(${data.contributions.length})`}>
              <Space orientation="vertical" style={{ width: "100%" }}>
                {data.contributions.map((c) => (
                  <ContributionView key={c.id} c={c} />
                ))}
              </Space>
            </Card>
          )}
          {report.revisions.length > 1 && (
            <Card size="small" title="版本对比">
              <ReportCompare revisions={report.revisions} />
            </Card>
          )}
          <Card size="small" title="提交与审核记录">
            <ReportTimeline report={report} />
          </Card>
        </Space>
      )}
      <Modal
        title="退回报告"
        open={returning}
        onCancel={() => setReturning(false)}
        okText="退回"
        okButtonProps={{
          danger: true,
          disabled: !reason.trim(),
          loading: review.isPending,
          "data-testid": "return-confirm",
        }}
        onOk={() =>
          report &&
          review.mutate({
            reportId: report.id,
            revision: report.revision,
            decision: "return",
            reason: reason.trim(),
          })
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          写明需要补充或修改什么,单位会在通知和报告中看到。
        </Typography.Paragraph>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoSize={{ minRows: 4, maxRows: 10 }}
          maxLength={2000}
          showCount
          placeholder="如:请补充目录文件在门户网站的发布日期截图。"
          data-testid="return-reason"
        />
      </Modal>
    </Drawer>
  );
}
