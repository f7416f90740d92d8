import { DeleteOutlined, LinkOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  Popconfirm,
  Space,
  Spin,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from "antd";
import { memo, useCallback, useState } from "react";
import { useSearchParams } from "react-router";
import { PageTitle } from "../../components/text.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useIsPhone } from "../../lib/useIsPhone.ts";
import {
  type AssessmentStatus,
  dateTime,
  type Leaf,
  LeafLabel,
  pts,
  StatusTag,
  ValueInput,
  valueText,
} from "./shared.tsx";

type Mine = RouterOutputs["assessment"]["self"]["list"][number];
type Self = RouterOutputs["assessment"]["self"]["get"];
type Evidence = { url?: string; fileId?: number; title?: string; fileName?: string | null };
type Entry = { selfValue: number | null; selfNote: string; selfEvidence: Evidence[] };

/** 年度自评 (unit): the schemes it takes part in, its self-assessment, and its published result. */
export function SelfAssessmentPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.assessment.self.list.queryOptions());
  const [params, setParams] = useSearchParams();
  const picked = Number(params.get("id")) || null;
  const current = picked ?? list.data?.[0]?.id ?? null;
  const isPhone = useIsPhone();
  const selfState = (s: Mine) =>
    s.selfSubmittedAt ? (
      <Tag color="green">已提交 {dateTime(s.selfSubmittedAt)}</Tag>
    ) : s.editable ? (
      <Tag color="blue">填写中</Tag>
    ) : (
      <Tag>未提交</Tag>
    );
  const resultOf = (s: Mine) =>
    s.result ? (
      s.result.complete ? (
        <span>
          {pts(s.result.total)} 分 · 第 {s.result.rank ?? "—"} 名 / {s.result.unitCount}
          {s.result.grade ? ` · ${s.result.grade}` : ""}
        </span>
      ) : (
        <Tag color="orange">未完成</Tag>
      )
    ) : null;
  // On a phone two columns: the scheme (year, stage, due date under its name) and where the unit is.
  const phoneColumns: TableColumnsType<Mine> = [
    {
      title: "考核方案",
      render: (_, s) => (
        <div>
          <Typography.Link>{s.name}</Typography.Link>
          <div style={{ marginTop: 4 }}>
            <StatusTag status={s.status} />
            {s.selfAssessmentDue && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                截止 {s.selfAssessmentDue}
              </Typography.Text>
            )}
          </div>
        </div>
      ),
    },
    {
      title: "本单位",
      width: 128,
      render: (_, s) => (
        <div style={{ display: "grid", gap: 4, justifyItems: "start" }}>
          {selfState(s)}
          {resultOf(s)}
        </div>
      ),
    },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card title={<PageTitle>年度自评</PageTitle>} size={isPhone ? "small" : "default"}>
        <Table<Mine>
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={list.data ?? []}
          pagination={false}
          rowClassName={(s) => (s.id === current ? "ant-table-row-selected" : "")}
          onRow={(s) => ({ onClick: () => setParams({ id: String(s.id) }), style: { cursor: "pointer" } })}
          locale={{
            emptyText: <Empty description="暂无需要自评的考核。政务公开办开放自评后会显示在这里。" />,
          }}
          columns={
            isPhone
              ? phoneColumns
              : [
                  { title: "年度", dataIndex: "year", width: 80 },
                  {
                    title: "考核方案",
                    dataIndex: "name",
                    render: (n: string) => <Typography.Link>{n}</Typography.Link>,
                  },
                  {
                    title: "阶段",
                    dataIndex: "status",
                    width: 100,
                    render: (s: AssessmentStatus) => <StatusTag status={s} />,
                  },
                  {
                    title: "自评截止",
                    dataIndex: "selfAssessmentDue",
                    width: 110,
                    render: (d: string | null) => d ?? "—",
                  },
                  { title: "本单位自评", width: 170, render: (_, s) => selfState(s) },
                  { title: "考核结果", width: 200, render: (_, s) => resultOf(s) ?? "—" },
                ]
          }
        />
      </Card>
      {current !== null && <SelfForm key={current} id={current} />}
    </Space>
  );
}

