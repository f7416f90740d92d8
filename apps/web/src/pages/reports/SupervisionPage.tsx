import { PlusOutlined, SaveOutlined, UsergroupAddOutlined } from "@ant-design/icons";
import { type NoticeState, noticeStateLabels, noticeStates } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  InputNumber,
  Popconfirm,
  Row,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ExportButton } from "../../components/ExportButton.tsx";
import { ReplyUpperModal } from "../../components/reports/IssueDownModal.tsx";
import { IssueNoticeModal } from "../../components/reports/IssueNoticeModal.tsx";
import { NoticeDocxButton } from "../../components/reports/NoticeDocxButton.tsx";
import {
  fmtDate,
  fmtDateTime,
  NoticeLevelTag,
  NoticeStateTag,
  PlanSelect,
  todayIso,
  usePlans,
} from "../../components/reports/shared.tsx";
import { PageTitle } from "../../components/text.tsx";
import { UnitFilter } from "../../components/UnitFilter.tsx";
import { useMe } from "../../lib/session.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { noticeExportColumns } from "./export-columns.ts";

type Notice = RouterOutputs["supervision"]["list"][number];

/** 督办: notices to units, their replies and escalation; the office's thresholds. */
export function SupervisionPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const { list } = usePlans();
  const planParam = Number(params.get("plan"));
  const planId = planParam > 0 ? planParam : undefined;
  const unitParam = Number(params.get("unit"));
  const unitId = unitParam > 0 ? unitParam : undefined;
  /** Another plan or unit: the list's address without the notice that was open. */
  const narrow = (key: "plan" | "unit", id: number | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set(key, String(id));
    else next.delete(key);
    next.delete("notice");
    setParams(next);
  };
  const [state, setState] = useState<NoticeState | "all">("all");
  const [issuing, setIssuing] = useState<"one" | "many" | null>(null);
  const [replying, setReplying] = useState<number | null>(null);
  const myUnit = useMe().data?.unitId ?? null;
  /** Sent down to this office by the level above: it answers, the upper office closes. */
  const fromAbove = (n: Notice) => n.toOffice && n.unitId === myUnit;
  const notices = useQuery(trpc.supervision.list.queryOptions({ planId, unitId }));
  const noticeParam = Number(params.get("notice"));
  const focus = noticeParam > 0 ? noticeParam : null;
  const [expanded, setExpanded] = useState<number[]>([]);
  useEffect(() => {
    if (focus) setExpanded((e) => (e.includes(focus) ? e : [...e, focus]));
  }, [focus]);

  const close = useMutation(
    trpc.supervision.close.mutationOptions({
      onSuccess: () => {
        message.success("已办结");
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );

  const all = notices.data ?? [];
  const byId = useMemo(() => new Map(all.map((n) => [n.id, n])), [all]);
  const chainOf = (n: Notice) => {
    const chain: Notice[] = [];
    let cur: Notice | undefined = n;
    while (cur?.parentNoticeId && chain.length < 10) {
      cur = byId.get(cur.parentNoticeId);
      if (cur) chain.unshift(cur);
    }
    return chain;
  };
  const counts = Object.fromEntries(
    noticeStates.map((s) => [s, all.filter((n) => n.state === s).length]),
  ) as Record<NoticeState, number>;
  const shown = state === "all" ? all : all.filter((n) => n.state === state);
  const today = todayIso();

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title={<PageTitle>督办通知</PageTitle>}
        extra={
          <Space>
            <PlanSelect
              list={list}
              value={planId ?? null}
              onChange={(id) => narrow("plan", id)}
              allowAll
              onlyPublished
              width={320}
            />
            <UnitFilter value={unitId ?? null} onChange={(id) => narrow("unit", id)} width={200} />
            <ExportButton
              name={`督办通知-${state === "all" ? "全部" : noticeStateLabels[state]}`}
              columns={noticeExportColumns}
              rows={shown}
            />
            <Button
              icon={<UsergroupAddOutlined />}
              onClick={() => setIssuing("many")}
              data-testid="issue-notices"
            >
              批量督办
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setIssuing("one")}
              data-testid="issue-notice"
            >
              下发督办
            </Button>
          </Space>
        }
      >
        <div style={{ marginBottom: 12 }}>
          <Segmented<NoticeState | "all">
            value={state}
            onChange={setState}
            options={[
              { value: "all", label: `全部 ${all.length}` },
              ...noticeStates.map((s) => ({ value: s, label: `${noticeStateLabels[s]} ${counts[s]}` })),
            ]}
          />
        </div>
        <Table<Notice>
          rowKey="id"
          size="small"
          loading={notices.isPending}
          dataSource={shown}
          tableLayout="fixed"
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <Empty description="暂无督办通知。" /> }}
          onRow={(n) => ({ style: n.id === focus ? { background: "#e6f4ff" } : {} })}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
            expandedRowRender: (n) => <NoticeDetail notice={n} chain={chainOf(n)} />,
          }}
          columns={[
            {
              title: "下发日期",
              dataIndex: "issuedAt",
              width: 100,
              render: (d: string) => (
                <span style={{ fontVariantNumeric: "tabular-nums" }} title={fmtDateTime(d)}>
                  {fmtDate(d)}
                </span>
              ),
            },
            {
              title: "级别",
              dataIndex: "level",
              width: 64,
              render: (l: Notice["level"]) => <NoticeLevelTag level={l} />,
            },
            {
              title: "任务",
              render: (_, n) => (
                <Link to={`/plans/${n.planId}?task=${n.taskId}`}>
                  <Typography.Text ellipsis={{ tooltip: n.taskTitle }} style={{ color: "inherit" }}>
                    {n.taskCode} {n.taskTitle}
                  </Typography.Text>
                </Link>
              ),
            },
            {
              title: "单位",
              dataIndex: "unitName",
              width: 136,
              render: (name: string, n) => (
                <>
                  {n.toOffice && (
                    <Tag color={fromAbove(n) ? "volcano" : "geekblue"} style={{ marginBottom: 2 }}>
                      {fromAbove(n) ? "上级督办" : "督办下级"}
                    </Tag>
                  )}
                  <Typography.Text ellipsis={{ tooltip: name }}>
                    {n.toOffice && !fromAbove(n) ? `${name}政务公开办` : name}
                  </Typography.Text>
                </>
              ),
            },
            {
              title: "督办内容",
              dataIndex: "content",
              render: (c: string) => <Typography.Text ellipsis={{ tooltip: c }}>{c}</Typography.Text>,
            },
            {
              title: "回复期限",
              dataIndex: "replyDueDate",
              width: 112,
              render: (d: string | null, n) => {
                const late = n.state === "open" && d !== null && d < today;
                return (
                  <Typography.Text
                    type={late ? "danger" : undefined}
                    strong={late}
                    style={{ fontVariantNumeric: "tabular-nums" }}
                  >
                    {d ?? "—"}
                    {late && <div style={{ fontSize: 12, fontWeight: "normal" }}>已超期未回复</div>}
                  </Typography.Text>
                );
              },
            },
            {
              title: "状态",
              dataIndex: "state",
              width: 84,
              render: (s: NoticeState) => <NoticeStateTag state={s} />,
            },
            {
              title: "回复",
              dataIndex: "reply",
              width: 180,
              render: (r: string | null) =>
                r ? (
                  <Typography.Text ellipsis={{ tooltip: r }}>{r}</Typography.Text>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: "",
              width: 128,
              render: (_, n) => (
                <Space size={8}>
                  <NoticeDocxButton noticeId={n.id} />
                  {fromAbove(n)
                    ? n.state === "open" && (
                        <Button size="small" type="primary" onClick={() => setReplying(n.id)}>
                          回复
                        </Button>
                      )
                    : n.state !== "closed" && (
                        <Popconfirm
                          title="办结这份通知?"
                          okText="办结"
                          onConfirm={() => close.mutate({ id: n.id })}
                        >
                          <Button size="small">办结</Button>
                        </Popconfirm>
                      )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <SettingsCard />
      <ReplyUpperModal noticeId={replying} onClose={() => setReplying(null)} />
      <IssueNoticeModal
        open={issuing !== null}
        bulk={issuing === "many"}
        onClose={() => setIssuing(null)}
        preset={planId ? { planId } : undefined}
      />
    </Space>
  );
}

function NoticeDetail({ notice, chain }: { notice: Notice; chain: Notice[] }) {
  return (
    <div
      style={{
        display: "grid",
        gridTemplateColumns: "96px 1fr",
        rowGap: 6,
        columnGap: 12,
        padding: "4px 8px",
      }}
    >
      <Typography.Text type="secondary">督办内容</Typography.Text>
      <div style={{ whiteSpace: "pre-wrap" }}>{notice.content}</div>
      <Typography.Text type="secondary">下发人</Typography.Text>
      <div>
        {notice.issuedBy ?? "系统"} · {fmtDateTime(notice.issuedAt)}
      </div>
      <Typography.Text type="secondary">单位回复</Typography.Text>
      <div style={{ whiteSpace: "pre-wrap" }}>
        {notice.reply ? `${notice.reply}(${fmtDateTime(notice.repliedAt)})` : "尚未回复"}
      </div>
      {chain.length > 0 && (
        <>
          <Typography.Text type="secondary">升级过程</Typography.Text>
          <Space wrap size={4}>
            {chain.map((c) => (
              <span key={c.id}>
                <NoticeLevelTag level={c.level} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.issuedAt.slice(0, 10)} · {noticeStateLabels[c.state]}
                </Typography.Text>
                <span style={{ margin: "0 6px", color: "#bfbfbf" }}>→</span>
              </span>
            ))}
            <NoticeLevelTag level={notice.level} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              本通知
            </Typography.Text>
          </Space>
        </>
      )}
    </div>
  );
}

type SettingsValues = RouterOutputs["supervision"]["settings"];

function SettingsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const settings = useQuery(trpc.supervision.settings.queryOptions());
  const [form] = Form.useForm<SettingsValues>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const save = useMutation(
    trpc.supervision.saveSettings.mutationOptions({
      onSuccess: () => {
        message.success("设置已保存");
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  const field = (name: keyof SettingsValues, label: string, extra: string, min: number) => (
    <Col xs={24} md={8}>
      <Form.Item name={name} label={label} extra={extra} rules={[{ required: true, message: "请填写" }]}>
        <InputNumber min={min} max={60} precision={0} suffix="个工作日" style={{ width: 160 }} />
      </Form.Item>
    </Col>
  );
  return (
    <Card
      title="预警与督办设置"
      size="small"
      loading={settings.isPending}
      extra={
        <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={() => form.submit()}>
          保存设置
        </Button>
      }
    >
      <Form<SettingsValues>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        requiredMark={false}
      >
        <Row gutter={24}>
          {field("dueSoonWorkingDays", "临期预警天数", "距截止日期不超过此天数且未完成的任务亮黄灯。", 0)}
          {field(
            "remindBeforeWorkingDays",
            "提前提醒天数",
            "到期前此天数内自动向单位发送一次到期提醒,逾期时再提醒一次。",
            0,
          )}
          {field(
            "noticeReplyWorkingDays",
            "督办回复天数",
            "下发督办时未指定回复期限的,默认期限为此天数后。",
            1,
          )}
        </Row>
      </Form>
    </Card>
  );
}
