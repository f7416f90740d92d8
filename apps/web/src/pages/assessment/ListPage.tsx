import { PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { schemeTemplates } from "@gongkai/core/templates";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Typography,
  Upload,
} from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { SchemeTemplateNote } from "../../components/SchemeTemplateNote.tsx";
import { PageTitle } from "../../components/text.tsx";
import { fileToBase64 } from "../../lib/files.ts";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, type RouterInputs, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { type AssessmentStatus, StatusTag } from "./shared.tsx";

type SchemeRow = RouterOutputs["assessment"]["list"][number];
type Definition = RouterInputs["assessment"]["create"]["definition"];

const grades = [
  { name: "优秀", min: 90, quotaPercent: 20 },
  { name: "良好", min: 80 },
  { name: "合格", min: 60 },
  { name: "不合格", min: 0 },
];

/** Starting points for a new scheme; everything can be changed in the indicator editor. */
const templates: Record<"common" | "minimal", (name: string, share: number) => Definition> = {
  common: (name, share) => ({
    name,
    share,
    bonus: null,
    grades,
    indicators: [
      {
        code: "1",
        name: "组织保障",
        points: 15,
        children: [
          { code: "1.1", name: "领导重视", points: 8, rule: { type: "manual" } },
          { code: "1.2", name: "工作机制", points: 7, rule: { type: "yesno" } },
        ],
      },
      {
        code: "2",
        name: "主动公开",
        points: 45,
        children: [
          {
            code: "2.1",
            name: "任务按时完成",
            points: 25,
            rule: { type: "proportion", source: "onTimeRate" },
          },
          { code: "2.2", name: "信息发布质量", points: 20, rule: { type: "manual" } },
        ],
      },
      {
        code: "3",
        name: "政策解读",
        points: 20,
        children: [{ code: "3.1", name: "解读质量", points: 20, rule: { type: "manual" } }],
      },
      {
        code: "4",
        name: "平台建设",
        points: 20,
        children: [
          { code: "4.1", name: "栏目维护", points: 10, rule: { type: "manual" } },
          {
            code: "4.2",
            name: "报告质量",
            points: 10,
            rule: { type: "deduction", per: 1, source: "returnedReports" },
          },
        ],
      },
    ],
  }),
  minimal: (name, share) => ({
    name,
    share,
    bonus: null,
    grades: null,
    indicators: [{ code: "1", name: "政务公开工作", points: 100, rule: { type: "manual" } }],
  }),
};