function SelfForm({ id }: { id: number }) {
  const trpc = useTRPC();
  const view = useQuery(trpc.assessment.self.get.queryOptions({ id }));
  if (view.isPending) return <Spin />;
  if (view.error) return <Alert type="error" showIcon message={errorMessage(view.error)} />;
  return (
    <>
      {view.data.published && <PublishedResult self={view.data} />}
      <SelfTable key={String(view.data.selfSubmittedAt)} self={view.data} />
    </>
  );
}

function SelfTable({ self }: { self: Self }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const entryOf = new Map(self.entries.map((e) => [e.indicatorCode, e]));
  const [entries, setEntries] = useState<Record<string, Entry>>(() =>
    Object.fromEntries(
      self.leaves.map((l) => {
        const e = entryOf.get(l.code);
        return [
          l.code,
          {
            selfValue: e?.selfValue ?? null,
            selfNote: e?.selfNote ?? "",
            selfEvidence: (e?.selfEvidence ?? []).map((x) => ({
              ...(x.url ? { url: x.url } : {}),
              ...(x.fileId ? { fileId: x.fileId } : {}),
              ...(x.title ? { title: x.title } : {}),
              fileName: x.fileName,
            })),
          },
        ];
      }),
    ),
  );
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.assessment.self.pathKey() });
  // The same function from render to render: a row's inputs re-render only when their own values
  // change (a keystroke re-rendered every row of the scheme: 152 at province scale).
  const set = useCallback((code: string, patch: Partial<Entry>) => {
    setEntries((c) => ({ ...c, [code]: { ...(c[code] as Entry), ...patch } }));
    setDirty(true);
  }, []);
  const payload = () =>
    self.leaves.map((l) => {
      const e = entries[l.code] as Entry;
      return {
        indicatorCode: l.code,
        selfValue: l.source ? null : e.selfValue,
        selfNote: e.selfNote.trim() || null,
        selfEvidence: e.selfEvidence.map(({ fileName: _, ...x }) => x),
      };
    });
  const save = useMutation(
    trpc.assessment.self.save.mutationOptions({
      onSuccess: () => {
        setDirty(false);
        setError(null);
        refresh();
        message.success("已保存自评");
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const submit = useMutation(
    trpc.assessment.self.submit.mutationOptions({
      onSuccess: () => {
        refresh();
        message.success("已提交自评");
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const editable = self.editable;
  const s = self.scheme;
  const isPhone = useIsPhone();
  const stage = (
    <Space wrap>
      <StatusTag status={s.status} />
      {s.selfAssessmentDue && (
        <Typography.Text type="secondary">截止 {s.selfAssessmentDue}(当天可填)</Typography.Text>
      )}
    </Space>
  );
  const cells = (l: Leaf) => ({
    value: (
      <SelfValueCell
        leaf={l}
        value={entries[l.code]?.selfValue ?? null}
        computed={entryOf.get(l.code)?.computedValue ?? null}
        disabled={!editable}
        set={set}
      />
    ),
    note: (
      <SelfNoteCell code={l.code} value={entries[l.code]?.selfNote ?? ""} disabled={!editable} set={set} />
    ),
    evidence: (
      <SelfEvidenceCell
        code={l.code}
        items={entries[l.code]?.selfEvidence ?? noEvidence}
        disabled={!editable}
        set={set}
      />
    ),
  });

  return (
    <Card
      title={
        isPhone ? <span style={{ whiteSpace: "normal" }}>{`${s.name} · 自评`}</span> : `${s.name} · 自评`
      }
      extra={isPhone ? undefined : stage}
      size={isPhone ? "small" : "default"}
    >
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        {isPhone && stage}
        {self.lockedReason && (
          <Alert type="info" showIcon message={self.lockedReason} data-testid="self-locked" />
        )}
        {self.selfSubmittedAt && (
          <Typography.Text type="secondary">
            本单位已于 {dateTime(self.selfSubmittedAt)} 提交自评。
          </Typography.Text>
        )}
        {isPhone ? (
          // On a phone: one block an indicator, its inputs the screen's width.
          <div data-testid="self-entries">
            {self.leaves.map((l) => {
              const c = cells(l);
              return (
                <div
                  key={l.code}
                  style={{ display: "grid", gap: 6, padding: "10px 0", borderBottom: "1px solid #f0f0f0" }}
                >
                  <LeafLabel leaf={l} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    评分方式:{l.valueHint}
                  </Typography.Text>
                  {c.value}
                  {c.note}
                  {c.evidence}
                </div>
              );
            })}
          </div>
        ) : (
          <Table<Leaf>
            rowKey="code"
            size="small"
            dataSource={self.leaves}
            pagination={false}
            tableLayout="fixed"
            scroll={{ x: 1100 }}
            columns={[
              { title: "指标", width: 260, render: (_, l) => <LeafLabel leaf={l} /> },
              {
                title: "评分方式",
                width: 170,
                render: (_, l) => <Typography.Text style={{ fontSize: 12 }}>{l.valueHint}</Typography.Text>,
              },
              { title: "自评分", width: 170, render: (_, l) => cells(l).value },
              { title: "自评说明", width: 240, render: (_, l) => cells(l).note },
              { title: "佐证材料", render: (_, l) => cells(l).evidence },
            ]}
          />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            message={error}
            closable
            onClose={() => setError(null)}
            data-testid="self-error"
          />
        )}
        {editable && (
          <Space>
            <Button
              onClick={() => save.mutate({ id: s.id, selfEntries: payload() })}
              loading={save.isPending}
              data-testid="self-save"
            >
              保存
            </Button>
            <Popconfirm
              title="提交自评?"
              description="提交后不能再修改;如需修改请联系政务公开办退回。"
              onConfirm={async () => {
                if (dirty) await save.mutateAsync({ id: s.id, selfEntries: payload() });
                submit.mutate({ id: s.id });
              }}
            >
              <Button type="primary" loading={submit.isPending} data-testid="self-submit">
                提交自评
              </Button>
            </Popconfirm>
            {dirty && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
          </Space>
        )}
      </Space>
    </Card>
  );
}

type SetEntry = (code: string, patch: Partial<Entry>) => void;
const noEvidence: Entry["selfEvidence"] = [];

const SelfValueCell = memo(function SelfValueCell({
  leaf: l,
  value,
  computed,
  disabled,
  set,
}: {
  leaf: Leaf;
  value: number | null;
  computed: number | null;
  disabled: boolean;
  set: SetEntry;
}) {
  if (l.source) {
    return (
      <div>
        <Tag color="cyan">系统计算</Tag>
        <div style={{ fontSize: 12 }}>
          {computed === null ? "暂无数据" : valueText(l.rule, l.max, computed)}
        </div>
      </div>
    );
  }
  return (
    <ValueInput
      rule={l.rule}
      max={l.max}
      value={value}
      onChange={(v) => set(l.code, { selfValue: v })}
      disabled={disabled}
      testId={`self-${l.code}`}
      label={`${l.code} ${l.name} 自评`}
    />
  );
});

const SelfNoteCell = memo(function SelfNoteCell({
  code,
  value,
  disabled,
  set,
}: {
  code: string;
  value: string;
  disabled: boolean;
  set: SetEntry;
}) {
  return (
    <Input.TextArea
      autoSize={{ minRows: 1, maxRows: 4 }}
      value={value}
      disabled={disabled}
      placeholder="做了什么、依据是什么"
      onChange={(e) => set(code, { selfNote: e.target.value })}
    />
  );
});

const SelfEvidenceCell = memo(function SelfEvidenceCell({
  code,
  items,
  disabled,
  set,
}: {
  code: string;
  items: Entry["selfEvidence"];
  disabled: boolean;
  set: SetEntry;
}) {
  return (
    <EvidenceEditor
      items={items}
      disabled={disabled}
      onChange={(selfEvidence) => set(code, { selfEvidence })}
    />
  );
});

/** Links (http/https) and uploaded files offered as evidence for one indicator. */
function EvidenceEditor({
  items,
  disabled,
  onChange,
}: {
  items: Evidence[];
  disabled: boolean;
  onChange: (items: Evidence[]) => void;
}) {
  const { message } = App.useApp();
  const [url, setUrl] = useState("");
  const [uploading, setUploading] = useState(false);
  const addLink = () => {
    const u = url.trim();
    if (!/^https?:\/\/\S+$/i.test(u)) {
      message.error("佐证链接必须是以 http:// 或 https:// 开头的网址");
      return;
    }
    onChange([...items, { url: u }]);
    setUrl("");
  };
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      {items.map((e, i) => (
        <Space key={`${e.url ?? e.fileId}-${i}`} size={4} style={{ wordBreak: "break-all" }}>
          {e.url ? <LinkOutlined /> : <PaperClipOutlined />}
          {e.url ? (
            <a href={e.url} target="_blank" rel="noreferrer noopener">
              {e.title || e.url}
            </a>
          ) : (
            <a href={`/api/files/${e.fileId}`}>{e.fileName ?? e.title ?? `文件 ${e.fileId}`}</a>
          )}
          {!disabled && (
            <Button
              size="small"
              type="text"
              icon={<DeleteOutlined />}
              aria-label="删除佐证材料"
              onClick={() => onChange(items.filter((_, j) => j !== i))}
            />
          )}
        </Space>
      ))}
      {!disabled && (
        <Space.Compact style={{ width: "100%" }}>
          <Input
            size="small"
            value={url}
            placeholder="https://… 公开页面链接"
            onChange={(e) => setUrl(e.target.value)}
            onPressEnter={addLink}
          />
          <Button size="small" onClick={addLink}>
            添加
          </Button>
          <Upload
            showUploadList={false}
            accept=".pdf,.ofd,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
            beforeUpload={async (file) => {
              setUploading(true);
              try {
                const form = new FormData();
                form.append("file", file);
                const res = await fetch("/api/files", {
                  method: "POST",
                  body: form,
                  credentials: "same-origin",
                });
                const body = (await res.json()) as {
                  id?: number;
                  fileName?: string;
                  error?: { message: string };
                };
                if (!res.ok || body.id === undefined)
                  throw new Error(body.error?.message ?? "上传失败,请重试");
                onChange([
                  ...items,
                  {
                    fileId: body.id,
                    title: body.fileName ?? file.name,
                    fileName: body.fileName ?? file.name,
                  },
                ]);
              } catch (e) {
                message.error(errorMessage(e));
              } finally {
                setUploading(false);
              }
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading}>
              上传
            </Button>
          </Upload>
        </Space.Compact>
      )}
    </Space>
  );
}

function PublishedResult({ self }: { self: Self }) {
  const p = self.published;
  if (!p) return null;
  const me = p.me;
  return (
    <Card title={`考核结果(第 ${p.version} 版 · ${dateTime(p.publishedAt)} 发布)`} data-testid="my-result">
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        {p.reason && <Alert type="warning" showIcon message={`本版为更正版本:${p.reason}`} />}
        {me && (
          <Space size={48} wrap>
            <Statistic title="总分" value={me.total === null ? "未完成" : pts(me.total)} />
            <Statistic title="排名" value={me.rank === null ? "—" : `${me.rank} / ${p.unitCount}`} />
            <Statistic title="等次" value={me.grade ?? "—"} />
            <Statistic title="绩效贡献分" value={pts(me.contribution)} />
          </Space>
        )}
        {me && (
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }}>
            {p.firstLevel.map((f) => (
              <Descriptions.Item key={f.code} label={`${f.name}(${pts(f.max)}分)`}>
                {pts(me.indicators[f.code])}
              </Descriptions.Item>
            ))}
            {me.bonus > 0 && <Descriptions.Item label="加分">{pts(me.bonus)}</Descriptions.Item>}
            {me.vetoed && <Descriptions.Item label="单项否决">{me.vetoedBy.join("、")}</Descriptions.Item>}
          </Descriptions>
        )}
        <Table
          rowKey="unitId"
          size="small"
          dataSource={p.ranking}
          pagination={false}
          title={() => "本组排名"}
          rowClassName={(r) => (r.unitId === me?.unitId ? "ant-table-row-selected" : "")}
          columns={[
            { title: "排名", width: 80, render: (_, r) => r.rank ?? <Tag color="orange">未完成</Tag> },
            { title: "单位", dataIndex: "unit" },
            { title: "总分", width: 100, align: "right", render: (_, r) => pts(r.total) },
            { title: "等次", width: 100, render: (_, r) => r.grade ?? "—" },
          ]}
        />
        <Typography.Text type="secondary" style={{ wordBreak: "break-all" }}>
          内容哈希(sha256):{p.contentHash}
        </Typography.Text>
      </Space>
    </Card>
  );
}
