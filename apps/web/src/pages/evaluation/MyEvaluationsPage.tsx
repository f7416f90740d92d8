import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from "antd";
import { type ReactNode, useState } from "react";
import { PageTitle } from "../../components/text.tsx";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useIsPhone } from "../../lib/useIsPhone.ts";
import { Evidence, fmtScore, fmtTime, tierLabel } from "./shared.tsx";

type MyResult = RouterOutputs["evaluation"]["myResult"];
type IndicatorRow = MyResult["indicators"][number];

const appealStates: Record<string, [string, string]> = {
  open: ["处理中", "orange"],
  accepted: ["已采纳", "green"],
  rejected: ["已驳回", "default"],
};

/** A unit's own evaluation scores (once shown to it), deductions with evidence, and its appeals. */
export function MyEvaluationsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.evaluation.mine.queryOptions());
  const [chosen, setChosen] = useState<number | null>(null);
  const isPhone = useIsPhone();
  if (list.isPending) return <Spin />;
  if (list.error) return <Alert type="error" message={errorMessage(list.error)} />;
  if (list.data.length === 0)
    return (
      <Card title={<PageTitle>评估结果</PageTitle>}>
        <Empty description="暂无评估结果:第三方评估结果向本单位公示后会显示在这里。" />
      </Card>
    );
  const projectId = chosen ?? list.data[0]?.id ?? 0;
  const picker = (
    <Select
      value={projectId}
      style={{ width: isPhone ? "100%" : 360 }}
      onChange={setChosen}
      aria-label="评估项目"
      options={list.data.map((p) => ({ value: p.id, label: `${p.name}(${p.organisation})` }))}
    />
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title={<PageTitle>评估结果</PageTitle>}
        extra={isPhone ? undefined : picker}
        size={isPhone ? "small" : "default"}
      >
        {/* On a phone the project's long name takes a line of its own. */}
        {isPhone && <div style={{ marginBottom: 8 }}>{picker}</div>}
        <Typography.Text type="secondary">
          以下是本单位的得分、扣分及评估人员的佐证。对某项指标有异议的,可在申诉期内提出申诉。
        </Typography.Text>
      </Card>
      <ResultView key={projectId} projectId={projectId} />
    </Space>
  );
}

function ResultView({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const result = useQuery(trpc.evaluation.myResult.queryOptions({ projectId }));
  const [appealing, setAppealing] = useState<IndicatorRow | null>(null);
  const isPhone = useIsPhone();
  if (result.isPending) return <Spin />;
  if (result.error) return <Alert type="error" message={errorMessage(result.error)} />;
  const r = result.data;
  const open = new Set(r.appeals.filter((a) => a.state === "open").map((a) => a.indicatorCode));
  const appealAction = (i: IndicatorRow) =>
    open.has(i.code) ? (
      <Tag color="orange">申诉中</Tag>
    ) : (
      r.project.canAppeal && (
        <Button size="small" onClick={() => setAppealing(i)} data-testid={`appeal-${i.code}`}>
          申诉
        </Button>
      )
    );
  return (
    <>
      <Card>
        <Row gutter={24}>
          <Col xs={12} md={6}>
            <Statistic title="总分" value={fmtScore(r.total)} suffix={`/ ${r.maxTotal}`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={`${tierLabel(r.tier)}排名`}
              value={r.rank ?? "—"}
              suffix={`/ ${r.unitsInTier}`}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="等次" value={r.grade ?? "—"} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title="申诉截止"
              value={fmtTime(r.project.appealDeadline)}
              valueStyle={{ fontSize: 18, color: r.project.canAppeal ? undefined : "rgba(0, 0, 0, 0.6)" }}
            />
            {!r.project.canAppeal && <Tag>申诉期已过</Tag>}
          </Col>
        </Row>
        <Typography.Paragraph type="secondary" style={{ margin: "12px 0 0" }} data-testid="my-result-rule">
          {r.rule}
        </Typography.Paragraph>
        <Space wrap style={{ marginTop: 16 }}>
          {r.firstLevel.map((i) => (
            <Tag key={i.code} color="blue">
              {i.name}:{fmtScore(i.score)} / {i.max}
            </Tag>
          ))}
        </Space>
      </Card>
      <Card title="各项指标得分" size="small">
        {isPhone ? (
          <IndicatorList indicators={r.indicators} action={(i) => appealAction(i)} />
        ) : (
          <Table<IndicatorRow>
            size="small"
            rowKey="code"
            dataSource={r.indicators}
            pagination={false}
            tableLayout="fixed"
            data-testid="my-indicators"
            columns={[
              {
                title: "指标",
                width: 220,
                render: (_, i) => (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {i.path.join(" / ")}
                    </Typography.Text>
                    <div>
                      {i.code} {i.name}
                    </div>
                  </div>
                ),
              },
              { title: "满分", dataIndex: "max", width: 70 },
              {
                title: "得分",
                dataIndex: "score",
                width: 70,
                render: (s: number | null) => <b>{fmtScore(s)}</b>,
              },
              {
                title: "扣分",
                dataIndex: "deduction",
                width: 70,
                render: (d: number | null) =>
                  d ? <Typography.Text type="danger">-{fmtScore(d)}</Typography.Text> : d === 0 ? "0" : "—",
              },
              {
                title: "评分细则",
                dataIndex: "criteria",
                render: (c: string | null) => (
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: c }} style={{ marginBottom: 0 }}>
                    {c}
                  </Typography.Paragraph>
                ),
              },
              {
                title: "评估佐证",
                width: 280,
                render: (_, i) => (
                  <div style={{ display: "grid", gap: 4, minWidth: 0 }}>
                    {i.evidence.map((e) => (
                      <div key={e.evaluator} style={{ minWidth: 0 }}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {e.evaluator}
                        </Typography.Text>
                        <Evidence e={e} />
                      </div>
                    ))}
                    {i.reason && (
                      <Typography.Text style={{ fontSize: 12 }}>复核/申诉:{i.reason}</Typography.Text>
                    )}
                  </div>
                ),
              },
              { title: "", width: 90, render: (_, i) => appealAction(i) },
            ]}
          />
        )}
      </Card>
      <Card title="申诉记录" size="small">
        {isPhone ? (
          <AppealList appeals={r.appeals} />
        ) : (
          <Table
            size="small"
            rowKey="id"
            dataSource={r.appeals}
            pagination={false}
            locale={{ emptyText: "暂无申诉" }}
            columns={[
              { title: "指标", width: 200, render: (_, a) => `${a.indicatorCode} ${a.indicatorName}` },
              { title: "申诉理由", dataIndex: "reason" },
              { title: "提交时间", width: 150, render: (_, a) => fmtTime(a.createdAt) },
              { title: "处理结果", width: 280, render: (_, a) => <AppealOutcome appeal={a} /> },
            ]}
          />
        )}
      </Card>
      {appealing && (
        <AppealModal projectId={projectId} indicator={appealing} onClose={() => setAppealing(null)} />
      )}
    </>
  );
}

