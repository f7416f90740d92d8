import { PlusOutlined } from "@ant-design/icons";
import { type NotificationKind, notificationKindLabels, type RobotProvider } from "@gongkai/core/channels";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from "antd";
import { useState } from "react";
import { unitTreeSearch, useUnitTree } from "../../components/UnitPicker.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { unitKinds } from "./kinds.ts";

type Robot = RouterOutputs["channels"]["robots"][number];
const providerLabels: Record<RobotProvider, string> = { wecom: "企业微信", dingtalk: "钉钉" };

/** The group robots the office set: one per unit or unit group, the kinds of notification each posts. */
export function RobotsTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const robots = useQuery(trpc.channels.robots.queryOptions());
  const [editing, setEditing] = useState<Robot | "new" | null>(null);
  const remove = useMutation(
    trpc.channels.deleteRobot.mutationOptions({
      onSuccess: () => {
        message.success("已删除群机器人");
        queryClient.invalidateQueries({ queryKey: trpc.channels.robots.queryKey() });
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
          添加群机器人
        </Button>
        <Typography.Text type="secondary">
          在企业微信或钉钉群里添加「群机器人」,复制它的 Webhook
          地址填在这里:该单位(或分组内各单位)的通知会同时推送到群里,附任务链接。
        </Typography.Text>
      </Space>
      <Table<Robot>
        rowKey="id"
        size="small"
        loading={robots.isPending}
        dataSource={robots.data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: "还没有设置群机器人" }}
        columns={[
          { title: "名称", dataIndex: "name", width: 160 },
          {
            title: "类型",
            dataIndex: "provider",
            width: 90,
            render: (p: RobotProvider) => (
              <Tag color={p === "wecom" ? "green" : "blue"}>{providerLabels[p]}</Tag>
            ),
          },
          { title: "推送哪些单位的通知", dataIndex: "targetName", width: 180 },
          {
            title: "通知类型",
            dataIndex: "kinds",
            render: (kinds: NotificationKind[]) => (
              <Space size={[0, 4]} wrap>
                {kinds.map((k) => (
                  <Tag key={k}>{notificationKindLabels[k]}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: "Webhook 地址",
            dataIndex: "urlMasked",
            width: 220,
            ellipsis: true,
            render: (url: string, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {url}
                </Typography.Text>
                {r.provider === "dingtalk" && (
                  <Typography.Text style={{ fontSize: 12 }}>
                    加签密钥:{r.secretSet ? "已设置" : "未设置"}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
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
      {editing && <RobotModal robot={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

type RobotForm = {
  provider: RobotProvider;
  name: string;
  target?: string;
  url?: string;
  secret?: string;
  clearSecret?: boolean;
  kinds: NotificationKind[];
  active: boolean;
};

function RobotModal({ robot, onClose }: { robot: Robot | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<RobotForm>();
  const provider = Form.useWatch("provider", form) ?? robot?.provider ?? "wecom";
  const units = useQuery(trpc.units.list.queryOptions());
  const groups = useQuery(trpc.units.groups.list.queryOptions());
  // One unit or one group: the group heading itself is not a choice.
  const tree = useUnitTree(units.data, groups.data).map((n) =>
    n.value === "groups" ? { ...n, selectable: false } : n,
  );
  const save = useMutation(
    trpc.channels.saveRobot.mutationOptions({
      onSuccess: () => {
        message.success("已保存群机器人");
        queryClient.invalidateQueries({ queryKey: trpc.channels.robots.queryKey() });
        onClose();
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  return (
    <Modal
      title={robot ? `编辑「${robot.name}」` : "添加群机器人"}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<RobotForm>
        form={form}
        layout="vertical"
        initialValues={
          robot
            ? {
                provider: robot.provider,
                name: robot.name,
                target: robot.unitId ? `u:${robot.unitId}` : `g:${robot.groupId}`,
                kinds: robot.kinds,
                active: robot.active,
              }
            : {
                provider: "wecom",
                kinds: ["task.dueSoon", "task.overdue", "notice.issued", "notice.escalated"],
                active: true,
              }
        }
        onFinish={(v) => {
          const target = v.target ?? "";
          save.mutate({
            ...(robot ? { id: robot.id } : {}),
            provider: v.provider,
            name: v.name,
            url: v.url ?? "",
            secret: v.provider === "dingtalk" ? (v.secret ?? "") : "",
            clearSecret: v.provider === "wecom" || Boolean(v.clearSecret),
            unitId: target.startsWith("u:") ? Number(target.slice(2)) : null,
            groupId: target.startsWith("g:") ? Number(target.slice(2)) : null,
            kinds: v.kinds,
            active: v.active,
          });
        }}
      >
        <Form.Item name="provider" label="类型">
          <Radio.Group
            optionType="button"
            options={[
              { value: "wecom", label: "企业微信 / 政务微信" },
              { value: "dingtalk", label: "钉钉 / 政务钉钉" },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, message: "请填写名称,例如:党政办工作群" }]}
        >
          <Input maxLength={50} placeholder="例如:各村(居)联络员群" />
        </Form.Item>
        <Form.Item
          name="target"
          label="推送哪个单位或分组的通知"
          rules={[{ required: true, message: "请选择一个单位或一个单位分组" }]}
        >
          <TreeSelect
            showSearch={unitTreeSearch}
            treeData={tree}
            treeDefaultExpandAll
            placeholder="选择单位或分组,可输入名称搜索"
            listHeight={320}
            data-testid="robot-target"
          />
        </Form.Item>
        <Form.Item
          name="url"
          label="Webhook 地址"
          extra={
            provider === "wecom"
              ? "企业微信群 → 群机器人 → 添加机器人,复制形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 的地址。"
              : "钉钉群 → 设置 → 机器人 → 自定义机器人,复制形如 https://oapi.dingtalk.com/robot/send?access_token=… 的地址。"
          }
          rules={robot ? [] : [{ required: true, message: "请填写群机器人的 Webhook 地址" }]}
        >
          <Input
            placeholder={robot ? `已设置(${robot.urlMasked}),留空则不修改` : "https://…"}
            autoComplete="off"
          />
        </Form.Item>
        {provider === "dingtalk" && (
          <Form.Item
            label="加签密钥"
            extra="钉钉机器人的安全设置选「加签」时,填写以 SEC 开头的密钥;选「自定义关键词」时请把关键词设为「政务公开」。"
          >
            <Space orientation="vertical" style={{ width: "100%" }}>
              <Form.Item name="secret" noStyle>
                <Input.Password
                  placeholder={robot?.secretSet ? "已设置,留空则不修改" : "SEC…"}
                  autoComplete="new-password"
                  visibilityToggle={false}
                />
              </Form.Item>
              {robot?.secretSet && (
                <Form.Item name="clearSecret" valuePropName="checked" noStyle>
                  <Checkbox>清除已设置的密钥</Checkbox>
                </Form.Item>
              )}
            </Space>
          </Form.Item>
        )}
        <Form.Item
          name="kinds"
          label="推送的通知类型"
          rules={[{ required: true, message: "请至少选择一类通知" }]}
        >
          <Checkbox.Group options={unitKinds} />
        </Form.Item>
        <Form.Item name="active" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
        {robot && (
          <Alert
            type="info"
            showIcon
            title="为安全起见,已保存的地址和密钥不再显示;需要更换时重新填写即可。"
          />
        )}
      </Form>
    </Modal>
  );
}
