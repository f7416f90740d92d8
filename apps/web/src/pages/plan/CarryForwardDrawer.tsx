import { lightLabels } from "@gongkai/core/reports";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  InputNumber,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import { type Key, useEffect, useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Preview = RouterOutputs["plans"]["carryPreview"];
type Row = Preview["unfinished"][number] | Preview["finished"][number];

/**
 * 延续到下一年 (接续): the new year's plan starts from this one. Unfinished tasks are ticked to
 * continue (with the units still owing work shown); finished ones can be ticked for 回头看.
 */
export function CarryForwardDrawer({
  planId,
  open,
  onClose,
}: {
  planId: number;
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const preview = useQuery({ ...trpc.plans.carryPreview.queryOptions({ id: planId }), enabled: open });
  const [continued, setContinued] = useState<number[]>([]);
  const [revisit, setRevisit] = useState<number[]>([]);
  const [title, setTitle] = useState("");
  const [year, setYear] = useState<number | null>(null);
  const [requestKey, renewKey] = useRequestKey();
  const data = preview.data;
  useEffect(() => {
    if (!data) return;
    setContinued(data.unfinished.map((t) => t.id));
    setRevisit([]);
    setTitle(data.suggestedTitle);
    setYear(data.year);
  }, [data]);
  const carry = useMutation(
    trpc.plans.carryForward.mutationOptions({
      onSuccess: (plan) => {
        renewKey();
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        message.success(`已生成 ${plan.year} 年计划草稿,请核对后发布`);
        onClose();
        navigate(`/plans/${plan.id}`);
      },
      onError: (e) => modal.error({ title: "无法延续", content: errorMessage(e), width: 520 }),
    }),
  );
  const columns = useMemo(
    () => [
      { title: "编号", dataIndex: "code", width: 64 },
      { title: "任务", dataIndex: "title", width: 260 },
      {
        title: "新年度时限",
        key: "deadlines",
        width: 200,
        render: (_: unknown, r: Row) =>
          r.deadlines.length
            ? r.deadlines.map((d) => (
                <div key={d.phrase}>
                  {d.phrase}
                  {d.dueDate && <Typography.Text type="secondary">({d.dueDate})</Typography.Text>}
                </div>
              ))
            : "—",
      },
    ],
    [],
  );
  const pick = (ids: number[], set: (v: number[]) => void) => ({
    selectedRowKeys: ids,
    onChange: (keys: Key[]) => set(keys.map(Number)),
  });
  return (
    <Drawer
      title="延续到下一年"
      open={open}
      onClose={onClose}
      size={Math.min(1080, window.innerWidth - 48)}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          data-testid="carry-confirm"
          loading={carry.isPending}
          disabled={!data || !year}
          onClick={() =>
            carry.mutate({
              fromPlanId: planId,
              year: year ?? 0,
              title,
              continueTaskIds: continued,
              revisitTaskIds: revisit,
              requestKey,
            })
          }
        >
          生成新年度计划草稿
        </Button>
      }
    >
      {!data ? (
        <Spin />
      ) : (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Alert
            type="info"
            showIcon
            message={`未完成的任务默认延续(带原单位,时限按规则移到新年度);已完成的任务可勾选“回头看”,检查成效是否持续。新计划为草稿,发布前可继续修改。`}
          />
          <Form layout="vertical">
            <Space wrap align="start">
              <Form.Item label="新计划年度" required>
                <InputNumber value={year} min={data.plan.year + 1} onChange={(v) => setYear(v)} />
              </Form.Item>
              <Form.Item label="新计划标题" required style={{ minWidth: 360 }}>
                <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
              </Form.Item>
            </Space>
          </Form>
          <section data-testid="carry-unfinished">
            <Typography.Title level={5}>
              未完成,延续({continued.length}/{data.unfinished.length})
            </Typography.Title>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.unfinished}
              rowSelection={pick(continued, setContinued)}
              columns={[
                ...columns.slice(0, 2),
                {
                  title: "尚未完成的单位",
                  key: "notDone",
                  render: (_: unknown, r: Preview["unfinished"][number]) => (
                    <Space size={[4, 4]} wrap>
                      {r.notDone.slice(0, 6).map((u) => (
                        <Tag key={u.unitName}>
                          {u.unitName} · {lightLabels[u.light]}
                        </Tag>
                      ))}
                      {r.notDone.length > 6 && <Tag>等 {r.notDone.length} 个单位</Tag>}
                    </Space>
                  ),
                },
                columns[2] as (typeof columns)[number],
              ]}
            />
          </section>
          <section data-testid="carry-finished">
            <Typography.Title level={5}>
              已完成,回头看({revisit.length}/{data.finished.length})
            </Typography.Title>
            {data.finished.length === 0 ? (
              <Typography.Text type="secondary">本年度还没有全部单位都已完成的任务。</Typography.Text>
            ) : (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={data.finished}
                rowSelection={pick(revisit, setRevisit)}
                columns={columns.slice(0, 2)}
              />
            )}
          </section>
          {data.unassigned.length > 0 && (
            <Checkbox disabled checked={false}>
              另有 {data.unassigned.length} 项任务未分派牵头或责任单位,不在此列;可在新计划中另行添加。
            </Checkbox>
          )}
        </Space>
      )}
    </Drawer>
  );
}