function AppealModal({
  projectId,
  indicator,
  onClose,
}: {
  projectId: number;
  indicator: IndicatorRow;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  // One key for this appeal: a double tap or a retry files it once (the modal is new for each).
  const [requestKey] = useRequestKey();
  const appeal = useMutation(
    trpc.evaluation.appeal.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        // Keyed: a double tap's two answers (the same appeal) show as one message.
        message.success({ content: "已提交申诉,请等待评估组长处理", key: requestKey });
        onClose();
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  return (
    <Modal
      title={`申诉:${indicator.code} ${indicator.name}`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="提交申诉"
      confirmLoading={appeal.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>
        现得分 {fmtScore(indicator.score)} / {indicator.max} 分。请写明理由,并附上可核查的网址或材料说明。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          appeal.mutate({ projectId, indicatorCode: indicator.code, reason: v.reason, requestKey })
        }
      >
        <Form.Item
          name="reason"
          label="申诉理由"
          rules={[{ required: true, whitespace: true, message: "请填写申诉理由" }]}
        >
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** On a phone: one block an indicator (its place, score, deduction, evidence, 申诉) for the table. */
function IndicatorList({
  indicators,
  action,
}: {
  indicators: IndicatorRow[];
  action: (i: IndicatorRow) => ReactNode;
}) {
  return (
    <div data-testid="my-indicators">
      {indicators.map((i) => (
        <div key={i.code} style={{ borderBottom: "1px solid #f0f0f0", padding: "8px 0" }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.path.join(" / ")}
          </Typography.Text>
          <div style={{ display: "flex", alignItems: "center", gap: 8 }}>
            <span style={{ flex: 1, minWidth: 0 }}>
              {i.code} {i.name}
            </span>
            <b style={{ fontVariantNumeric: "tabular-nums" }}>
              {fmtScore(i.score)} / {i.max}
            </b>
            {action(i)}
          </div>
          {i.deduction ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              扣 {fmtScore(i.deduction)} 分
            </Typography.Text>
          ) : null}
          {i.criteria && (
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 2, expandable: "collapsible", symbol: (exp) => (exp ? "收起" : "展开") }}
              style={{ fontSize: 12, margin: "2px 0" }}
            >
              {i.criteria}
            </Typography.Paragraph>
          )}
          {/* The evaluators' evidence where points were taken: what a unit checks before it appeals. */}
          {i.deduction
            ? i.evidence.map((e) => (
                <div key={e.evaluator} style={{ minWidth: 0, fontSize: 13 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.evaluator}
                  </Typography.Text>
                  <Evidence e={e} />
                </div>
              ))
            : null}
          {i.reason && <Typography.Text style={{ fontSize: 12 }}>复核/申诉:{i.reason}</Typography.Text>}
        </div>
      ))}
    </div>
  );
}

type Appeal = MyResult["appeals"][number];

function AppealOutcome({ appeal: a }: { appeal: Appeal }) {
  return (
    <div>
      <Tag color={appealStates[a.state]?.[1]}>{appealStates[a.state]?.[0]}</Tag>
      {a.newValue !== null && <span>调整为 {fmtScore(a.newValue)} 分</span>}
      {a.response && <div style={{ fontSize: 12, color: "#595959" }}>{a.response}</div>}
    </div>
  );
}

/** On a phone: the appeals one under another (indicator, when, reason, outcome). */
function AppealList({ appeals }: { appeals: Appeal[] }) {
  if (appeals.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无申诉" />;
  return (
    <div data-testid="my-appeals">
      {appeals.map((a) => (
        <div key={a.id} style={{ borderBottom: "1px solid #f0f0f0", padding: "8px 0" }}>
          <div style={{ display: "flex", gap: 8, alignItems: "baseline" }}>
            <Typography.Text strong style={{ flex: 1, minWidth: 0 }}>
              {a.indicatorCode} {a.indicatorName}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fmtTime(a.createdAt)}
            </Typography.Text>
          </div>
          <div style={{ whiteSpace: "pre-wrap", margin: "4px 0" }}>{a.reason}</div>
          <AppealOutcome appeal={a} />
        </div>
      ))}
    </div>
  );
}
