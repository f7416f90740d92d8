import { EditOutlined, HistoryOutlined } from "@ant-design/icons";
import { type Category, categoryLabels } from "@gongkai/core/domain";
import { type Light, lightLabels } from "@gongkai/core/reports";
import { Button, Space, Table, Tag, Tooltip, Typography } from "antd";
import {
  LightBadge,
  LightDot,
  lightOrder,
  worstLight,
  zeroCounts,
} from "../../components/reports/shared.tsx";
import { UnitTags } from "../../lib/labels.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

/** A plan's task table (one per section), its lights, and the line of light counts above it. */

export type Task = RouterOutputs["plans"]["get"]["tasks"][number];
type LightRow = RouterOutputs["reports"]["lights"][number];
/** A task's light: the worst of its lead and responsible units' (cooperating units follow the lead). */
export type TaskLight = { light: Light; reason: string; units: number; late: number };

export function taskLights(rows: LightRow[]): Map<number, TaskLight> {
  const byTask = new Map<number, LightRow[]>();
  for (const r of rows) {
    if (r.role === "cooperating") continue;
    byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r]);
  }
  const out = new Map<number, TaskLight>();
  for (const [taskId, rs] of byTask) {
    const light = worstLight(rs.map((r) => r.light));
    if (!light) continue;
    const unitIds = new Set(rs.map((r) => r.unitId));
    const worst = rs.filter((r) => r.light === light);
    const late = new Set(rs.filter((r) => r.light === "overdue").map((r) => r.unitId)).size;
    const reason =
      unitIds.size === 1
        ? (worst[0]?.reason ?? "")
        : `${unitIds.size} 个单位:${lightOrder
            .map((l) => [l, new Set(rs.filter((r) => r.light === l).map((r) => r.unitId)).size] as const)
            .filter(([, n]) => n > 0)
            .map(([l, n]) => `${lightLabels[l]} ${n}`)
            .join(",")}`;
    out.set(taskId, { light, reason, units: unitIds.size, late });
  }
  return out;
}

export function LightSummary({ byTask, total }: { byTask: Map<number, TaskLight>; total: number }) {
  const counts = zeroCounts();
  for (const t of byTask.values()) counts[t.light]++;
  return (
    <div
      style={{ display: "flex", gap: 16, alignItems: "center", flexWrap: "wrap", marginBottom: 12 }}
      data-testid="plan-lights"
    >
      <Typography.Text type="secondary">任务状态(按牵头、责任单位中最滞后的计):</Typography.Text>
      {lightOrder.map((l) => (
        <span key={l} style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          <LightDot light={l} />
          {lightLabels[l]}
          <b style={{ fontVariantNumeric: "tabular-nums" }}>{counts[l]}</b>
        </span>
      ))}
      {byTask.size < total && (
        <Typography.Text type="secondary">未分派 {total - byTask.size}</Typography.Text>
      )}
    </div>
  );
}

export function TaskTable({
  tasks,
  onEdit,
  lights,
  onHistory,
  selection,
}: {
  tasks: Task[];
  onEdit: (t: Task) => void;
  lights: Map<number, TaskLight> | null;
  onHistory: (t: Task) => void;
  /** The ticked tasks (for 批量设置单位), and what ticking in this table does; none: no boxes. */
  selection?: { selectedIds: number[]; onChange: (ids: number[]) => void } | undefined;
}) {
  return (
    <Table<Task>
      rowKey="id"
      rowSelection={
        selection
          ? {
              selectedRowKeys: tasks.filter((t) => selection.selectedIds.includes(t.id)).map((t) => t.id),
              onChange: (keys) => selection.onChange(keys as number[]),
              columnWidth: 36,
              getCheckboxProps: (t) => ({ "aria-label": `选择任务 ${t.code} ${t.title}` }),
            }
          : undefined
      }
      size="small"
      dataSource={tasks}
      pagination={false}
      tableLayout="fixed"
      // The task's title and text keep ~170 px however narrow the window: the table scrolls instead.
      scroll={{ x: 1100 }}
      locale={{ emptyText: "本章节暂无任务" }}
      columns={[
        { title: "编号", dataIndex: "code", width: 64 },
        {
          title: "任务",
          dataIndex: "title",
          render: (title: string, t) => (
            <div>
              <Typography.Link onClick={() => onEdit(t)} strong data-testid={`task-${t.id}`}>
                {title}
              </Typography.Link>
              {t.carriedFrom && (
                <Tag color={t.carryKind === "revisit" ? "purple" : "geekblue"} style={{ marginLeft: 8 }}>
                  {t.carryKind === "revisit" ? "回头看" : "延续"}:{t.carriedFrom.year} 年任务{" "}
                  {t.carriedFrom.code}
                </Tag>
              )}
              <Typography.Paragraph
                type="secondary"
                ellipsis={{ rows: 2, tooltip: t.content }}
                style={{ marginBottom: 0 }}
              >
                {t.content}
              </Typography.Paragraph>
            </div>
          ),
        },
        {
          title: "类别",
          dataIndex: "category",
          width: 128,
          render: (c: Category | null) => (c ? <Tag>{categoryLabels[c]}</Tag> : "—"),
        },
        {
          title: "牵头单位",
          width: 130,
          render: (_, t) => <UnitTags assignments={t.assignments} of="lead" />,
        },
        {
          title: "配合单位",
          width: 130,
          render: (_, t) => <UnitTags assignments={t.assignments} of="cooperating" />,
        },
        {
          title: "责任单位",
          width: 130,
          render: (_, t) => <UnitTags assignments={t.assignments} of="responsible" />,
        },
        {
          title: "完成时限",
          width: 150,
          render: (_, t) =>
            t.deadlines.length === 0 ? (
              <Typography.Text type="secondary">持续推进</Typography.Text>
            ) : (
              t.deadlines.map((d) => (
                <div key={d.id}>
                  {d.phrase}
                  {d.dueDate && <Typography.Text type="secondary">({d.dueDate})</Typography.Text>}
                  {d.flags.length > 0 && (
                    <Tag color="orange" style={{ marginLeft: 4 }}>
                      待核实
                    </Tag>
                  )}
                </div>
              ))
            ),
        },
        ...(lights
          ? [
              {
                title: "状态",
                width: 92,
                render: (_: unknown, t: Task) => {
                  const l = lights.get(t.id);
                  return l ? (
                    <LightBadge light={l.light} reason={l.reason} />
                  ) : (
                    <Typography.Text type="secondary">未分派</Typography.Text>
                  );
                },
              },
            ]
          : []),
        {
          title: "",
          width: lights ? 64 : 56,
          render: (_, t) => (
            <Space size={0}>
              {lights && (
                <Tooltip title="历史与督办">
                  <Button
                    size="small"
                    type="text"
                    icon={<HistoryOutlined />}
                    onClick={() => onHistory(t)}
                    aria-label="历史"
                    data-testid={`history-${t.id}`}
                  />
                </Tooltip>
              )}
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                onClick={() => onEdit(t)}
                aria-label="编辑"
              />
            </Space>
          ),
        },
      ]}
    />
  );
}
