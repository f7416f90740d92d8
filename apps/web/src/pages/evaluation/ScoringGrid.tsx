import {
  CheckCircleOutlined,
  InfoCircleOutlined,
  PaperClipOutlined,
  UploadOutlined,
} from "@ant-design/icons";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Pagination,
  Popconfirm,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { memo, useMemo, useRef, useState } from "react";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { fileUrl, tierLabel, type Uploaded, uploadFile } from "./shared.tsx";

type Grid = RouterOutputs["evaluation"]["grid"];
type GridUnit = Grid["units"][number];
type Leaf = Grid["leaves"][number];
type CellData = GridUnit["cells"][string];

const key = (unitId: number, code: string) => `${unitId}:${code}`;

const rangeOf = (leaf: Leaf) =>
  leaf.input.kind === "number"
    ? { min: leaf.input.min, max: leaf.input.max ?? undefined, step: leaf.input.step }
    : {
        min: Math.min(...leaf.input.options.map((o) => o.value)),
        max: Math.max(...leaf.input.options.map((o) => o.value)),
        step: leaf.ruleType === "levels" ? 0.5 : 1,
      };

const choiceHint = (leaf: Leaf) =>
  leaf.input.kind === "choice" ? leaf.input.options.map((o) => `${o.value}=${o.label}`).join(",") : null;

/**
 * The evaluator's scoring grid: one row per leaf indicator, one column per unit assigned to the
 * evaluator. Values save as drafts when a cell is left; Enter saves and moves down the column (then
 * on to the next unit), Tab moves across. Each cell has its evidence (the page checked, a
 * screenshot, when it was seen, a note). A unit is submitted on its own; once every evaluator of a
 * unit has submitted, the other evaluator's values appear beside one's own.
 */
