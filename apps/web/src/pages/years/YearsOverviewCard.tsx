import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Col, Empty, Input, Modal, Row, Skeleton, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { Delta, pct, ppFormat, pts, ScoreLines, YearFiguresChart } from "./format.tsx";
import { OfficeUnitYears, yearsFootnote } from "./UnitYears.tsx";
import { chartPoints, YearFiguresTable } from "./YearTables.tsx";

type Overview = RouterOutputs["years"]["overview"];
type UnitRow = Overview["units"][number];

/** The office's 历年对比 card on the dashboard: the scope year by year, its tiers and its units. */
export function YearsOverviewCard() {
  const trpc = useTRPC();
  const q = useQuery(trpc.years.overview.queryOptions({}));
  return (
    <Card title="历年对比" data-testid="years-overview">
      {q.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
      {q.error && (
        <Alert type="warning" showIcon title="历年数据没有加载成功" description={errorMessage(q.error)} />
      )}
      {q.data && <OverviewBody data={q.data} />}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {yearsFootnote}
      </Typography.Paragraph>
    </Card>
  );
}

function OverviewBody({ data }: { data: Overview }) {
  if (data.years.length === 0)
    return <Empty description="还没有已发布的工作要点或考核、评估结果,发布后即可逐年对比。" />;
  const years = data.years.map((y) => y.year);
  const tierSeries = data.tiers.map((t) => ({
    key: `${t.kind}:${t.tier}`,
    name: `${t.kind === "assessment" ? "考核" : "评估"}·${t.tier || "总分"}`,
  }));
  const tierPoints = years.map((year) => {
    const row: Record<string, number | string | null> = { year: String(year) };
    for (const t of data.tiers)
      row[`${t.kind}:${t.tier}`] = t.years.find((y) => y.year === year)?.mean ?? null;
    return row;
  });
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={tierSeries.length > 0 ? 12 : 24}>
        <Typography.Text strong>任务完成与逾期(全部单位)</Typography.Text>
        <YearFiguresChart data={chartPoints(data.years)} />
      </Col>
      {tierSeries.length > 0 && (
        <Col xs={24} lg={12}>
          <Typography.Text strong>各排名分组平均得分</Typography.Text>
          <ScoreLines data={tierPoints} series={tierSeries} height={280} valueLabel="平均得分" />
        </Col>
      )}
      <Col span={24}>
        <YearFiguresTable years={data.years} testId="years-table" />
      </Col>
      {data.tiers.length > 0 && (
        <Col span={24}>
          <TierTable data={data} />
        </Col>
      )}
      <Col span={24}>
        <UnitTable data={data} />
      </Col>
    </Row>
  );
}

function TierTable({ data }: { data: Overview }) {
  const years = data.years.map((y) => y.year);
  const columns: ColumnsType<Overview["tiers"][number]> = [
    {
      title: "排名分组",
      key: "tier",
      fixed: "left",
      width: 200,
      render: (_, t) => `${t.kind === "assessment" ? "考核" : "第三方评估"}·${t.tier || "总分"}`,
    },
    ...years.map((year) => ({
      title: `${year}年`,
      key: String(year),
      align: "right" as const,
      render: (_: unknown, t: Overview["tiers"][number]) => {
        const y = t.years.find((x) => x.year === year);
        const before = t.years.find((x) => x.year === year - 1);
        if (!y) return <Typography.Text type="secondary">无</Typography.Text>;
        return (
          <span style={{ whiteSpace: "nowrap" }}>
            {pts(y.mean)}
            <Typography.Text type="secondary">({y.units} 个单位)</Typography.Text>
            <Delta
              value={y.mean !== null && before?.mean != null ? y.mean - before.mean : null}
              higherIsBetter
              suffix=" 分"
            />
          </span>
        );
      },
    })),
  ];
  return (
    <Table
      size="small"
      title={() => <Typography.Text strong>各排名分组平均得分</Typography.Text>}
      rowKey={(t) => `${t.kind}:${t.tier}`}
      columns={columns}
      dataSource={data.tiers}
      pagination={false}
      scroll={{ x: 200 + years.length * 180 }}
    />
  );
}

/** A unit's score in a year, as "88.5 · 第2名/5" with the change. */
function ScoreCell({ rows, year }: { rows: UnitRow["assessment"]; year: number }) {
  const here = rows.filter((s) => s.year === year);
  if (here.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <>
      {here.map((s) => (
        <div key={s.tier} style={{ whiteSpace: "nowrap" }}>
          {pts(s.total)}
          {s.rank !== null && (
            <Typography.Text type="secondary">
              {" "}
              · 第{s.rank}名/{s.of}
            </Typography.Text>
          )}
          <Delta value={s.rankChange} higherIsBetter suffix=" 名" />
        </div>
      ))}
    </>
  );
}

