import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Checkbox, Drawer, Empty, List, Space, Spin, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Choices = RouterOutputs["links"]["upperChoices"];
type PlanBrief = Choices["candidates"][number];

/**
 * 关联上级要点: the plans this one implements. What its document cites comes first (matched to a
 * plan in the system when the upper government published it here); then the other plans of the
 * governments above, nearest year first. Saving replaces the list.
 */
export function UpperPlansDrawer({
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
  const choices = useQuery({ ...trpc.links.upperChoices.queryOptions({ id: planId }), enabled: open });
  const [picked, setPicked] = useState<Map<number, string | null>>(new Map());
  const data = choices.data;
  useEffect(() => {
    if (!data) return;
    const next = new Map<number, string | null>(data.linked.map((p) => [p.id, null]));
    // A first visit ticks what the document cites; after that the office's choice stands.
    if (data.linked.length === 0) for (const c of data.cited) if (c.match) next.set(c.match.id, c.title);
    setPicked(next);
  }, [data]);
  const save = useMutation(
    trpc.links.setUpper.mutationOptions({
      onSuccess: (r) => {
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.links.pathKey() });
        onClose();
        if (r.upper.length > 0) {
          message.success("已关联上级要点。下一步:逐项对标任务");
          navigate(`/plans/${planId}/links`);
        } else message.success("已取消关联上级要点");
      },
      onError: (e) => modal.error({ title: "无法关联", content: errorMessage(e), width: 520 }),
    }),
  );
  const toggle = (id: number, citedAs: string | null, on: boolean) =>
    setPicked((prev) => {
      const next = new Map(prev);
      if (on) next.set(id, citedAs);
      else next.delete(id);
      return next;
    });
  const row = (p: PlanBrief, citedAs: string | null) => (
    <Checkbox
      checked={picked.has(p.id)}
      onChange={(e) => toggle(p.id, citedAs, e.target.checked)}
      data-testid={`upper-${p.id}`}
    >
      <Space wrap size={4}>
        <span>{p.title}</span>
        <Typography.Text type="secondary">
          {p.year} 年 · {p.issuerName ?? "—"}
          {p.docNumber ? ` · ${p.docNumber}` : ""}
        </Typography.Text>
        {p.status === "draft" && <Tag>草稿</Tag>}
      </Space>
    </Checkbox>
  );
  const listed = new Set(data?.cited.flatMap((c) => (c.match ? [c.match.id] : [])) ?? []);
  return (
    <Drawer
      title="关联上级要点"
      open={open}
      onClose={onClose}
      width="min(720px, 100vw)"
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          disabled={!data}
          onClick={() =>
            save.mutate({
              planId,
              upper: [...picked].map(([id, citedAs]) => ({ planId: id, citedAs })),
            })
          }
          data-testid="upper-save"
        >
          保存({picked.size})
        </Button>
      }
    >
      {choices.isPending && <Spin />}
      {choices.error && <Alert type="error" showIcon message={errorMessage(choices.error)} />}
      {data && (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            本要点落实的上级文件。关联后可逐项对标任务,上级单位据此查看各地落实情况;上级只看到对标关系和已提交的进展,看不到本级草稿。
          </Typography.Paragraph>
          <div>
            <Typography.Title level={5}>原文引用的文件</Typography.Title>
            {data.cited.length === 0 ? (
              <Typography.Text type="secondary">
                导入的原文中没有找到引用的上级要点(如「根据《2023年XX区政务公开工作要点》」)。
              </Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={data.cited}
                renderItem={(c) => (
                  <List.Item>
                    {c.match ? (
                      row(c.match, c.title)
                    ) : (
                      <Space direction="vertical" size={0}>
                        <span>
                          《{c.title}》{c.docNumber ? `(${c.docNumber})` : ""}
                        </span>
                        <Typography.Text type="secondary">
                          系统中还没有这份文件:上级政府在本系统发布后即可关联。
                        </Typography.Text>
                      </Space>
                    )}
                  </List.Item>
                )}
              />
            )}
          </div>
          <div>
            <Typography.Title level={5}>其他可关联的要点</Typography.Title>
            {[...data.linked, ...data.candidates].filter((p) => !listed.has(p.id)).length === 0 ? (
              <Empty description="没有上级政府发布的工作要点" image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <List
                size="small"
                dataSource={[...data.linked, ...data.candidates].filter((p) => !listed.has(p.id))}
                renderItem={(p) => <List.Item>{row(p, null)}</List.Item>}
              />
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}