export function ScoringGrid({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // A page of units at a time (a column each); the roster lists them all to jump to.
  const [page, setPage] = useState(1);
  const grid = useQuery({
    ...trpc.evaluation.grid.queryOptions({ projectId, page }),
    placeholderData: keepPreviousData,
  });
  // What is typed stays in its cell (a keystroke re-renders that cell only: a page holds hundreds);
  // the grid keeps the latest typed values here for the evidence dialog.
  const drafts = useRef(new Map<string, number | null>());
  const [failed, setFailed] = useState<Record<string, string>>({});
  const [evidenceFor, setEvidenceFor] = useState<{ unit: GridUnit; leaf: Leaf } | null>(null);
  const inputs = useRef(new Map<string, { focus: () => void; blur: () => void } | null>());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
  // The cells' callbacks stay the same functions from render to render (so that a cell re-renders
  // only when its own value, state or evidence changes) and call what the latest render set here.
  const act = useRef<Pick<CellActions, "commit" | "next" | "evidence"> | null>(null);
  const actions = useMemo<CellActions>(
    () => ({
      commit: (unitId, code, value) => act.current?.commit(unitId, code, value) ?? Promise.resolve(false),
      next: (k) => act.current?.next(k),
      evidence: (unitId, code) => act.current?.evidence(unitId, code),
      typed: (k, value) => {
        drafts.current.set(k, value);
      },
      register: (k, el) => {
        inputs.current.set(k, el);
      },
    }),
    [],
  );

  const save = useMutation(trpc.evaluation.saveScores.mutationOptions());
  const submit = useMutation(
    trpc.evaluation.submitUnit.mutationOptions({
      onSuccess: () => {
        refresh();
        message.success("已提交该单位的评分");
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );

  if (grid.isPending) return <Spin />;
  if (grid.error) return <Alert type="error" message={errorMessage(grid.error)} />;
  const { leaves, units, progress, roster, page: paging } = grid.data;
  if (units.length === 0) return <Empty description="本项目没有分配给您的评估单位。" />;
  if (leaves.length === 0) return <Empty description="评估组长还没有设置指标体系。" />;
  const scoringOpen = grid.data.project.status !== "setup";

  const serverValue = (u: GridUnit, code: string) => u.cells[code]?.value ?? null;
  const unitOf = new Map(units.map((u) => [u.unitId, u]));
  const leafOf = new Map(leaves.map((l) => [l.code, l]));

  /**
   * Saves one cell if its value changed; evidence already on the cell is kept. True when the value
   * is saved (or there was nothing to save) and the grid read again.
   */
  const commit = async (unitId: number, code: string, value: number | null): Promise<boolean> => {
    const u = unitOf.get(unitId);
    if (!u) return false;
    const k = key(unitId, code);
    if (value === serverValue(u, code) || (value === null && !u.cells[code])) {
      drafts.current.delete(k);
      return true;
    }
    const c = u.cells[code];
    try {
      await save.mutateAsync({
        projectId,
        scores: [
          {
            unitId,
            indicatorCode: code,
            value,
            evidenceUrl: c?.evidenceUrl ?? null,
            evidenceFileId: c?.evidenceFileId ?? null,
            observedAt: c?.observedAt ?? null,
            note: c?.note ?? null,
          },
        ],
      });
      setFailed(({ [k]: _, ...rest }) => rest);
      await refresh();
      drafts.current.delete(k);
      return true;
    } catch (e) {
      setFailed((f) => ({ ...f, [k]: errorMessage(e) }));
      message.error({ content: errorMessage(e), duration: 6 });
      return false;
    }
  };

  const order = units.flatMap((u) => leaves.map((l) => key(u.unitId, l.code)));
  const focusNext = (k: string) => {
    for (let i = order.indexOf(k) + 1; i < order.length; i++) {
      const next = inputs.current.get(order[i] as string);
      if (next) {
        next.focus();
        return;
      }
    }
    inputs.current.get(k)?.blur();
  };
  act.current = {
    commit,
    next: focusNext,
    evidence: (unitId, code) => {
      const unit = unitOf.get(unitId);
      const leaf = leafOf.get(code);
      if (unit && leaf) setEvidenceFor({ unit, leaf });
    },
  };
  const shown = (u: GridUnit, code: string) => {
    const k = key(u.unitId, code);
    return drafts.current.has(k) ? (drafts.current.get(k) as number | null) : serverValue(u, code);
  };

  const firstLevelName = new Map<string, string>();
  for (const l of leaves)
    if (!firstLevelName.has(l.topCode)) firstLevelName.set(l.topCode, l.path[0] ?? l.name);

  const percent = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small">
        <Space style={{ width: "100%" }} align="center">
          <Typography.Text strong style={{ whiteSpace: "nowrap" }}>
            评分进度
          </Typography.Text>
          <Progress
            percent={percent}
            style={{ width: 360, marginBottom: 0 }}
            format={() => `${progress.done}/${progress.total}`}
            aria-label="评分进度"
            data-testid="grid-progress"
          />
          <Typography.Text type="secondary">
            还剩 {progress.total - progress.done} 格。回车保存并跳到下一格,Tab
            横向移动;离开单元格即自动保存草稿。
          </Typography.Text>
        </Space>
        {paging.pages > 1 && (
          <Space style={{ width: "100%", marginTop: 8 }} wrap>
            <Pagination
              size="small"
              current={paging.page}
              pageSize={paging.pageSize}
              total={paging.units}
              showSizeChanger={false}
              showTotal={(n) => `共 ${n} 个单位,每页 ${paging.pageSize} 个`}
              onChange={setPage}
              data-testid="grid-pages"
            />
            <Select
              showSearch
              size="small"
              style={{ width: 280 }}
              placeholder="跳到单位"
              aria-label="跳到单位"
              optionFilterProp="label"
              value={null}
              options={roster.map((u, i) => ({
                value: i,
                label: `${u.unitName}(${u.submittedAt ? "已提交" : `${u.done}/${leaves.length}`})`,
              }))}
              onChange={(i: number) => setPage(Math.floor(i / paging.pageSize) + 1)}
              data-testid="grid-jump"
            />
            <Typography.Text type="secondary">
              已提交 {roster.filter((u) => u.submittedAt).length}/{paging.units} 个单位
            </Typography.Text>
          </Space>
        )}
        {!scoringOpen && (
          <Alert
            style={{ marginTop: 8 }}
            type="info"
            showIcon
            message="评估组长还没有开始评分,暂时不能打分。"
          />
        )}
      </Card>
      <Table<Leaf>
        rowKey="code"
        size="small"
        bordered
        pagination={false}
        dataSource={leaves}
        scroll={{ x: 300 + units.length * 190 }}
        data-testid="scoring-grid"
        columns={[
          {
            title: "指标",
            fixed: "left",
            width: 300,
            render: (_, l) => (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {l.path.join(" / ")}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary">{l.code}</Typography.Text> {l.name}{" "}
                  <Tooltip
                    title={
                      <div>
                        <div>{l.hint}</div>
                        {l.criteria && <div>评分细则:{l.criteria}</div>}
                        {l.observationPoints.length > 0 && <div>观测点:{l.observationPoints.join(";")}</div>}
                      </div>
                    }
                  >
                    <InfoCircleOutlined style={{ color: "#8c8c8c" }} />
                  </Tooltip>
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {l.ruleLabel} · 满分 {l.max}
                  {choiceHint(l) ? `(${choiceHint(l)})` : ""}
                </Typography.Text>
              </div>
            ),
          },
          ...units.map((u) => ({
            key: String(u.unitId),
            width: 190,
            title: (
              <UnitHeader
                unit={u}
                done={leaves.filter((l) => u.cells[l.code]).length}
                total={leaves.length}
                submitting={submit.isPending && submit.variables?.unitId === u.unitId}
                onSubmit={() => submit.mutate({ projectId, unitId: u.unitId })}
              />
            ),
            render: (_: unknown, leaf: Leaf) => {
              const c = u.cells[leaf.code];
              return (
                <GridCell
                  unitId={u.unitId}
                  unitName={u.unitName}
                  leaf={leaf}
                  server={c?.value ?? null}
                  disabled={!!u.submittedAt || !scoringOpen}
                  failed={!!failed[key(u.unitId, leaf.code)]}
                  hasEvidence={!!(c?.evidenceUrl || c?.evidenceFileId || c?.note)}
                  others={(u.others?.[leaf.code] ?? [])
                    .map((o) => `${o.evaluatorName}:${o.value}`)
                    .join("\n")}
                  actions={actions}
                />
              );
            },
          })),
        ]}
      />
      {evidenceFor && (
        <EvidenceModal
          projectId={projectId}
          unit={evidenceFor.unit}
          leaf={evidenceFor.leaf}
          value={shown(evidenceFor.unit, evidenceFor.leaf.code)}
          cell={evidenceFor.unit.cells[evidenceFor.leaf.code]}
          onClose={() => setEvidenceFor(null)}
          onSaved={() => {
            refresh();
            setEvidenceFor(null);
          }}
        />
      )}
    </Space>
  );
}

type CellActions = {
  /** Saves a cell's value; true once saved (or unchanged) and read again. */
  commit: (unitId: number, code: string, value: number | null) => Promise<boolean>;
  next: (k: string) => void;
  evidence: (unitId: number, code: string) => void;
  typed: (k: string, value: number | null) => void;
  register: (k: string, el: { focus: () => void; blur: () => void } | null) => void;
};

type CellProps = {
  unitId: number;
  /** For the input's name (a screen reader hears the unit and the indicator, not a bare number). */
  unitName: string;
  leaf: Leaf;
  /** The saved value. */
  server: number | null;
  disabled: boolean;
  failed: boolean;
  hasEvidence: boolean;
  /** The other evaluators' values, a line each ("name:value"). */
  others: string;
  actions: CellActions;
};

/**
 * One cell of the grid: the value typed is held here until it is saved (leaving the cell, or
 * Enter), so typing re-renders this cell only.
 */
const GridCell = memo(
  function GridCell({
    unitId,
    unitName,
    leaf,
    server,
    disabled,
    failed,
    hasEvidence,
    others,
    actions,
  }: CellProps) {
    const k = key(unitId, leaf.code);
    const [draft, setDraft] = useState<number | null | undefined>(undefined);
    // A value outside the indicator's range is kept as typed and refused with the reason (not
    // clamped to the nearest bound, which would save a score nobody typed).
    const range = rangeOf(leaf);
    const refused =
      draft !== undefined &&
      draft !== null &&
      (draft < range.min || (range.max !== undefined && draft > range.max))
        ? `${draft} 超出本项得分范围(${range.min}–${range.max ?? "不限"} 分),未保存,请改正。`
        : null;
    return (
      <div>
        <Space size={4}>
          <InputNumber
            ref={(el) => actions.register(k, el)}
            size="small"
            style={{ width: 96 }}
            step={range.step}
            disabled={disabled}
            status={failed || refused ? "error" : undefined}
            value={draft === undefined ? server : draft}
            onChange={(v) => {
              const value = v === null ? null : Number(v);
              setDraft(value);
              actions.typed(k, value);
            }}
            onBlur={async () => {
              if (refused) return;
              if (draft !== undefined && (await actions.commit(unitId, leaf.code, draft)))
                setDraft(undefined);
            }}
            onPressEnter={(e) => {
              e.preventDefault();
              actions.next(k);
            }}
            data-testid={`cell-${unitId}-${leaf.code}`}
            aria-label={`${unitName} ${leaf.code} ${leaf.name}`}
          />
          <Tooltip title={hasEvidence ? "查看/修改佐证" : "添加佐证(网址、截图、观察时间、备注)"}>
            <Button
              size="small"
              type={hasEvidence ? "primary" : "default"}
              ghost={hasEvidence}
              tabIndex={-1}
              icon={<PaperClipOutlined />}
              aria-label={`${unitName} ${leaf.code} 佐证`}
              onClick={() => actions.evidence(unitId, leaf.code)}
              data-testid={`evidence-${unitId}-${leaf.code}`}
            />
          </Tooltip>
        </Space>
        {refused && (
          <div
            role="alert"
            style={{ fontSize: 12, color: "#cf1322", maxWidth: 200 }}
            data-testid={`refused-${k}`}
          >
            {refused}
          </div>
        )}
        {others
          .split("\n")
          .filter(Boolean)
          .map((line) => (
            <div key={line} style={{ fontSize: 12, color: "rgba(0, 0, 0, 0.6)" }}>
              {line}
            </div>
          ))}
      </div>
    );
  },
  (a, b) =>
    a.unitId === b.unitId &&
    a.leaf.code === b.leaf.code &&
    a.server === b.server &&
    a.disabled === b.disabled &&
    a.failed === b.failed &&
    a.hasEvidence === b.hasEvidence &&
    a.others === b.others &&
    a.actions === b.actions,
);

function UnitHeader({
  unit,
  done,
  total,
  submitting,
  onSubmit,
}: {
  unit: GridUnit;
  done: number;
  total: number;
  submitting: boolean;
  onSubmit: () => void;
}) {
  return (
    <div>
      <div style={{ fontWeight: 600 }}>{unit.unitName}</div>
      <Space size={4} wrap>
        <Tag>{tierLabel(unit.tier)}</Tag>
        {unit.submittedAt ? (
          <Tag color="green" icon={<CheckCircleOutlined />}>
            已提交
          </Tag>
        ) : (
          <>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {done}/{total}
            </Typography.Text>
            <Popconfirm
              title="提交后不能再修改该单位的评分,确定提交?"
              onConfirm={onSubmit}
              okText="提交"
              disabled={done < total}
            >
              <Button
                size="small"
                type="primary"
                disabled={done < total}
                loading={submitting}
                data-testid={`submit-${unit.unitId}`}
              >
                提交
              </Button>
            </Popconfirm>
          </>
        )}
        {unit.allSubmitted && <Tag color="purple">双评已齐</Tag>}
      </Space>
    </div>
  );
}

type EvidenceForm = { evidenceUrl?: string; observedAt?: Dayjs | null; note?: string };

function EvidenceModal({
  projectId,
  unit,
  leaf,
  value,
  cell,
  onClose,
  onSaved,
}: {
  projectId: number;
  unit: GridUnit;
  leaf: Leaf;
  value: number | null;
  cell: CellData | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const [form] = Form.useForm<EvidenceForm>();
  const [file, setFile] = useState<Uploaded | null>(
    cell?.evidenceFileId ? { id: cell.evidenceFileId, fileName: cell.evidenceFileName ?? "佐证文件" } : null,
  );
  const [uploading, setUploading] = useState(false);
  const [score, setScore] = useState<number | null>(value);
  const save = useMutation(
    trpc.evaluation.saveScores.mutationOptions({
      onSuccess: () => {
        message.success("已保存佐证");
        onSaved();
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  const readOnly = !!unit.submittedAt;
  return (
    <Modal
      title={`${unit.unitName} · ${leaf.code} ${leaf.name}`}
      open
      onCancel={onClose}
      onOk={() => (readOnly ? onClose() : form.submit())}
      okText={readOnly ? "关闭" : "保存"}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: uploading }}
      destroyOnHidden
    >
      {leaf.criteria && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          评分细则:{leaf.criteria}
          {leaf.observationPoints.length > 0 && (
            <>
              <br />
              观测点:{leaf.observationPoints.join(";")}
            </>
          )}
        </Typography.Paragraph>
      )}
      <Form<EvidenceForm>
        form={form}
        layout="vertical"
        disabled={readOnly}
        initialValues={{
          evidenceUrl: cell?.evidenceUrl ?? "",
          observedAt: cell?.observedAt ? dayjs(cell.observedAt) : dayjs(),
          note: cell?.note ?? "",
        }}
        onFinish={(v) => {
          if (score === null) {
            message.warning("请先填写得分,再保存佐证。");
            return;
          }
          save.mutate({
            projectId,
            scores: [
              {
                unitId: unit.unitId,
                indicatorCode: leaf.code,
                value: score,
                evidenceUrl: v.evidenceUrl?.trim() || null,
                evidenceFileId: file?.id ?? null,
                observedAt: v.observedAt ? v.observedAt.toISOString() : null,
                note: v.note?.trim() || null,
              },
            ],
          });
        }}
      >
        <Form.Item label={`得分(${leaf.hint})`}>
          <InputNumber
            {...rangeOf(leaf)}
            value={score}
            onChange={(v) => setScore(v === null ? null : Number(v))}
            data-testid="evidence-score"
          />
        </Form.Item>
        <Form.Item
          name="evidenceUrl"
          label="核查的网址"
          rules={[{ pattern: /^https?:\/\/\S+$/, message: "网址应以 http:// 或 https:// 开头" }]}
        >
          <Input placeholder="https://" data-testid="evidence-url" />
        </Form.Item>
        <Form.Item label="截图或文件">
          <Space>
            <Upload
              accept=".png,.jpg,.jpeg,.pdf,.ofd,.doc,.docx,.xls,.xlsx"
              showUploadList={false}
              disabled={readOnly}
              beforeUpload={(f) => {
                setUploading(true);
                uploadFile(f)
                  .then(setFile)
                  .catch((e: Error) => message.error(e.message))
                  .finally(() => setUploading(false));
                return Upload.LIST_IGNORE;
              }}
            >
              <Button icon={<UploadOutlined />} loading={uploading}>
                上传截图
              </Button>
            </Upload>
            {file && (
              <Typography.Link href={fileUrl(file.id)} target="_blank">
                {file.fileName}
              </Typography.Link>
            )}
            {file && !readOnly && (
              <Button type="link" danger onClick={() => setFile(null)}>
                移除
              </Button>
            )}
          </Space>
        </Form.Item>
        <Form.Item name="observedAt" label="观察时间">
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={3} placeholder="发现的问题、扣分依据" data-testid="evidence-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
