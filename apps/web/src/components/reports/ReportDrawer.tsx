import { ReloadOutlined, SaveOutlined, SendOutlined } from "@ant-design/icons";
import { type ReportStatus, reportStatuses, reportStatusLabels } from "@gongkai/core/domain";
import type { Light } from "@gongkai/core/reports";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Select,
  Slider,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useRef, useState } from "react";
import { RoleTag, UnitTags } from "../../lib/labels.tsx";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useIsPhone } from "../../lib/useIsPhone.ts";
import { FilesField, LinksField, type LinkValue, type UploadedFile } from "./EvidenceEditor.tsx";
import { NoticeDocxButton } from "./NoticeDocxButton.tsx";
import {
  EvidenceList,
  fmtDate,
  fmtDateTime,
  LightBadge,
  NoticeLevelTag,
  NoticeStateTag,
  ReportStateTag,
  ReportStatusTag,
} from "./shared.tsx";

type ReportForm = RouterOutputs["reports"]["form"];
type Report = NonNullable<ReportForm["report"]>;
type Contribution = ReportForm["contributions"][number];
type Notice = ReportForm["notices"][number];

type Values = {
  status: ReportStatus;
  percent: number;
  summary: string;
  blockedReason?: string;
  occurredOn?: Dayjs | null;
  links: LinkValue[];
  files: UploadedFile[];
  contributionIds: number[];
};

/** Network failures (no answer from the server) are worth retrying; answers are not. */
const isTransient = (e: unknown) => !(e instanceof TRPCClientError && e.data);

/**
 * The unit's report drawer: the task, the period, the form (status, percent, what was done,
 * evidence, contributions), the review state and history, and the office's notices with a reply box.
 */
