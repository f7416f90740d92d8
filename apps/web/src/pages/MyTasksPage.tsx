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
import { type Light, lightColors } from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Drawer,
  Empty,
  Pagination,
  Skeleton,
  Space,
  Table,
  Tabs,
  Typography,
} from "antd";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { LightBadge, LightFilter, ReportStateTag, zeroCounts } from "../components/reports/shared.tsx";
import { UnitStrip } from "../components/reports/UnitStrip.tsx";
import { RoleTag, UnitTags } from "../lib/labels.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useIsPhone } from "../lib/useIsPhone.ts";

/**
 * The report form is most of this page's code and a visit may never open it: it comes in its own
 * chunk, fetched when the page is idle (so a tap on 填报 seldom waits) or on the first open.
 */
const loadReportDrawer = () => import("../components/reports/ReportDrawer.tsx");
const ReportDrawer = lazy(() => loadReportDrawer().then((m) => ({ default: m.ReportDrawer })));

function usePrefetchWhenIdle(load: () => Promise<unknown>) {
  useEffect(() => {
    const prefetch = () => {
      load().catch(() => {
        // Fetched again (and any error shown) when the drawer is opened.
      });
    };
    // Safari has no requestIdleCallback.
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(prefetch, { timeout: 5000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = window.setTimeout(prefetch, 2000);
    return () => window.clearTimeout(id);
  }, [load]);
}

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
  const isPhone = useIsPhone();
  usePrefetchWhenIdle(loadReportDrawer);
  // Mounted from the first open on (so closing plays its animation), not before.
  const [drawerUsed, setDrawerUsed] = useState(false);

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
  if (openTaskId !== null && !drawerUsed) setDrawerUsed(true);
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
      <Card
        title="我的任务"
        size={isPhone ? "small" : "default"}
        styles={{ body: { paddingTop: 4, ...(isPhone ? { paddingInline: 8 } : {}) } }}
      >
        <Tabs
          activeKey={role}
          tabBarGutter={isPhone ? 16 : undefined}
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
        {tasks.error || lights.error ? (
          <Alert
            type="error"
            showIcon
            title="任务没有加载成功,请检查网络后刷新页面。"
            description={errorMessage(tasks.error ?? lights.error)}
          />
        ) : isPhone ? (
          <MyTaskCards tasks={shown} loading={tasks.isPending || lights.isPending} onOpen={open} />
        ) : (
          <MyTaskTable tasks={shown} loading={tasks.isPending || lights.isPending} onOpen={open} />
        )}
      </Card>
      {drawerUsed && (
        <Suspense
          fallback={
            <Drawer
              open={openTaskId !== null}
              onClose={close}
              title="填报进展"
              size={isPhone ? "100%" : Math.min(880, window.innerWidth - 48)}
              loading
            />
          }
        >
          <ReportDrawer
            taskId={openTaskId}
            period={params.get("period")}
            open={openTaskId !== null}
            onClose={close}
            onPeriodChange={(p) => openTaskId && open(openTaskId, p)}
            light={openRow?.light ? { light: openRow.light, reason: openRow.reason } : undefined}
          />
        </Suspense>
      )}
    </Space>
  );
}

const emptyTasks = <Empty description="暂无任务。工作要点发布后,分派给本单位的任务会出现在这里。" />;

/** What the task's button says: what the unit can do with its report now. */
const actionLabel = (t: MyTaskRow) =>
  t.reportState === "returned"
    ? "修改"
    : t.reportState === "submitted" || t.light === "done"
      ? "查看"
      : "填报";

/** On a phone: a card a task (title, roles, light, due date, latest report) instead of a table. */
function MyTaskCards({
  tasks,
  loading,
  onOpen,
}: {
  tasks: MyTaskRow[];
  loading: boolean;
  onOpen: (taskId: number) => void;
}) {
  const pageSize = 20;
  const [page, setPage] = useState(1);
  // While the tasks load the page says so; 暂无任务 would read as data lost.
  if (loading) return <Skeleton active paragraph={{ rows: 6 }} data-testid="my-tasks-loading" />;
  if (tasks.length === 0) return emptyTasks;
  const current = Math.min(page, Math.ceil(tasks.length / pageSize));
  return (
    <div data-testid="my-task-cards">
      <Space orientation="vertical" size={8} style={{ width: "100%" }}>
        {tasks.slice((current - 1) * pageSize, current * pageSize).map((t) => (
          <Card
            key={t.id}
            size="small"
            data-testid={`my-task-card-${t.id}`}
            styles={{ body: { padding: 12 } }}
            style={{ borderLeft: `4px solid ${t.light ? lightColors[t.light] : "#f0f0f0"}` }}
          >
            <Typography.Link
              strong
              onClick={() => onOpen(t.id)}
              data-testid="my-task-title"
              style={{ display: "block", fontSize: 15 }}
            >
              {t.code ? `${t.code}. ` : ""}
              {t.title}
            </Typography.Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {t.year} · {t.category ? categoryLabels[t.category as Category] : "未分类"} · {t.planTitle}
            </Typography.Text>
            <div style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8, marginTop: 8 }}>
              <span>
                {assignmentRoles
                  .filter((r) => t.roles.includes(r))
                  .map((r) => (
                    <RoleTag key={r} of={r} />
                  ))}
              </span>
              <LightBadge light={t.light} reason={t.reason} />
            </div>
            <div style={{ marginTop: 6 }}>
              <Typography.Text type="secondary">完成时限:</Typography.Text>
              {t.dueDate && (
                <Typography.Text
                  type={t.light === "overdue" ? "danger" : undefined}
                  style={{ fontVariantNumeric: "tabular-nums", marginRight: 6 }}
                >
                  {t.dueDate}
                </Typography.Text>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t.deadlines.length === 0 ? "持续推进" : t.deadlines.map((d) => d.phrase).join(";")}
              </Typography.Text>
            </div>
            <div style={{ display: "flex", alignItems: "center", gap: 8, marginTop: 8 }}>
              <Typography.Text type="secondary">最新报告:</Typography.Text>
              <ReportStateTag state={t.reportState} />
              {t.percent !== null && t.reportState && (
                <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                  {t.percent}%
                </Typography.Text>
              )}
              <Button
                type={actionLabel(t) === "查看" ? "default" : "primary"}
                icon={<FormOutlined />}
                onClick={() => onOpen(t.id)}
                data-testid={`report-${t.id}`}
                style={{ marginLeft: "auto" }}
              >
                {actionLabel(t)}
              </Button>
            </div>
          </Card>
        ))}
      </Space>
      {tasks.length > pageSize && (
        <Pagination
          simple
          align="center"
          style={{ marginTop: 12 }}
          current={current}
          pageSize={pageSize}
          total={tasks.length}
          onChange={setPage}
        />
      )}
    </div>
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
      loading={loading && tasks.length > 0}
      dataSource={tasks}
      tableLayout="fixed"
      pagination={{ pageSize: 30, hideOnSinglePage: true }}
      // While the tasks load the rows are skeletons; 暂无任务 would read as data lost.
      locale={{ emptyText: loading ? <Skeleton active paragraph={{ rows: 4 }} /> : emptyTasks }}
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
              {actionLabel(t)}
            </Button>
          ),
        },
      ]}
    />
  );
}
