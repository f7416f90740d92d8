/**
 * /plans/import: paste or upload a 工作要点 (or a task-division table), check the parse beside the
 * source text, fix units and deadlines, and create the plans as drafts in one transaction.
 */
import { FileTextOutlined, InboxOutlined, ReloadOutlined } from "@ant-design/icons";
import type { AssignmentRole } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Progress,
  Space,
  Spin,
  Tabs,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
  Upload,
} from "antd";
import dayjs from "dayjs";
import { useCallback, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useOutletContext } from "react-router";
import { useUnitTree } from "../../components/UnitPicker.tsx";
import type { Me } from "../../lib/session.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { BulkAssign } from "./BulkAssign.tsx";
import { addUnits, type CheckKind, checkLabels, checkSummary } from "./checks.ts";
import {
  confirmInput,
  type Draft,
  type DraftPlan,
  type DraftTask,
  draftFromPreview,
  nameSummaries,
  needsAttention,
  type Preview,
  problemsOf,
  type Resolution,
  roleShort,
} from "./model.ts";
import { NamesPanel } from "./NamesPanel.tsx";
import { ResolveNameModal } from "./ResolveNameModal.tsx";
import { MarkLegend, SourcePane } from "./SourcePane.tsx";
import { TaskTable } from "./TaskTable.tsx";
import { filterBySearchText, toSingleTree } from "./tree.ts";
import {
  acceptedExtensions,
  formatBytes,
  maxImportBytes,
  requestPreview,
  type UploadProgress,
} from "./upload.ts";

type Loaded = { preview: Preview; source: string };

export function ImportPage() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to="/plans">工作要点</Link> }, { title: "导入工作要点" }]} />
      {loaded ? (
        <PreviewStep key={loaded.source} loaded={loaded} onRestart={() => setLoaded(null)} />
      ) : (
        <InputStep onLoaded={setLoaded} />
      )}
    </Space>
  );
}

