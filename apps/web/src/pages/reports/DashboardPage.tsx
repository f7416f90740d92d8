import { CloseOutlined } from "@ant-design/icons";
import {
  type AssignmentRole,
  type Category,
  categoryLabels,
  type ReportState,
  reportStateLabels,
} from "@gongkai/core/domain";
import { type Light, lightColors, lightLabels } from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Empty, Row, Space, Spin, Table, Tag, Typography } from "antd";
import { lazy, Suspense, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import {
  LightBars,
  LightPie,
  preloadCharts,
  ReportStatePie,
  TrendLines,
} from "../../components/reports/LazyCharts.tsx";
import {
  fmtPercent,
  LightBadge,
  PlanSelect,
  ReportStateTag,
  todayIso,
  usePlans,
} from "../../components/reports/shared.tsx";
import { PageTitle } from "../../components/text.tsx";
import { RoleTag } from "../../lib/labels.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Dashboard = RouterOutputs["reports"]["dashboard"];
type DrillRow = Dashboard["rows"][number];
type Drill = {
  light?: Light;
  category?: string;
  unitId?: number;
  reportState?: ReportState;
};

/** 历年对比: its tables and charts are a chunk of their own, fetched as the card first renders. */
const YearsOverviewCard = lazy(() =>
  import("../years/YearsOverviewCard.tsx").then((m) => ({ default: m.YearsOverviewCard })),
);

// The figures show first; the charts' code is fetched beside the figures' data, not after them.
preloadCharts().catch(() => {
  // A chart that cannot load says so where it is drawn.
});

const categoryName = (c: string) => (c === "none" ? "未分类" : (categoryLabels[c as Category] ?? c));

/** 工作台 for the office: KPIs, completion by category and unit, overdue trend, drill-down. */
export function DashboardPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { plans, list, defaultPlan } = usePlans();
  const planParam = Number(params.get("plan"));
  const planId = planParam > 0 ? planParam : (defaultPlan?.id ?? null);
  const plan = list.find((p) => p.id === planId) ?? null;
  const dash = useQuery({
    ...trpc.reports.dashboard.queryOptions({ planId: planId ?? 0 }),
    enabled: planId !== null,
  });
  const [drill, setDrill] = useState<Drill>({});
  const detailRef = useRef<HTMLDivElement>(null);
  const pick = (d: Drill) => {
    setDrill(d);
    setTimeout(() => detailRef.current?.scrollIntoView({ behavior: "smooth", block: "start" }), 50);
  };

  const header = (
    <Card size="small">
      <div style={{ display: "flex", alignItems: "center", gap: 16, flexWrap: "wrap" }}>
        <PageTitle heading={4}>工作台</PageTitle>
        <PlanSelect
          list={list}
          value={planId}
          onChange={(id) => {
            setDrill({});
            setParams(id ? { plan: String(id) } : {});
          }}
          width={420}
        />
        <div style={{ flex: 1 }} />
        <Typography.Text type="secondary">数据截至 {todayIso()}</Typography.Text>
      </div>
      {plan && (
        <div
          style={{ marginTop: 8, display: "flex", gap: 16, flexWrap: "wrap", color: "rgba(0, 0, 0, 0.6)" }}
        >
          <span>
            工作要点:<Link to={`/plans/${plan.id}`}>{plan.title}</Link>
          </span>
          {plan.docNumber && <span>{plan.docNumber}</span>}
          {plan.publishDate && <span>{plan.publishDate} 发布</span>}
          <span>统计口径:按牵头、责任单位逐项统计,配合单位随牵头单位计</span>
        </div>
      )}
    </Card>
  );

  if (plans.isPending) return <Spin />;
  if (!planId)
    return (
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        {header}
        <Card>
          <Empty description="还没有工作要点。请先在「工作要点」中导入并发布。" />
        </Card>
      </Space>
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="office-dashboard">
      {header}
      {dash.error && (
        <Alert type="warning" showIcon title="无法加载统计" description={errorMessage(dash.error)} />
      )}
      {dash.isPending && <Spin />}
      {dash.data && plan?.status === "draft" && (
        <Card>
          <Empty description="这份工作要点还是草稿,发布后才开始统计。" />
        </Card>
      )}
      {dash.data && (
        <DashboardBody
          dash={dash.data}
          drill={drill}
          pick={pick}
          onReviews={() => navigate(planId ? `/reviews?plan=${planId}` : "/reviews")}
        />
      )}
      {dash.data && (
        <div ref={detailRef}>
          <DrillTable rows={dash.data.rows} drill={drill} setDrill={setDrill} />
        </div>
      )}
      <Suspense fallback={<Spin />}>
        <YearsOverviewCard />
      </Suspense>
    </Space>
  );
}

