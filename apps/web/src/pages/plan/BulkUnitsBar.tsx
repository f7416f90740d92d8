import { TeamOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Modal, Radio, Typography } from "antd";
import { useState } from "react";
import { toPickValue, UnitPicker, useUnitTree } from "../../components/UnitPicker.tsx";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import type { Task } from "./TaskTable.tsx";

type CooperatingMode = "keep" | "add" | "replace";
type Values = { lead: string[]; cooperatingMode: CooperatingMode; cooperating: string[] };

/**
 * 批量设置单位: the ticked tasks get a new lead unit and/or cooperating units added or replaced, in
 * one request, all or none. Responsible units are set per task in the editor.
 */
export function BulkUnitsBar({
  planId,
  selected,
  onDone,
}: {
  planId: number;
  selected: Task[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [requestKey, renewKey] = useRequestKey();
  const units = useQuery({ ...trpc.units.list.queryOptions(), enabled: open });
  const groups = useQuery({ ...trpc.units.groups.list.queryOptions(), enabled: open });
  const treeData = useUnitTree(units.data, groups.data);
  const setUnits = useMutation(
    trpc.tasks.setUnits.mutationOptions({
      onSuccess: (r) => {
        renewKey();
        message.success(`已为 ${r.taskIds.length} 项任务设置单位`);
        setOpen(false);
        onDone();
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
      },
      onError: (e) => {
        // Nothing changed: a fresh key for the next try, the tasks as they are now.
        renewKey();
        message.error(errorMessage(e), 8);
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
      },
    }),
  );
  const count = selected.length;
  const mode = Form.useWatch("cooperatingMode", form) ?? "keep";
  const submit = (v: Values) => {
    const lead = v.lead?.length ? toPickValue(v.lead) : null;
    const cooperating =
      v.cooperatingMode === "keep"
        ? null
        : { mode: v.cooperatingMode, units: toPickValue(v.cooperating ?? []) };
    if (!lead && !cooperating) {
      message.warning("请选择牵头单位,或选择添加/替换配合单位。");
      return;
    }
    setUnits.mutate({
      requestKey,
      planId,
      tasks: selected.map((t) => ({ id: t.id, version: t.version })),
      lead,
      cooperating,
    });
  };
  return (
    <div
      role="toolbar"
      aria-label="批量操作"
      className="no-print"
      style={{ display: "flex", alignItems: "center", gap: 12, marginBottom: 12 }}
    >
      <Button
        icon={<TeamOutlined />}
        disabled={count === 0}
        onClick={() => setOpen(true)}
        data-testid="bulk-units"
      >
        批量设置单位{count > 0 ? `(${count})` : ""}
      </Button>
      <Typography.Text type="secondary">
        {count > 0 ? `已选择 ${count} 项任务` : "勾选任务后,可一次为它们设置牵头单位或配合单位。"}
      </Typography.Text>
      {count > 0 && (
        <Button type="link" size="small" onClick={onDone}>
          取消选择
        </Button>
      )}
      <Modal
        title={`为所选的 ${count} 项任务设置单位`}
        open={open}
        onCancel={() => setOpen(false)}
        okText="设置"
        onOk={() => form.submit()}
        okButtonProps={{ loading: setUnits.isPending, "data-testid": "bulk-units-confirm" }}
        destroyOnHidden
        width={560}
      >
        <Typography.Paragraph type="secondary">
          所选任务一起修改,任何一项无法修改时全部不变。责任单位请在任务中逐项设置。
        </Typography.Paragraph>
        <ul style={{ maxHeight: 120, overflowY: "auto", paddingInlineStart: 20, margin: "0 0 12px" }}>
          {selected.map((t) => (
            <li key={t.id}>
              <Typography.Text ellipsis style={{ maxWidth: "100%" }}>
                {t.code} {t.title}
              </Typography.Text>
            </li>
          ))}
        </ul>
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ lead: [], cooperatingMode: "keep", cooperating: [] }}
          onFinish={submit}
        >
          <Form.Item name="lead" label="牵头单位" extra="选择后替换各任务原有的牵头单位;不选则不变。">
            <UnitPicker treeData={treeData} data-testid="bulk-lead" />
          </Form.Item>
          <Form.Item name="cooperatingMode" label="配合单位">
            <Radio.Group
              options={[
                { value: "keep", label: "不变" },
                { value: "add", label: "添加所选单位" },
                { value: "replace", label: "替换为所选单位" },
              ]}
              data-testid="bulk-cooperating-mode"
            />
          </Form.Item>
          {mode !== "keep" && (
            <Form.Item
              name="cooperating"
              extra={mode === "replace" ? "不选任何单位则清空各任务的配合单位。" : undefined}
              rules={
                mode === "add"
                  ? [{ required: true, type: "array", min: 1, message: "请选择要添加的配合单位" }]
                  : []
              }
            >
              <UnitPicker treeData={treeData} data-testid="bulk-cooperating" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
