import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { Evidence, fmtScore, leafTitle, tierLabel } from "./shared.tsx";

type Reconciliation = RouterOutputs["evaluation"]["reconciliation"];
type CellRow = Reconciliation["cells"][number];

/**
 * Reconciliation (复核): units every evaluator has submitted; cells where two evaluators differ by
 * more than the threshold are flagged; the lead sees both values with their evidence and sets the
 * final score with a reason.
 */
export function ReconcileTab({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  // Flagged and decided cells of the whole project, or every double-rated cell of one unit (a
  // province's evaluation has hundreds of thousands of cells: they are read a unit at a time).
  const [filter, setFilter] = useState<"flagged" | "unit">("flagged");
  const [unitId, setUnitId] = useState<number | null>(null);
  const byUnit = filter === "unit" && unitId !== null;
  const rec = useQuery({
    ...trpc.evaluation.reconciliation.queryOptions({ projectId, ...(byUnit ? { unitId } : {}) }),
    placeholderData: keepPreviousData,
  });
  const [deciding, setDeciding] = useState<CellRow | null>(null);
  if (rec.isPending) return <Spin />;
  if (rec.error) return <Alert type="error" message={errorMessage(rec.error)} />;
  const data = rec.data;
  const rows =
    filter === "flagged" ? data.cells : byUnit ? data.cells.filter((c) => c.unitId === unitId) : [];
  const notReady = data.units.filter((u) => !u.ready);
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small">
        <Space wrap size="large">
          <span>
            分歧阈值:相差超过 <b>{data.threshold}</b> 分
          </span>
          <span>
            已标记分歧 <b>{data.flagged}</b> 格,待复核{" "}
            <b style={{ color: data.pending ? "#cf1322" : undefined }} data-testid="pending-count">
              {data.pending}
            </b>{" "}
            格
          </span>
          <span>
            已全部提交的单位 {data.units.length - notReady.length}/{data.units.length}
          </span>
        </Space>
        {notReady.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            尚未全部提交:
            {notReady.map((u) => (
              <Tag key={u.unitId}>
                {u.unitName} {u.submitted}/{u.evaluators}
              </Tag>
            ))}
            (评估人员全部提交前,彼此看不到对方的评分,也不进入复核。)
          </Typography.Paragraph>
        )}
      </Card>
      <Card
        size="small"
        title="双评得分"
        extra={
          <Space>
            {filter === "unit" && (
              <Select
                showSearch
                optionFilterProp="label"
                placeholder="选择已全部提交的单位"
                style={{ width: 240 }}
                value={unitId ?? undefined}
                onChange={(v: number) => setUnitId(v)}
                options={data.units
                  .filter((u) => u.ready)
                  .map((u) => ({ value: u.unitId, label: u.unitName }))}
                data-testid="reconcile-unit"
              />
            )}
            <Segmented
              value={filter}
              onChange={(v) => setFilter(v as "flagged" | "unit")}
              options={[
                { value: "flagged", label: "分歧与已复核" },
                { value: "unit", label: "按单位查看全部双评格" },
              ]}
            />
          </Space>
        }
      >
        <Table<CellRow>
          size="small"
          rowKey={(c) => `${c.unitId}:${c.code}`}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          tableLayout="fixed"
          locale={{
            emptyText:
              filter === "flagged" ? "没有需要复核的分歧" : byUnit ? "该单位没有双评的指标" : "请先选择单位",
          }}
          data-testid="reconcile-table"
          columns={[
            {
              title: "单位",
              width: 150,
              render: (_, c) => (
                <div>
                  {c.unitName}
                  <div>
                    <Tag>{tierLabel(c.tier)}</Tag>
                  </div>
                </div>
              ),
            },
            {
              title: "指标",
              width: 180,
              render: (_, c) => (
                <span>
                  <Typography.Text type="secondary">{c.code}</Typography.Text>{" "}
                  {leafTitle({ path: c.indicatorPath, name: c.indicatorName })}
                  <div style={{ fontSize: 12, color: "rgba(0, 0, 0, 0.6)" }}>满分 {c.max}</div>
                </span>
              ),
            },
            ...[0, 1].map((i) => ({
              title: `评估人员${i === 0 ? "甲" : "乙"}`,
              render: (_: unknown, c: CellRow) => {
                const r = c.ratings[i];
                if (!r) return "—";
                return (
                  <div>
                    <div>
                      {r.evaluatorName}:<b>{fmtScore(r.points)}</b> 分
                      {r.points !== r.value && (
                        <Typography.Text type="secondary">(填报 {r.value})</Typography.Text>
                      )}
                    </div>
                    <Evidence e={r} />
                  </div>
                );
              },
            })),
            {
              title: "相差",
              width: 80,
              render: (_, c) =>
                c.flagged ? <Tag color="red">{fmtScore(c.spread)} 分</Tag> : <Tag color="green">一致</Tag>,
            },
            {
              title: "最终得分",
              width: 200,
              render: (_, c) =>
                c.final ? (
                  <div>
                    <b>{fmtScore(c.final.value)}</b> 分{" "}
                    {c.final.source === "agreed" ? <Tag>取平均</Tag> : <Tag color="blue">已复核</Tag>}
                    {c.final.reason && (
                      <Typography.Paragraph
                        type="secondary"
                        style={{ fontSize: 12, marginBottom: 0 }}
                        ellipsis={{ rows: 2, tooltip: c.final.reason }}
                      >
                        {c.final.reason}
                      </Typography.Paragraph>
                    )}
                  </div>
                ) : (
                  <Tag color="orange">待复核</Tag>
                ),
            },
            {
              title: "",
              width: 96,
              render: (_, c) => (
                <Button
                  size="small"
                  type={c.flagged && !c.final ? "primary" : "default"}
                  onClick={() => setDeciding(c)}
                  data-testid={`decide-${c.unitId}-${c.code}`}
                >
                  {c.final?.source === "decided" ? "修改" : "确定得分"}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {deciding && <DecideModal projectId={projectId} cell={deciding} onClose={() => setDeciding(null)} />}
    </Space>
  );
}

function DecideModal({
  projectId,
  cell,
  onClose,
}: {
  projectId: number;
  cell: CellRow;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ value: number; reason: string }>();
  const set = useMutation(
    trpc.evaluation.setFinalScore.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        message.success("已确定最终得分");
        onClose();
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  return (
    <Modal
      title={`确定最终得分:${cell.unitName} · ${cell.code} ${cell.indicatorName}`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={set.isPending}
      destroyOnHidden
      width={560}
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        {cell.ratings.map((r) => (
          <Descriptions.Item key={r.evaluatorId} label={r.evaluatorName}>
            {fmtScore(r.points)} 分
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          value: cell.final?.value ?? cell.mean ?? undefined,
          reason: cell.final?.reason ?? "",
        }}
        onFinish={(v) =>
          set.mutate({
            projectId,
            unitId: cell.unitId,
            indicatorCode: cell.code,
            value: v.value,
            reason: v.reason,
          })
        }
      >
        <Form.Item
          name="value"
          label={`最终得分(0 到 ${cell.max} 分)`}
          rules={[{ required: true, message: "请填写最终得分" }]}
        >
          <InputNumber min={0} max={cell.max || undefined} step={0.5} data-testid="final-value" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="理由"
          rules={[{ required: true, whitespace: true, message: "请写明采用该得分的理由" }]}
        >
          <Input.TextArea
            rows={3}
            placeholder="如:复核页面,图解材料已在评估期内发布"
            data-testid="final-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 1000) / 10}%`);
const num = (x: number | null) => (x === null ? "—" : x.toFixed(3));

/** Agreement between evaluators, per indicator and overall, so weak indicators can be rewritten. */
export function AgreementTab({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const report = useQuery(trpc.evaluation.agreement.queryOptions({ projectId }));
  if (report.isPending) return <Spin />;
  if (report.error) return <Alert type="error" message={errorMessage(report.error)} />;
  const { overall, byIndicator, weakThreshold } = report.data;
  type Row = (typeof byIndicator)[number];
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small" title="总体一致性">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="双评格数">{overall.cells}</Descriptions.Item>
          <Descriptions.Item label="完全一致率">{pct(overall.exactAgreement)}</Descriptions.Item>
          <Descriptions.Item label="Krippendorff α(等距)">{num(overall.alphaInterval)}</Descriptions.Item>
          <Descriptions.Item label="Krippendorff α(名义)">{num(overall.alphaNominal)}</Descriptions.Item>
          <Descriptions.Item label="ICC(1,1)">{num(overall.icc11)}</Descriptions.Item>
          <Descriptions.Item label="ICC(2,1)">{num(overall.icc21)}</Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          总体统计按各指标满分折算为比例后合并计算。α 低于 {weakThreshold}{" "}
          表示评估人员对该指标的理解不一致,建议明年修改评分细则;“—”表示样本不足无法计算。
        </Typography.Text>
      </Card>
      <Table<Row>
        size="small"
        rowKey="code"
        dataSource={byIndicator}
        pagination={false}
        locale={{ emptyText: "还没有双评的单位全部提交" }}
        columns={[
          { title: "指标", render: (_, r) => `${r.code} ${leafTitle(r)}` },
          { title: "双评格数", dataIndex: "cells", width: 90 },
          { title: "完全一致率", width: 110, render: (_, r) => pct(r.exactAgreement) },
          { title: "α(等距)", width: 100, render: (_, r) => num(r.alphaInterval) },
          { title: "α(名义)", width: 100, render: (_, r) => num(r.alphaNominal) },
          { title: "ICC(1,1)", width: 100, render: (_, r) => num(r.icc11) },
          {
            title: "",
            width: 110,
            render: (_, r) => (r.weak ? <Tag color="red">建议修改细则</Tag> : null),
          },
        ]}
      />
    </Space>
  );
}