function Kpi({
  title,
  value,
  unit,
  foot,
  color,
  onClick,
  testId,
  active,
}: {
  title: string;
  value: number;
  unit: string;
  foot: string;
  color?: string;
  onClick?: () => void;
  testId: string;
  active?: boolean;
}) {
  return (
    <Card
      size="small"
      hoverable={!!onClick}
      onClick={onClick}
      data-testid={testId}
      style={{
        borderTop: `3px solid ${color ?? "#1f5fa8"}`,
        ...(active ? { boxShadow: "0 0 0 2px #1f5fa833" } : {}),
      }}
      styles={{ body: { padding: "12px 16px" } }}
    >
      <div style={{ color: "rgba(0, 0, 0, 0.6)" }}>{title}</div>
      <div
        style={{
          textAlign: "right",
          fontSize: 28,
          fontWeight: 600,
          lineHeight: 1.3,
          fontVariantNumeric: "tabular-nums",
        }}
      >
        <span data-testid={`${testId}-value`}>{value}</span>
        <span style={{ fontSize: 13, fontWeight: "normal", color: "rgba(0, 0, 0, 0.6)", marginLeft: 4 }}>
          {unit}
        </span>
      </div>
      <div style={{ color: "rgba(0, 0, 0, 0.6)", fontSize: 12, textAlign: "right" }}>{foot}</div>
    </Card>
  );
}

