import { AlertOutlined, FormOutlined } from "@ant-design/icons";
import {
  type AssignmentRole,
  assignmentRoleLabels,
  assignmentRoles,
  type Category,
  categoryLabels,
  noticeLevelLabels,
  type ReportState,
} from "@gongkai/core/domain";
import type { Light } from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Empty, Space, Table, Tabs, Typography } from "antd";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { ReportDrawer } from "../components/reports/ReportDrawer.tsx";
import { LightBadge, LightFilter, ReportStateTag, zeroCounts } from "../components/reports/shared.tsx";
import { UnitStrip } from "../components/reports/UnitStrip.tsx";
import { RoleTag, UnitTags } from "../lib/labels.tsx";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type MyTask = RouterOutputs["tasks"]["mine"][number];
type LightRow = RouterOutputs["reports"]["myLights"][number];
export type MyTaskRow = MyTask & {
  light: Light | null;
  reason: string;
  dueDate: string | null;
  reportState: ReportState | null;
  percent: number | null;
};

/** The unit's own light on a task: as lead, else as responsible, else the lead's (cooperating). */
const rolePriority: AssignmentRole[] = ["lead", "responsible", "cooperating"];
function ownLight(rows: LightRow[]): LightRow | undefined {
  for (const r of rolePriority) {
    const hit = rows.find((x) => x.role === r);
    if (hit) return hit;
  }
  return rows[0];
}

export function MyTasksPage() {
  const trpc = useTRPC();
  const tasks = useQuery(trpc.tasks.mine.queryOptions({}));
  const lights = useQuery(trpc.reports.myLights.queryOptions({}));
  const notices = useQuery(trpc.supervision.mine.queryOptions());
  const [params, setParams] = useSearchParams();
  const [role, setRole] = useState<AssignmentRole | "all">("all");
  const [light, setLight] = useState<Light | "all">("all");

  const rows: MyTaskRow[] = useMemo(() => {
    const byTask = new Map<number, LightRow[]>();
    for (const l of lights.data ?? []) byTask.set(l.taskId, [...(byTask.get(l.taskId) ?? []), l]);
    return (tasks.data ?? []).map((t) => {
      const own = ownLight(byTask.get(t.id) ?? []);
      return {
        ...t,
        light: own?.light ?? null,
        reason: own?.reason ?? "",
        dueDate: own?.dueDate ?? null,
        reportState: own?.reportState ?? null,
        percent: own?.percent ?? null,
      };
    });
  }, [tasks.data, lights.data]);

  const inRole = role === "all" ? rows : rows.filter((t) => t.roles.includes(role));
  const counts = zeroCounts();
  for (const t of inRole) if (t.light) counts[t.light]++;
  const shown = light === "all" ? inRole : inRole.filter((t) => t.light === light);

  const taskParam = Number(params.get("task"));
  const openTaskId = Number.isInteger(taskParam) && taskParam > 0 ? taskParam : null;
  const openRow = rows.find((r) => r.id === openTaskId);
  const open = (taskId: number, period?: string) => {
    const next = new URLSearchParams(params);
    next.set("task", String(taskId));
    if (period) next.set("period", period);
    else next.delete("period");
    setParams(next);
  };
  const close = () => {
    const next = new URLSearchParams(params);
    next.delete("task");
    next.delete("period");
    setParams(next);
  };
  const openNotices = (notices.data ?? []).filter((n) => n.state === "open");
  const planTitles = new Map((tasks.data ?? []).map((t) => [t.planId, `${t.year}年 · ${t.planTitle}`]));

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {openNotices.length > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<AlertOutlined />}
          title={`有 ${openNotices.length} 份督办通知待回复`}
          description={
            <Space orientation="vertical" size={0}>
              {openNotices.slice(0, 5).map((n) => (
                <Typography.Link key={n.id} onClick={() => open(n.taskId)}>
                  【{noticeLevelLabels[n.level]}】{n.taskCode} {n.taskTitle}
                  {n.replyDueDate ? `(请于 ${n.replyDueDate} 前回复)` : ""}
                </Typography.Link>
              ))}
            </Space>
          }
        />
      )}
      <UnitStrip planTitles={planTitles} onPickLight={(l) => setLight(l)} />
      <Card title="我的任务" styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={role}
          onChange={(k) => setRole(k as AssignmentRole | "all")}
          items={[
            { key: "all", label: `全部(${rows.length})` },
            ...assignmentRoles.map((r) => ({
              key: r,
              label: `${assignmentRoleLabels[r].replace("单位", "")}(${rows.filter((t) => t.roles.includes(r)).length})`,
            })),
          ]}
        />
        <div style={{ marginBottom: 12 }}>
          <LightFilter counts={counts} total={inRole.length} value={light} onChange={setLight} />
        </div>
        <MyTaskTable tasks={shown} loading={tasks.isPending || lights.isPending} onOpen={open} />
      </Card>
      <ReportDrawer
        taskId={openTaskId}
        period={params.get("period")}
        open={openTaskId !== null}
        onClose={close}
        onPeriodChange={(p) => openTaskId && open(openTaskId, p)}
        light={openRow?.light ? { light: openRow.light, reason: openRow.reason } : undefined}
      />
    </Space>
  );
}

