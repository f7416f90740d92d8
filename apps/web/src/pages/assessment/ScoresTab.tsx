import { PaperClipOutlined, ReloadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Drawer, Input, Modal, Space, Table, Tag, Tooltip, Typography } from "antd";
import { memo, useCallback, useState } from "react";
import { unitPages } from "../../lib/tables.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { dateTime, type Leaf, LeafLabel, pts, type SchemeDetail, ValueInput, valueText } from "./shared.tsx";

type Scores = RouterOutputs["assessment"]["scores"];
type ScoreRow = Scores["scores"][number];
type Unit = SchemeDetail["units"][number];
type Metrics = RouterOutputs["assessment"]["metrics"];

/** Evidence a unit attached: links open the page, files download through /api/files. */
export function EvidenceLinks({ items }: { items: ScoreRow["selfEvidence"] }) {
  if (items.length === 0) return null;
  return (
    <div>
      {items.map((e, i) => (
        <div key={`${e.url ?? e.fileId}-${i}`} style={{ wordBreak: "break-all" }}>
          <PaperClipOutlined />{" "}
          {e.url ? (
            <a href={e.url} target="_blank" rel="noreferrer noopener">
              {e.title || e.url}
            </a>
          ) : (
            <a href={`/api/files/${e.fileId}`}>{e.fileName ?? e.title ?? `文件 ${e.fileId}`}</a>
          )}
        </div>
      ))}
    </div>
  );
}

