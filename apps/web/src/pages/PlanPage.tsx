import { DownOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { type ReportingCycle, reportingCycleLabels, reportingCycles } from "@gongkai/core/reports";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Breadcrumb,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Dropdown,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Select,
  Space,
  Spin,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ExportButton } from "../components/ExportButton.tsx";
import { TaskHistoryDrawer } from "../components/reports/TaskHistoryDrawer.tsx";
import { TaskEditor } from "../components/TaskEditor.tsx";
import { PageTitle } from "../components/text.tsx";
import { PlanStatusTag } from "../lib/labels.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { ExportXlsxButton } from "./imports/ExportXlsxButton.tsx";
import { BulkUnitsBar } from "./plan/BulkUnitsBar.tsx";
import { CarryForwardDrawer } from "./plan/CarryForwardDrawer.tsx";
import { planTaskExportColumns } from "./plan/export-columns.ts";
import { LightSummary, type Task, TaskTable, taskLights } from "./plan/TaskTable.tsx";
import { UpperPlansDrawer } from "./plan/UpperPlansDrawer.tsx";

type PlanDetail = RouterOutputs["plans"]["get"];

export function PlanPage() {
  const id = Number(useParams().id);
  const trpc = useTRPC();
  const plan = useQuery(trpc.plans.get.queryOptions({ id }));
  // The drawer keeps its task while it closes, so its title does not flicker.
  const [editing, setEditing] = useState<{ task: Task | null; open: boolean }>({ task: null, open: false });
  const [editingInfo, setEditingInfo] = useState(false);
  const [addingSection, setAddingSection] = useState(false);
  // 批量设置单位: the ticked tasks, across the sections' tables.
  const [selectedIds, setSelectedIds] = useState<number[]>([]);
  const published = plan.data ? plan.data.plan.status !== "draft" : false;
  const lights = useQuery({ ...trpc.reports.lights.queryOptions({ planId: id }), enabled: published });
  const [params, setParams] = useSearchParams();
  const historyParam = Number(params.get("task"));
  const historyTaskId = historyParam > 0 ? historyParam : null;
  const showHistory = (taskId: number | null) => {
    const next = new URLSearchParams(params);
    if (taskId) next.set("task", String(taskId));
    else next.delete("task");
    setParams(next);
  };

  if (plan.isPending) return <Spin />;
  if (plan.error)
    return <Result status="404" title="无法打开这份工作要点" subTitle={errorMessage(plan.error)} />;
  const detail = plan.data;
  const lightRows = lights.data ?? [];
  const byTask = taskLights(lightRows);
  const groups: { key: string; title: string; tasks: Task[] }[] = [
    ...(detail.tasks.some((t) => t.sectionId === null)
      ? [{ key: "none", title: "未分章节", tasks: detail.tasks.filter((t) => t.sectionId === null) }]
      : []),
    ...detail.sections.map((s) => ({
      key: String(s.id),
      title: `${s.code}${s.title}`,
      tasks: detail.tasks.filter((t) => t.sectionId === s.id),
    })),
  ];

  const editable = detail.plan.status !== "archived";
  const selected = detail.tasks.filter((t) => selectedIds.includes(t.id));
  const selectIn = (g: { tasks: Task[] }) => ({
    selectedIds,
    onChange: (ids: number[]) =>
      setSelectedIds((prev) => [...prev.filter((id) => !g.tasks.some((t) => t.id === id)), ...ids]),
  });
  const exportRows = groups.flatMap((g) => g.tasks.map((t) => ({ ...t, sectionTitle: g.title })));

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} className="plan-page">
      <Breadcrumb items={[{ title: <Link to="/plans">工作要点</Link> }, { title: detail.plan.title }]} />
      <PlanHeader detail={detail} onEdit={() => setEditingInfo(true)} />
      <Card
        title={`任务分工(${detail.tasks.length} 项)`}
        extra={
          <Space className="no-print">
            <ExportButton
              name={`任务分工-${detail.plan.title}`}
              columns={planTaskExportColumns(published ? byTask : null)}
              rows={exportRows}
            />
            <Button
              icon={<PlusOutlined />}
              onClick={() => setAddingSection(true)}
              disabled={detail.plan.status === "archived"}
            >
              添加章节
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ task: null, open: true })}
              disabled={detail.plan.status === "archived"}
            >
              添加任务
            </Button>
          </Space>
        }
      >
        {published && <LightSummary byTask={byTask} total={detail.tasks.length} />}
        {editable && detail.tasks.length > 0 && (
          <BulkUnitsBar planId={detail.plan.id} selected={selected} onDone={() => setSelectedIds([])} />
        )}
        {groups.length === 0 && (
          <Empty description="还没有任务。先添加章节(如「二、提升政策公开服务能级」),再添加任务。" />
        )}
        {groups.map((g) => (
          <div key={g.key} style={{ marginBottom: 24 }}>
            <Typography.Title level={5}>{g.title}</Typography.Title>
            <TaskTable
              tasks={g.tasks}
              onEdit={(task) => setEditing({ task, open: true })}
              lights={published ? byTask : null}
              onHistory={(task) => showHistory(task.id)}
              selection={editable ? selectIn(g) : undefined}
            />
          </div>
        ))}
      </Card>
      <TaskEditor
        plan={detail}
        task={editing.task}
        open={editing.open}
        onClose={() => setEditing((e) => ({ ...e, open: false }))}
      />
      <TaskHistoryDrawer
        taskId={historyTaskId}
        planId={detail.plan.id}
        lights={lightRows}
        onClose={() => showHistory(null)}
        canIssue={detail.plan.status === "published"}
      />
      <PlanInfoModal detail={detail} open={editingInfo} onClose={() => setEditingInfo(false)} />
      <SectionModal planId={detail.plan.id} open={addingSection} onClose={() => setAddingSection(false)} />
    </Space>
  );
}