export function ReportDrawer({
  taskId,
  period,
  open,
  onClose,
  onPeriodChange,
  light,
}: {
  taskId: number | null;
  period: string | null;
  open: boolean;
  onClose: () => void;
  onPeriodChange: (period: string) => void;
  light?: { light: Light; reason: string } | undefined;
}) {
  const trpc = useTRPC();
  const { modal } = App.useApp();
  const isPhone = useIsPhone();
  const form = useQuery({
    ...trpc.reports.form.queryOptions({ taskId: taskId ?? 0, ...(period ? { period } : {}) }),
    enabled: open && taskId !== null,
    // Switching periods keeps the task on screen instead of flashing a spinner.
    placeholderData: (prev) => (prev?.task.id === taskId ? prev : undefined),
  });
  const data = form.data;
  const dirty = useRef(false);
  // What the user had typed when 刷新 brought a newer version (another tab's or person's): shown
  // beside the fresh form, to be taken over or dropped, never silently thrown away.
  const [kept, setKept] = useState<Kept | null>(null);
  const keptFor = `${taskId}:${period ?? ""}`;
  useEffect(() => {
    if (kept && kept.for !== keptFor) setKept(null);
  }, [kept, keptFor]);
  const editorKey = data
    ? `${data.task.id}:${data.period.key}:${data.report?.id ?? "new"}:${data.report?.version ?? 0}`
    : "";
  // A fresh editor (new task, period, or the server's newer version) has nothing unsaved.
  useEffect(() => {
    if (editorKey) dirty.current = false;
  }, [editorKey]);
  /** Asks before unsaved changes are thrown away. */
  const guard = (then: () => void) => {
    if (!dirty.current && !kept) return then();
    let leave = false;
    modal.confirm({
      title: "有未保存的修改",
      content: "离开后,本次填写的内容不会保存。确定离开吗?",
      okText: "离开",
      cancelText: "继续填写",
      onOk: () => {
        dirty.current = false;
        leave = true;
      },
      // Left once the question has closed and given the focus back to the drawer: the drawer, in
      // turn, gives it back to what opened it (a keyboard user is not dropped at the page's top).
      afterClose: () => {
        if (leave) then();
      },
    });
  };
  const periodSelect = data && (
    <Select
      value={data.period.key}
      onChange={(p) => guard(() => onPeriodChange(p))}
      style={{ width: isPhone ? "100%" : 240 }}
      data-testid="period-select"
      aria-label="报告期"
      options={data.periods.map((p) => {
        const h = data.history.find((x) => x.period === p.key);
        return {
          value: p.key,
          label: (
            <Space size={4}>
              {p.label}
              {h && <ReportStateTag state={h.state} />}
            </Space>
          ),
        };
      })}
    />
  );
  return (
    <Drawer
      title={data ? `填报进展 · ${data.task.code ? `${data.task.code} ` : ""}${data.task.title}` : "填报进展"}
      open={open}
      onClose={() => guard(onClose)}
      // A phone gets the whole screen (a drawer wider than the screen opened off it).
      size={isPhone ? "100%" : Math.min(880, typeof window === "undefined" ? 880 : window.innerWidth - 48)}
      destroyOnHidden
      styles={{
        header: isPhone ? { padding: "10px 12px" } : {},
        // No padding under the form on a phone: its sticky 保存/提交 bar sits on the screen's edge.
        body: {
          paddingTop: 12,
          background: "#f5f6f8",
          ...(isPhone ? { paddingInline: 8, paddingBottom: 0 } : {}),
        },
      }}
    >
      {form.isPending && open && <Spin style={{ display: "block", marginTop: 48 }} />}
      {form.error && <Result status="warning" title="无法打开这项任务" subTitle={errorMessage(form.error)} />}
      {data && (
        <Space
          orientation="vertical"
          size={12}
          style={{ width: "100%", paddingBottom: isPhone ? 12 : 0 }}
          data-testid="report-drawer"
        >
          <TaskCard data={data} light={light} />
          {data.notices.length > 0 && <NoticesCard notices={data.notices} />}
          <Card
            size="small"
            title={
              isPhone ? (
                "报送周期"
              ) : (
                <Space wrap>
                  <span>报送周期</span>
                  {periodSelect}
                  <Typography.Text type="secondary" style={{ fontWeight: "normal" }}>
                    {data.period.start} 至 {data.period.end}
                  </Typography.Text>
                </Space>
              )
            }
            extra={
              <Space>
                <ReportStateTag state={data.report?.state} />
                {data.report && data.report.revision > 0 && (
                  <Typography.Text type="secondary">已提交 {data.report.revision} 次</Typography.Text>
                )}
              </Space>
            }
          >
            {isPhone && (
              <div style={{ marginBottom: 12 }}>
                {periodSelect}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {data.period.start} 至 {data.period.end}
                </Typography.Text>
              </div>
            )}
            <ReportStateAlert report={data.report} archived={data.archived} />
            <ReportEditor
              // Remount with the server's values whenever the report changes on the server.
              key={editorKey}
              data={data}
              kept={kept?.values ?? null}
              onKeep={(values) => {
                setKept(values ? { for: keptFor, values } : null);
                if (values) form.refetch();
              }}
              onDirty={(d) => {
                dirty.current = d;
              }}
            />
          </Card>
          {data.report && (data.report.revisions.length > 0 || data.report.reviews.length > 0) && (
            <Card size="small" title="提交与审核记录">
              <ReportTimeline report={data.report} />
            </Card>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function TaskCard({
  data,
  light,
}: {
  data: ReportForm;
  light?: { light: Light; reason: string } | undefined;
}) {
  const { task } = data;
  return (
    <Card size="small" title="任务" extra={light && <LightBadge light={light.light} reason={light.reason} />}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          {
            key: "plan",
            label: "工作要点",
            children: `${task.year}年 · ${task.planTitle}`,
            span: "filled" as const,
          },
          {
            key: "role",
            label: "本单位角色",
            children: (
              <Space size={4}>
                <RoleTag of={data.role} />
                {data.role === "lead" && (
                  <Typography.Text type="secondary">汇总配合单位材料后报送</Typography.Text>
                )}
                {data.role === "cooperating" && (
                  <Typography.Text type="secondary">报送本单位配合情况,供牵头单位汇总</Typography.Text>
                )}
              </Space>
            ),
          },
          {
            key: "due",
            label: "完成时限",
            children: (
              <DeadlineList deadlines={task.deadlines} canRecord={data.role === "lead" && !data.archived} />
            ),
          },
          { key: "lead", label: "牵头单位", children: <UnitTags assignments={task.assignments} of="lead" /> },
          {
            key: "coop",
            label: "配合单位",
            children: <UnitTags assignments={task.assignments} of="cooperating" />,
          },
          ...(task.assignments.some((a) => a.role === "responsible")
            ? [
                {
                  key: "resp",
                  label: "责任单位",
                  span: "filled" as const,
                  children: <UnitTags assignments={task.assignments} of="responsible" />,
                },
              ]
            : []),
        ]}
      />
      <Typography.Paragraph
        ellipsis={{ rows: 3, expandable: "collapsible", symbol: (exp) => (exp ? "收起" : "展开") }}
        style={{ margin: "8px 0 0", whiteSpace: "pre-wrap" }}
      >
        {task.content}
      </Typography.Paragraph>
    </Card>
  );
}

type Deadline = ReportForm["task"]["deadlines"][number];

/** Deadlines; for `after` rules a lead unit can record when the event happened. */
export function DeadlineList({ deadlines, canRecord }: { deadlines: Deadline[]; canRecord: boolean }) {
  if (deadlines.length === 0) return <Typography.Text type="secondary">持续推进</Typography.Text>;
  return (
    <Space orientation="vertical" size={2}>
      {deadlines.map((d) => (
        <div key={d.id}>
          {d.phrase}
          {d.dueDate && <Typography.Text type="secondary">(截止 {d.dueDate})</Typography.Text>}
          {d.kind === "after" && (
            <EventDate deadlineId={d.id} eventDate={d.eventDate} canRecord={canRecord} />
          )}
        </div>
      ))}
    </Space>
  );
}

/** 登记事件日期: when the event of an `after` deadline happened; its due date follows. */
export function EventDate({
  deadlineId,
  eventDate,
  canRecord,
}: {
  deadlineId: number;
  eventDate: string | null;
  canRecord: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<Dayjs | null>(eventDate ? dayjs(eventDate) : null);
  const record = useMutation(
    trpc.reports.recordEvent.mutationOptions({
      onSuccess: (d) => {
        message.success(d?.dueDate ? `已登记,截止日期为 ${d.dueDate}` : "已登记事件日期");
        setEditing(false);
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.plans.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  if (!editing) {
    return (
      <span style={{ marginLeft: 8 }}>
        {eventDate ? (
          <Typography.Text type="secondary">事件日期 {eventDate}</Typography.Text>
        ) : (
          <Tag color="orange">未登记事件日期</Tag>
        )}
        {canRecord && (
          <Typography.Link onClick={() => setEditing(true)} style={{ marginLeft: 4 }}>
            {eventDate ? "更正" : "登记事件日期"}
          </Typography.Link>
        )}
      </span>
    );
  }
  return (
    <Space size={4} style={{ marginLeft: 8 }}>
      <DatePicker size="small" value={value} onChange={setValue} placeholder="事件发生日期" />
      <Button
        size="small"
        type="primary"
        disabled={!value}
        loading={record.isPending}
        onClick={() => value && record.mutate({ deadlineId, eventDate: value.format("YYYY-MM-DD") })}
      >
        登记
      </Button>
      <Button size="small" onClick={() => setEditing(false)}>
        取消
      </Button>
    </Space>
  );
}

function ReportStateAlert({ report, archived }: { report: Report | null; archived: boolean }) {
  if (archived)
    return (
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="这份工作要点已归档,只能查看,不能再填报。"
      />
    );
  if (!report) return null;
  if (report.state === "returned") {
    const last = [...report.reviews].reverse().find((r) => r.decision === "return");
    return (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="returned-reason"
        title="报告被退回,请按意见修改后重新提交"
        description={
          <div>
            <div style={{ whiteSpace: "pre-wrap", fontSize: 15 }}>
              {last?.reason ?? report.reviewNote ?? "—"}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {last?.reviewer ?? "政务公开办"} · {fmtDateTime(last?.at ?? report.reviewedAt)} · 第{" "}
              {report.revision} 版
            </Typography.Text>
          </div>
        }
      />
    );
  }
  if (report.state === "submitted")
    return (
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={`已于 ${fmtDateTime(report.submittedAt)} 提交(第 ${report.revision} 版),等待政务公开办审核。审核前不能修改。`}
      />
    );
  if (report.state === "approved")
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginBottom: 12 }}
        title={`已于 ${fmtDateTime(report.reviewedAt)} 通过审核(第 ${report.revision} 版)。`}
      />
    );
  return null;
}

function initialValues(report: Report | null): Values {
  return {
    status: report?.status ?? "inProgress",
    percent: report?.percent ?? 0,
    summary: report?.summary ?? "",
    blockedReason: report?.blockedReason ?? "",
    occurredOn: report?.occurredOn ? dayjs(report.occurredOn) : null,
    links: (report?.evidence ?? [])
      .filter((e) => e.kind === "link" && e.url)
      .map((e) => ({ url: e.url ?? "", title: e.title })),
    files: (report?.evidence ?? [])
      .filter((e) => e.kind === "file" && e.fileId)
      .map((e) => ({
        fileId: e.fileId ?? 0,
        fileName: e.fileName ?? "",
        sizeBytes: e.sizeBytes ?? 0,
        mimeType: e.mimeType ?? "",
      })),
    contributionIds: report?.contributionIds ?? [],
  };
}

type Kept = { for: string; values: Values };

function ReportEditor({
  data,
  kept,
  onKeep,
  onDirty,
}: {
  data: ReportForm;
  /** The user's own typing, kept over a 刷新 after a conflict. */
  kept: Values | null;
  /** Keep these values and fetch the newer version (or, with null, let the kept typing go). */
  onKeep: (values: Values | null) => void;
  onDirty: (dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const isPhone = useIsPhone();
  const report = data.report;
  const editable = !data.archived && (!report || report.state === "draft" || report.state === "returned");
  const [dirty, setDirtyState] = useState(false);
  const setDirty = (d: boolean) => {
    setDirtyState(d);
    onDirty(d);
  };
  const [error, setError] = useState<{ text: string; conflict: boolean } | null>(null);
  const status = Form.useWatch("status", form);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
  const fail = (e: unknown) => {
    const text = errorMessage(e);
    message.error(text, 6);
    setError({ text, conflict: e instanceof TRPCClientError && e.data?.code === "CONFLICT" });
  };
  // A save carries a key of its own, taken anew after each save that went through: a request
  // retried on a bad line (its answer lost) saves once instead of failing on its own first try.
  const [saveKey, renewSaveKey] = useRequestKey();
  const save = useMutation(
    trpc.reports.save.mutationOptions({
      retry: (n, e) => n < 3 && isTransient(e),
      onSuccess: () => renewSaveKey(),
    }),
  );
  const submit = useMutation(
    trpc.reports.submit.mutationOptions({ retry: (n, e) => n < 3 && isTransient(e) }),
  );
  // One key for this version of the form: the editor is remounted for each new version, so a
  // retry or a second tap submits with the same key and the server answers with the first.
  const [submissionKey] = useRequestKey();
  // 保存 and 提交 run one at a time: a double tap lands while the first is still saving, and a
  // second save of the same version would be refused as a conflict with the user's own first tap.
  const busy = useRef(false);
  const [pending, setPending] = useState<"save" | "submit" | null>(null);
  const once = async (what: "save" | "submit", run: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    setPending(what);
    try {
      await run();
    } finally {
      busy.current = false;
      setPending(null);
    }
  };

  const toInput = (v: Values) => ({
    taskId: data.task.id,
    period: data.period.key,
    status: v.status,
    percent: v.percent ?? 0,
    summary: v.summary ?? "",
    blockedReason: v.status === "blocked" ? (v.blockedReason ?? "") : null,
    occurredOn: v.occurredOn ? v.occurredOn.format("YYYY-MM-DD") : null,
    contributionIds: data.role === "lead" ? (v.contributionIds ?? []) : [],
    evidence: {
      links: (v.links ?? [])
        .filter((l) => l?.url?.trim())
        .map((l) => ({ url: l.url.trim(), title: l.title ?? "" })),
      fileIds: (v.files ?? []).map((f) => f.fileId),
    },
    ...(report ? { version: report.version } : {}),
    requestKey: saveKey,
  });

  const onSave = () => once("save", doSave);
  const onSubmit = () => once("submit", doSubmit);

  const doSave = async () => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await save.mutateAsync(toInput(v));
      message.success("草稿已保存");
      setDirty(false);
      if (kept) onKeep(null);
      refresh();
    } catch (e) {
      fail(e);
    }
  };

  const doSubmit = async () => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!v.summary?.trim()) {
      form.setFields([{ name: "summary", errors: ["提交前请填写进展情况"] }]);
      return;
    }
    try {
      let target = report ? { id: report.id, version: report.version } : null;
      if (!target || dirty) {
        // Saving first: what is submitted is what is on the screen.
        const saved = await save.mutateAsync(toInput(v));
        target = { id: saved.id, version: saved.version };
      }
      await submit.mutateAsync({ reportId: target.id, version: target.version, submissionKey });
      message.success("已提交,等待政务公开办审核");
      setDirty(false);
      if (kept) onKeep(null);
      refresh();
    } catch (e) {
      // A draft saved just before a failed submit is on the server now: show it.
      refresh();
      fail(e);
    }
  };

  const keptPanel = kept && (
    <KeptTyping
      kept={kept}
      editable={editable}
      onUse={() => {
        form.setFieldsValue(kept);
        setDirty(true);
      }}
      onDrop={() => onKeep(null)}
    />
  );
  if (!editable && report)
    return (
      <>
        {keptPanel}
        <ReportReadOnly report={report} contributions={data.contributions} />
      </>
    );
  if (!editable) return <Empty description="本周期没有填报。" />;

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initialValues(report)}
      onValuesChange={(changed: Partial<Values>) => {
        setDirty(true);
        if (changed.status === "done") form.setFieldValue("percent", 100);
        if (changed.status === "notStarted") form.setFieldValue("percent", 0);
        if (changed.status === "inProgress") {
          const p = form.getFieldValue("percent") as number;
          if (p === 0 || p === 100) form.setFieldValue("percent", p === 0 ? 10 : 90);
        }
      }}
      requiredMark={false}
      data-testid="report-form"
    >
      {keptPanel}
      <div style={{ display: "flex", gap: 24, flexWrap: "wrap" }}>
        <Form.Item name="status" label="进展状态" style={{ marginBottom: 12 }}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={reportStatuses.map((s) => ({ value: s, label: reportStatusLabels[s] }))}
          />
        </Form.Item>
        <Form.Item label="完成进度" style={{ flex: 1, minWidth: 260, marginBottom: 12 }}>
          <div style={{ display: "flex", alignItems: "center", gap: 12 }}>
            <Form.Item name="percent" noStyle>
              <Slider
                min={0}
                max={100}
                step={5}
                style={{ flex: 1 }}
                disabled={status === "done" || status === "notStarted"}
                tooltip={{ formatter: (v) => `${v}%` }}
                ariaLabelForHandle="完成进度"
              />
            </Form.Item>
            <Form.Item name="percent" noStyle>
              <InputNumber
                min={0}
                max={100}
                precision={0}
                suffix="%"
                style={{ width: 96 }}
                disabled={status === "done" || status === "notStarted"}
                aria-label="完成进度"
              />
            </Form.Item>
          </div>
        </Form.Item>
      </div>
      {status === "blocked" && (
        <Form.Item
          name="blockedReason"
          label="无法按期完成的原因"
          rules={[{ required: true, whitespace: true, message: "请说明原因和预计完成时间" }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={2000}
            placeholder="说明原因、已采取的措施和预计完成时间"
          />
        </Form.Item>
      )}
      <Form.Item
        name="summary"
        label="进展情况"
        // Room on the right for the character count, which sits on the same line.
        extra={<div style={{ paddingRight: 96 }}>写明做了什么、何时在何处公开;提交审核前必填。</div>}
      >
        <Input.TextArea
          autoSize={{ minRows: 4, maxRows: 14 }}
          maxLength={10000}
          showCount
          placeholder="如:已编制2023年度重大行政决策事项目录,于3月28日在镇政府门户网站“重大行政决策”栏目公开。"
          data-testid="report-summary"
        />
      </Form.Item>
      <Form.Item name="occurredOn" label="开展日期(选填)" extra="工作实际开展或公开的日期;不填按提交日期计。">
        <DatePicker placeholder="选择日期" />
      </Form.Item>
      <Divider titlePlacement="start" plain style={{ margin: "4px 0 12px" }}>
        佐证材料
      </Divider>
      <Form.Item label="公开页面链接" style={{ marginBottom: 12 }}>
        <LinksField />
      </Form.Item>
      <Form.Item name="files" label="上传文件">
        <FilesField />
      </Form.Item>
      {data.role === "lead" && <ContributionsField contributions={data.contributions} />}
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={error.text}
          data-testid="report-error"
          action={
            error.conflict ? (
              <Button
                size="small"
                icon={<ReloadOutlined />}
                onClick={() => {
                  setError(null);
                  onKeep(form.getFieldsValue(true) as Values);
                }}
              >
                刷新
              </Button>
            ) : undefined
          }
        />
      )}
      <div
        style={{
          display: "flex",
          flexWrap: "wrap",
          gap: 8,
          justifyContent: "flex-end",
          borderTop: "1px solid #f0f0f0",
          paddingTop: 12,
          // On a phone 保存 and 提交 stay at the bottom of the screen while the form scrolls, across
          // the card's width (over the text above them, not beside it).
          ...(isPhone
            ? {
                position: "sticky",
                bottom: 0,
                zIndex: 2,
                background: "#fff",
                marginInline: -12,
                paddingInline: 12,
                paddingBottom: "calc(10px + env(safe-area-inset-bottom))",
                boxShadow: "0 -4px 8px rgba(0, 0, 0, 0.06)",
              }
            : {}),
        }}
      >
        {dirty && (
          <Typography.Text type="warning" style={{ marginRight: "auto", alignSelf: "center" }}>
            有未保存的修改
          </Typography.Text>
        )}
        <Button
          icon={<SaveOutlined />}
          onClick={onSave}
          loading={pending === "save"}
          disabled={pending === "submit"}
          data-testid="report-save"
        >
          保存草稿
        </Button>
        <Button
          type="primary"
          icon={<SendOutlined />}
          onClick={onSubmit}
          loading={pending === "submit"}
          disabled={pending === "save"}
          data-testid="report-submit"
        >
          {report?.state === "returned" ? "修改后重新提交" : "提交审核"}
        </Button>
      </div>
    </Form>
  );
}

/** The user's typing kept over a 刷新: beside the newer version, to take over or to drop. */
function KeptTyping({
  kept,
  editable,
  onUse,
  onDrop,
}: {
  kept: Values;
  editable: boolean;
  onUse: () => void;
  onDrop: () => void;
}) {
  const links = (kept.links ?? []).filter((l) => l?.url?.trim());
  const files = kept.files ?? [];
  // Brought into view where it appears (the 刷新 that kept it was further down the form).
  const shown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    shown.current?.scrollIntoView({ block: "nearest" });
  }, []);
  return (
    <div ref={shown}>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="report-kept"
        title={
          editable
            ? "报告已在别处修改,表单现在是最新版本。您刚才填写的内容保留如下,可以改用它,再保存或提交。"
            : "报告已在别处提交,不能再修改。您刚才填写的内容保留如下,可复制后联系政务公开办。"
        }
        description={
          <div>
            <div style={{ margin: "4px 0" }}>
              <ReportStatusTag status={kept.status} /> {kept.percent ?? 0}%
              {links.length + files.length > 0 && (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  佐证材料 {links.length + files.length} 项
                </Typography.Text>
              )}
            </div>
            <Typography.Paragraph
              copyable={kept.summary ? { text: kept.summary, tooltips: ["复制", "已复制"] } : false}
              style={{ whiteSpace: "pre-wrap", marginBottom: 8, background: "#fff", padding: "4px 8px" }}
            >
              {kept.summary || "(进展情况未填写)"}
            </Typography.Paragraph>
            <Space wrap>
              {editable && (
                <Button size="small" type="primary" onClick={onUse}>
                  用我填写的内容
                </Button>
              )}
              <Button size="small" onClick={onDrop}>
                不用了
              </Button>
            </Space>
          </div>
        }
      />
    </div>
  );
}

