import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DownloadOutlined,
  SafetyCertificateOutlined,
} from "@ant-design/icons";
import { gradeRuleText } from "@gongkai/core/grades";
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Layout,
  List,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  PolarAngleAxis,
  PolarGrid,
  PolarRadiusAxis,
  Radar,
  RadarChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { LargeTextToggle } from "../../components/LargeTextToggle.tsx";
import { PageTitle } from "../../components/text.tsx";
import { rankingRuleText } from "../../lib/ranking.ts";
import { useFocusableScrollRegions } from "../../lib/scrollRegions.ts";
import { unitPages } from "../../lib/tables.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { fmtScore, fmtTime, tierLabel } from "./shared.tsx";

type Published = RouterOutputs["public"]["evaluation"];
type Unit = Published["results"]["units"][number];

const palette = { primary: "#1f5fa8", accent: "#b7242a", muted: "#8c9bb0" };
const tick = { fontSize: 12, fill: "#595959" };

/** Public, no sign-in: published rankings of third-party evaluations. */
export function PublicRankingsPage() {
  const { projectId } = useParams();
  const content = useFocusableScrollRegions();
  return (
    <Layout style={{ minHeight: "100vh", background: "#f5f7fa" }}>
      <Layout.Header
        style={{ display: "flex", alignItems: "center", gap: 16, background: "#b7242a", paddingInline: 24 }}
      >
        <Typography.Title level={4} style={{ color: "#fff", margin: 0, whiteSpace: "nowrap" }}>
          <Link to="/public/rankings" style={{ color: "#fff" }}>
            政务公开第三方评估结果
          </Link>
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <LargeTextToggle />
        <Link to="/login" style={{ color: "#fff" }}>
          工作人员登录
        </Link>
      </Layout.Header>
      <Layout.Content ref={content} style={{ padding: 24, maxWidth: 1280, width: "100%", margin: "0 auto" }}>
        {projectId ? <ProjectResults projectId={Number(projectId)} /> : <PublishedList />}
      </Layout.Content>
    </Layout>
  );
}