function DashboardBody({
  dash,
  drill,
  pick,
  onReviews,
}: {
  dash: Dashboard;
  drill: Drill;
  pick: (d: Drill) => void;
  onReviews: () => void;
}) {
  const counted = dash.rows.filter((r) => r.role !== "cooperating");
  const taskCount = new Set(dash.rows.map((r) => r.taskId)).size;
  const total = counted.length;
  const t = dash.totals;
  const categories = dash.byCategory
    .map((c) => ({ ...c, key: c.category, name: categoryName(c.category) }))
    .sort(
      (a, b) => b.done + b.onTrack + b.dueSoon + b.overdue - (a.done + a.onTrack + a.dueSoon + a.overdue),
    );
  const units = dash.byUnit.slice(0, 15).map((u) => ({ ...u, key: u.unitId, name: u.unitName }));
  const unitNameWidth = Math.min(180, Math.max(72, ...units.map((u) => [...u.name].length * 12 + 8)));
  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(180px, 1fr))", gap: 16 }}>
        <div>
          <Kpi
            title="任务"
            value={taskCount}
            unit="项"
            foot={`分解到单位 ${total} 项`}
            testId="kpi-tasks"
            onClick={() => pick({})}
          />
        </div>
        <div>
          <Kpi
            title="单位任务已完成"
            value={t.done}
            unit="项"
            foot={`共 ${total} 项单位任务(牵头、责任),完成率 ${total ? fmtPercent(t.done / total) : "—"}`}
            color={lightColors.done}
            testId="kpi-done"
            active={drill.light === "done"}
            onClick={() => pick({ light: "done" })}
          />
        </div>
        <div>
          <Kpi
            title="临期预警"
            value={t.dueSoon}
            unit="项"
            foot="即将到期,尚未完成"
            color={lightColors.dueSoon}
            testId="kpi-dueSoon"
            active={drill.light === "dueSoon"}
            onClick={() => pick({ light: "dueSoon" })}
          />
        </div>
        <div>
          <Kpi
            title="逾期"
            value={t.overdue}
            unit="项"
            foot={`涉及 ${new Set(counted.filter((r) => r.light === "overdue").map((r) => r.unitId)).size} 个单位`}
            color={lightColors.overdue}
            testId="kpi-overdue"
            active={drill.light === "overdue"}
            onClick={() => pick({ light: "overdue" })}
          />
        </div>
        <div>
          <Kpi
            title="待审核报告"
            value={dash.reportStates.submitted}
            unit="份"
            foot={`已退回 ${dash.reportStates.returned} 份 · 去审核`}
            color="#1677ff"
            testId="kpi-review"
            onClick={onReviews}
          />
        </div>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title="完成情况(按任务类别)" extra={<ChartHint />}>
            {categories.length ? (
              <LightBars
                data={categories}
                height={320}
                categoryLabel="任务类别"
                valueLabel="单位任务数(项)"
                onPick={(d, light) => pick({ category: String(d.key), light })}
              />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title="状态分布" extra={<ChartHint />}>
            <LightPie totals={t} height={320} onPick={(light) => pick({ light })} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={`单位完成情况(逾期最多的 ${units.length} 个单位)`} extra={<ChartHint />}>
            {units.length ? (
              <LightBars
                data={units}
                horizontal
                height={Math.max(260, units.length * 30 + 90)}
                categoryLabel="单位"
                valueLabel="单位任务数(项)"
                nameWidth={unitNameWidth}
                onPick={(d, light) => pick({ unitId: Number(d.key), light })}
              />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            <Card size="small" title="逾期趋势">
              <TrendLines data={dash.trend} height={250} />
            </Card>
            <Card size="small" title="进展报告审核状态" extra={<ChartHint />}>
              <ReportStatePie
                states={dash.reportStates}
                height={230}
                onPick={(reportState) => pick({ reportState })}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

function ChartHint() {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} className="no-print">
      点击图形查看明细
    </Typography.Text>
  );
}

function DrillTable({
  rows,
  drill,
  setDrill,
}: {
  rows: DrillRow[];
  drill: Drill;
  setDrill: (d: Drill) => void;
}) {
  const shown = rows.filter(
    (r) =>
      r.role !== "cooperating" &&
      (!drill.light || r.light === drill.light) &&
      (!drill.category || (r.category ?? "none") === drill.category) &&
      (!drill.unitId || r.unitId === drill.unitId) &&
      (!drill.reportState || r.reportState === drill.reportState),
  );
  const tags: { key: keyof Drill; label: string }[] = [];
  if (drill.category) tags.push({ key: "category", label: `类别:${categoryName(drill.category)}` });
  if (drill.unitId)
    tags.push({
      key: "unitId",
      label: `单位:${rows.find((r) => r.unitId === drill.unitId)?.unitName ?? ""}`,
    });
  if (drill.light) tags.push({ key: "light", label: `状态:${lightLabels[drill.light]}` });
  if (drill.reportState)
    tags.push({ key: "reportState", label: `最新报告:${reportStateLabels[drill.reportState]}` });
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          任务明细
          {tags.length === 0 && (
            <Typography.Text type="secondary" style={{ fontWeight: "normal" }}>
              全部
            </Typography.Text>
          )}
          {tags.map((t) => (
            <Tag
              key={t.key}
              closable
              closeIcon={<CloseOutlined />}
              onClose={() => {
                const next = { ...drill };
                delete next[t.key];
                setDrill(next);
              }}
              color="blue"
            >
              {t.label}
            </Tag>
          ))}
          <Typography.Text type="secondary" style={{ fontWeight: "normal" }}>
            共 {shown.length} 项
          </Typography.Text>
        </Space>
      }
      extra={tags.length > 0 && <Typography.Link onClick={() => setDrill({})}>清除筛选</Typography.Link>}
      data-testid="drill-table"
    >
      <Table<DrillRow>
        rowKey={(r) => `${r.taskId}-${r.unitId}-${r.role}`}
        size="small"
        dataSource={shown}
        tableLayout="fixed"
        pagination={{ pageSize: 15, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: "编号", dataIndex: "code", width: 56 },
          {
            title: "任务",
            ellipsis: { showTitle: false },
            render: (_, r) => (
              <Link to={`/plans/${r.planId}?task=${r.taskId}`} data-testid="drill-task" title={r.title}>
                {r.title}
              </Link>
            ),
          },
          {
            title: "类别",
            width: 112,
            render: (_, r) => categoryName(r.category ?? "none"),
          },
          { title: "单位", dataIndex: "unitName", width: 150, ellipsis: true },
          {
            title: "角色",
            dataIndex: "role",
            width: 72,
            render: (role: AssignmentRole) => <RoleTag of={role} />,
          },
          {
            title: "状态",
            width: 104,
            render: (_, r) => <LightBadge light={r.light} reason={r.reason} />,
          },
          {
            title: "截止日期",
            dataIndex: "dueDate",
            width: 104,
            render: (d: string | null) => (
              <span style={{ fontVariantNumeric: "tabular-nums" }}>{d ?? "—"}</span>
            ),
          },
          {
            title: "最新报告",
            width: 128,
            render: (_, r) => (
              <Space size={4}>
                <ReportStateTag state={r.reportState} />
                {r.reportState && r.percent !== null && (
                  <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {r.percent}%
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: "说明",
            dataIndex: "reason",
            width: 200,
            ellipsis: { showTitle: true },
            render: (reason: string) => <Typography.Text type="secondary">{reason}</Typography.Text>,
          },
        ]}
      />
    </Card>
  );
}
