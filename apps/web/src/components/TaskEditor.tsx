import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import {
  type AssignmentRole,
  assignmentRoleLabels,
  type Category,
  categories,
  categoryLabels,
  deadlineKindLabels,
} from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Drawer, Form, Input, Select, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useRequestKey } from "../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { fromPickValue, toPickValue, UnitPicker, useUnitTree } from "./UnitPicker.tsx";

type PlanDetail = RouterOutputs["plans"]["get"];
type Task = PlanDetail["tasks"][number];

type TaskForm = {
  code: string;
  title: string;
  content: string;
  sectionId: number | null;
  category: Category | null;
  lead: string[];
  cooperating: string[];
  responsible: string[];
  deadlines: { phrase: string }[];
};

const pickOf = (task: Task, role: AssignmentRole) => {
  const rows = task.assignments.filter((a) => a.role === role);
  return fromPickValue({
    unitIds: rows.filter((a) => a.viaGroupId === null).map((a) => a.unitId),
    groupIds: [...new Set(rows.filter((a) => a.viaGroupId !== null).map((a) => a.viaGroupId as number))],
  });
};

/** What a typed deadline phrase means, shown under the input as the office types. */
function DeadlinePreview({ phrase, year }: { phrase: string; year: number }) {
  const trpc = useTRPC();
  const [debounced, setDebounced] = useState(phrase);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(phrase), 300);
    return () => clearTimeout(t);
  }, [phrase]);
  const parsed = useQuery({
    ...trpc.tasks.parseDeadline.queryOptions({ phrase: debounced.trim(), year }),
    enabled: debounced.trim().length > 0,
  });
  if (!debounced.trim() || !parsed.data) return null;
  const d = parsed.data;
  return (
    <Space size={4} wrap style={{ marginTop: 4 }}>
      <Tag color="blue">{deadlineKindLabels[d.rule.kind]}</Tag>
      {d.due && <Tag color="geekblue">截止 {d.due}</Tag>}
      {d.flags.map((f) => (
        <Tag key={f.code} color="orange">
          {f.message}
        </Tag>
      ))}
    </Space>
  );
}