function ContributionsField({ contributions }: { contributions: Contribution[] }) {
  return contributions.length === 0 ? (
    <Form.Item label="配合单位报送的材料">
      <Typography.Text type="secondary">本周期配合单位尚未报送材料。</Typography.Text>
    </Form.Item>
  ) : (
    <Form.Item name="contributionIds" label="配合单位报送的材料" extra="勾选的材料随本报告一并报送审核。">
      <Checkbox.Group style={{ width: "100%" }}>
        <Space orientation="vertical" style={{ width: "100%" }}>
          {contributions.map((c) => (
            <Checkbox key={c.id} value={c.id} style={{ alignItems: "flex-start" }}>
              <ContributionView c={c} />
            </Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
    </Form.Item>
  );
}

export function ContributionView({ c }: { c: Contribution }) {
  return (
    <div>
      <Space size={4} wrap>
        <Typography.Text strong>{c.unitName}</Typography.Text>
        <ReportStatusTag status={c.status} />
        <Typography.Text type="secondary">{c.percent}%</Typography.Text>
        <ReportStateTag state={c.state} />
      </Space>
      <Typography.Paragraph
        style={{ margin: "2px 0", whiteSpace: "pre-wrap" }}
        ellipsis={{ rows: 3, expandable: true, symbol: "展开" }}
      >
        {c.summary || "—"}
      </Typography.Paragraph>
      {c.evidence.length > 0 && <EvidenceList items={c.evidence} />}
    </div>
  );
}

function ReportReadOnly({ report, contributions }: { report: Report; contributions: Contribution[] }) {
  const included = contributions.filter((c) => report.contributionIds.includes(c.id));
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2 }}
      bordered
      styles={{ label: { width: 110 } }}
      items={[
        { key: "status", label: "进展状态", children: <ReportStatusTag status={report.status} /> },
        { key: "percent", label: "完成进度", children: `${report.percent}%` },
        ...(report.status === "blocked"
          ? [
              {
                key: "blocked",
                label: "无法完成原因",
                span: "filled" as const,
                children: report.blockedReason ?? "—",
              },
            ]
          : []),
        {
          key: "summary",
          label: "进展情况",
          span: "filled" as const,
          children: <div style={{ whiteSpace: "pre-wrap" }}>{report.summary || "—"}</div>,
        },
        { key: "occurred", label: "开展日期", span: "filled" as const, children: fmtDate(report.occurredOn) },
        {
          key: "evidence",
          label: "佐证材料",
          span: "filled" as const,
          children: <EvidenceList items={report.evidence} />,
        },
        ...(included.length
          ? [
              {
                key: "contrib",
                label: "配合单位材料",
                span: "filled" as const,
                children: (
                  <Space orientation="vertical" style={{ width: "100%" }}>
                    {included.map((c) => (
                      <ContributionView key={c.id} c={c} />
                    ))}
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

/** Submissions and reviews in time order. */
export function ReportTimeline({
  report,
}: {
  report: {
    revisions: { revision: number; submittedAt: string; submittedBy: string | null }[];
    reviews: {
      revision: number;
      decision: "approve" | "return";
      reason: string | null;
      at: string;
      reviewer: string | null;
    }[];
  };
}) {
  const events = [
    ...report.revisions.map((r) => ({
      at: r.submittedAt,
      key: `s${r.revision}`,
      color: "blue",
      title: `提交第 ${r.revision} 版`,
      body: r.submittedBy ?? "",
    })),
    ...report.reviews.map((r, i) => ({
      at: r.at,
      key: `r${i}`,
      color: r.decision === "approve" ? "green" : "red",
      title: r.decision === "approve" ? `第 ${r.revision} 版通过审核` : `第 ${r.revision} 版被退回`,
      body: [r.reviewer, r.reason].filter(Boolean).join(":"),
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return (
    <Timeline
      style={{ marginTop: 8, marginBottom: 0 }}
      items={events.map((e) => ({
        key: e.key,
        color: e.color,
        content: (
          <div>
            <Space size={8}>
              <Typography.Text strong>{e.title}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtDateTime(e.at)}
              </Typography.Text>
            </Space>
            {e.body && <div style={{ whiteSpace: "pre-wrap" }}>{e.body}</div>}
          </div>
        ),
      }))}
    />
  );
}

function NoticesCard({ notices }: { notices: Notice[] }) {
  const open = notices.filter((n) => n.state === "open").length;
  return (
    <Card
      size="small"
      title={
        <Space>
          督办通知
          {open > 0 && <Tag color="red">{open} 份待回复</Tag>}
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: "100%" }}>
        {notices.map((n) => (
          <NoticeItem key={n.id} notice={n} />
        ))}
      </Space>
    </Card>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [reply, setReply] = useState("");
  const send = useMutation(
    trpc.supervision.reply.mutationOptions({
      onSuccess: () => {
        message.success("已回复");
        setReply("");
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  const isPhone = useIsPhone();
  const replyBox = (
    <Input.TextArea
      value={reply}
      onChange={(e) => setReply(e.target.value)}
      autoSize={{ minRows: isPhone ? 3 : 1, maxRows: isPhone ? 8 : 4 }}
      maxLength={2000}
      placeholder="回复政务公开办:已采取的措施、完成时间"
      aria-label="回复内容"
    />
  );
  const replyButton = {
    type: "primary" as const,
    disabled: !reply.trim(),
    loading: send.isPending,
    onClick: () => send.mutate({ id: notice.id, reply }),
  };
  const late =
    notice.state === "open" &&
    notice.replyDueDate !== null &&
    notice.replyDueDate < dayjs().format("YYYY-MM-DD");
  return (
    <div style={{ borderLeft: "3px solid #f0f0f0", paddingLeft: 12 }} data-testid="notice-item">
      <Space size={6} wrap>
        <NoticeLevelTag level={notice.level} />
        <NoticeStateTag state={notice.state} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {fmtDateTime(notice.issuedAt)} 下发
        </Typography.Text>
        {notice.replyDueDate && (
          <Typography.Text type={late ? "danger" : "secondary"} style={{ fontSize: 12 }}>
            请于 {notice.replyDueDate} 前回复{late ? "(已超期)" : ""}
          </Typography.Text>
        )}
        <NoticeDocxButton noticeId={notice.id} />
      </Space>
      <div style={{ whiteSpace: "pre-wrap", margin: "4px 0" }}>{notice.content}</div>
      {notice.reply && (
        <div style={{ background: "#f6ffed", padding: "4px 8px", borderRadius: 4 }}>
          <Typography.Text type="secondary">本单位回复({fmtDateTime(notice.repliedAt)}):</Typography.Text>
          <span style={{ whiteSpace: "pre-wrap" }}>{notice.reply}</span>
        </div>
      )}
      {notice.state === "open" &&
        (isPhone ? (
          <div style={{ display: "grid", gap: 6, marginTop: 4 }}>
            {replyBox}
            <Button {...replyButton} block>
              回复
            </Button>
          </div>
        ) : (
          <Space.Compact block style={{ marginTop: 4 }}>
            {replyBox}
            <Button {...replyButton}>回复</Button>
          </Space.Compact>
        ))}
    </div>
  );
}