function InputStep({ onLoaded }: { onLoaded: (l: Loaded) => void }) {
  const [year, setYear] = useState<number | null>(null);
  const [text, setText] = useState("");
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [what, setWhat] = useState("");
  const abort = useRef<(() => void) | null>(null);

  const start = (body: { file: File } | { text: string }) => {
    setError(null);
    if ("file" in body && body.file.size > maxImportBytes) {
      setError("文件超过 10 MB,请拆分后再导入。");
      return;
    }
    const label =
      "file" in body
        ? `${body.file.name}(${formatBytes(body.file.size)})`
        : `粘贴的文字(${body.text.length} 字)`;
    setWhat(label);
    const req = requestPreview(body, year, setProgress);
    abort.current = req.abort;
    req.promise
      .then((preview) => onLoaded({ preview, source: `${label}#${Date.now()}` }))
      .catch((e: unknown) => {
        if (!(e instanceof DOMException && e.name === "AbortError")) setError(errorMessage(e));
      })
      .finally(() => {
        setProgress(null);
        abort.current = null;
      });
  };

  return (
    <Card title="导入工作要点">
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          上传工作要点(Word .docx、带文字的 PDF、.txt,或从政府网站另存的网页 .html)或任务分工表
          (.xlsx、.csv,含「工作任务」「牵头单位」「完成时限」等表头),也可以直接粘贴文字(从网页复制的表格也可以)。
          系统识别任务编号、牵头/配合/责任单位和完成时限,并与单位目录比对;确认前可逐项修改、批量指定单位,
          确认后创建为草稿,核对无误再发布。支持简体和繁体,文字文件支持 UTF-8、GBK、GB18030、Big5 编码。
        </Typography.Paragraph>
        <Space>
          <span>年度</span>
          <InputNumber
            min={2000}
            max={2100}
            placeholder="按文件识别"
            value={year}
            onChange={(v) => setYear(v ?? null)}
            style={{ width: 140 }}
            data-testid="import-year"
          />
          <Typography.Text type="secondary">
            文件没有写明年份时填写,用于计算「6月底前」等时限的日期。
          </Typography.Text>
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            title="无法解析"
            description={error}
            data-testid="import-error"
            closable
          />
        )}
        {progress ? (
          <div style={{ padding: "32px 0", textAlign: "center" }} data-testid="import-progress">
            <Typography.Paragraph>{what}</Typography.Paragraph>
            {progress.phase === "uploading" ? (
              <>
                <Progress percent={progress.percent} status="active" style={{ maxWidth: 480 }} />
                <Typography.Paragraph type="secondary">正在上传…</Typography.Paragraph>
              </>
            ) : (
              <>
                <Spin size="large" />
                <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                  解析中:识别任务、单位和时限…
                </Typography.Paragraph>
              </>
            )}
            <Button onClick={() => abort.current?.()}>取消</Button>
          </div>
        ) : (
          <Tabs
            items={[
              {
                key: "file",
                label: "上传文件",
                children: (
                  <Upload.Dragger
                    accept={acceptedExtensions.join(",")}
                    multiple={false}
                    showUploadList={false}
                    beforeUpload={(file) => {
                      start({ file });
                      return Upload.LIST_IGNORE;
                    }}
                    data-testid="import-file"
                  >
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">点击选择文件,或把文件拖到这里</p>
                    <p className="ant-upload-hint">.docx、.pdf、.txt、.html、.xlsx、.csv,不超过 10 MB</p>
                  </Upload.Dragger>
                ),
              },
              {
                key: "text",
                label: "粘贴文字",
                children: (
                  <Space orientation="vertical" style={{ width: "100%" }}>
                    <Input.TextArea
                      value={text}
                      onChange={(e) => setText(e.target.value)}
                      autoSize={{ minRows: 14, maxRows: 28 }}
                      placeholder={
                        "把工作要点全文粘贴到这里,例如:\n一、提升政策公开服务能级\n1.实施政策文件标签化管理。……(牵头单位:党政办;配合单位:机关各科室)\n2.……3月31日前完成。"
                      }
                      data-testid="import-text"
                    />
                    <Button
                      type="primary"
                      icon={<FileTextOutlined />}
                      disabled={!text.trim()}
                      onClick={() => start({ text })}
                      data-testid="import-parse-text"
                    >
                      解析文字
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}

function PreviewStep({ loaded, onRestart }: { loaded: Loaded; onRestart: () => void }) {
  const { preview } = loaded;
  const trpc = useTRPC();
  const me = useOutletContext<Me>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const units = useQuery(trpc.units.list.queryOptions());
  const groups = useQuery(trpc.units.groups.list.queryOptions());
  const treeData = useUnitTree(units.data, groups.data);
  const unitsOnly = useUnitTree(units.data, undefined);
  const unitTreeData = useMemo(() => toSingleTree(unitsOnly), [unitsOnly]);
  const labels = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of units.data ?? []) m.set(`u:${u.id}`, u.name);
    for (const g of groups.data ?? []) m.set(`g:${g.id}`, g.name);
    return m;
  }, [units.data, groups.data]);
  const labelOf = useCallback((v: string) => labels.get(v) ?? v, [labels]);
  const defaultParentId = me.unitId ?? units.data?.find((u) => u.parentId === null)?.id ?? null;

  const [draft, setDraft] = useState<Draft>(() => draftFromPreview(preview));
  const [active, setActive] = useState(0);
  const [selection, setSelection] = useState<{ key: string | null; source: number; table: number }>({
    key: null,
    source: 0,
    table: 0,
  });
  const [resolving, setResolving] = useState<string | null>(null);
  const [checked, setChecked] = useState<string[]>([]);
  const [only, setOnly] = useState<CheckKind | null>(null);

  const names = useMemo(() => nameSummaries(draft), [draft]);
  const problems = useMemo(() => problemsOf(draft), [draft]);
  const open = names.filter((n) => needsAttention(n.state));
  const unmatched = open.filter((n) => n.state === "unmatched").length;
  const includedPlans = draft.plans.filter((p) => p.included);
  const taskCount = includedPlans.reduce((n, p) => n + p.tasks.filter((t) => !t.excluded).length, 0);
  const flagged = includedPlans.reduce(
    (n, p) => n + p.tasks.filter((t) => !t.excluded && t.source.flags.length > 0).length,
    0,
  );
  const matchedCount = names.filter((n) => n.state === "matched").length;
  const checks = useMemo(
    () => includedPlans.flatMap((p) => checkSummary(p.tasks, p.year, draft.resolutions)),
    [includedPlans, draft.resolutions],
  );
  const checkKeys = useMemo(() => {
    const m = new Map<CheckKind, string[]>();
    for (const c of checks) m.set(c.kind, [...(m.get(c.kind) ?? []), ...c.keys]);
    return m;
  }, [checks]);
  const checkLabel = (k: CheckKind) => checkLabels[k](checkKeys.get(k)?.length ?? 0);
  // A warning about a plan's missing year goes once the office sets the year.
  // So does one about a missing title once the title is typed.
  const warnings = preview.warnings.filter((w) => {
    if (/没有写明年份/.test(w))
      return draft.plans.some(
        (p) => p.year === null && (w.includes(`《${p.source.title}》`) || !w.startsWith("《")),
      );
    if (/没有找到计划标题/.test(w))
      return draft.plans.some((p) => !p.title.trim() || p.title === "未命名计划");
    return true;
  });
  // A filter on a check that no task needs any more shows every task again.
  const shown = only && checkKeys.has(only) ? only : null;
  const assign = (role: AssignmentRole, values: string[]) => {
    const keys = new Set(checked);
    setDraft((d) => ({
      ...d,
      plans: d.plans.map((p) => ({
        ...p,
        tasks: p.tasks.map((t) => (keys.has(t.key) ? addUnits(t, role, values) : t)),
      })),
    }));
    message.success(`已为 ${keys.size} 项任务设置${roleShort[role]}单位。`);
    setChecked([]);
  };
  const canConfirm = unmatched === 0 && problems.length === 0;

  const updateTask = useCallback((key: string, change: (t: DraftTask) => DraftTask) => {
    setDraft((d) => ({
      ...d,
      plans: d.plans.map((p) =>
        p.tasks.some((t) => t.key === key)
          ? { ...p, tasks: p.tasks.map((t) => (t.key === key ? change(t) : t)) }
          : p,
      ),
    }));
  }, []);
  const updatePlan = (key: string, change: Partial<DraftPlan>) =>
    setDraft((d) => ({ ...d, plans: d.plans.map((p) => (p.key === key ? { ...p, ...change } : p)) }));
  const resolve = (changes: Record<string, Resolution | undefined>) =>
    setDraft((d) => {
      const resolutions = { ...d.resolutions };
      for (const [name, r] of Object.entries(changes)) {
        if (r) resolutions[name] = r;
        else delete resolutions[name];
      }
      return { ...d, resolutions };
    });

  /** A task picked in the source text: show its plan and scroll the table to it. */
  const selectFromSource = useCallback((key: string) => {
    const planIndex = Number(/^p(\d+)-/.exec(key)?.[1] ?? 0);
    setActive(planIndex);
    setSelection((s) => ({ ...s, key, table: s.table + 1 }));
  }, []);
  const selectFromTable = useCallback((key: string) => {
    setSelection((s) => (s.key === key ? s : { ...s, key, source: s.source + 1 }));
  }, []);

  const confirm = useMutation(
    trpc.imports.confirm.mutationOptions({
      onSuccess: (res) => {
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.units.pathKey() });
        message.success(
          `已导入 ${res.planIds.length} 份工作要点(草稿),共 ${taskCount} 项任务${
            res.unitsCreated ? `,新建单位 ${res.unitsCreated} 个` : ""
          }。请核对后发布。`,
          6,
        );
        navigate(`/plans/${res.planIds[0]}`);
      },
      onError: (e) =>
        modal.error({
          title: "导入失败,没有创建任何内容",
          content: errorMessage(e),
          width: 520,
        }),
    }),
  );

  const paneHeight = "max(480px, calc(100vh - 190px))";
  const resolvingName = resolving ? (names.find((n) => n.name === resolving) ?? null) : null;
  const planBody = (p: DraftPlan) => (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <PlanFields
        plan={p}
        many={draft.plans.length > 1}
        onChange={(change) => updatePlan(p.key, change)}
        unitTreeData={unitTreeData}
        defaultIssuer={me.unitName}
      />
      <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 5fr) minmax(0, 7fr)", gap: 12 }}>
        <div>
          <div style={{ display: "flex", justifyContent: "space-between", marginBottom: 6, gap: 8 }}>
            <Typography.Text strong>原文</Typography.Text>
            <MarkLegend />
          </div>
          <SourcePane
            preview={preview}
            selectedKey={selection.key}
            scrollTo={selection.source}
            onSelect={selectFromSource}
            height={paneHeight}
            startKey={p.key === "p0" ? undefined : p.tasks[0]?.key}
          />
        </div>
        <div>
          <div style={{ marginBottom: 6 }}>
            <Typography.Text strong>识别结果</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
              点击行在原文中定位;点击编号、标题、时限可修改;展开行可改全文、章节、类别和加单位
            </Typography.Text>
          </div>
          {checked.length > 0 && (
            <BulkAssign
              count={checked.length}
              treeData={treeData}
              onAssign={assign}
              onClear={() => setChecked([])}
            />
          )}
          <TaskTable
            tasks={shown ? p.tasks.filter((t) => checkKeys.get(shown)?.includes(t.key)) : p.tasks}
            checked={checked}
            onCheck={setChecked}
            sections={p.source.sections}
            year={p.year}
            originalYear={p.source.year}
            resolutions={draft.resolutions}
            selectedKey={selection.key}
            scrollTo={selection.table}
            onSelect={selectFromTable}
            onUpdate={updateTask}
            onOpenName={setResolving}
            labelOf={labelOf}
            treeData={treeData}
            height={paneHeight}
          />
        </div>
      </div>
    </Space>
  );

  return (
    <>
      <Card
        title={
          <Space wrap>
            导入工作要点 · 核对
            <Typography.Text type="secondary" style={{ fontWeight: "normal", fontSize: 13 }}>
              {loaded.source.replace(/#\d+$/, "")}
            </Typography.Text>
          </Space>
        }
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={onRestart}>
              重新选择
            </Button>
            <Tooltip
              title={
                unmatched > 0
                  ? `还有 ${unmatched} 个单位名称未处理`
                  : problems.length > 0
                    ? problems[0]?.message
                    : "创建为草稿,核对无误后在工作要点页发布"
              }
            >
              <Button
                type="primary"
                disabled={!canConfirm}
                loading={confirm.isPending}
                onClick={() => confirm.mutate(confirmInput(draft, preview.text))}
                data-testid="import-confirm"
              >
                确认导入
              </Button>
            </Tooltip>
          </Space>
        }
        styles={{ body: { paddingBlock: 12 } }}
      >
        <Space orientation="vertical" size="small" style={{ width: "100%" }}>
          <Space wrap size="large" data-testid="import-summary">
            <span>
              工作要点 <b>{includedPlans.length}</b> 份
            </span>
            <span>
              任务 <b>{taskCount}</b> 项
            </span>
            <span>
              单位名称 <b>{names.length}</b> 个,已匹配 <b style={{ color: "#389e0d" }}>{matchedCount}</b> 个
            </span>
            <span>
              需处理{" "}
              <b style={{ color: open.length ? "#cf1322" : undefined }} data-testid="attention-count">
                {open.length}
              </b>{" "}
              个
              {open.length > 0 && (
                <Typography.Text type="secondary">
                  (未匹配 {unmatched},待核实 {open.length - unmatched})
                </Typography.Text>
              )}
            </span>
            <span>
              有提示的任务 <b style={{ color: flagged ? "#d46b08" : undefined }}>{flagged}</b> 项
              <Typography.Text type="secondary">(仅供核对,不影响导入)</Typography.Text>
            </span>
          </Space>
          {checks.length > 0 && (
            <Space wrap size={[8, 4]} data-testid="import-checks">
              <Typography.Text>需核对:</Typography.Text>
              {[...checkKeys.keys()].map((k) => (
                <Tag.CheckableTag
                  key={k}
                  checked={shown === k}
                  onChange={(on) => setOnly(on ? k : null)}
                  style={{
                    border: "1px solid #ffd591",
                    background: shown === k ? undefined : "#fff7e6",
                    color: shown === k ? undefined : "#873800",
                  }}
                  data-testid={`check-${k}`}
                >
                  {checkLabel(k)}
                </Tag.CheckableTag>
              ))}
              {shown && (
                <>
                  <Button
                    size="small"
                    onClick={() => setChecked(checkKeys.get(shown) ?? [])}
                    data-testid="check-select-all"
                  >
                    全部选中,批量设置
                  </Button>
                  <Button size="small" type="link" onClick={() => setOnly(null)}>
                    显示全部任务
                  </Button>
                </>
              )}
            </Space>
          )}
          {warnings.map((w) => (
            <Alert key={w} type="warning" showIcon title={w} data-testid="import-warning" />
          ))}
          {problems.map((p) => (
            <Alert
              key={`${p.planKey}${p.taskKey ?? ""}${p.message}`}
              type="error"
              showIcon
              title={p.message}
            />
          ))}
          <NamesPanel
            names={names}
            resolutions={draft.resolutions}
            onOpen={setResolving}
            onResolveMany={resolve}
            unitTreeData={unitTreeData}
            defaultParentId={defaultParentId}
            labelOf={labelOf}
          />
        </Space>
      </Card>
      {draft.plans.length > 1 ? (
        <Card styles={{ body: { paddingTop: 4 } }}>
          <Tabs
            activeKey={String(active)}
            onChange={(k) => setActive(Number(k))}
            items={draft.plans.map((p, i) => {
              const attention = names.filter(
                (n) => needsAttention(n.state) && n.taskKeys.some((k) => k.startsWith(`${p.key}-`)),
              ).length;
              return {
                key: String(i),
                label: (
                  <Space size={4}>
                    <span style={{ textDecoration: p.included ? undefined : "line-through" }}>
                      {p.title.length > 24 ? `${p.title.slice(0, 24)}…` : p.title || "未命名"}
                    </span>
                    <Tag bordered={false}>{p.tasks.filter((t) => !t.excluded).length} 项</Tag>
                    {attention > 0 && <Tag color="red">{attention} 待处理</Tag>}
                  </Space>
                ),
                children: planBody(p),
              };
            })}
          />
        </Card>
      ) : (
        draft.plans[0] && <Card styles={{ body: { paddingTop: 12 } }}>{planBody(draft.plans[0])}</Card>
      )}
      <ResolveNameModal
        target={resolvingName}
        resolution={resolving ? draft.resolutions[resolving] : undefined}
        onResolve={(name, r) => resolve({ [name]: r })}
        onClose={() => setResolving(null)}
        treeData={treeData}
        unitTreeData={unitTreeData}
        labelOf={labelOf}
        defaultParentId={defaultParentId}
      />
    </>
  );
}