export function TaskEditor({
  plan,
  task,
  open,
  onClose,
}: {
  plan: PlanDetail;
  /** null: a new task */
  task: Task | null;
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TaskForm>();
  const units = useQuery(trpc.units.list.queryOptions());
  const groups = useQuery(trpc.units.groups.list.queryOptions());
  const treeData = useUnitTree(units.data, groups.data);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      task
        ? {
            code: task.code,
            title: task.title,
            content: task.content,
            sectionId: task.sectionId,
            category: task.category,
            lead: pickOf(task, "lead"),
            cooperating: pickOf(task, "cooperating"),
            responsible: pickOf(task, "responsible"),
            deadlines: task.deadlines.map((d) => ({ phrase: d.phrase })),
          }
        : {
            code: "",
            title: "",
            content: "",
            sectionId: plan.sections.at(-1)?.id ?? null,
            category: null,
            lead: [],
            cooperating: [],
            responsible: [],
            deadlines: [],
          },
    );
  }, [open, task, plan, form]);

  const done = (text: string) => {
    queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
    message.success(text);
    onClose();
  };
  const onError = (e: unknown) => message.error(errorMessage(e), 6);
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      onSuccess: () => {
        renewKey();
        done("已添加任务");
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.tasks.update.mutationOptions({ onSuccess: () => done("已保存任务"), onError }),
  );
  const remove = useMutation(
    trpc.tasks.delete.mutationOptions({ onSuccess: () => done("已删除任务"), onError }),
  );

  const submit = (v: TaskForm) => {
    const body = {
      code: v.code ?? "",
      title: v.title,
      content: v.content ?? "",
      sectionId: v.sectionId ?? null,
      category: v.category ?? null,
      units: {
        lead: toPickValue(v.lead ?? []),
        cooperating: toPickValue(v.cooperating ?? []),
        responsible: toPickValue(v.responsible ?? []),
      },
      deadlines: (v.deadlines ?? []).filter((d) => d?.phrase?.trim()).map((d) => ({ phrase: d.phrase })),
    };
    if (task) update.mutate({ ...body, id: task.id, version: task.version });
    else create.mutate({ ...body, planId: plan.plan.id, requestKey });
  };

  const archived = plan.plan.status === "archived";
  return (
    <Drawer
      title={task ? `编辑任务 ${task.code}` : "添加任务"}
      open={open}
      onClose={onClose}
      size={720}
      destroyOnHidden
      extra={
        <Space>
          {task && plan.plan.status === "draft" && (
            <Button
              danger
              icon={<DeleteOutlined />}
              onClick={() => remove.mutate({ id: task.id })}
              loading={remove.isPending}
            >
              删除
            </Button>
          )}
          <Button onClick={onClose}>取消</Button>
          <Button
            type="primary"
            onClick={() => form.submit()}
            loading={create.isPending || update.isPending}
            disabled={archived}
            data-testid="task-save"
          >
            保存
          </Button>
        </Space>
      }
    >
      <Form<TaskForm> form={form} layout="vertical" onFinish={submit} disabled={archived}>
        <Space.Compact block>
          <Form.Item name="code" label="编号" style={{ width: 120 }}>
            <Input placeholder="如 1 或 (一)" />
          </Form.Item>
          <Form.Item name="sectionId" label="所属章节" style={{ flex: 1, marginLeft: 12 }}>
            <Select
              allowClear
              placeholder="不属于任何章节"
              options={plan.sections.map((s) => ({ value: s.id, label: `${s.code}${s.title}` }))}
            />
          </Form.Item>
          <Form.Item name="category" label="类别" style={{ width: 200, marginLeft: 12 }}>
            <Select
              allowClear
              placeholder="选择类别"
              options={categories.map((c) => ({ value: c, label: categoryLabels[c] }))}
            />
          </Form.Item>
        </Space.Compact>
        <Form.Item
          name="title"
          label="任务标题"
          rules={[{ required: true, message: "请填写任务标题(第一个句号前的短标题)" }]}
        >
          <Input data-testid="task-title" />
        </Form.Item>
        <Form.Item name="content" label="具体内容">
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} />
        </Form.Item>
        {(["lead", "cooperating", "responsible"] as const).map((role) => (
          <Form.Item
            key={role}
            name={role}
            label={assignmentRoleLabels[role]}
            extra={
              role === "lead"
                ? "发布前每项任务都要有牵头单位(或责任单位)。可整组选择「各村(居)」等分组。"
                : undefined
            }
          >
            <UnitPicker treeData={treeData} data-testid={`units-${role}`} />
          </Form.Item>
        ))}
        <Typography.Text strong>完成时限</Typography.Text>
        <Form.List name="deadlines">
          {(fields, { add, remove: removeRow }) => (
            <div style={{ marginTop: 8 }}>
              {fields.map((field) => (
                <Form.Item key={field.key} style={{ marginBottom: 8 }}>
                  <Space align="start" style={{ width: "100%" }}>
                    <Form.Item
                      name={[field.name, "phrase"]}
                      noStyle
                      rules={[{ required: true, whitespace: true, message: "请填写时限表述,或删除此行" }]}
                    >
                      <Input
                        placeholder="如:3月31日前、文件印发后10个工作日内、每季度"
                        style={{ width: 520 }}
                      />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => removeRow(field.name)}
                      aria-label="删除时限"
                    />
                  </Space>
                  <Form.Item noStyle shouldUpdate>
                    {() => (
                      <DeadlinePreview
                        phrase={form.getFieldValue(["deadlines", field.name, "phrase"]) ?? ""}
                        year={plan.plan.year}
                      />
                    )}
                  </Form.Item>
                </Form.Item>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ phrase: "" })}>
                添加时限
              </Button>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                没有时限的任务按「持续推进」处理。
              </Typography.Paragraph>
            </div>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
