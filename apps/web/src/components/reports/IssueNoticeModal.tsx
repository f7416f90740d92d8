import {
  assignmentRoleLabels,
  type NoticeLevel,
  noticeLevelColors,
  noticeLevelLabels,
  noticeLevels,
} from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Checkbox, DatePicker, Form, Input, Modal, Radio, Select, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { PlanSelect, usePlans } from "./shared.tsx";

type Values = {
  planId: number | null;
  taskId: number | null;
  unitId: number | null;
  /** 批量督办: the units that each get their own notice. */
  unitIds: number[];
  level: NoticeLevel;
  content: string;
  replyDueDate: Dayjs | null;
};

const levelHints: Record<NoticeLevel, string> = {
  remind: "提醒:提示单位关注时限,按期推进。",
  supervise: "督办:任务滞后,要求单位限期整改并回复。",
  bulletin: "通报:问题突出,将在通报中点名。",
};

/**
 * 下发督办通知: task and unit from a plan, level, content, reply date. With `bulk`, several of the
 * task's units at once: each gets its own notice, tracked separately; all are issued or none.
 */
export function IssueNoticeModal({
  open,
  onClose,
  preset,
  bulk = false,
}: {
  open: boolean;
  onClose: () => void;
  preset?: { planId?: number; taskId?: number; unitId?: number; level?: NoticeLevel } | undefined;
  bulk?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { list, defaultPlan } = usePlans();
  const planId = Form.useWatch("planId", form) ?? null;
  const taskId = Form.useWatch("taskId", form) ?? null;
  const level = Form.useWatch("level", form) ?? "remind";
  const plan = useQuery({
    ...trpc.plans.get.queryOptions({ id: planId ?? 0 }),
    enabled: open && planId !== null,
  });
  const settings = useQuery({ ...trpc.supervision.settings.queryOptions(), enabled: open });

  const defaultPlanId = defaultPlan?.id;
  const p = preset;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      planId: p?.planId ?? defaultPlanId ?? null,
      taskId: p?.taskId ?? null,
      unitId: p?.unitId ?? null,
      unitIds: p?.unitId ? [p.unitId] : [],
      level: p?.level ?? "remind",
      content: "",
      replyDueDate: null,
    });
  }, [open, p?.planId, p?.taskId, p?.unitId, p?.level, defaultPlanId, form]);

  const [requestKey, renewKey] = useRequestKey();
  const issue = useMutation(
    trpc.supervision.issue.mutationOptions({
      onSuccess: (n) => {
        renewKey();
        message.success(`已下发${noticeLevelLabels[n.level]}通知,请于 ${n.replyDueDate} 前回复`);
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        onClose();
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  const issueMany = useMutation(
    trpc.supervision.issueMany.mutationOptions({
      onSuccess: (issued) => {
        renewKey();
        const level = issued[0] ? noticeLevelLabels[issued[0].level] : "督办";
        message.success(`已向 ${issued.length} 个单位各下发一份${level}通知`);
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        onClose();
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );

  const tasks = plan.data?.tasks ?? [];
  const task = tasks.find((t) => t.id === taskId);
  const unitOptions = new Map<number, { value: number; label: string }>();
  for (const a of task?.assignments ?? []) {
    const prev = unitOptions.get(a.unitId);
    const role = assignmentRoleLabels[a.role].replace("单位", "");
    unitOptions.set(a.unitId, {
      value: a.unitId,
      label: prev ? `${prev.label}、${role}` : `${a.unitName}(${role}`,
    });
  }
  const units = [...unitOptions.values()].map((u) => ({ ...u, label: `${u.label})` }));
  const unitIds: number[] = Form.useWatch("unitIds", form) ?? [];

  return (
    <Modal
      title={bulk ? "批量督办:向多个单位各下发一份通知" : "下发督办通知"}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={bulk && unitIds.length > 0 ? `下发 ${unitIds.length} 份` : "下发"}
      okButtonProps={{ "data-testid": "notice-submit" }}
      confirmLoading={issue.isPending || issueMany.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onValuesChange={(changed: Partial<Values>) => {
          if ("planId" in changed) form.setFieldsValue({ taskId: null, unitId: null });
          if ("planId" in changed) form.setFieldsValue({ unitIds: [] });
          if ("taskId" in changed) form.setFieldsValue({ unitId: null, unitIds: [] });
        }}
        onFinish={(v) => {
          const replyDueDate = v.replyDueDate ? v.replyDueDate.format("YYYY-MM-DD") : null;
          if (bulk) {
            const { taskId } = v;
            if (!taskId || v.unitIds.length === 0) return;
            issueMany.mutate({
              requestKey,
              targets: v.unitIds.map((unitId) => ({ taskId, unitId })),
              level: v.level,
              content: v.content,
              replyDueDate,
            });
            return;
          }
          if (!v.taskId || !v.unitId) return;
          issue.mutate({
            requestKey,
            taskId: v.taskId,
            unitId: v.unitId,
            level: v.level,
            content: v.content,
            replyDueDate: v.replyDueDate ? v.replyDueDate.format("YYYY-MM-DD") : null,
          });
        }}
      >
        <Form.Item name="planId" label="工作要点" rules={[{ required: true, message: "请选择工作要点" }]}>
          <PlanSelectField list={list.filter((p) => p.status === "published")} disabled={!!preset?.planId} />
        </Form.Item>
        <Form.Item name="taskId" label="任务" rules={[{ required: true, message: "请选择任务" }]}>
          <Select
            showSearch={{ optionFilterProp: "label" }}
            placeholder="搜索任务编号或标题"
            loading={plan.isFetching}
            disabled={!!preset?.taskId}
            options={tasks.map((t) => ({ value: t.id, label: `${t.code} ${t.title}` }))}
            data-testid="notice-task"
          />
        </Form.Item>
        {bulk ? (
          <Form.Item
            name="unitIds"
            label={
              <span>
                督办单位
                <Typography.Text type="secondary" style={{ fontWeight: "normal", marginInlineStart: 8 }}>
                  每个单位各收到一份通知,分别回复、分别办结
                </Typography.Text>
              </span>
            }
            rules={[{ required: true, type: "array", min: 1, message: "请至少选择一个单位" }]}
          >
            <UnitChecklist options={units} taskChosen={!!task} />
          </Form.Item>
        ) : (
          <Form.Item name="unitId" label="督办单位" rules={[{ required: true, message: "请选择单位" }]}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              placeholder={task ? "选择承担这项任务的单位" : "先选择任务"}
              disabled={!task || !!preset?.unitId}
              options={units}
              data-testid="notice-unit"
            />
          </Form.Item>
        )}
        <Form.Item name="level" label="级别" extra={levelHints[level]}>
          <Radio.Group
            optionType="button"
            options={noticeLevels.map((l) => ({
              value: l,
              label: (
                <span>
                  <Tag color={noticeLevelColors[l]} style={{ marginInlineEnd: 0 }}>
                    {noticeLevelLabels[l]}
                  </Tag>
                </span>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="content"
          label="督办内容"
          rules={[{ required: true, whitespace: true, message: "请填写督办内容" }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            showCount
            placeholder="如:该任务已逾期,请于回复期限前报送进展并说明原因。"
            data-testid="notice-content"
          />
        </Form.Item>
        <Form.Item
          name="replyDueDate"
          label="回复期限(选填)"
          extra={`不填则为 ${settings.data?.noticeReplyWorkingDays ?? 5} 个工作日后。`}
        >
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} placeholder="选择日期" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The task's units as a checklist, with 全选: the targets of a bulk notice. */
function UnitChecklist({
  value = [],
  onChange,
  options,
  taskChosen,
}: {
  value?: number[];
  onChange?: (v: number[]) => void;
  options: { value: number; label: string }[];
  taskChosen: boolean;
}) {
  if (!taskChosen)
    return <Typography.Text type="secondary">先选择任务,再勾选承担这项任务的单位。</Typography.Text>;
  const all = options.length > 0 && value.length === options.length;
  return (
    <div
      style={{ border: "1px solid #d9d9d9", borderRadius: 6, padding: "6px 12px" }}
      data-testid="notice-units"
    >
      <Checkbox
        checked={all}
        indeterminate={value.length > 0 && !all}
        onChange={(e) => onChange?.(e.target.checked ? options.map((o) => o.value) : [])}
        style={{ paddingBottom: 6, marginBottom: 6, borderBottom: "1px solid #f0f0f0", width: "100%" }}
      >
        全选(共 {options.length} 个单位{value.length > 0 ? `,已选 ${value.length} 个` : ""})
      </Checkbox>
      <Checkbox.Group
        value={value}
        onChange={(v) => onChange?.(v)}
        options={options}
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(2, minmax(0, 1fr))",
          rowGap: 4,
          maxHeight: 200,
          overflowY: "auto",
        }}
      />
    </div>
  );
}

function PlanSelectField({
  value,
  onChange,
  list,
  disabled,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  list: Parameters<typeof PlanSelect>[0]["list"];
  disabled?: boolean;
}) {
  if (disabled) {
    const p = list.find((x) => x.id === value);
    return <span>{p ? `${p.year}年 · ${p.title}` : "—"}</span>;
  }
  return <PlanSelect list={list} value={value ?? null} onChange={(v) => onChange?.(v)} width={560} />;
}
