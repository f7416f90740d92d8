import { PlusOutlined } from "@ant-design/icons";
import { type WebhookEvent, webhookEventLabels, webhookEvents } from "@gongkai/core/channels";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Collapse,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { usePlans } from "../../components/reports/shared.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Webhook = RouterOutputs["channels"]["webhooks"][number];

/** A random signing key the office gives the receiving system (hex, 32 bytes). */
function newSecret() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Outbound webhooks: another system (the province's platform, a big screen) hears of reports and results. */
export function WebhooksTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const hooks = useQuery(trpc.channels.webhooks.queryOptions());
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const remove = useMutation(
    trpc.channels.deleteWebhook.mutationOptions({
      onSuccess: () => {
        message.success("已删除 Webhook");
        queryClient.invalidateQueries({ queryKey: trpc.channels.webhooks.queryKey() });
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
          添加 Webhook
        </Button>
        <Typography.Text type="secondary">
          单位提交、审核通过或退回报告,任务逾期,结果发布时,系统向对方网址 POST 一条签名的 JSON
          消息;对方未成功接收时自动重试。
        </Typography.Text>
      </Space>
      <Table<Webhook>
        rowKey="id"
        size="small"
        loading={hooks.isPending}
        dataSource={hooks.data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: "还没有设置 Webhook" }}
        columns={[
          { title: "名称", dataIndex: "name", width: 160 },
          {
            title: "工作要点",
            dataIndex: "planTitle",
            width: 200,
            render: (t: string | null) => t ?? "全部",
          },
          {
            title: "事件",
            dataIndex: "events",
            render: (events: WebhookEvent[]) => (
              <Space size={[0, 4]} wrap>
                {events.map((e) => (
                  <Tag key={e}>{webhookEventLabels[e]}</Tag>
                ))}
              </Space>
            ),
          },
          { title: "网址", dataIndex: "urlMasked", width: 240, ellipsis: true },
          {
            title: "状态",
            dataIndex: "active",
            width: 70,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: "操作",
            key: "actions",
            width: 130,
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" onClick={() => setEditing(r)}>
                  编辑
                </Button>
                <Popconfirm title={`删除「${r.name}」?`} onConfirm={() => remove.mutate({ id: r.id })}>
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Collapse
        size="small"
        items={[
          {
            key: "verify",
            label: "接收方如何验证签名",
            children: (
              <Typography>
                <Typography.Paragraph>
                  每次请求带有 <Typography.Text code>X-Gongkai-Event</Typography.Text>(事件)、
                  <Typography.Text code>X-Gongkai-Event-Id</Typography.Text>(事件编号,重试时不变,可据此去重)、
                  <Typography.Text code>X-Gongkai-Timestamp</Typography.Text>(秒级时间戳)和
                  <Typography.Text code>X-Gongkai-Signature: sha256=…</Typography.Text>。
                </Typography.Paragraph>
                <Typography.Paragraph>
                  签名 = 以密钥对「时间戳 + . + 请求体原文」做 HMAC-SHA256,十六进制小写。接收方重算并比较,拒绝
                  5 分钟以前的时间戳;返回 2xx 即视为收到。
                </Typography.Paragraph>
              </Typography>
            ),
          },
        ]}
      />
      {editing && <WebhookModal hook={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

type WebhookForm = {
  name: string;
  url?: string;
  secret?: string;
  planId: number | null;
  events: WebhookEvent[];
  active: boolean;
};

function WebhookModal({ hook, onClose }: { hook: Webhook | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { list } = usePlans();
  const [form] = Form.useForm<WebhookForm>();
  const save = useMutation(
    trpc.channels.saveWebhook.mutationOptions({
      onSuccess: () => {
        message.success("已保存 Webhook");
        queryClient.invalidateQueries({ queryKey: trpc.channels.webhooks.queryKey() });
        onClose();
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  return (
    <Modal
      title={hook ? `编辑「${hook.name}」` : "添加 Webhook"}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<WebhookForm>
        form={form}
        layout="vertical"
        initialValues={
          hook
            ? { name: hook.name, planId: hook.planId, events: hook.events, active: hook.active }
            : { planId: null, events: [...webhookEvents], active: true, secret: newSecret() }
        }
        onFinish={(v) =>
          save.mutate({
            ...(hook ? { id: hook.id } : {}),
            name: v.name,
            url: v.url ?? "",
            secret: v.secret ?? "",
            planId: v.planId,
            events: v.events,
            active: v.active,
          })
        }
      >
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, message: "请填写名称,例如:省政务公开平台" }]}
        >
          <Input maxLength={50} placeholder="例如:省政务公开平台" />
        </Form.Item>
        <Form.Item
          name="url"
          label="接收网址"
          rules={hook ? [] : [{ required: true, message: "请填写接收方的网址" }]}
        >
          <Input
            placeholder={hook ? `已设置(${hook.urlMasked}),留空则不修改` : "https://…"}
            autoComplete="off"
          />
        </Form.Item>
        <Form.Item
          name="secret"
          label="签名密钥"
          extra={
            hook
              ? "已设置;留空则不修改。更换后请把新密钥告诉接收方。"
              : "已随机生成。请复制给接收方用于验签:保存后不再显示。"
          }
        >
          <Input autoComplete="off" placeholder={hook ? "已设置,留空则不修改" : ""} />
        </Form.Item>
        <Form.Item name="planId" label="工作要点">
          <Select
            options={[
              { value: null, label: "全部工作要点(含考核、评估结果发布)" },
              ...list.map((p) => ({ value: p.id, label: `${p.year}年 · ${p.title}` })),
            ]}
          />
        </Form.Item>
        <Form.Item name="events" label="事件" rules={[{ required: true, message: "请至少选择一个事件" }]}>
          <Checkbox.Group options={webhookEvents.map((e) => ({ value: e, label: webhookEventLabels[e] }))} />
        </Form.Item>
        <Form.Item name="active" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
        {!hook && (
          <Alert
            type="warning"
            showIcon
            title="只有选择「全部工作要点」时,才会收到考核、评估结果发布事件。"
          />
        )}
      </Form>
    </Modal>
  );
}
