import { type Light, lightLabels } from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Empty,
  Result,
  Space,
  Spin,
  Table,
  Tooltip,
  Typography,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link, useParams, useSearchParams } from "react-router";
import { LightDot, lightOrder } from "../../components/reports/status.tsx";
import { PageTitle } from "../../components/text.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Rollup = RouterOutputs["links"]["rollup"];
type Cell = Rollup["total"];
type TaskRow = Rollup["tasks"][number];

/** Text for a light's dot, so that colour is never the only sign. */
const short: Record<Light, string> = { overdue: "逾期", dueSoon: "预警", onTrack: "推进", done: "完成" };

/** A cell: the assignments by light (non-zero ones, most urgent first), awaiting review, tasks. */
function Counts({ cell }: { cell: Cell }) {
  if (cell.tasks === 0) return <Typography.Text type="secondary">未承接</Typography.Text>;
  const parts = lightOrder.filter((l) => cell[l] > 0);
  return (
    <Tooltip
      title={`${cell.tasks} 项落实任务,${cell.assignments} 个责任单位:${lightOrder
        .map((l) => `${lightLabels[l]} ${cell[l]}`)
        .join(",")};已报送待审核 ${cell.awaitingReview}`}
    >
      <div style={{ display: "flex", flexWrap: "wrap", gap: "2px 8px", lineHeight: "20px" }}>
        {parts.length === 0 && <Typography.Text type="secondary">无责任单位</Typography.Text>}
        {parts.map((l) => (
          <span
            key={l}
            style={{ display: "inline-flex", alignItems: "center", gap: 4, whiteSpace: "nowrap" }}
          >
            <LightDot light={l} size={8} />
            <span style={{ color: l === "overdue" ? "#cf1322" : undefined }}>
              {short[l]} {cell[l]}
            </span>
          </span>
        ))}
        {cell.awaitingReview > 0 && (
          <Typography.Text type="secondary" style={{ whiteSpace: "nowrap" }}>
            待审 {cell.awaitingReview}
          </Typography.Text>
        )}
      </div>
    </Tooltip>
  );
}

const percent = (c: Cell) => (c.assignments ? `${Math.round(c.completionRate * 100)}%` : "—");

/**
 * 下级进展汇总 (issue 17, item 4): for each task of the plan, the lights of the tasks that carry it
 * out below, per region one level down; a region's name drills into it, the breadcrumb goes back up.
 */
export function RollupPage() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const regionParam = Number(params.get("region"));
  const regionId = Number.isInteger(regionParam) && regionParam > 0 ? regionParam : undefined;
  const trpc = useTRPC();
  const rollup = useQuery(trpc.links.rollup.queryOptions({ planId: id, ...(regionId ? { regionId } : {}) }));
  const goTo = (region: number | null) => setParams(region ? { region: String(region) } : {});

  if (rollup.isPending) return <Spin />;
  if (rollup.error)
    return <Result status="404" title="无法打开下级进展汇总" subTitle={errorMessage(rollup.error)} />;
  const r = rollup.data;

  const columns: ColumnsType<TaskRow> = [
    {
      title: "任务",
      key: "task",
      fixed: "left",
      width: 240,
      render: (_, t) => (
        <Typography.Text ellipsis={{ tooltip: `${t.code} ${t.title}` }} style={{ maxWidth: 224 }}>
          {t.code} {t.title}
        </Typography.Text>
      ),
    },
    {
      title: "合计",
      key: "total",
      width: 170,
      render: (_, t) => <Counts cell={t.total} />,
    },
    {
      title: "完成率",
      key: "rate",
      width: 72,
      align: "right",
      render: (_, t) => percent(t.total),
    },
    ...r.regions.map((region, i) => ({
      key: `region-${region.id}`,
      width: 160,
      title: region.own ? (
        <Tooltip title="本级政府自己的落实要点">{region.name}(本级)</Tooltip>
      ) : region.drillable ? (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, height: "auto" }}
          onClick={() => goTo(region.id)}
        >
          {region.name} ›
        </Button>
      ) : (
        region.name
      ),
      render: (_: unknown, t: TaskRow) => <Counts cell={t.cells[i] as Cell} />,
    })),
  ];

  const trail = r.trail.map((step, i) => ({
    title:
      i === r.trail.length - 1 ? (
        step.name
      ) : (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, height: "auto" }}
          onClick={() => goTo(i === 0 ? null : step.id)}
        >
          {step.name}
        </Button>
      ),
  }));

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb
        items={[
          { title: <Link to="/plans">工作要点</Link> },
          { title: <Link to={`/plans/${id}`}>{r.plan.title}</Link> },
          { title: "下级进展汇总" },
        ]}
      />
      <Card
        title={<PageTitle>下级进展汇总</PageTitle>}
        extra={<Typography.Text type="secondary">截至 {r.asOf}</Typography.Text>}
      >
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <Space wrap size={[16, 8]} align="center">
            <Typography.Text strong>地区:</Typography.Text>
            <Breadcrumb items={trail} />
          </Space>
          <Alert
            type="info"
            showIcon
            message={
              <Space wrap size={[16, 4]}>
                {lightOrder.map((l) => (
                  <span key={l} style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
                    <LightDot light={l} /> {short[l]} = {lightLabels[l]}
                  </span>
                ))}
                <span>待审 = 已报送、等待下级审核</span>
              </Space>
            }
            description="按下级政府落实本要点各项任务的责任单位计数(配合单位不计)。只统计已审核通过的进展;已报送的只计入「待审」,下级的草稿和内部备注不向上显示。点击地区名称查看下一级。"
          />
          {r.total.tasks === 0 ? (
            <Empty description="这一地区还没有下级要点承接本要点的任务。下级政府在其要点中关联本要点并完成任务对标后,这里汇总其进展。" />
          ) : (
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              {r.region.name}
              {r.region.isIssuer ? "以下" : ""}共 {r.total.tasks} 项落实任务、{r.total.assignments}{" "}
              个责任单位:
              {lightOrder.map((l) => `${lightLabels[l]} ${r.total[l]}`).join(",")};已报送待审核{" "}
              {r.total.awaitingReview};完成率 {percent(r.total)}。
            </Typography.Paragraph>
          )}
          <Table<TaskRow>
            rowKey="id"
            size="small"
            bordered
            columns={columns}
            dataSource={r.tasks}
            pagination={false}
            scroll={{ x: "max-content" }}
            summary={() => (
              <Table.Summary fixed="bottom">
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>各地区合计</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1}>
                    <Counts cell={r.total} />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {percent(r.total)}
                  </Table.Summary.Cell>
                  {r.regionTotals.map((c, i) => (
                    <Table.Summary.Cell key={r.regions[i]?.id ?? i} index={i + 3}>
                      <Counts cell={c} />
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            )}
          />
        </Space>
      </Card>
    </Space>
  );
}
