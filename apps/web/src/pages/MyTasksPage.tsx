import { AlertOutlined } from "@ant-design/icons";
import {
  type AssignmentRole,
  assignmentRoleLabels,
  assignmentRoles,
  noticeLevelLabels,
} from "@gongkai/core/domain";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Empty, Skeleton, Space, Spin, Tabs } from "antd";
import { type CSSProperties, lazy, Suspense, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { LightFilter, zeroCounts } from "../components/reports/status.tsx";
import { UnitStrip } from "../components/reports/UnitStrip.tsx";
import { PageTitle, TextLink } from "../components/text.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useIsPhone } from "../lib/useIsPhone.ts";
import { usePrefetchWhenIdle } from "../lib/usePrefetchWhenIdle.ts";
import type { MyTaskRow } from "./my-tasks/common.tsx";
import {
  clearFilter,
  inScope,
  isFiltered,
  type MyTaskFilter,
  readFilter,
  shownYear,
  writeFilter,
} from "./my-tasks/filters.ts";
import { MyTaskCards } from "./my-tasks/MyTaskCards.tsx";
import { MyTaskFilterBar } from "./my-tasks/MyTaskFilterBar.tsx";

/**
 * The table is for a desktop only: a phone shows the cards and never fetches Table's code. On a
 * desktop it is fetched as the page first renders, beside the tasks themselves.
 */
const MyTaskTable = lazy(() =>
  import("./my-tasks/MyTaskTable.tsx").then((m) => ({ default: m.MyTaskTable })),
);

/**
 * The report form is most of this page's code and a visit may never open it: it comes in its own
 * chunk, fetched when the page is idle (so a tap on 填报 seldom waits) or on the first open.
 */
/** 导出 Excel (desktop only), in a chunk of its own: the page's budget has no room for it. */
const MyTasksExport = lazy(() =>
  import("./my-tasks/MyTasksExport.tsx").then((m) => ({ default: m.MyTasksExport })),
);

/** 历年对比 below the tasks, in a chunk of its own (charts and tables the list does not need). */
const MyYearsCard = lazy(() => import("./years/UnitYears.tsx").then((m) => ({ default: m.MyYearsCard })));

const loadReportDrawer = () => import("../components/reports/ReportDrawer.tsx");
const ReportDrawer = lazy(() => loadReportDrawer().then((m) => ({ default: m.ReportDrawer })));

type LightRow = RouterOutputs["reports"]["myLights"][number];

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
  const filter = readFilter(params);
  const { role, light } = filter;
  // A keystroke replaces the address; a year, plan, role or light picked is a step back can undo.
  // From the address as it is now, not as this render saw it: a keyword typed right after a year
  // was picked must not put the year back.
  const setFilter = (patch: Partial<MyTaskFilter>) =>
    setParams(writeFilter(new URLSearchParams(window.location.search), patch), { replace: "q" in patch });
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

  const years = [...new Set(rows.map((t) => t.year))].sort((a, b) => b - a);
  const year = shownYear(filter, years, new Date().getFullYear());
  const planChoices = [
    ...new Map(rows.filter((t) => year === "all" || t.year === year).map((t) => [t.planId, t])),
  ].map(([id, t]) => ({ id, label: year === "all" ? `${t.year}年 · ${t.planTitle}` : t.planTitle }));
  const scoped = inScope(rows, filter, year);
  const inRole = role === "all" ? scoped : scoped.filter((t) => t.roles.includes(role));
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
  // Tasks there are, but none left by the filters: say so, with the way back (not 暂无任务).
  const empty =
    rows.length > 0 && isFiltered(filter) ? (
      <Empty description="没有符合筛选条件的任务" data-testid="my-tasks-no-match">
        <Button onClick={() => setParams(clearFilter(params))} data-testid="clear-filters">
          清除筛选
        </Button>
      </Empty>
    ) : undefined;
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
                <TextLink key={n.id} href={`?task=${n.taskId}`} onOpen={() => open(n.taskId)}>
                  【{noticeLevelLabels[n.level]}】{n.taskCode} {n.taskTitle}
                  {n.replyDueDate ? `(请于 ${n.replyDueDate} 前回复)` : ""}
                </TextLink>
              ))}
            </Space>
          }
        />
      )}
      <UnitStrip planTitles={planTitles} onPickLight={(l) => setFilter({ light: l })} />
      <Card
        title={<PageTitle>我的任务</PageTitle>}
        extra={
          !isPhone && (
            <Suspense fallback={null}>
              <MyTasksExport rows={shown} />
            </Suspense>
          )
        }
        size={isPhone ? "small" : "default"}
        styles={{ body: { paddingTop: 4, ...(isPhone ? { paddingInline: 8 } : {}) } }}
      >
        {rows.length > 0 && (
          <MyTaskFilterBar
            filter={filter}
            year={year}
            years={years}
            plans={planChoices}
            onChange={setFilter}
          />
        )}
        <Tabs
          activeKey={role}
          tabBarGutter={isPhone ? 16 : undefined}
          onChange={(k) => setFilter({ role: k as AssignmentRole | "all" })}
          items={[
            { key: "all", label: `全部(${scoped.length})` },
            ...assignmentRoles.map((r) => ({
              key: r,
              label: `${assignmentRoleLabels[r].replace("单位", "")}(${scoped.filter((t) => t.roles.includes(r)).length})`,
            })),
          ]}
        />
        <div style={{ marginBottom: 12 }}>
          <LightFilter
            counts={counts}
            total={inRole.length}
            value={light}
            onChange={(l) => setFilter({ light: l })}
          />
        </div>
        {tasks.error || lights.error ? (
          <Alert
            type="error"
            showIcon
            title="任务没有加载成功,请检查网络后刷新页面。"
            description={errorMessage(tasks.error ?? lights.error)}
          />
        ) : isPhone ? (
          <MyTaskCards
            tasks={shown}
            loading={tasks.isPending || lights.isPending}
            onOpen={open}
            empty={empty}
          />
        ) : (
          <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
            <MyTaskTable
              tasks={shown}
              loading={tasks.isPending || lights.isPending}
              onOpen={open}
              empty={empty}
            />
          </Suspense>
        )}
      </Card>
      <Suspense fallback={<Skeleton active paragraph={{ rows: 3 }} />}>
        <MyYearsCard />
      </Suspense>
      {drawerUsed && (
        <Suspense
          fallback={
            // While the form's code arrives (prefetched when the page is idle, so only on a slow
            // first tap): a mask with a spinner, not antd's Drawer, which would cost this page
            // 5.5 kB of its budget for a moment's placeholder.
            openTaskId !== null && (
              <div role="status" aria-live="polite" style={openingMask}>
                <Spin size="large" />
                <span>正在打开填报……</span>
              </div>
            )
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

const openingMask: CSSProperties = {
  position: "fixed",
  inset: 0,
  zIndex: 1000,
  display: "flex",
  flexDirection: "column",
  gap: 12,
  alignItems: "center",
  justifyContent: "center",
  background: "rgba(0, 0, 0, 0.45)",
  color: "#fff",
  fontSize: 16,
};
