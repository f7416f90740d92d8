import { type OutboxStatus, outboxStatusLabels } from "@gongkai/core/channels";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Segmented, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { fmtDateTime } from "../../components/reports/format.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Delivery = RouterOutputs["channels"]["deliveries"]["items"][number];

const statusColors: Record<OutboxStatus, string> = {
  pending: "default",
  sending: "processing",
  retrying: "warning",
  sent: "success",
  failed: "error",
  held: "default",
  digested: "default",
};
/** The filter's order: what needs the office's eye first. */
const filterOrder: OutboxStatus[] = ["failed", "retrying", "pending", "sent", "held", "digested"];
const pageSize = 50;

/** 发送记录: every message by email, SMS, group robot and webhook about units the office works for. */
export function DeliveriesTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = filterOrder.find((s) => s === params.get("status"));
  // Pages of older rows: the id each page starts below.
  const [cursors, setCursors] = useState<number[]>([]);
  const beforeId = cursors.at(-1);
  // The worker changes these rows by itself: read afresh on opening, and every 15 s while open.
  const list = useQuery(
    trpc.channels.deliveries.queryOptions(
      {
        limit: pageSize,
        ...(status ? { status } : {}),
        ...(beforeId ? { beforeId } : {}),
      },
      { staleTime: 0, refetchInterval: 15_000 },
    ),
  );
  const retry = useMutation(
    trpc.channels.retryDelivery.mutationOptions({
      onSuccess: () => {
        message.success("已重新排入发送,稍后自动发送");
        queryClient.invalidateQueries({ queryKey: trpc.channels.deliveries.pathKey() });
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  const counts = list.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const items = list.data?.items ?? [];
  const pick = (s: OutboxStatus | "all") => {
    const next = new URLSearchParams(params);
    if (s === "all") next.delete("status");
    else next.set("status", s);
    setParams(next);
    setCursors([]);
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Segmented<OutboxStatus | "all">
        value={status ?? "all"}
        onChange={pick}
        options={[
          { value: "all", label: `全部 ${total}` },
          ...filterOrder
            .filter((s) => (counts[s] ?? 0) > 0 || s === "failed" || s === status)
            .map((s) => ({ value: s, label: `${outboxStatusLabels[s]} ${counts[s] ?? 0}` })),
        ]}
        data-testid="delivery-status-filter"
      />
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: status ? `没有${outboxStatusLabels[status]}的消息` : "还没有发送过消息" }}
        data-testid="deliveries"
        columns={[
          { title: "时间", dataIndex: "createdAt", width: 140, render: (v: string) => fmtDateTime(v) },
          { title: "渠道", dataIndex: "channelLabel", width: 100, render: (v: string) => <Tag>{v}</Tag> },
          { title: "收件人", dataIndex: "recipient", width: 200, ellipsis: true },
          { title: "内容", dataIndex: "title", ellipsis: true },
          {
            title: "状态",
            dataIndex: "status",
            width: 150,
            render: (s: OutboxStatus, r) => (
              <Space size={4} wrap>
                <Tag color={statusColors[s]}>{outboxStatusLabels[s]}</Tag>
                {r.attempts > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    已试 {r.attempts} 次
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: "最近错误 / 下次尝试",
            key: "error",
            width: 300,
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={0}>
                {r.lastError && r.status !== "sent" && (
                  <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="delivery-error">
                    {r.lastError}
                  </Typography.Text>
                )}
                {(r.status === "retrying" || r.status === "pending") && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    下次尝试:{fmtDateTime(r.nextAttemptAt)}
                  </Typography.Text>
                )}
                {r.status === "sent" && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtDateTime(r.sentAt)} 送达
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: "操作",
            key: "actions",
            width: 100,
            fixed: "right",
            render: (_: unknown, r) =>
              r.status === "failed" || r.status === "retrying" ? (
                <Button
                  size="small"
                  onClick={() => retry.mutate({ id: r.id })}
                  loading={retry.isPending && retry.variables?.id === r.id}
                >
                  重新发送
                </Button>
              ) : null,
          },
        ]}
      />
      <Space>
        <Button disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          较新的记录
        </Button>
        <Button
          disabled={items.length < pageSize}
          onClick={() => {
            const last = items.at(-1);
            if (last) setCursors((c) => [...c, last.id]);
          }}
        >
          更早的记录
        </Button>
      </Space>
    </Space>
  );
}
