import { FileExcelOutlined, FileWordOutlined, NotificationOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Input,
  Popconfirm,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useSearchParams } from "react-router";
import {
  fmtDateTime,
  fmtPercent,
  PlanSelect,
  periodLabel,
  usePlans,
} from "../../components/reports/shared.tsx";
import { PageTitle } from "../../components/text.tsx";
import { downloadBase64 } from "../../lib/download.ts";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC, useTRPCClient } from "../../lib/trpc.ts";

type Figures = RouterOutputs["bulletins"]["preview"];
type Bulletin = RouterOutputs["bulletins"]["list"][number];

const num = { align: "right" as const, width: 76 };
const tabular = (v: number) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{v}</span>;
const rate = (v: number) => <span style={{ fontVariantNumeric: "tabular-nums" }}>{fmtPercent(v)}</span>;

/** 通报: the figures for a plan as of a day, generating a bulletin, and its .docx / .xlsx. */
export function BulletinsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const { list, defaultPlan, plans } = usePlans();
  const planParam = Number(params.get("plan"));
  const planId = planParam > 0 ? planParam : (defaultPlan?.id ?? null);
  const plan = list.find((p) => p.id === planId);
  // A plan's bulletin is as of today, or as of its year's end once that year is over.
  const [picked, setAsOf] = useState<Dayjs | null>(null);
  const yearEnd = plan ? dayjs(`${plan.year}-12-31`) : null;
  const asOf = picked ?? (yearEnd?.isBefore(dayjs(), "day") ? yearEnd : dayjs());
  const [title, setTitle] = useState("");
  const asOfIso = asOf.format("YYYY-MM-DD");
  const preview = useQuery({
    ...trpc.bulletins.preview.queryOptions({ planId: planId ?? 0, asOf: asOfIso }),
    enabled: planId !== null,
  });
  const bulletins = useQuery({
    ...trpc.bulletins.list.queryOptions({ planId: planId ?? 0 }),
    enabled: planId !== null,
  });
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.bulletins.create.mutationOptions({
      onSuccess: (b) => {
        renewKey();
        message.success(`已生成通报「${b.title}」`);
        setTitle("");
        queryClient.invalidateQueries({ queryKey: trpc.bulletins.list.pathKey() });
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  if (plans.isPending) return <Spin />;
  const defaultTitle = plan ? `关于${plan.year}年政务公开工作要点落实情况的通报` : "";

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small">
        <div style={{ display: "flex", alignItems: "center", gap: 12, flexWrap: "wrap" }}>
          <PageTitle heading={4}>通报</PageTitle>
          <PlanSelect
            list={list}
            value={planId}
            onChange={(id) => {
              setAsOf(null);
              setParams(id ? { plan: String(id) } : {});
            }}
            onlyPublished
            width={380}
          />
          <Space size={4}>
            <Typography.Text type="secondary">截至</Typography.Text>
            <DatePicker
              value={asOf}
              onChange={(d) => d && setAsOf(d)}
              allowClear={false}
              data-testid="bulletin-asof"
            />
          </Space>
          <div style={{ flex: 1 }} />
          <Input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={defaultTitle || "通报标题"}
            style={{ width: 380, maxWidth: "100%" }}
            maxLength={200}
            aria-label="通报标题"
          />
          <Popconfirm
            title={`按截至 ${asOfIso} 的数据生成通报?`}
            description="生成后数据固定,可下载 Word 和 Excel。"
            okText="生成"
            onConfirm={() =>
              planId && create.mutate({ planId, asOf: asOfIso, title: title.trim() || null, requestKey })
            }
          >
            <Button
              type="primary"
              icon={<NotificationOutlined />}
              loading={create.isPending}
              disabled={!planId}
              data-testid="bulletin-create"
            >
              生成通报
            </Button>
          </Popconfirm>
        </div>
      </Card>
      {!planId && (
        <Card>
          <Empty description="还没有已发布的工作要点。" />
        </Card>
      )}
      {planId && <BulletinList rows={bulletins.data ?? []} loading={bulletins.isPending} />}
      {preview.error && (
        <Result status="warning" title="无法计算通报数据" subTitle={errorMessage(preview.error)} />
      )}
      {preview.isFetching && !preview.data && <Spin />}
      {preview.data && <FiguresView f={preview.data} />}
    </Space>
  );
}

function BulletinList({ rows, loading }: { rows: Bulletin[]; loading: boolean }) {
  const client = useTRPCClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (b: Bulletin, format: "docx" | "xlsx") => {
    setBusy(`${b.id}:${format}`);
    try {
      const file = await client.bulletins.download.query({ id: b.id, format });
      downloadBase64(file.fileName, file.contentBase64);
    } catch (e) {
      message.error(errorMessage(e), 6);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card size="small" title={`已生成的通报(${rows.length})`}>
      <Table<Bulletin>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        tableLayout="fixed"
        locale={{ emptyText: <Empty description="还没有生成通报。选择截至日期,核对下方数据后生成。" /> }}
        columns={[
          { title: "截至日期", dataIndex: "asOf", width: 112 },
          { title: "标题", dataIndex: "title", ellipsis: true },
          {
            title: "生成时间",
            dataIndex: "createdAt",
            width: 150,
            render: (d: string) => (
              <span style={{ fontVariantNumeric: "tabular-nums" }}>{fmtDateTime(d)}</span>
            ),
          },
          {
            title: "下载",
            width: 240,
            render: (_, b) => (
              <Space>
                <Button
                  size="small"
                  icon={<FileWordOutlined style={{ color: "#2b579a" }} />}
                  loading={busy === `${b.id}:docx`}
                  onClick={() => download(b, "docx")}
                  data-testid={`bulletin-docx-${b.id}`}
                >
                  下载 Word
                </Button>
                <Button
                  size="small"
                  icon={<FileExcelOutlined style={{ color: "#217346" }} />}
                  loading={busy === `${b.id}:xlsx`}
                  onClick={() => download(b, "xlsx")}
                  data-testid={`bulletin-xlsx-${b.id}`}
                >
                  下载 Excel
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function FiguresView({ f }: { f: Figures }) {
  const t = f.totals;
  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Card size="small" title={`通报数据预览(截至 ${f.asOf})`}>
        <div style={{ display: "flex", gap: 32, flexWrap: "wrap" }}>
          {[
            { label: "统计任务(按单位)", value: `${t.assignments} 项` },
            { label: "已完成", value: `${t.done} 项` },
            { label: "完成率", value: fmtPercent(t.completionRate) },
            { label: "临期预警", value: `${t.dueSoon} 项` },
            { label: "逾期", value: `${t.overdue} 项`, danger: t.overdue > 0 },
          ].map((k) => (
            <div key={k.label}>
              <div style={{ color: "rgba(0, 0, 0, 0.6)", fontSize: 12 }}>{k.label}</div>
              <div
                style={{
                  fontSize: 20,
                  fontWeight: 600,
                  fontVariantNumeric: "tabular-nums",
                  color: k.danger ? "#cf1322" : undefined,
                }}
              >
                {k.value}
              </div>
            </div>
          ))}
        </div>
        <div style={{ marginTop: 12, display: "grid", gridTemplateColumns: "88px 1fr", rowGap: 6 }}>
          <Typography.Text type="secondary">拟表扬</Typography.Text>
          <div>
            {f.commend.length ? (
              f.commend.map((u) => (
                <Tag key={u} color="green">
                  {u}
                </Tag>
              ))
            ) : (
              <Typography.Text type="secondary">
                无(无逾期、无退回、无未回复督办且完成过半的单位)
              </Typography.Text>
            )}
          </div>
          <Typography.Text type="secondary">拟点名</Typography.Text>
          <div>
            {f.named.length ? (
              f.named.map((u) => (
                <Tag key={u.unitName} color="red">
                  {u.unitName}(逾期 {u.overdue}
                  {u.openNotices ? `,未办结督办 ${u.openNotices}` : ""})
                </Tag>
              ))
            ) : (
              <Typography.Text type="secondary">无</Typography.Text>
            )}
          </div>
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title="各单位完成情况">
            <Table
              rowKey="unitId"
              size="small"
              dataSource={f.byUnit}
              pagination={{ pageSize: 15, hideOnSinglePage: true, showSizeChanger: false }}
              tableLayout="fixed"
              columns={[
                { title: "单位", dataIndex: "unitName", ellipsis: true },
                { title: "任务", dataIndex: "total", ...num, render: tabular },
                { title: "已完成", dataIndex: "done", ...num, render: tabular },
                { title: "临期", dataIndex: "dueSoon", ...num, render: tabular },
                {
                  title: "逾期",
                  dataIndex: "overdue",
                  ...num,
                  render: (v: number) => (
                    <span style={{ fontVariantNumeric: "tabular-nums", color: v ? "#cf1322" : undefined }}>
                      {v}
                    </span>
                  ),
                },
                { title: "退回", dataIndex: "returned", ...num, render: tabular },
                { title: "完成率", dataIndex: "completionRate", align: "right", width: 84, render: rate },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title="各类别完成情况">
            <Table
              rowKey="category"
              size="small"
              dataSource={f.byCategory}
              pagination={false}
              tableLayout="fixed"
              columns={[
                { title: "类别", dataIndex: "label", ellipsis: true },
                { title: "任务", dataIndex: "total", ...num, render: tabular },
                { title: "已完成", dataIndex: "done", ...num, render: tabular },
                { title: "逾期", dataIndex: "overdue", ...num, render: tabular },
                { title: "完成率", dataIndex: "completionRate", align: "right", width: 84, render: rate },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title="逾期任务(按单位)">
            <Table
              rowKey="unitName"
              size="small"
              dataSource={f.overdueByUnit}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              tableLayout="fixed"
              locale={{ emptyText: "没有逾期任务" }}
              columns={[
                { title: "单位", dataIndex: "unitName", width: 150, ellipsis: true },
                { title: "项数", width: 64, align: "right", render: (_, r) => tabular(r.tasks.length) },
                {
                  title: "逾期任务",
                  render: (_, r) => (
                    <Space orientation="vertical" size={0} style={{ width: "100%" }}>
                      {r.tasks.map((t) => (
                        <Typography.Text key={`${t.code}-${t.title}`} ellipsis={{ tooltip: t.title }}>
                          {t.code} {t.title}
                          {t.dueDate && (
                            <Typography.Text type="secondary">(截止 {t.dueDate})</Typography.Text>
                          )}
                        </Typography.Text>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title="退回的报告">
            <Table
              rowKey={(r) => `${r.unitId}-${r.taskCode}-${r.period}-${r.reason}`}
              size="small"
              dataSource={f.returned}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              tableLayout="fixed"
              locale={{ emptyText: "没有退回的报告" }}
              columns={[
                { title: "单位", dataIndex: "unitName", width: 130, ellipsis: true },
                {
                  title: "任务",
                  width: 180,
                  render: (_, r) => (
                    <Typography.Text ellipsis={{ tooltip: r.taskTitle }}>
                      {r.taskCode} {r.taskTitle}
                    </Typography.Text>
                  ),
                },
                { title: "周期", dataIndex: "period", width: 120, render: (p: string) => periodLabel(p) },
                {
                  title: "退回原因",
                  dataIndex: "reason",
                  render: (r: string | null) => (
                    <Typography.Text ellipsis={{ tooltip: r }}>{r ?? "—"}</Typography.Text>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
