import { PlusOutlined } from "@ant-design/icons";
import { chinaDateTime } from "@gongkai/core/reports";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from "antd";
import { useState } from "react";
import { PageTitle } from "../components/text.tsx";
import { unitTreeSearch, useUnitTree } from "../components/UnitPicker.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type Token = RouterOutputs["apiTokens"]["list"][number];
type Issued = RouterOutputs["apiTokens"]["create"];
type IssueForm = { name: string; unitId?: string; scope: "read" | "write" };

const when = (d: Date | string | null) => (d ? chinaDateTime(new Date(d)) : "—");

/**
 * 接口令牌: the administrator issues a token to another system (a province's platform, a big
 * screen, an evaluator's tools) for one government, read-only or able to submit reports, sees when
 * each was last used, and revokes them. The token is shown once, when issued.
 */
export function ApiTokensPage() {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiTokens.list.queryOptions());
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.apiTokens.pathKey() });
        message.success("令牌已吊销,使用它的请求将被拒绝");
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Card
      title={<PageTitle>接口令牌</PageTitle>}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
          签发令牌
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        其他系统(省级平台、大屏、评估机构的工具)凭令牌通过开放接口读取本平台数据;令牌只能访问所属政府范围内已发布的工作要点,每次使用都记入审计日志。
        接口说明见 <a href="/api/v1/docs">/api/v1/docs</a>,OpenAPI 文档见{" "}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>。
      </Typography.Paragraph>
      <Table<Token>
        rowKey="id"
        size="small"
        loading={tokens.isPending}
        dataSource={tokens.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: "系统", dataIndex: "name" },
          { title: "令牌", dataIndex: "prefix", render: (p: string) => <code>{p}…</code> },
          { title: "所属政府", dataIndex: "unitName" },
          {
            title: "权限",
            dataIndex: "scope",
            render: (s: Token["scope"]) =>
              s === "write" ? <Tag color="orange">可提交</Tag> : <Tag>只读</Tag>,
          },
          { title: "签发人", dataIndex: "createdBy", render: (v: string | null) => v ?? "—" },
          { title: "签发时间", dataIndex: "createdAt", render: when },
          {
            title: "最近使用",
            dataIndex: "lastUsedAt",
            render: (d: Token["lastUsedAt"], t) =>
              d ? `${when(d)}${t.lastUsedIp ? `(${t.lastUsedIp})` : ""}` : "从未使用",
          },
          {
            title: "状态",
            dataIndex: "revokedAt",
            render: (d: Token["revokedAt"]) =>
              d ? <Tag>已吊销 {when(d)}</Tag> : <Tag color="green">有效</Tag>,
          },
          {
            title: "操作",
            width: 90,
            render: (_, t) =>
              t.revokedAt ? null : (
                <Popconfirm
                  title={`吊销「${t.name}」的令牌?`}
                  description="吊销后使用该令牌的请求一律被拒绝,且不能恢复;如需继续对接请重新签发。"
                  onConfirm={() => revoke.mutate({ id: t.id })}
                >
                  <Button size="small" type="link" danger>
                    吊销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <IssueModal
        open={issuing}
        onClose={() => setIssuing(false)}
        onIssued={(t) => {
          setIssuing(false);
          setIssued(t);
        }}
      />
      <Modal
        title="令牌已签发"
        open={issued !== null}
        onCancel={() => setIssued(null)}
        footer={
          <Button type="primary" onClick={() => setIssued(null)}>
            我已保存令牌
          </Button>
        }
        destroyOnHidden
      >
        {issued && (
          <>
            <Alert
              type="warning"
              showIcon
              message="令牌只显示这一次"
              description="请立即复制并交给对接系统的负责人妥善保存;本平台只保存它的摘要,关闭后无法再查看。遗失时吊销并重新签发。"
            />
            <Typography.Paragraph copyable={{ text: issued.token }} style={{ marginTop: 16 }}>
              <code data-testid="issued-token">{issued.token}</code>
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">调用示例:</Typography.Paragraph>
            <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
              {`curl -H "Authorization: Bearer ${issued.token}" ${window.location.origin}/api/v1/plans`}
            </pre>
          </>
        )}
      </Modal>
    </Card>
  );
}

function IssueModal(props: { open: boolean; onClose: () => void; onIssued: (t: Issued) => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<IssueForm>();
  const units = useQuery(trpc.units.list.queryOptions());
  const treeData = useUnitTree(units.data, []);
  const create = useMutation(
    trpc.apiTokens.create.mutationOptions({
      onSuccess: (t) => {
        queryClient.invalidateQueries({ queryKey: trpc.apiTokens.pathKey() });
        props.onIssued(t);
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Modal
      title="签发接口令牌"
      open={props.open}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText="签发"
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<IssueForm>
        form={form}
        layout="vertical"
        initialValues={{ scope: "read" }}
        onFinish={(v) => create.mutate({ name: v.name, unitId: Number(v.unitId?.slice(2)), scope: v.scope })}
      >
        <Form.Item
          name="name"
          label="对接系统"
          rules={[{ required: true, message: "请填写对接系统的名称" }]}
          extra="如:省政务公开工作平台、市政务公开大屏"
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="unitId"
          label="所属政府"
          rules={[{ required: true, message: "请选择令牌代表的政府" }]}
          extra="令牌只能读取该政府及其下级单位范围内已发布的工作要点。"
        >
          <TreeSelect
            showSearch={unitTreeSearch}
            placeholder="选择人民政府或乡镇/街道,可输入名称搜索"
            data-testid="api-token-unit"
            treeDefaultExpandAll
            treeData={treeData.filter((n) => n.key !== "groups")}
          />
        </Form.Item>
        <Form.Item name="scope" label="权限">
          <Radio.Group
            options={[
              { value: "read", label: "只读:工作要点、任务、红绿灯、报告、考核与评估结果" },
              { value: "write", label: "可提交:另可代单位报送进展" },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
