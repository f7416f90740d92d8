import { ImportOutlined, PlusOutlined } from "@ant-design/icons";
import type { PlanStatus } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { PageTitle } from "../components/text.tsx";
import { PlanStatusTag } from "../lib/labels.tsx";
import { useRequestKey } from "../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type PlanRow = RouterOutputs["plans"]["list"][number];

export function PlansPage() {
  const trpc = useTRPC();
  const years = useQuery(trpc.plans.years.queryOptions());
  const [year, setYear] = useState<number | undefined>(undefined);
  const plans = useQuery(trpc.plans.list.queryOptions(year ? { year } : {}));
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();

  return (
    <Card
      title={<PageTitle>工作要点</PageTitle>}
      extra={
        <Space>
          <Select
            allowClear
            placeholder="全部年度"
            aria-label="年度"
            style={{ width: 140 }}
            value={year}
            onChange={setYear}
            options={(years.data ?? []).map((y) => ({ value: y, label: `${y} 年` }))}
            data-testid="year-select"
          />
          <Button
            icon={<ImportOutlined />}
            onClick={() => navigate("/plans/import")}
            data-testid="import-plan"
          >
            导入工作要点
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建工作要点
          </Button>
        </Space>
      }
    >
      <Table<PlanRow>
        rowKey="id"
        loading={plans.isPending}
        dataSource={plans.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: "年度", dataIndex: "year", width: 80 },
          {
            title: "标题",
            dataIndex: "title",
            render: (title: string, p) => <Link to={`/plans/${p.id}`}>{title}</Link>,
          },
          { title: "文号", dataIndex: "docNumber", width: 170, render: (v: string | null) => v ?? "—" },
          { title: "发文单位", dataIndex: "issuerName", width: 160, render: (v: string | null) => v ?? "—" },
          { title: "任务数", dataIndex: "taskCount", width: 80, align: "right" },
          {
            title: "状态",
            dataIndex: "status",
            width: 90,
            render: (s: PlanStatus) => <PlanStatusTag status={s} />,
          },
        ]}
        locale={{ emptyText: "还没有工作要点。点击「导入工作要点」读入文件,或「新建工作要点」逐项录入。" }}
      />
      <CreatePlanModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

type PlanForm = { year: number; title: string; docNumber?: string; publishDate?: Dayjs };

function CreatePlanModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PlanForm>();
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.plans.create.mutationOptions({
      onSuccess: (plan) => {
        renewKey();
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        message.success("已创建工作要点");
        onClose();
        navigate(`/plans/${plan.id}`);
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Modal
      title="新建工作要点"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="创建"
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<PlanForm>
        form={form}
        layout="vertical"
        initialValues={{ year: new Date().getFullYear() }}
        onFinish={(v) =>
          create.mutate({
            requestKey,
            year: v.year,
            title: v.title,
            docNumber: v.docNumber ?? null,
            publishDate: v.publishDate ? v.publishDate.format("YYYY-MM-DD") : null,
            issuerUnitId: null,
          })
        }
      >
        <Form.Item name="year" label="年度" rules={[{ required: true, message: "请填写年度" }]}>
          <InputNumber min={2000} max={2100} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="title" label="标题" rules={[{ required: true, message: "请填写标题" }]}>
          <Input placeholder="例如:关于徐泾镇2026年政务公开工作要点" />
        </Form.Item>
        <Form.Item name="docNumber" label="文号">
          <Input placeholder="例如:徐府〔2026〕12号" />
        </Form.Item>
        <Form.Item name="publishDate" label="发布日期">
          <DatePicker />
        </Form.Item>
        <Typography.Text type="secondary">
          创建后可逐项添加章节和任务,任务可指定牵头、配合和责任单位。
        </Typography.Text>
      </Form>
    </Modal>
  );
}