function MyTaskTable({
  tasks,
  loading,
  onOpen,
}: {
  tasks: MyTaskRow[];
  loading: boolean;
  onOpen: (taskId: number) => void;
}) {
  return (
    <Table<MyTaskRow>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={tasks}
      tableLayout="fixed"
      pagination={{ pageSize: 30, hideOnSinglePage: true }}
      locale={{
        emptyText: <Empty description="暂无任务。工作要点发布后,分派给本单位的任务会出现在这里。" />,
      }}
      onRow={(t) => ({ "data-testid": `my-task-row-${t.id}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: "编号", dataIndex: "code", width: 56 },
        {
          title: "任务",
          dataIndex: "title",
          render: (title: string, t) => (
            <Space orientation="vertical" size={0} style={{ width: "100%" }}>
              <Typography.Link strong onClick={() => onOpen(t.id)} data-testid="my-task-title">
                {title}
              </Typography.Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: t.planTitle }}>
                {t.year} · {t.category ? categoryLabels[t.category as Category] : "未分类"} · {t.planTitle}
              </Typography.Text>
            </Space>
          ),
        },
        {
          title: "本单位角色",
          dataIndex: "roles",
          width: 104,
          render: (roles: AssignmentRole[]) =>
            assignmentRoles.filter((r) => roles.includes(r)).map((r) => <RoleTag key={r} of={r} />),
        },
        {
          title: "状态",
          width: 108,
          render: (_, t) => <LightBadge light={t.light} reason={t.reason} />,
        },
        {
          title: "完成时限",
          width: 180,
          render: (_, t) => (
            <div>
              {t.dueDate && (
                <div style={{ fontVariantNumeric: "tabular-nums" }}>
                  <Typography.Text type={t.light === "overdue" ? "danger" : undefined}>
                    {t.dueDate}
                  </Typography.Text>
                </div>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: true }}>
                {t.deadlines.length === 0 ? "持续推进" : t.deadlines.map((d) => d.phrase).join(";")}
              </Typography.Text>
            </div>
          ),
        },
        {
          title: "最新报告",
          width: 128,
          render: (_, t) => (
            <Space size={4}>
              <ReportStateTag state={t.reportState} />
              {t.percent !== null && t.reportState && (
                <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                  {t.percent}%
                </Typography.Text>
              )}
            </Space>
          ),
        },
        {
          title: "牵头单位",
          width: 150,
          render: (_, t) => <UnitTags assignments={t.assignments} of="lead" />,
        },
        {
          title: "",
          width: 76,
          render: (_, t) => (
            <Button
              size="small"
              icon={<FormOutlined />}
              onClick={() => onOpen(t.id)}
              data-testid={`report-${t.id}`}
            >
              {t.reportState === "returned"
                ? "修改"
                : t.reportState === "submitted" || t.light === "done"
                  ? "查看"
                  : "填报"}
            </Button>
          ),
        },
      ]}
    />
  );
}