function PlanHeader({ detail, onEdit }: { detail: PlanDetail; onEdit: () => void }) {
  const trpc = useTRPC();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { plan } = detail;
  const [carrying, setCarrying] = useState(false);
  const [linkingUpper, setLinkingUpper] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
  const setStatus = useMutation(
    trpc.plans.setStatus.mutationOptions({
      onSuccess: (p) => {
        refresh();
        message.success(p.status === "published" ? "已发布,任务已下达到各单位" : "状态已更新");
      },
      onError: (e) => modal.error({ title: "无法完成", content: errorMessage(e), width: 520 }),
    }),
  );
  const remove = useMutation(
    trpc.plans.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        navigate("/plans");
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Card
      title={
        <Space>
          <PageTitle>{plan.title}</PageTitle>
          <PlanStatusTag status={plan.status} />
        </Space>
      }
      extra={
        <Space>
          <ExportXlsxButton planId={plan.id} />
          <Dropdown
            menu={{
              items: [
                { key: "upper", label: "关联上级要点", onClick: () => setLinkingUpper(true) },
                { key: "links", label: <Link to={`/plans/${plan.id}/links`}>任务对标</Link> },
                { key: "coverage", label: <Link to={`/plans/${plan.id}/coverage`}>对标对表情况</Link> },
                { key: "rollup", label: <Link to={`/plans/${plan.id}/rollup`}>下级进展汇总</Link> },
              ],
            }}
          >
            <Button data-testid="links-menu">
              上下级对标 <DownOutlined />
            </Button>
          </Dropdown>
          <Button icon={<EditOutlined />} onClick={onEdit}>
            编辑信息
          </Button>
          {plan.status === "draft" && (
            <>
              <Popconfirm title="删除这份草稿及其全部任务?" onConfirm={() => remove.mutate({ id: plan.id })}>
                <Button danger>删除</Button>
              </Popconfirm>
              <Button
                type="primary"
                onClick={() => setStatus.mutate({ id: plan.id, status: "published" })}
                loading={setStatus.isPending}
                data-testid="publish"
              >
                发布
              </Button>
            </>
          )}
          {plan.status !== "draft" && (
            <Button onClick={() => setCarrying(true)} data-testid="carry-open">
              延续到下一年
            </Button>
          )}
          {plan.status === "published" && (
            <>
              <Button onClick={() => setStatus.mutate({ id: plan.id, status: "draft" })}>撤回为草稿</Button>
              <Button onClick={() => setStatus.mutate({ id: plan.id, status: "archived" })}>归档</Button>
            </>
          )}
          {plan.status === "archived" && (
            <Button onClick={() => setStatus.mutate({ id: plan.id, status: "published" })}>
              恢复为已发布
            </Button>
          )}
        </Space>
      }
    >
      <CarryForwardDrawer planId={plan.id} open={carrying} onClose={() => setCarrying(false)} />
      <UpperPlansDrawer planId={plan.id} open={linkingUpper} onClose={() => setLinkingUpper(false)} />
      <Descriptions column={{ xs: 1, md: 2, xl: 4 }} size="small">
        <Descriptions.Item label="年度">{plan.year}</Descriptions.Item>
        <Descriptions.Item label="文号">{plan.docNumber ?? "—"}</Descriptions.Item>
        <Descriptions.Item label="发文单位">{plan.issuerName ?? "—"}</Descriptions.Item>
        <Descriptions.Item label="发布日期">{plan.publishDate ?? "—"}</Descriptions.Item>
        <Descriptions.Item label="报送周期">
          <ReportingCycleSelect
            planId={plan.id}
            value={plan.reportingCycle}
            disabled={plan.status === "archived"}
          />
        </Descriptions.Item>
        <Descriptions.Item label="上级要点">
          {detail.upperPlans.length === 0 ? (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setLinkingUpper(true)}>
              未关联,去关联
            </Button>
          ) : (
            <Space size={4} wrap>
              {detail.upperPlans.map((u) => (
                <Link key={u.id} to={`/plans/${plan.id}/links`}>
                  《{u.title}》
                </Link>
              ))}
            </Space>
          )}
        </Descriptions.Item>
        {detail.lowerPlanCount > 0 && (
          <Descriptions.Item label="下级落实">
            <Link to={`/plans/${plan.id}/coverage`}>{detail.lowerPlanCount} 份下级要点已关联</Link>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

/** 报送周期: how often units report on this plan's tasks. */
function ReportingCycleSelect({
  planId,
  value,
  disabled,
}: {
  planId: number;
  value: ReportingCycle;
  disabled: boolean;
}) {
  const trpc = useTRPC();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const set = useMutation(
    trpc.reports.setReportingCycle.mutationOptions({
      onSuccess: (p) => {
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        message.success(`报送周期已改为${reportingCycleLabels[p.reportingCycle]}`);
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  return (
    <>
      {/* On paper the cycle as text: the select is not printed. */}
      <span className="print-only">{reportingCycleLabels[value]}</span>
      <Select<ReportingCycle>
        size="small"
        aria-label="报送周期"
        value={value}
        disabled={disabled}
        loading={set.isPending}
        style={{ width: 104 }}
        options={reportingCycles.map((c) => ({ value: c, label: reportingCycleLabels[c] }))}
        onChange={(c) =>
          modal.confirm({
            title: `把报送周期改为${reportingCycleLabels[c]}?`,
            content: "单位此后按新的周期填报;已填报的报告保留原周期。",
            okText: "修改",
            onOk: () => set.mutateAsync({ planId, reportingCycle: c }),
          })
        }
        data-testid="reporting-cycle"
      />
    </>
  );
}

type InfoForm = { year: number; title: string; docNumber?: string | null; publishDate?: Dayjs | null };

function PlanInfoModal({
  detail,
  open,
  onClose,
}: {
  detail: PlanDetail;
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<InfoForm>();
  const { plan } = detail;
  const update = useMutation(
    trpc.plans.update.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        message.success("已保存");
        onClose();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Modal
      title="编辑工作要点信息"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form<InfoForm>
        form={form}
        layout="vertical"
        initialValues={{
          year: plan.year,
          title: plan.title,
          docNumber: plan.docNumber,
          publishDate: plan.publishDate ? dayjs(plan.publishDate) : null,
        }}
        onFinish={(v) =>
          update.mutate({
            id: plan.id,
            version: plan.version,
            year: v.year,
            title: v.title,
            docNumber: v.docNumber ?? null,
            publishDate: v.publishDate ? v.publishDate.format("YYYY-MM-DD") : null,
            issuerUnitId: plan.issuerUnitId,
          })
        }
      >
        <Form.Item name="year" label="年度" rules={[{ required: true, message: "请填写年度" }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="title" label="标题" rules={[{ required: true, message: "请填写标题" }]}>
          <Input />
        </Form.Item>
        <Form.Item name="docNumber" label="文号">
          <Input />
        </Form.Item>
        <Form.Item name="publishDate" label="发布日期">
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SectionModal({ planId, open, onClose }: { planId: number; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ code: string; title: string }>();
  const create = useMutation(
    trpc.plans.sections.create.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        message.success("已添加章节");
        onClose();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Modal
      title="添加章节"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate({ planId, code: v.code ?? "", title: v.title })}
      >
        <Form.Item name="code" label="编号">
          <Input placeholder="如 二、" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="title" label="章节标题" rules={[{ required: true, message: "请填写章节标题" }]}>
          <Input placeholder="如 提升政策公开服务能级" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