function UnitTable({ data }: { data: Overview }) {
  const [filter, setFilter] = useState("");
  const [open, setOpen] = useState<UnitRow | null>(null);
  const years = data.years.map((y) => y.year);
  // The units that need attention first: most overdue days in the latest year, then lowest completion.
  const shown = useMemo(() => {
    const latest = years.at(-1);
    const of = (u: UnitRow) => u.years.find((y) => y.year === latest);
    const sorted = [...data.units].sort(
      (a, b) =>
        (of(b)?.overdueDays ?? -1) - (of(a)?.overdueDays ?? -1) ||
        (of(a)?.completion ?? 2) - (of(b)?.completion ?? 2) ||
        a.unitName.localeCompare(b.unitName, "zh-CN"),
    );
    const q = filter.trim();
    return q ? sorted.filter((u) => u.unitName.includes(q)) : sorted;
  }, [data.units, filter, years]);
  const columns: ColumnsType<UnitRow> = [
    {
      title: "单位",
      dataIndex: "unitName",
      fixed: "left",
      width: 180,
      render: (name: string, u) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "left" }}
          onClick={() => setOpen(u)}
        >
          {name}
        </Button>
      ),
    },
    // Newest year first: the year that matters now needs no scrolling.
    ...[...years].reverse().map((year) => ({
      title: `${year}年`,
      key: String(year),
      children: [
        {
          title: "完成率",
          key: `${year}:c`,
          width: 120,
          align: "right" as const,
          render: (_: unknown, u: UnitRow) => {
            const y = u.years.find((x) => x.year === year);
            if (!y || y.empty) return <Typography.Text type="secondary">无任务</Typography.Text>;
            return (
              <span style={{ whiteSpace: "nowrap" }}>
                {pct(y.completion)}
                <Delta value={y.change.completion} higherIsBetter format={ppFormat} suffix="个百分点" />
              </span>
            );
          },
        },
        {
          title: "逾期天数",
          key: `${year}:d`,
          width: 100,
          align: "right" as const,
          render: (_: unknown, u: UnitRow) => {
            const y = u.years.find((x) => x.year === year);
            if (!y || y.empty) return <Typography.Text type="secondary">—</Typography.Text>;
            return (
              <span style={{ whiteSpace: "nowrap" }}>
                {y.overdueDays}
                <Delta value={y.change.overdueDays} higherIsBetter={false} />
              </span>
            );
          },
        },
        {
          title: "退回",
          key: `${year}:r`,
          width: 64,
          align: "right" as const,
          render: (_: unknown, u: UnitRow) => u.years.find((x) => x.year === year)?.returns ?? 0,
        },
        {
          title: "考核",
          key: `${year}:a`,
          width: 150,
          render: (_: unknown, u: UnitRow) => <ScoreCell rows={u.assessment} year={year} />,
        },
        {
          title: "评估",
          key: `${year}:e`,
          width: 150,
          render: (_: unknown, u: UnitRow) => <ScoreCell rows={u.evaluation} year={year} />,
        },
      ],
    })),
  ];
  return (
    <>
      <Table
        size="small"
        bordered
        title={() => (
          <div style={{ display: "flex", gap: 12, alignItems: "center", flexWrap: "wrap" }}>
            <Typography.Text strong>各单位逐年情况</Typography.Text>
            <Typography.Text type="secondary">点击单位名称查看该单位的历年对比</Typography.Text>
            <div style={{ flex: 1 }} />
            <Input.Search
              allowClear
              placeholder="按单位名称筛选"
              style={{ width: 200 }}
              onSearch={setFilter}
              onChange={(e) => !e.target.value && setFilter("")}
              aria-label="按单位名称筛选"
            />
          </div>
        )}
        rowKey="unitId"
        columns={columns}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 180 + years.length * 584 }}
        locale={{ emptyText: <Empty description="没有符合条件的单位" /> }}
      />
      <Modal
        open={open !== null}
        title={open ? `${open.unitName}·历年对比` : ""}
        onCancel={() => setOpen(null)}
        footer={null}
        width={1000}
        destroyOnHidden
      >
        {open && <OfficeUnitYears unitId={open.unitId} />}
      </Modal>
    </>
  );
}
