import { Empty, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { Delta, pct, ppFormat, pts } from "./format.tsx";

export type YearRow = RouterOutputs["years"]["overview"]["years"][number];
export type ScoreRow = RouterOutputs["years"]["mine"]["assessment"][number];

/** What a year with no unit-task shows across the table. */
export const noDataText = "该年度没有已发布工作要点的任务数据";

/** One row per year: the figures and the change from the year before. */
export function YearFiguresTable({ years, testId }: { years: YearRow[]; testId?: string }) {
  // A year without data says so in one cell, read from the left (on a phone the rest scrolls away).
  const span = (r: YearRow, first = false) =>
    r.empty ? (first ? { colSpan: 6, style: { textAlign: "left" as const } } : { colSpan: 0 }) : {};
  const columns: ColumnsType<YearRow> = [
    {
      title: "年度",
      dataIndex: "year",
      width: 96,
      fixed: "left",
      render: (y: number, r) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {y}年{r.inProgress && <Tag style={{ marginLeft: 4 }}>截至今日</Tag>}
        </span>
      ),
    },
    {
      title: "单位任务",
      dataIndex: "unitTasks",
      align: "right",
      onCell: (r) => span(r, true),
      render: (v: number, r) =>
        r.empty ? <Typography.Text type="secondary">{noDataText}</Typography.Text> : `${v} 项`,
    },
    {
      title: "完成率",
      key: "completion",
      align: "right",
      onCell: (r) => span(r),
      render: (_, r) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {pct(r.completion)}({r.done} 项)
          <Delta value={r.change.completion} higherIsBetter format={ppFormat} suffix="个百分点" />
        </span>
      ),
    },
    {
      title: "逾期项数",
      dataIndex: "overdue",
      align: "right",
      onCell: (r) => span(r),
      render: (v: number, r) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {v}
          <Delta value={r.change.overdue} higherIsBetter={false} />
        </span>
      ),
    },
    {
      title: "逾期天数合计",
      dataIndex: "overdueDays",
      align: "right",
      onCell: (r) => span(r),
      render: (v: number, r) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {v} 天
          <Delta value={r.change.overdueDays} higherIsBetter={false} suffix=" 天" />
        </span>
      ),
    },
    {
      title: "平均逾期",
      dataIndex: "averageOverdueDays",
      align: "right",
      onCell: (r) => span(r),
      render: (v: number | null) => (v === null ? "—" : `${v.toFixed(1)} 天`),
    },
    {
      title: "退回次数",
      dataIndex: "returns",
      align: "right",
      onCell: (r) => span(r),
      render: (v: number, r) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {v}
          <Delta value={r.change.returns} higherIsBetter={false} />
        </span>
      ),
    },
  ];
  return (
    <Table
      data-testid={testId}
      size="small"
      rowKey="year"
      columns={columns}
      dataSource={[...years].reverse()}
      pagination={false}
      scroll={{ x: 760 }}
      locale={{ emptyText: <Empty description="还没有任何年度的数据" /> }}
    />
  );
}

/** Published assessment and evaluation results of one unit, year by year, with the change. */
export function ScoresTable({ assessment, evaluation }: { assessment: ScoreRow[]; evaluation: ScoreRow[] }) {
  const rows = [
    ...assessment.map((s) => ({ ...s, kind: "考核" })),
    ...evaluation.map((s) => ({ ...s, kind: "第三方评估" })),
  ].sort((a, b) => b.year - a.year || a.kind.localeCompare(b.kind, "zh-CN"));
  const columns: ColumnsType<(typeof rows)[number]> = [
    {
      title: "年度·类别",
      key: "what",
      render: (_, s) => (
        <>
          <div style={{ whiteSpace: "nowrap" }}>
            {s.year}年 {s.kind}
          </div>
          {s.tier && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {s.tier}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: "得分",
      key: "total",
      align: "right",
      render: (_, s) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {pts(s.total)}
          {s.max > 0 && <Typography.Text type="secondary"> / {pts(s.max)}</Typography.Text>}
          <Delta value={s.delta} higherIsBetter suffix=" 分" />
        </span>
      ),
    },
    {
      title: "名次",
      key: "rank",
      align: "right",
      render: (_, s) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {s.rank === null ? "未排名" : `第 ${s.rank} 名 / ${s.of}`}
          <Delta value={s.rankChange} higherIsBetter suffix=" 名" />
        </span>
      ),
    },
  ];
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.kind}:${r.year}:${r.tier}`}
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 340 }}
      locale={{ emptyText: <Empty description="还没有已发布的考核或评估结果" /> }}
    />
  );
}

/** The chart's points: shares in percent, nothing for an empty year (the line breaks there). */
export const chartPoints = (years: YearRow[]) =>
  years.map((y) => ({
    year: String(y.year),
    completion: y.empty || y.completion === null ? null : Math.round(y.completion * 1000) / 10,
    overdueShare: y.empty || y.overdueShare === null ? null : Math.round(y.overdueShare * 1000) / 10,
    overdueDays: y.empty ? null : y.overdueDays,
    returns: y.empty ? null : y.returns,
  }));
