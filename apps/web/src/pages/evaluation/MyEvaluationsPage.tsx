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
import { useState } from "react";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
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
  if (list.isPending) return <Spin />;
  if (list.error) return <Alert type="error" message={errorMessage(list.error)} />;
  if (list.data.length === 0)
    return (
      <Card title="评估结果">
        <Empty description="暂无评估结果:第三方评估结果向本单位公示后会显示在这里。" />
      </Card>
    );
  const projectId = chosen ?? list.data[0]?.id ?? 0;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title="评估结果"
        extra={
          <Select
            value={projectId}
            style={{ width: 360 }}
            onChange={setChosen}
            options={list.data.map((p) => ({ value: p.id, label: `${p.name}(${p.organisation})` }))}
          />
        }
      >
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
  if (result.isPending) return <Spin />;
  if (result.error) return <Alert type="error" message={errorMessage(result.error)} />;
  const r = result.data;
  const open = new Set(r.appeals.filter((a) => a.state === "open").map((a) => a.indicatorCode));
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
              valueStyle={{ fontSize: 18, color: r.project.canAppeal ? undefined : "#8c8c8c" }}
            />
            {!r.project.canAppeal && <Tag>申诉期已过</Tag>}
          </Col>
        </Row>
        <Space wrap style={{ marginTop: 16 }}>
          {r.firstLevel.map((i) => (
            <Tag key={i.code} color="blue">
              {i.name}:{fmtScore(i.score)} / {i.max}
            </Tag>
          ))}
        </Space>
      </Card>
      <Card title="各项指标得分" size="small">
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
            {
              title: "",
              width: 90,
              render: (_, i) =>
                open.has(i.code) ? (
                  <Tag color="orange">申诉中</Tag>
                ) : (
                  r.project.canAppeal && (
                    <Button size="small" onClick={() => setAppealing(i)} data-testid={`appeal-${i.code}`}>
                      申诉
                    </Button>
                  )
                ),
            },
          ]}
        />
      </Card>
      <Card title="申诉记录" size="small">
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
            {
              title: "处理结果",
              width: 280,
              render: (_, a) => (
                <div>
                  <Tag color={appealStates[a.state]?.[1]}>{appealStates[a.state]?.[0]}</Tag>
                  {a.newValue !== null && <span>调整为 {fmtScore(a.newValue)} 分</span>}
                  {a.response && <div style={{ fontSize: 12, color: "#595959" }}>{a.response}</div>}
                </div>
              ),
            },
          ]}
        />
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
  const appeal = useMutation(
    trpc.evaluation.appeal.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        message.success("已提交申诉,请等待评估组长处理");
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
        onFinish={(v) => appeal.mutate({ projectId, indicatorCode: indicator.code, reason: v.reason })}
      >
        <Form.Item
          name="reason"
          label="申诉理由"
          rules={[{ required: true, whitespace: true, message: "请填写申诉理由" }]}
        >
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
