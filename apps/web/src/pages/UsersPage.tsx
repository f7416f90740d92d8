import { PlusOutlined } from "@ant-design/icons";
import { type Role, roleLabels, roles } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Switch,
  Table,
  Tag,
  TreeSelect,
} from "antd";
import { useState } from "react";
import { PageTitle } from "../components/text.tsx";
import { unitTreeSearch, useUnitTree } from "../components/UnitPicker.tsx";
import { useRequestKey } from "../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type User = RouterOutputs["users"]["list"][number];
type UserForm = {
  username: string;
  displayName: string;
  role: Role;
  unitId?: string | null;
  password?: string;
  active: boolean;
};

export function UsersPage() {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const resetTotp = useMutation(
    trpc.users.resetTotp.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        message.success("已清除两步验证");
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Card
      title={<PageTitle>用户管理</PageTitle>}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
          添加用户
        </Button>
      }
    >
      <Table<User>
        rowKey="id"
        size="small"
        loading={users.isPending}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: "用户名", dataIndex: "username" },
          { title: "姓名", dataIndex: "displayName" },
          { title: "角色", dataIndex: "role", render: (r: Role) => <Tag>{roleLabels[r]}</Tag> },
          { title: "所属单位", dataIndex: "unitName", render: (v: string | null) => v ?? "—" },
          {
            title: "状态",
            dataIndex: "active",
            render: (a: boolean, u) => (
              <>
                {a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>}
                {u.mustChangePassword && <Tag color="orange">待改密码</Tag>}
                {u.totpEnabled && <Tag color="blue">两步验证</Tag>}
                {u.demo && <Tag color="red">演示账号</Tag>}
              </>
            ),
          },
          {
            title: "操作",
            width: 170,
            render: (_, u) => (
              <>
                <Button size="small" type="link" onClick={() => setEditing(u)}>
                  编辑
                </Button>
                {u.totpEnabled && (
                  <Popconfirm
                    title="清除该用户的两步验证?"
                    description="用于手机丢失等情况;清除后该用户可仅凭密码登录,并可重新开启。"
                    onConfirm={() => resetTotp.mutate({ id: u.id })}
                  >
                    <Button size="small" type="link" danger>
                      清除两步验证
                    </Button>
                  </Popconfirm>
                )}
              </>
            ),
          },
        ]}
      />
      <UserModal state={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}

function UserModal({ state, onClose }: { state: User | "new" | null; onClose: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UserForm>();
  const units = useQuery(trpc.units.list.queryOptions());
  const treeData = useUnitTree(units.data, []);
  const opts = {
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
      message.success("已保存");
      onClose();
    },
    onError: (e: unknown) => message.error(errorMessage(e)),
  };
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      ...opts,
      onSuccess: () => {
        renewKey();
        opts.onSuccess();
      },
    }),
  );
  const update = useMutation(trpc.users.update.mutationOptions(opts));
  const user = state === "new" ? null : state;
  return (
    <Modal
      title={user ? `编辑用户「${user.username}」` : "添加用户"}
      open={state !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        initialValues={
          user ? { ...user, unitId: user.unitId ? `u:${user.unitId}` : null } : { role: "unit", active: true }
        }
        onFinish={(v) => {
          const body = {
            username: v.username,
            displayName: v.displayName,
            role: v.role,
            unitId: v.unitId ? Number(v.unitId.slice(2)) : null,
            active: v.active,
          };
          if (user) update.mutate({ ...body, id: user.id, ...(v.password ? { password: v.password } : {}) });
          else create.mutate({ ...body, password: v.password ?? "", requestKey });
        }}
      >
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: "请填写用户名" }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: "请填写姓名" }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true }]}>
          <Select options={roles.map((r) => ({ value: r, label: roleLabels[r] }))} />
        </Form.Item>
        <Form.Item name="unitId" label="所属单位" extra="单位账号填所在单位;政务公开办账号填本级政府。">
          <TreeSelect
            allowClear
            showSearch={unitTreeSearch}
            placeholder="选择单位,可输入名称搜索"
            data-testid="user-unit"
            treeDefaultExpandAll
            treeData={treeData.filter((n) => n.key !== "groups")}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? "重置密码(留空不修改)" : "初始密码"}
          rules={user ? [] : [{ required: true, message: "请设置初始密码" }]}
          extra="至少 10 位,含大写字母、小写字母、数字、符号中的三类,不能是常用密码;用户首次登录时须改为自己的密码。"
        >
          <Input.Password autoComplete="new-password" placeholder="初始密码" />
        </Form.Item>
        <Form.Item name="active" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
