import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Empty, Row, Skeleton, Typography } from "antd";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { ScoreLines, YearFiguresChart } from "./format.tsx";
import { chartPoints, ScoresTable, YearFiguresTable } from "./YearTables.tsx";

type UnitYearsData = RouterOutputs["years"]["mine"];

/** A unit's years: the chart, the figures table and its published scores. */
export function UnitYearsBody({ data }: { data: UnitYearsData }) {
  if (data.years.length === 0)
    return <Empty description="还没有往年的任务、考核或评估数据。首个年度结束后即可在此对比。" />;
  const years = data.years.map((y) => y.year);
  const scoreSeries = [
    ...new Set([
      ...data.assessment.map((s) => `考核·${s.tier}`),
      ...data.evaluation.map((s) => `评估·${s.tier || "总分"}`),
    ]),
  ];
  const scorePoints = years.map((year) => {
    const row: Record<string, number | string | null> = { year: String(year) };
    for (const s of data.assessment) if (s.year === year) row[`考核·${s.tier}`] = s.total;
    for (const s of data.evaluation) if (s.year === year) row[`评估·${s.tier || "总分"}`] = s.total;
    return row;
  });
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={scoreSeries.length > 0 ? 12 : 24}>
        <Typography.Text strong>任务完成与逾期</Typography.Text>
        <YearFiguresChart data={chartPoints(data.years)} height={260} />
      </Col>
      {scoreSeries.length > 0 && (
        <Col xs={24} lg={12}>
          <Typography.Text strong>考核与评估得分</Typography.Text>
          <ScoreLines
            data={scorePoints}
            series={scoreSeries.map((s) => ({ key: s, name: s }))}
            height={260}
          />
        </Col>
      )}
      <Col span={24}>
        <YearFiguresTable years={data.years} testId="unit-years-table" />
      </Col>
      <Col span={24}>
        <ScoresTable assessment={data.assessment} evaluation={data.evaluation} />
      </Col>
    </Row>
  );
}

const footnote =
  "统计口径:牵头、责任单位的任务逐项计;完成以审核通过的「已完成」报告为准;逾期天数为自然日,提前完成不计,按期未完成的计至年底(本年度计至今日)。";

/** The unit user's own 历年对比 card (under its task list). */
export function MyYearsCard() {
  const trpc = useTRPC();
  const q = useQuery(trpc.years.mine.queryOptions({}));
  return (
    <Card title="历年对比" data-testid="my-years">
      {q.isPending && <Skeleton active paragraph={{ rows: 4 }} />}
      {q.error && (
        <Alert type="warning" showIcon title="历年数据没有加载成功" description={errorMessage(q.error)} />
      )}
      {q.data && <UnitYearsBody data={q.data} />}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {footnote}
      </Typography.Paragraph>
    </Card>
  );
}

/** One unit of the office's scope (opened from the dashboard's unit table). */
export function OfficeUnitYears({ unitId }: { unitId: number }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.years.unit.queryOptions({ unitId }));
  if (q.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (q.error)
    return <Alert type="warning" showIcon title="历年数据没有加载成功" description={errorMessage(q.error)} />;
  return <UnitYearsBody data={q.data} />;
}

export { footnote as yearsFootnote };