/** 审核评分: every unit's self-assessment and score, and a drawer to set one unit's final scores. */
export function ScoresTab({ detail }: { detail: SchemeDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const id = detail.scheme.id;
  const results = useQuery(trpc.assessment.results.queryOptions({ id }));
  const [scoring, setScoring] = useState<Unit | null>(null);
  // The drawer's unit only: its scores and how its computed values came about.
  const unitId = scoring?.unitId ?? 0;
  const scores = useQuery({
    ...trpc.assessment.scores.queryOptions({ id, unitId }),
    enabled: scoring !== null,
  });
  const hasDataLeaves = detail.leaves.some((l) => l.source !== null);
  const metrics = useQuery({
    ...trpc.assessment.metrics.queryOptions({ id, unitId }),
    enabled: scoring !== null && hasDataLeaves,
  });
  const [returning, setReturning] = useState<Unit | null>(null);
  const [reason, setReason] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
  const refreshComputed = useMutation(
    trpc.assessment.refreshComputed.mutationOptions({
      onSuccess: (r) => {
        refresh();
        message.success(`已按截至 ${r.asOf} 的任务数据重新计算 ${r.cells} 项`);
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const returnSelf = useMutation(
    trpc.assessment.returnSelf.mutationOptions({
      onSuccess: () => {
        refresh();
        setReturning(null);
        setReason("");
        message.success("已退回,单位可修改后重新提交");
      },
      onError: (e) => modal.error({ title: "无法退回", content: errorMessage(e) }),
    }),
  );

  const stage = detail.scheme.status;
  const byUnit = new Map((results.data?.units ?? []).map((u) => [u.unitId, u]));
  const dataLeaves = detail.leaves.filter((l) => l.source !== null).length;

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {stage === "draft" && (
        <Alert
          type="info"
          showIcon
          message="方案还是草稿。确认指标体系后,可「开放单位自评」,或直接「进入审核评分」由政务公开办评分。"
        />
      )}
      <Space wrap>
        {dataLeaves > 0 && (
          <>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => refreshComputed.mutate({ id })}
              loading={refreshComputed.isPending}
              disabled={stage === "draft"}
            >
              按任务数据重新计算
            </Button>
            <Typography.Text type="secondary">
              {dataLeaves} 项指标由系统根据 {detail.scheme.year}{" "}
              年度任务数据计算,只读显示(计算过程见各单位的评分页);如需人工调整须写明理由。
            </Typography.Text>
          </>
        )}
      </Space>
      <Table<Unit>
        rowKey="unitId"
        size="small"
        dataSource={detail.units}
        pagination={unitPages(detail.units.length)}
        tableLayout="fixed"
        columns={[
          {
            title: "单位",
            dataIndex: "name",
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
          },
          {
            title: "单位自评",
            width: 200,
            render: (_, u) =>
              u.selfSubmittedAt ? (
                <Tag color="green">已提交 {dateTime(u.selfSubmittedAt)}</Tag>
              ) : (
                <Tag>{stage === "selfAssessment" ? "未提交" : "未提交自评"}</Tag>
              ),
          },
          {
            title: "评分进度",
            width: 200,
            render: (_, u) => {
              const r = byUnit.get(u.unitId);
              if (!r) return "—";
              if (r.complete) return <Tag color="blue">已完成</Tag>;
              return (
                <Tooltip title={`缺少:${r.missing.join("、")}`}>
                  <Tag color="orange">未完成(缺 {r.missing.length} 项)</Tag>
                </Tooltip>
              );
            },
          },
          {
            title: "当前得分",
            width: 130,
            align: "right",
            render: (_, u) => {
              const r = byUnit.get(u.unitId);
              if (!r) return "—";
              return r.total !== null ? (
                <Typography.Text strong>{pts(r.total)}</Typography.Text>
              ) : (
                <Typography.Text type="secondary">已评 {pts(r.partialTotal)}</Typography.Text>
              );
            },
          },
          {
            title: "",
            width: 200,
            render: (_, u) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  disabled={stage === "draft"}
                  onClick={() => setScoring(u)}
                  data-testid={`score-${u.name}`}
                >
                  评分
                </Button>
                {stage === "selfAssessment" && u.selfSubmittedAt && (
                  <Button size="small" onClick={() => setReturning(u)}>
                    退回自评
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {scoring && scores.data && (!hasDataLeaves || metrics.data) && (
        <ScoreDrawer
          key={scoring.unitId}
          detail={detail}
          unit={scoring}
          rows={scores.data.scores.filter((s) => s.unitId === scoring.unitId)}
          asOf={metrics.data?.asOf ?? null}
          metrics={metrics.data?.units.find((m) => m.unitId === scoring.unitId)?.values ?? {}}
          onClose={() => setScoring(null)}
        />
      )}
      <Modal
        title={`退回「${returning?.name ?? ""}」的自评`}
        open={returning !== null}
        onCancel={() => setReturning(null)}
        onOk={() => returning && returnSelf.mutate({ id, unitId: returning.unitId, returnReason: reason })}
        okText="退回"
        confirmLoading={returnSelf.isPending}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="退回理由,如:请补充指标1.2的佐证材料"
        />
      </Modal>
    </Space>
  );
}

type Cell = { finalValue: number | null; reviewNote: string };

function ScoreDrawer({
  detail,
  unit,
  rows,
  asOf,
  metrics,
  onClose,
}: {
  detail: SchemeDetail;
  unit: Unit;
  rows: ScoreRow[];
  /** The day the live computed values are as of (null: the scheme has none). */
  asOf: string | null;
  metrics: Metrics["units"][number]["values"];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const rowOf = new Map(rows.map((r) => [r.indicatorCode, r]));
  const [cells, setCells] = useState<Record<string, Cell>>(() =>
    Object.fromEntries(
      detail.leaves.map((l) => {
        const r = rowOf.get(l.code);
        // A veto item is confirmed 未触发 unless someone says otherwise.
        const finalValue = r?.finalValue ?? (l.rule.type === "veto" ? 0 : null);
        return [l.code, { finalValue, reviewNote: r?.reviewNote ?? "" }];
      }),
    ),
  );
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.assessment.setScores.mutationOptions({
      onSuccess: (r) => {
        queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
        message.success(r.changed > 0 ? `已保存「${unit.name}」的 ${r.changed} 项得分` : "没有修改");
        onClose();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  // The same function from render to render: a row's inputs re-render only when their own values
  // change (a keystroke re-rendered all 152 rows of a province's scheme, ~200 ms each).
  const set = useCallback(
    (code: string, patch: Partial<Cell>) =>
      setCells((c) => ({ ...c, [code]: { ...(c[code] as Cell), ...patch } })),
    [],
  );
  const adoptSelf = () =>
    setCells((c) => {
      const next = { ...c };
      for (const l of detail.leaves) {
        const self = rowOf.get(l.code)?.selfValue;
        const cell = next[l.code];
        if (l.source === null && self !== null && self !== undefined && cell && cell.finalValue === null)
          next[l.code] = { ...cell, finalValue: self };
      }
      return next;
    });

  return (
    <Drawer
      title={`评分:${unit.name}`}
      open
      onClose={onClose}
      width={Math.min(1180, window.innerWidth - 40)}
      extra={
        <Space>
          <Button onClick={adoptSelf} data-testid="adopt-self">
            采纳自评分(空白项)
          </Button>
          <Button
            type="primary"
            loading={save.isPending}
            data-testid="save-scores"
            onClick={() =>
              save.mutate({
                id: detail.scheme.id,
                finalScores: detail.leaves.map((l) => ({
                  unitId: unit.unitId,
                  indicatorCode: l.code,
                  finalValue: cells[l.code]?.finalValue ?? null,
                  reviewNote: cells[l.code]?.reviewNote.trim() || null,
                })),
              })
            }
          >
            保存得分
          </Button>
        </Space>
      }
    >
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 12 }}
          data-testid="scores-error"
        />
      )}
      <Table<Leaf>
        rowKey="code"
        size="small"
        dataSource={detail.leaves}
        pagination={false}
        tableLayout="fixed"
        columns={[
          { title: "指标", width: 220, render: (_, l) => <LeafLabel leaf={l} brief /> },
          { title: "单位自评", width: 250, render: (_, l) => <SelfInfo leaf={l} row={rowOf.get(l.code)} /> },
          {
            title: asOf ? `系统计算(截至 ${asOf})` : "系统计算",
            width: 200,
            render: (_, l) => <ComputedInfo leaf={l} row={rowOf.get(l.code)} metric={metrics[l.code]} />,
          },
          {
            title: "最终得分",
            width: 170,
            render: (_, l) => <FinalInput leaf={l} value={cells[l.code]?.finalValue ?? null} set={set} />,
          },
          {
            title: "审核说明",
            render: (_, l) => <NoteInput leaf={l} value={cells[l.code]?.reviewNote ?? ""} set={set} />,
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        系统计算的指标留空即采用计算值;缺少得分的单位显示为「未完成」,不参与排名(缺分不按零分计)。
      </Typography.Paragraph>
    </Drawer>
  );
}

type SetCell = (code: string, patch: Partial<Cell>) => void;

const SelfInfo = memo(function SelfInfo({ leaf: l, row: r }: { leaf: Leaf; row: ScoreRow | undefined }) {
  if (!r || (r.selfValue === null && !r.selfNote && r.selfEvidence.length === 0))
    return <Typography.Text type="secondary">未填写</Typography.Text>;
  return (
    <div>
      {r.selfValue !== null && <Tag color="blue">{valueText(l.rule, l.max, r.selfValue)}</Tag>}
      {r.selfNote && <div style={{ fontSize: 12 }}>{r.selfNote}</div>}
      <EvidenceLinks items={r.selfEvidence} />
    </div>
  );
});

const ComputedInfo = memo(function ComputedInfo({
  leaf: l,
  row: r,
  metric: m,
}: {
  leaf: Leaf;
  row: ScoreRow | undefined;
  metric: Metrics["units"][number]["values"][string] | undefined;
}) {
  if (!l.source) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <div>
      <Tag color={r?.computedValue === null || r?.computedValue === undefined ? "default" : "cyan"}>
        {valueText(l.rule, l.max, r?.computedValue ?? null)}
      </Tag>
      {m && (
        <div style={{ fontSize: 12 }}>
          <Typography.Text type="secondary">{m.note}</Typography.Text>
        </div>
      )}
    </div>
  );
});

const FinalInput = memo(function FinalInput({
  leaf: l,
  value,
  set,
}: {
  leaf: Leaf;
  value: number | null;
  set: SetCell;
}) {
  return (
    <ValueInput
      rule={l.rule}
      max={l.max}
      value={value}
      onChange={(v) => set(l.code, { finalValue: v })}
      testId={`final-${l.code}`}
      label={`${l.code} ${l.name} 审核得分`}
    />
  );
});

const NoteInput = memo(function NoteInput({
  leaf: l,
  value,
  set,
}: {
  leaf: Leaf;
  value: string;
  set: SetCell;
}) {
  return (
    <Input.TextArea
      autoSize={{ minRows: 1, maxRows: 3 }}
      value={value}
      placeholder={l.source ? "人工调整系统计算值时必填" : "可选"}
      onChange={(e) => set(l.code, { reviewNote: e.target.value })}
    />
  );
});