function PublishedList() {
  const trpc = useTRPC();
  const list = useQuery(trpc.public.evaluations.queryOptions());
  if (list.isPending) return <Spin />;
  if (list.error) return <Alert type="error" message={errorMessage(list.error)} />;
  return (
    <Card title={<PageTitle>已发布的评估结果</PageTitle>}>
      <List
        dataSource={list.data}
        locale={{ emptyText: <Empty description="暂无已发布的评估结果" /> }}
        renderItem={(p) => (
          <List.Item
            actions={[
              <Link
                key="view"
                to={`/public/rankings/${p.projectId}`}
                data-testid={`public-project-${p.projectId}`}
              >
                查看排名
              </Link>,
            ]}
          >
            <List.Item.Meta
              title={<Link to={`/public/rankings/${p.projectId}`}>{p.name}</Link>}
              description={`${p.organisation} · ${p.unitCount} 个单位 · 第 ${p.latestVersion} 版 · 发布于 ${fmtTime(p.publishedAt)}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function ProjectResults({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const version = params.get("version") ? Number(params.get("version")) : undefined;
  const query = useQuery(
    trpc.public.evaluation.queryOptions(version === undefined ? { projectId } : { projectId, version }),
  );
  if (query.isPending) return <Spin />;
  if (query.error)
    return <Result status="404" title="该评估结果不存在或尚未发布" subTitle={errorMessage(query.error)} />;
  const p = query.data;
  const { results } = p;
  const latest = p.versions[0];
  const download = (ext: "csv" | "json") =>
    `/api/public/evaluations/${projectId}/results.${ext}?version=${p.version.version}`;
  const firstLevel = results.indicators.filter((i) => i.level === 1);
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="public-ranking">
      <Card>
        <div style={{ marginBottom: 12 }}>
          <PageTitle heading={3}>{results.project.name}</PageTitle>
        </div>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label="评估机构">{results.project.organisation}</Descriptions.Item>
          <Descriptions.Item label="评估年度">{results.project.year}</Descriptions.Item>
          <Descriptions.Item label="评估单位">{results.units.length} 个</Descriptions.Item>
          <Descriptions.Item label="发布时间">{fmtTime(p.version.publishedAt)}</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph
          type="secondary"
          style={{ margin: "4px 0 0" }}
          data-testid="public-ranking-rule"
        >
          {rankingRuleText(
            results.ranking ?? {},
            (code) => results.indicators.find((i) => i.code === code)?.name,
          )}
          {results.tiers.length > 1 ? ";各层级分别排名" : ""}
          {results.grades ? (
            <span data-testid="public-grade-rule">。{gradeRuleText(results.grades)}</span>
          ) : null}
        </Typography.Paragraph>
        <Space wrap style={{ marginTop: 8 }}>
          <span>版本</span>
          <Select
            value={p.version.version}
            style={{ width: 150 }}
            onChange={(v) => setParams(v === latest?.version ? {} : { version: String(v) })}
            options={p.versions.map((v) => ({
              value: v.version,
              label: `第 ${v.version} 版${v.version === latest?.version ? "(最新)" : ""}`,
            }))}
            data-testid="public-version"
            aria-label="版本"
          />
          <Button icon={<DownloadOutlined />} href={download("csv")} data-testid="download-csv">
            下载 CSV
          </Button>
          <Button icon={<DownloadOutlined />} href={download("json")} data-testid="download-json">
            下载 JSON
          </Button>
        </Space>
        <div style={{ marginTop: 8 }}>
          <SafetyCertificateOutlined style={{ color: palette.primary }} /> 内容哈希(SHA-256):
          <Typography.Text
            code
            copyable
            style={{ fontSize: 12, wordBreak: "break-all" }}
            data-testid="public-hash"
          >
            {p.version.contentHash}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: "block" }}>
            下载文件中的 results 按键名排序、去掉空白后计算
            SHA-256,应与此值一致;结果发布后冻结,更正将另发新版本。
          </Typography.Text>
        </div>
        {latest && p.version.version !== latest.version && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            message={`您正在查看第 ${p.version.version} 版,已被第 ${latest.version} 版更正。`}
            description={latest.reason ? `更正原因:${latest.reason}` : undefined}
          />
        )}
      </Card>

      {results.tiers.map((tier) => (
        <TierCard
          key={tier}
          tier={tier}
          units={results.units.filter((u) => u.tier === tier)}
          firstLevel={firstLevel}
          change={p.change}
          previousYear={p.previous?.year ?? null}
          history={p.history}
          maxTotal={results.maxTotal}
        />
      ))}

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="得分分布" size="small">
            <Distribution units={results.units} maxTotal={results.maxTotal} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="各单位一级指标得分率" size="small">
            <UnitRadar units={results.units} firstLevel={firstLevel} />
          </Card>
        </Col>
      </Row>

      <Card title="版本记录" size="small">
        <Timeline
          items={p.versions.map((v) => ({
            color: v.version === p.version.version ? "blue" : "gray",
            children: (
              <div>
                <Space wrap>
                  <b>第 {v.version} 版</b>
                  <span>{fmtTime(v.publishedAt)}</span>
                  {v.version !== p.version.version && (
                    <Link
                      to={`/public/rankings/${projectId}${v.version === latest?.version ? "" : `?version=${v.version}`}`}
                    >
                      查看
                    </Link>
                  )}
                </Space>
                <div>{v.reason ? `更正原因:${v.reason}` : "首次发布"}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: "break-all" }}>
                  SHA-256 {v.contentHash}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

function Change({ delta }: { delta: number | null | undefined }) {
  if (delta === null || delta === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  if (Math.abs(delta) < 0.005) return <span>持平</span>;
  const up = delta > 0;
  return (
    <span style={{ color: up ? "#389e0d" : "#cf1322", whiteSpace: "nowrap" }}>
      {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {fmtScore(Math.abs(delta))}
    </span>
  );
}

function TierCard({
  tier,
  units,
  firstLevel,
  change,
  previousYear,
  history,
  maxTotal,
}: {
  tier: string;
  units: Unit[];
  firstLevel: Published["results"]["indicators"];
  change: Published["change"];
  previousYear: number | null;
  history: Published["history"];
  maxTotal: number;
}) {
  // Every earlier published year of the same organisation, newest first: the unit's rank then.
  const earlier = history.years.map((y) => y.year);
  // A province's tier holds thousands of units: the chart shows the table's page (a bar each was
  // 34 px, 100,000 px for 3,000 units).
  const pageSize = 50;
  const paging = unitPages(units.length, pageSize);
  const [page, setPage] = useState(1);
  const onPage = paging ? units.slice((page - 1) * pageSize, page * pageSize) : units;
  const chartData = onPage
    .filter((u) => u.total !== null)
    .map((u) => ({ name: u.unitName, total: u.total as number }));
  // Many first-level indicators (a province's scheme has ten) take the card's whole width, the
  // chart going below; the table scrolls sideways rather than squeeze names to a character a line.
  const wide = firstLevel.length + earlier.length > 4;
  const tableWidth =
    60 + 180 + 76 + 64 + (previousYear ? 90 : 0) + earlier.length * 84 + firstLevel.length * 76;
  return (
    <Card title={`${tierLabel(tier)}排名(${units.length} 个单位)`} size="small">
      <Row gutter={16}>
        <Col xs={24} xl={wide ? 24 : 13}>
          <Table<Unit>
            size="small"
            rowKey="unitId"
            scroll={wide ? { x: tableWidth } : undefined}
            dataSource={units}
            pagination={paging && { ...paging, current: page, onChange: setPage }}
            data-testid={`public-tier-${tier || "all"}`}
            columns={[
              {
                title: "排名",
                dataIndex: "rank",
                width: 60,
                render: (r: number | null) =>
                  r !== null && r <= 3 ? <Tag color="red">{r}</Tag> : (r ?? "—"),
              },
              { title: "单位", dataIndex: "unitName", ...(wide ? { width: 180 } : {}) },
              {
                title: "总分",
                dataIndex: "total",
                width: 76,
                render: (t: number | null) => <b>{fmtScore(t)}</b>,
              },
              { title: "等次", dataIndex: "grade", width: 64, render: (g: string | null) => g ?? "—" },
              ...(previousYear
                ? [
                    {
                      title: `较${previousYear}年`,
                      width: 90,
                      render: (_: unknown, u: Unit) => <Change delta={change[String(u.unitId)]?.delta} />,
                    },
                  ]
                : []),
              ...earlier.map((year) => ({
                title: `${year}年名次`,
                width: 84,
                render: (_: unknown, u: Unit) => {
                  const then = history.ranks[String(u.unitId)]?.[String(year)];
                  if (!then) return <span title={`${year}年未参评`}>—</span>;
                  const moved = then.rank !== null && u.rank !== null ? then.rank - u.rank : null;
                  return (
                    <span
                      title={`${year}年:${then.tier ? `${tierLabel(then.tier)},` : ""}第 ${then.rank ?? "—"} 名,总分 ${fmtScore(then.total)}${moved ? `;今年${moved > 0 ? "上升" : "下降"} ${Math.abs(moved)} 名` : ""}`}
                      style={{ whiteSpace: "nowrap" }}
                    >
                      {then.rank ?? "—"}
                    </span>
                  );
                },
              })),
              ...firstLevel.map((i) => ({
                title: i.name,
                width: 76,
                render: (_: unknown, u: Unit) => fmtScore(u.indicators[i.code]),
              })),
            ]}
          />
        </Col>
        <Col xs={24} xl={wide ? 24 : 11}>
          <ResponsiveContainer width="100%" height={Math.max(180, chartData.length * 34 + 60)}>
            <BarChart data={chartData} layout="vertical" margin={{ top: 8, right: 48, left: 8, bottom: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis
                type="number"
                domain={[0, maxTotal]}
                tick={tick}
                label={{
                  value: "总分",
                  position: "insideBottom",
                  offset: -12,
                  fill: "#595959",
                  fontSize: 12,
                }}
              />
              <YAxis type="category" dataKey="name" width={170} tick={tick} interval={0} />
              <Tooltip formatter={(v) => [`${fmtScore(Number(v))} 分`, "总分"]} />
              <Bar dataKey="total" name="总分" fill={palette.primary} isAnimationActive={false} barSize={18}>
                <LabelList
                  dataKey="total"
                  position="right"
                  formatter={(v) => fmtScore(Number(v))}
                  style={tick}
                />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </Col>
      </Row>
    </Card>
  );
}

/** How many units fall in each band of the total (as a share of the maximum, 10-point bands from 60). */
function Distribution({ units, maxTotal }: { units: Unit[]; maxTotal: number }) {
  const bands = [
    { name: "60以下", lo: 0, hi: 60 },
    { name: "60–70", lo: 60, hi: 70 },
    { name: "70–80", lo: 70, hi: 80 },
    { name: "80–90", lo: 80, hi: 90 },
    { name: "90以上", lo: 90, hi: Number.POSITIVE_INFINITY },
  ];
  const data = bands.map((b) => ({
    name: b.name,
    count: units.filter((u) => {
      if (u.total === null) return false;
      const pct = (u.total / (maxTotal || 100)) * 100;
      return pct >= b.lo && pct < b.hi;
    }).length,
  }));
  return (
    <ResponsiveContainer width="100%" height={300}>
      <BarChart data={data} margin={{ top: 24, right: 16, left: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="name"
          tick={tick}
          label={{
            value: maxTotal === 100 ? "总分区间" : "得分率区间(%)",
            position: "insideBottom",
            offset: -12,
            fill: "#595959",
            fontSize: 12,
          }}
        />
        <YAxis
          allowDecimals={false}
          tick={tick}
          label={{ value: "单位数", angle: -90, position: "insideLeft", fill: "#595959", fontSize: 12 }}
        />
        <Tooltip formatter={(v) => [`${v} 个`, "单位数"]} />
        <Bar dataKey="count" name="单位数" fill={palette.accent} isAnimationActive={false}>
          <LabelList dataKey="count" position="top" style={tick} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** One unit's score rate on each first-level indicator, against the average of its tier. */
function UnitRadar({ units, firstLevel }: { units: Unit[]; firstLevel: Published["results"]["indicators"] }) {
  const [picked, setPicked] = useState<number | null>(null);
  const unit = units.find((u) => u.unitId === picked) ?? units[0];
  if (!unit || firstLevel.length === 0) return <Empty />;
  const peers = units.filter((u) => u.tier === unit.tier);
  const rate = (u: Unit, code: string, max: number) => ((u.indicators[code] ?? 0) / (max || 100)) * 100;
  const data = firstLevel.map((i) => ({
    name: i.name,
    unit: Math.round(rate(unit, i.code, i.max) * 10) / 10,
    average: Math.round((peers.reduce((s, u) => s + rate(u, i.code, i.max), 0) / peers.length) * 10) / 10,
  }));
  return (
    <div>
      <Select
        value={unit.unitId}
        onChange={setPicked}
        style={{ width: 260 }}
        showSearch
        optionFilterProp="label"
        options={units.map((u) => ({ value: u.unitId, label: u.unitName }))}
        data-testid="radar-unit"
        aria-label="选择单位"
      />
      {firstLevel.length < 3 ? (
        // A radar needs three axes or more: with fewer, bars side by side say the same.
        <ResponsiveContainer width="100%" height={300}>
          <BarChart data={data} margin={{ top: 24, right: 16, left: 8, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 13, fill: "#262626" }} />
            <YAxis
              domain={[0, 100]}
              tick={tick}
              label={{
                value: "得分率(%)",
                angle: -90,
                position: "insideLeft",
                fill: "#595959",
                fontSize: 12,
              }}
            />
            <Tooltip formatter={(v) => `${v}%`} />
            <Legend />
            <Bar
              dataKey="unit"
              name={`${unit.unitName}(得分率 %)`}
              fill={palette.accent}
              isAnimationActive={false}
            >
              <LabelList dataKey="unit" position="top" style={tick} />
            </Bar>
            <Bar
              dataKey="average"
              name={`${tierLabel(unit.tier)}平均(%)`}
              fill={palette.primary}
              isAnimationActive={false}
            >
              <LabelList dataKey="average" position="top" style={tick} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      ) : (
        <ResponsiveContainer width="100%" height={300}>
          <RadarChart data={data} outerRadius="70%">
            <PolarGrid />
            <PolarAngleAxis dataKey="name" tick={{ fontSize: 13, fill: "#262626" }} />
            <PolarRadiusAxis domain={[0, 100]} angle={90} tick={{ fontSize: 10, fill: "#8c8c8c" }} />
            <Radar
              name={`${unit.unitName}(得分率 %)`}
              dataKey="unit"
              stroke={palette.accent}
              fill={palette.accent}
              fillOpacity={0.3}
              isAnimationActive={false}
            />
            <Radar
              name={`${tierLabel(unit.tier)}平均(%)`}
              dataKey="average"
              stroke={palette.primary}
              fill={palette.primary}
              fillOpacity={0.1}
              isAnimationActive={false}
            />
            <Legend />
            <Tooltip formatter={(v) => `${v}%`} />
          </RadarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