export function AssessmentListPage() {
  const trpc = useTRPC();
  const schemes = useQuery(trpc.assessment.list.queryOptions({}));
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title={<PageTitle>年度考核</PageTitle>}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="new-scheme"
        >
          新建考核方案
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        每个考核方案对应一个年度和一组可比单位(如机关各科室、各村居),政务公开在绩效考核中的分值权重不低于
        4%。流程:制定指标 → 开放单位自评 → 审核评分 → 发布结果(发布后冻结,更正需发布新版本)。
      </Typography.Paragraph>
      <Table<SchemeRow>
        rowKey="id"
        loading={schemes.isPending}
        dataSource={schemes.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        tableLayout="fixed"
        columns={[
          { title: "年度", dataIndex: "year", width: 80 },
          {
            title: "考核方案",
            dataIndex: "name",
            render: (name: string, s) => <Link to={`/assessment/${s.id}`}>{name}</Link>,
          },
          { title: "考核分组", dataIndex: "groupName", width: 140, render: (v: string | null) => v ?? "—" },
          {
            title: "分值权重",
            dataIndex: "share",
            width: 90,
            align: "right",
            render: (v: number) => `${v}%`,
          },
          {
            title: "自评提交",
            width: 110,
            align: "right",
            render: (_, s) => (s.participants > 0 ? `${s.submitted} / ${s.participants}` : "—"),
          },
          {
            title: "状态",
            dataIndex: "status",
            width: 100,
            render: (st: AssessmentStatus) => <StatusTag status={st} />,
          },
          {
            title: "已发布版本",
            dataIndex: "latestVersion",
            width: 100,
            render: (v: number | null) => (v ? `第 ${v} 版` : "—"),
          },
        ]}
        locale={{ emptyText: "还没有考核方案。点击「新建考核方案」开始。" }}
      />
      <CreateSchemeModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

type CreateForm = {
  year: number;
  unitGroupId: number;
  name: string;
  share: number;
  performanceTotal: number;
  /** A starting point of this page, or `tpl:<id>` for one of the core's published templates. */
  start: "common" | "minimal" | "xlsx" | `tpl:${string}`;
};

const templateOf = (start: CreateForm["start"] | undefined) =>
  start?.startsWith("tpl:") ? schemeTemplates.find((t) => `tpl:${t.id}` === start) : undefined;

function CreateSchemeModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const groups = useQuery(trpc.units.groups.list.queryOptions());
  const [form] = Form.useForm<CreateForm>();
  const start = Form.useWatch("start", form);
  const picked = templateOf(start);
  const [imported, setImported] = useState<{ fileName: string; definition: Definition } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.assessment.create.mutationOptions({
      onSuccess: (s) => {
        renewKey();
        queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
        message.success("已创建考核方案,请完善指标体系");
        onClose();
        navigate(`/assessment/${s.id}`);
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const importXlsx = useMutation(
    trpc.assessment.importXlsx.mutationOptions({
      onSuccess: (definition, vars) => {
        setError(null);
        setImported({ fileName: vars.fileName, definition: definition as Definition });
        form.setFieldsValue({ name: definition.name, share: definition.share });
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );

  const submit = (v: CreateForm) => {
    setError(null);
    let definition: Definition;
    if (v.start === "xlsx") {
      if (!imported) {
        setError("请先选择评分细则 .xlsx 文件。");
        return;
      }
      definition = { ...imported.definition, name: v.name, share: v.share };
    } else if (v.start.startsWith("tpl:")) {
      const t = templateOf(v.start);
      if (!t) return;
      definition = { ...t.system, name: v.name, share: v.share };
    } else definition = templates[v.start as "common" | "minimal"](v.name, v.share);
    create.mutate({
      requestKey,
      year: v.year,
      unitGroupId: v.unitGroupId,
      performanceTotal: v.performanceTotal,
      definition,
    });
  };

  return (
    <Modal
      title="新建考核方案"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="创建"
      okButtonProps={{ "data-testid": "create-scheme" }}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={620}
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={{
          year: new Date().getFullYear() - 1,
          share: 5,
          performanceTotal: 100,
          start: "common",
        }}
        onFinish={submit}
      >
        <Space size="large" wrap>
          <Form.Item name="year" label="考核年度" rules={[{ required: true, message: "请填写年度" }]}>
            <InputNumber min={2000} max={2100} style={{ width: 120 }} data-testid="scheme-year" />
          </Form.Item>
          <Form.Item
            name="unitGroupId"
            label="考核分组(同组单位一起排名)"
            rules={[{ required: true, message: "请选择考核分组" }]}
          >
            <Select
              style={{ width: 260 }}
              placeholder="如:机关各科室"
              loading={groups.isPending}
              options={(groups.data ?? []).map((g) => ({
                value: g.id,
                label: `${g.name}(${g.memberIds.length} 个单位)`,
              }))}
              data-testid="scheme-group"
            />
          </Form.Item>
        </Space>
        <Form.Item name="name" label="方案名称" rules={[{ required: true, message: "请填写方案名称" }]}>
          <Input placeholder="例如:2023年度机关各科室政务公开工作考核" data-testid="scheme-name" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item
            name="share"
            label="政务公开分值权重(%)"
            rules={[{ required: true, message: "请填写分值权重" }]}
            extra="按规定不应低于 4%"
          >
            <InputNumber min={0} max={100} step={0.5} style={{ width: 140 }} data-testid="scheme-share" />
          </Form.Item>
          <Form.Item
            name="performanceTotal"
            label="绩效考核总分"
            rules={[{ required: true, message: "请填写绩效考核总分" }]}
            extra="用于折算对绩效考核的贡献分"
          >
            <InputNumber min={1} max={100000} style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Form.Item name="start" label="指标体系">
          <Radio.Group
            options={[
              ...schemeTemplates.map((t) => ({ value: `tpl:${t.id}`, label: t.label })),
              {
                value: "common",
                label: "本系统示例(组织保障、主动公开、政策解读、平台建设,含系统计算的指标)",
              },
              { value: "minimal", label: "最简方案(一个指标,之后再添加)" },
              { value: "xlsx", label: "从评分细则 .xlsx 导入" },
            ]}
            style={{ display: "flex", flexDirection: "column", gap: 4 }}
            data-testid="scheme-start"
          />
        </Form.Item>
        {picked && <SchemeTemplateNote template={picked} />}
        {start === "xlsx" && (
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={async (file) => {
              importXlsx.mutate({
                fileName: file.name,
                contentBase64: await fileToBase64(file),
                share: form.getFieldValue("share"),
              });
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={importXlsx.isPending}>
              {imported ? `已读取:${imported.fileName}(重新选择)` : "选择 .xlsx 文件"}
            </Button>
          </Upload>
        )}
        {error && (
          <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="create-error" />
        )}
      </Form>
    </Modal>
  );
}