function PlanFields({
  plan,
  many,
  onChange,
  unitTreeData,
  defaultIssuer,
}: {
  plan: DraftPlan;
  many: boolean;
  /** Who the server records as issuer when none is picked: the office's own unit. */
  defaultIssuer: string | null;
  onChange: (change: Partial<DraftPlan>) => void;
  unitTreeData: ReturnType<typeof toSingleTree>;
}) {
  const issuer = plan.source.issuerMatch;
  return (
    <Form layout="vertical" size="small" style={{ marginBottom: -8 }}>
      <div
        style={{
          display: "grid",
          gridTemplateColumns: "minmax(240px, 3fr) 110px minmax(140px, 1fr) minmax(180px, 1.4fr) 150px",
          gap: 12,
          alignItems: "start",
        }}
      >
        <Form.Item
          label={
            many ? (
              <Checkbox checked={plan.included} onChange={(e) => onChange({ included: e.target.checked })}>
                导入这份工作要点 · 标题
              </Checkbox>
            ) : (
              "标题"
            )
          }
          required
          validateStatus={plan.title.trim() ? undefined : "error"}
        >
          <Input
            value={plan.title}
            onChange={(e) => onChange({ title: e.target.value })}
            maxLength={200}
            data-testid="plan-title"
          />
        </Form.Item>
        <Form.Item label="年度" required validateStatus={plan.year === null ? "error" : undefined}>
          <InputNumber
            min={2000}
            max={2100}
            value={plan.year}
            onChange={(v) => onChange({ year: v ?? null })}
            style={{ width: "100%" }}
            data-testid="plan-year"
          />
        </Form.Item>
        <Form.Item label="文号">
          <Input
            value={plan.docNumber}
            onChange={(e) => onChange({ docNumber: e.target.value })}
            placeholder="如 徐府〔2026〕12号"
            maxLength={100}
          />
        </Form.Item>
        <Form.Item
          label="发文单位"
          help={
            issuer ? (
              <span style={{ fontSize: 12 }}>
                原文:{issuer.name}
                {issuer.match.kind === "none" && plan.issuerUnitId === null ? "(目录中没有)" : ""}
              </span>
            ) : undefined
          }
        >
          <TreeSelect
            allowClear
            value={plan.issuerUnitId ?? undefined}
            onChange={(v: number | undefined) => onChange({ issuerUnitId: v ?? null })}
            treeData={unitTreeData}
            showSearch={{ filterTreeNode: filterBySearchText }}
            treeDefaultExpandAll
            placeholder={defaultIssuer ? `不选则为${defaultIssuer}` : "选择发文单位"}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <Form.Item label="发布日期">
          <DatePicker
            value={plan.publishDate ? dayjs(plan.publishDate) : null}
            onChange={(d) => onChange({ publishDate: d ? d.format("YYYY-MM-DD") : null })}
            style={{ width: "100%" }}
          />
        </Form.Item>
      </div>
      {plan.source.cites.length > 0 && (
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, margin: "4px 0 8px" }}
          data-testid="plan-cites"
        >
          原文引用的上级文件:
          {plan.source.cites.map((c) => `《${c.title}》${c.docNumber ? `(${c.docNumber})` : ""}`).join("、")}
          。导入后可在工作要点的「上下级对标」中关联。
        </Typography.Paragraph>
      )}
    </Form>
  );
}
