import {
  assignmentRoleLabels,
  type NoticeLevel,
  noticeLevelColors,
  noticeLevelLabels,
  noticeLevels,
} from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, Modal, Radio, Select, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { PlanSelect, usePlans } from "./shared.tsx";

type Values = {
  planId: number | null;
  taskId: number | null;
  unitId: number | null;
  level: NoticeLevel;
  content: string;
  replyDueDate: Dayjs | null;
};

const levelHints: Record<NoticeLevel, string> = {
  remind: "提醒:提示单位关注时限,按期推进。",
  supervise: "督办:任务滞后,要求单位限期整改并回复。",
  bulletin: "通报:问题突出,将在通报中点名。",
};

/** 下发督办通知: task and unit from a plan, level, content, reply date. */
export function IssueNoticeModal({
  open,
  onClose,
  preset,
}: {
  open: boolean;
  onClose: () => void;
  preset?: { planId?: number; taskId?: number; unitId?: number; level?: NoticeLevel } | undefined;
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

  return (
    <Modal
      title="下发督办通知"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="下发"
      confirmLoading={issue.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onValuesChange={(changed: Partial<Values>) => {
          if ("planId" in changed) form.setFieldsValue({ taskId: null, unitId: null });
          if ("taskId" in changed) form.setFieldsValue({ unitId: null });
        }}
        onFinish={(v) => {
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
        <Form.Item name="unitId" label="督办单位" rules={[{ required: true, message: "请选择单位" }]}>
          <Select
            showSearch={{ optionFilterProp: "label" }}
            placeholder={task ? "选择承担这项任务的单位" : "先选择任务"}
            disabled={!task || !!preset?.unitId}
            options={units}
            data-testid="notice-unit"
          />
        </Form.Item>
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
