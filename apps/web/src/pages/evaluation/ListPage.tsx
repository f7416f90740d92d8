import { GlobalOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
} from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { PageTitle } from "../../components/text.tsx";
import { useRequestKey } from "../../lib/request-key.ts";
import { isOffice, useMe } from "../../lib/session.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { StatusTag } from "./shared.tsx";

type Row = RouterOutputs["evaluation"]["list"][number];

/** 第三方评估 projects: the office's in its scope, an evaluator's as lead or assigned. */
export function EvaluationListPage() {
  const trpc = useTRPC();
  const me = useMe();
  const list = useQuery(trpc.evaluation.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const office = isOffice(me.data);
  return (
    <Card
      title={<PageTitle>第三方评估</PageTitle>}
      extra={
        <Space>
          <Link to="/public/rankings" target="_blank">
            <GlobalOutlined /> 公开排名页
          </Link>
          {office && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="new-evaluation"
            >
              新建评估项目
            </Button>
          )}
        </Space>
      }
    >
      <Table<Row>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{
          emptyText: office ? "暂无评估项目,点击右上角“新建评估项目”。" : "暂无分配给您的评估项目。",
        }}
        columns={[
          { title: "年度", dataIndex: "year", width: 80 },
          {
            title: "评估项目",
            dataIndex: "name",
            render: (name: string, r) => (
              <Space>
                <Link to={`/evaluations/${r.id}`} data-testid={`evaluation-${r.id}`}>
                  {name}
                </Link>
                {r.access === "lead" && <Tag color="gold">评估组长</Tag>}
              </Space>
            ),
          },
          { title: "评估机构", dataIndex: "organisation", width: 200 },
          { title: "评估组长", dataIndex: "leadName", width: 140, render: (v: string | null) => v ?? "—" },
          { title: "评估单位", dataIndex: "unitCount", width: 90 },
          ...(me.data?.role === "evaluator"
            ? [
                {
                  title: "我的进度",
                  width: 160,
                  render: (_: unknown, r: Row) =>
                    r.myUnitCount > 0 ? (
                      <Progress
                        percent={Math.round((r.mySubmitted / r.myUnitCount) * 100)}
                        size="small"
                        format={() => `${r.mySubmitted}/${r.myUnitCount}`}
                      />
                    ) : (
                      "—"
                    ),
                },
              ]
            : []),
          {
            title: "状态",
            dataIndex: "status",
            width: 110,
            render: (s: Row["status"]) => <StatusTag status={s} />,
          },
          {
            title: "已发布",
            dataIndex: "latestVersion",
            width: 90,
            render: (v: number | null) => (v ? `第 ${v} 版` : "—"),
          },
        ]}
      />
      <CreateModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

type CreateForm = {
  year: number;
  name: string;
  organisation: string;
  leadUserId: number | null;
  disagreementThreshold: number;
  appealDays: number;
};

function CreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const evaluators = useQuery({ ...trpc.evaluation.evaluatorOptions.queryOptions(), enabled: open });
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.evaluation.create.mutationOptions({
      onSuccess: (p) => {
        renewKey();
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        message.success("已创建评估项目,请继续设置指标体系、评估单位和分工");
        onClose();
        navigate(`/evaluations/${p.id}`);
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const year = new Date().getFullYear() - 1;
  return (
    <Modal
      title="新建第三方评估项目"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="创建"
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={{ year, disagreementThreshold: 1, appealDays: 7, leadUserId: null }}
        onFinish={(v) => create.mutate({ ...v, leadUserId: v.leadUserId ?? null, requestKey })}
      >
        <Form.Item name="year" label="评估年度" rules={[{ required: true, message: "请填写年度" }]}>
          <InputNumber min={2000} max={2100} data-testid="evaluation-year" />
        </Form.Item>
        <Form.Item name="name" label="项目名称" rules={[{ required: true, message: "请填写项目名称" }]}>
          <Input placeholder={`如 ${year}年度政务公开第三方评估`} data-testid="evaluation-name" />
        </Form.Item>
        <Form.Item
          name="organisation"
          label="评估机构"
          rules={[{ required: true, message: "请填写评估机构" }]}
        >
          <Input placeholder="如 某大学公共管理学院" data-testid="evaluation-organisation" />
        </Form.Item>
        <Form.Item
          name="leadUserId"
          label="评估组长"
          extra="评估组长可设置指标和分工、复核分歧、处理申诉并发布结果。"
        >
          <Select
            allowClear
            placeholder="选择评估人员账号"
            loading={evaluators.isPending}
            options={(evaluators.data ?? []).map((u) => ({
              value: u.id,
              label: `${u.displayName}(${u.username})`,
            }))}
            data-testid="evaluation-lead"
          />
        </Form.Item>
        <Space size="large">
          <Form.Item
            name="disagreementThreshold"
            label="分歧阈值(分)"
            tooltip="两名评估人员对同一指标的得分相差超过该分值时,需评估组长复核"
          >
            <InputNumber min={0} max={100} step={0.5} />
          </Form.Item>
          <Form.Item name="appealDays" label="申诉期限(天)">
            <InputNumber min={1} max={90} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
