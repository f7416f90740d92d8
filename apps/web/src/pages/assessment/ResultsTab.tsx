import { CheckCircleTwoTone, DownloadOutlined, SendOutlined, WarningTwoTone } from "@ant-design/icons";
import { gradeRuleText } from "@gongkai/core/grades";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Tooltip as ChartTooltip,
  Legend,
  PolarAngleAxis,
  PolarGrid,
  PolarRadiusAxis,
  Radar,
  RadarChart,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from "recharts";
import { rankingRuleText } from "../../lib/ranking.ts";
import { unitPages } from "../../lib/tables.ts";
import { errorMessage, useTRPC, useTRPCClient } from "../../lib/trpc.ts";
import { dateTime, downloadFile, pts, type Results, type ResultUnit, type SchemeDetail } from "./shared.tsx";

const palette = { primary: "#1f5fa8", accent: "#b7242a", muted: "#8c9bb0" };

/** 考核结果: live results or a published version, with charts, publishing and export. */
export function ResultsTab({ detail }: { detail: SchemeDetail }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { message } = App.useApp();
  const id = detail.scheme.id;
  const latest = detail.versions[0]?.version ?? null;
  // null shows the live results; a number a published version.
  const [picked, setPicked] = useState<number | "live" | null>(null);
  const version = picked === "live" ? null : (picked ?? latest);
  const live = useQuery({ ...trpc.assessment.results.queryOptions({ id }), enabled: version === null });
  const frozen = useQuery({
    ...trpc.assessment.version.queryOptions({ id, version: version ?? 1 }),
    enabled: version !== null,
  });
  const query = version === null ? live : frozen;
  const [publishing, setPublishing] = useState(false);
  const shortName = new Map(detail.units.map((u) => [u.unitId, u.shortName ?? u.name]));

  const exportResults = async () => {
    try {
      downloadFile(await client.assessment.exportResults.query(version === null ? { id } : { id, version }));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const canPublish = detail.scheme.status === "review" || detail.scheme.status === "published";
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Select<number | "live">
          style={{ width: 300 }}
          value={version ?? "live"}
          onChange={setPicked}
          data-testid="version-select"
          aria-label="结果版本"
          options={[
            { value: "live", label: "当前结果(按最新得分计算,未发布)" },
            ...detail.versions.map((v) => ({
              value: v.version,
              label: `第 ${v.version} 版 · ${dateTime(v.publishedAt)} 发布${v.reason ? "(更正)" : ""}`,
            })),
          ]}
        />
        <Button
          type="primary"
          icon={<SendOutlined />}
          disabled={!canPublish}
          onClick={() => setPublishing(true)}
          data-testid="publish-results"
        >
          {latest ? "发布更正版本" : "发布结果"}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={exportResults}>
          导出结果 .xlsx
        </Button>
        {!canPublish && (
          <Typography.Text type="secondary">进入「审核评分」阶段并录入最终得分后才能发布。</Typography.Text>
        )}
      </Space>
      {query.isPending && <Spin />}
      {query.error && <Alert type="error" showIcon message={errorMessage(query.error)} />}
      {query.data && <ResultsView results={query.data} shortName={shortName} />}
      {publishing && (
        <PublishModal
          schemeId={id}
          latest={latest}
          onClose={(published) => {
            setPublishing(false);
            if (published !== null) setPicked(published);
          }}
        />
      )}
    </Space>
  );
}

function PublishModal({
  schemeId,
  latest,
  onClose,
}: {
  schemeId: number;
  latest: number | null;
  onClose: (published: number | null) => void;
}) {
  const trpc = useTRPC();
  const live = useQuery(trpc.assessment.results.queryOptions({ id: schemeId }));
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [reason, setReason] = useState("");
  const [allowIncomplete, setAllowIncomplete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const incomplete = (live.data?.units ?? []).filter((u) => !u.complete);
  const publish = useMutation(
    trpc.assessment.publish.mutationOptions({
      onSuccess: (r) => {
        queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
        message.success(`已发布第 ${r.version} 版考核结果`);
        onClose(r.version);
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <Modal
      open
      title={latest ? `发布更正版本(第 ${latest + 1} 版)` : "发布考核结果"}
      onCancel={() => onClose(null)}
      okText="确认发布"
      okButtonProps={{ "data-testid": "confirm-publish" }}
      confirmLoading={publish.isPending}
      onOk={() =>
        publish.mutate({
          id: schemeId,
          correctionReason: reason.trim() || null,
          allowIncomplete,
        })
      }
      width={560}
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Paragraph>
          发布后本版结果即冻结并计算内容哈希(sha256);之后修改得分不影响已发布版本,更正须另行发布新版本并说明理由。
          参评单位可在「年度自评」中查看本单位得分和排名。
        </Typography.Paragraph>
        {latest !== null && (
          <Input.TextArea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="更正理由(必填),如:党政办公室指标2.2得分录入有误"
            data-testid="correction-reason"
          />
        )}
        {incomplete.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={`${incomplete.length} 个单位未完成评分:${incomplete.map((u) => u.unit).join("、")}`}
            description={
              <Checkbox
                checked={allowIncomplete}
                onChange={(e) => setAllowIncomplete(e.target.checked)}
                data-testid="allow-incomplete"
              >
                仍然发布(这些单位列示为「未完成」,不参与排名)
              </Checkbox>
            }
          />
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="publish-error" />}
      </Space>
    </Modal>
  );
}

function ResultsView({ results, shortName }: { results: Results; shortName: Map<number, string> }) {
  const complete = results.units.filter((u) => u.complete);
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {results.version !== null ? (
        <Alert
          type={results.hashValid ? "success" : "error"}
          showIcon
          icon={
            results.hashValid ? (
              <CheckCircleTwoTone twoToneColor="#52c41a" />
            ) : (
              <WarningTwoTone twoToneColor="#cf1322" />
            )
          }
          message={`第 ${results.version} 版 · ${dateTime(results.publishedAt)} 发布 · 已冻结`}
          description={
            <div>
              {results.reason && <div>更正理由:{results.reason}</div>}
              <div style={{ wordBreak: "break-all" }}>
                内容哈希(sha256):<Typography.Text code>{results.contentHash}</Typography.Text>{" "}
                {results.hashValid ? "校验一致" : "校验不一致:存储内容与哈希不符,请联系系统管理员"}
              </div>
            </div>
          }
          data-testid="version-banner"
        />
      ) : (
        <Alert type="info" showIcon message="当前结果按最新得分实时计算,尚未发布;发布后才对单位可见。" />
      )}
      <Descriptions size="small" column={{ xs: 1, md: 3, xl: 5 }} bordered>
        <Descriptions.Item label="参评单位">{results.units.length} 个</Descriptions.Item>
        <Descriptions.Item label="已完成评分">{complete.length} 个</Descriptions.Item>
        <Descriptions.Item label="满分">
          {pts(results.max)} 分{results.bonusCap > 0 ? `(另加分上限 ${pts(results.bonusCap)} 分)` : ""}
        </Descriptions.Item>
        <Descriptions.Item label="分值权重">{results.share}%</Descriptions.Item>
        <Descriptions.Item label="绩效考核总分">{pts(results.performanceTotal)} 分</Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary" data-testid="ranking-rule">
        {rankingRuleText(results.definition, (code) => results.firstLevel.find((f) => f.code === code)?.name)}
        {results.grades ? <span data-testid="grade-rule">。{gradeRuleText(results.grades)}</span> : null}
      </Typography.Text>
      <RankingTable results={results} />
      <Charts results={results} shortName={shortName} />
    </Space>
  );
}

function RankingTable({ results }: { results: Results }) {
  return (
    <Table<ResultUnit>
      rowKey="unitId"
      size="small"
      dataSource={results.units}
      pagination={unitPages(results.units.length)}
      scroll={{ x: 900 + results.firstLevel.length * 110 }}
      data-testid="ranking"
      columns={[
        {
          title: "排名",
          width: 80,
          fixed: "left",
          render: (_, u) =>
            u.rank !== null ? (
              <Typography.Text strong data-testid="rank">
                {u.rank}
              </Typography.Text>
            ) : (
              <Tag color="orange">未完成</Tag>
            ),
        },
        { title: "单位", dataIndex: "unit", width: 200, fixed: "left" },
        {
          title: "总分",
          width: 90,
          align: "right",
          render: (_, u) =>
            u.total !== null ? (
              <Typography.Text strong>
                {results.definition.precision === undefined
                  ? pts(u.total)
                  : u.total.toFixed(results.definition.precision)}
              </Typography.Text>
            ) : (
              <Tooltip title="已评分部分的得分,不参与排名">
                <Typography.Text type="secondary">已评 {pts(u.partialTotal)}</Typography.Text>
              </Tooltip>
            ),
        },
        { title: "等次", dataIndex: "grade", width: 80, render: (g: string | null) => g ?? "—" },
        { title: "基础分", width: 90, align: "right", render: (_, u) => (u.complete ? pts(u.base) : "—") },
        { title: "加分", width: 70, align: "right", render: (_, u) => (u.bonus > 0 ? pts(u.bonus) : "—") },
        ...results.firstLevel.map((f) => ({
          title: `${f.name}(${pts(f.max)})`,
          width: 110,
          align: "right" as const,
          render: (_: unknown, u: ResultUnit) => pts(u.indicators[f.code]),
        })),
        {
          title: (
            <Tooltip title="得分 ÷ 满分 × 分值权重 × 绩效考核总分">
              <span>绩效贡献分</span>
            </Tooltip>
          ),
          width: 110,
          align: "right",
          render: (_, u) => pts(u.contribution),
        },
        {
          title: "说明",
          width: 220,
          render: (_, u) => (
            <Space size={4} wrap>
              {u.vetoed && <Tag color="red">单项否决({u.vetoedBy.join("、")})</Tag>}
              {!u.complete && (
                <Tooltip title={u.missing.join("、")}>
                  <Typography.Text type="secondary">缺 {u.missing.length} 项得分</Typography.Text>
                </Tooltip>
              )}
              {u.bonusEarned > 0 && u.bonus === 0 && !u.vetoed && u.complete && (
                <Typography.Text type="secondary">基础分未达加分门槛</Typography.Text>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

function Charts({ results, shortName }: { results: Results; shortName: Map<number, string> }) {
  const scored = results.units.filter((u) => u.complete);
  const [unitId, setUnitId] = useState<number | null>(null);
  const current = results.units.find(
    (u) => u.unitId === (unitId ?? scored[0]?.unitId ?? results.units[0]?.unitId),
  );
  const name = (u: { unitId: number; unit: string }) => shortName.get(u.unitId) ?? u.unit;
  const radar = results.firstLevel.map((f) => {
    const pct = (u: ResultUnit) => ((u.indicators[f.code] ?? 0) / f.max) * 100;
    return {
      indicator: f.name,
      本单位: current && f.code in current.indicators ? Number(pct(current).toFixed(1)) : 0,
      平均:
        scored.length > 0 ? Number((scored.reduce((s, u) => s + pct(u), 0) / scored.length).toFixed(1)) : 0,
    };
  });
  const changes = results.changes
    .filter((c) => c.total !== null || c.previousTotal !== null)
    .map((c) => ({
      unit: shortName.get(c.unitId) ?? c.unit,
      上年: c.previousTotal === null ? null : Number(c.previousTotal.toFixed(2)),
      本年: c.total === null ? null : Number(c.total.toFixed(2)),
    }));
  const tick = { fontSize: 12 };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={8}>
        <Card size="small" title="得分分布" data-testid="chart-distribution">
          <ResponsiveContainer width="100%" height={300}>
            <BarChart data={results.distribution.bands} margin={{ top: 10, right: 10, bottom: 30, left: 10 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="band"
                tick={tick}
                interval={0}
                label={{
                  value: results.max === 100 ? "得分段(分)" : "得分率(占满分)",
                  position: "insideBottom",
                  offset: -20,
                }}
              />
              <YAxis
                allowDecimals={false}
                tick={tick}
                label={{ value: "单位数(个)", angle: -90, position: "insideLeft", offset: 10 }}
              />
              <ChartTooltip formatter={(v) => [`${v} 个`, "单位数"]} />
              <Bar dataKey="count" name="单位数" fill={palette.primary} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          {results.distribution.incomplete > 0 && (
            <Typography.Text type="secondary">
              另有 {results.distribution.incomplete} 个单位未完成评分,未计入。
            </Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <Card
          size="small"
          title="一级指标得分率"
          data-testid="chart-radar"
          extra={
            <Select
              size="small"
              style={{ width: 150 }}
              value={current?.unitId}
              onChange={setUnitId}
              showSearch={{ optionFilterProp: "label" }}
              aria-label="选择单位"
              options={results.units.map((u) => ({ value: u.unitId, label: name(u) }))}
            />
          }
        >
          {results.firstLevel.length < 3 ? (
            <ResponsiveContainer width="100%" height={300}>
              <BarChart data={radar} layout="vertical" margin={{ top: 10, right: 20, bottom: 30, left: 20 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  type="number"
                  domain={[0, 100]}
                  tick={tick}
                  label={{ value: "得分率(%)", position: "insideBottom", offset: -20 }}
                />
                <YAxis type="category" dataKey="indicator" tick={tick} width={80} />
                <ChartTooltip formatter={(v, n) => [`${v}%`, n]} />
                <Legend verticalAlign="top" />
                <Bar dataKey="本单位" fill={palette.accent} isAnimationActive={false} />
                <Bar dataKey="平均" fill={palette.muted} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          ) : (
            <ResponsiveContainer width="100%" height={300}>
              <RadarChart data={radar} outerRadius="70%">
                <PolarGrid />
                <PolarAngleAxis dataKey="indicator" tick={tick} />
                <PolarRadiusAxis
                  domain={[0, 100]}
                  tick={{ fontSize: 9 }}
                  angle={90 - 180 / Math.max(3, radar.length)}
                  axisLine={false}
                  tickFormatter={(v) => `${v}%`}
                />
                <Radar
                  dataKey="本单位"
                  stroke={palette.accent}
                  fill={palette.accent}
                  fillOpacity={0.35}
                  isAnimationActive={false}
                />
                <Radar
                  dataKey="平均"
                  stroke={palette.muted}
                  fill={palette.muted}
                  fillOpacity={0.15}
                  isAnimationActive={false}
                />
                <Legend />
                <ChartTooltip formatter={(v, n) => [`${v}%`, n]} />
              </RadarChart>
            </ResponsiveContainer>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <Card
          size="small"
          title={
            results.previous
              ? `与上年比较(${results.previous.year} 年第 ${results.previous.version} 版)`
              : "与上年比较"
          }
          data-testid="chart-change"
        >
          {results.previous === null || changes.length === 0 ? (
            <Empty
              style={{ height: 276, display: "flex", flexDirection: "column", justifyContent: "center" }}
              description="没有上一年度同一考核分组的已发布结果"
            />
          ) : (
            <ResponsiveContainer width="100%" height={300}>
              <BarChart data={changes} margin={{ top: 10, right: 10, bottom: 50, left: 10 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="unit"
                  tick={{ fontSize: 11 }}
                  interval={0}
                  angle={-35}
                  textAnchor="end"
                  height={60}
                />
                <YAxis
                  tick={tick}
                  label={{ value: "总分(分)", angle: -90, position: "insideLeft", offset: 10 }}
                />
                <ChartTooltip />
                <Legend verticalAlign="top" />
                <Bar dataKey="上年" fill={palette.muted} isAnimationActive={false} />
                <Bar dataKey="本年" fill={palette.primary} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </Card>
      </Col>
    </Row>
  );
}
