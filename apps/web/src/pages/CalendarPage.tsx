/**
 * /calendar: the working-day calendar deadlines count on (「10个工作日内」): the public holidays
 * and 调休 make-up working days of each year. Seeded from chinese-days; the office adds next
 * year's schedule when the State Council publishes it.
 */
import { DeleteOutlined, LeftOutlined, PlusOutlined, RightOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useOutletContext } from "react-router";
import { PageTitle } from "../components/text.tsx";
import type { Me } from "../lib/session.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type Day = RouterOutputs["calendar"]["list"][number];
type Kind = "holiday" | "workday";

const weekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
const kindLabels: Record<Kind, string> = { holiday: "放假", workday: "调休上班" };
const sourceLabels: Record<string, string> = { "chinese-days": "内置(国务院安排)", office: "手工录入" };
const isWeekend = (date: string) => [0, 6].includes(dayjs(date).day());

export function CalendarPage() {
  const trpc = useTRPC();
  // The State Council's schedule is shared by every government: the administrator keeps it.
  const canEdit = useOutletContext<Me>().role === "admin";
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const days = useQuery(trpc.calendar.list.queryOptions({ year }));
  const remove = useMutation(
    trpc.calendar.delete.mutationOptions({
      onSuccess: (n) => {
        queryClient.invalidateQueries({ queryKey: trpc.calendar.pathKey() });
        setSelected([]);
        message.success(`已删除 ${n} 天`);
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const rows = days.data ?? [];
  const holidays = rows.filter((d) => d.kind === "holiday").length;
  const workdays = rows.length - holidays;

  return (
    <Card
      title={<PageTitle>工作日历</PageTitle>}
      extra={
        <Space>
          <Space.Compact>
            <Button icon={<LeftOutlined />} onClick={() => setYear((y) => y - 1)} aria-label="上一年" />
            <InputNumber
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => v && v >= 2000 && v <= 2100 && setYear(v)}
              suffix="年"
              style={{ width: 110 }}
              data-testid="calendar-year"
              aria-label="年份"
            />
            <Button icon={<RightOutlined />} onClick={() => setYear((y) => y + 1)} aria-label="下一年" />
          </Space.Compact>
          {canEdit && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAdding(true)}
              data-testid="calendar-add"
            >
              添加日期
            </Button>
          )}
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Alert
          type="info"
          showIcon
          title="周一至周五是工作日,周六、周日休息,除非下表另有安排"
          description={
            <>
              下表列出例外:法定节假日的<b>放假</b>日,和周末的<b>调休上班</b>日。
              {"「文件印发后10个工作日内」等时限按此日历计算工作日。"}
              {canEdit
                ? "国务院办公厅每年年底公布下一年的节假日安排,公布后请在此添加;已有的日期再次添加会被覆盖。"
                : "节假日安排全省(全国)通用,由系统管理员按国务院办公厅公布的安排录入;如有遗漏请联系系统管理员。"}
            </>
          }
        />
        {!days.isPending && rows.length === 0 && (
          <Alert
            type="warning"
            showIcon
            title={`${year} 年还没有节假日安排`}
            description="在添加之前,该年的工作日按周一至周五计算,节假日期间的时限可能算早。"
          />
        )}
        <Space wrap>
          <Typography.Text>
            {year} 年:放假 <b>{holidays}</b> 天,调休上班 <b>{workdays}</b> 天
          </Typography.Text>
          {selected.length > 0 && (
            <Popconfirm
              title={`删除选中的 ${selected.length} 天?`}
              description="删除后这些日期按普通的周一至周五计算。"
              onConfirm={() => remove.mutate({ dates: selected })}
            >
              <Button danger size="small" icon={<DeleteOutlined />} loading={remove.isPending}>
                删除选中的 {selected.length} 天
              </Button>
            </Popconfirm>
          )}
        </Space>
        <Table<Day>
          rowKey="date"
          size="small"
          loading={days.isPending}
          dataSource={rows}
          pagination={false}
          rowSelection={
            canEdit
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
              : undefined
          }
          locale={{ emptyText: `${year} 年没有例外日期` }}
          data-testid="calendar-table"
          columns={[
            { title: "日期", dataIndex: "date", width: 130 },
            {
              title: "星期",
              dataIndex: "date",
              key: "weekday",
              width: 80,
              render: (d: string) => (
                <span style={{ color: isWeekend(d) ? "rgba(0, 0, 0, 0.6)" : undefined }}>
                  {weekdays[dayjs(d).day()]}
                </span>
              ),
            },
            {
              title: "安排",
              dataIndex: "kind",
              width: 130,
              render: (k: Kind, d) => (
                <Space size={4}>
                  <Tag color={k === "holiday" ? "red" : "blue"}>{kindLabels[k]}</Tag>
                  {k === "workday" && !isWeekend(d.date) && (
                    <Tooltip title="这一天本来就是工作日,这条记录不改变计算">
                      <Tag color="orange">无需设置</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: "名称", dataIndex: "name", render: (n: string) => n || "—" },
            {
              title: "来源",
              dataIndex: "source",
              width: 150,
              render: (s: string) => (
                <Typography.Text type="secondary">{sourceLabels[s] ?? s}</Typography.Text>
              ),
            },
            {
              title: "",
              width: 56,
              render: (_, d) => (
                <Popconfirm title={`删除 ${d.date}?`} onConfirm={() => remove.mutate({ dates: [d.date] })}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="删除" />
                </Popconfirm>
              ),
            },
          ]}
        />
      </Space>
      <AddDaysModal
        open={adding}
        year={year}
        onClose={() => setAdding(false)}
        onAdded={(y) => {
          setAdding(false);
          setYear(y);
        }}
      />
    </Card>
  );
}

type Row = { from?: Dayjs | null; to?: Dayjs | null; kind: Kind; name?: string };

/** Expand rows (a day, or a period such as 春节 2月5日至11日) into days. */
function daysOf(rows: Row[]): { days: { date: string; kind: Kind; name: string }[]; error: string | null } {
  const out = new Map<string, { date: string; kind: Kind; name: string }>();
  for (const [i, r] of rows.entries()) {
    if (!r.from) return { days: [], error: `第 ${i + 1} 行没有填写日期` };
    const to = r.to ?? r.from;
    if (to.isBefore(r.from, "day")) return { days: [], error: `第 ${i + 1} 行的结束日期早于开始日期` };
    if (to.diff(r.from, "day") > 40) return { days: [], error: `第 ${i + 1} 行跨度超过 40 天,请核对` };
    for (let d = r.from; !d.isAfter(to, "day"); d = d.add(1, "day")) {
      const date = d.format("YYYY-MM-DD");
      out.set(date, { date, kind: r.kind, name: (r.name ?? "").trim() });
    }
  }
  return { days: [...out.values()].sort((a, b) => a.date.localeCompare(b.date)), error: null };
}

function AddDaysModal({
  open,
  year,
  onClose,
  onAdded,
}: {
  open: boolean;
  year: number;
  onClose: () => void;
  onAdded: (year: number) => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ rows: Row[] }>();
  const [error, setError] = useState<string | null>(null);
  const upsert = useMutation(
    trpc.calendar.upsert.mutationOptions({
      onSuccess: (n, input) => {
        queryClient.invalidateQueries({ queryKey: trpc.calendar.pathKey() });
        // Due dates counted in working days change with the calendar.
        queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        message.success(`已保存 ${n} 天`);
        onAdded(Number(input.days[0]?.date.slice(0, 4) ?? year));
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const pickerValue = dayjs(`${year}-01-01`);
  return (
    <Modal
      title="添加节假日或调休上班日"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={upsert.isPending}
      width={760}
      destroyOnHidden
    >
      <Form<{ rows: Row[] }>
        form={form}
        initialValues={{ rows: [{ kind: "holiday" }] }}
        onFinish={(v) => {
          const { days, error: e } = daysOf(v.rows ?? []);
          setError(e);
          if (!e && days.length) upsert.mutate({ days });
        }}
        onValuesChange={() => setError(null)}
      >
        <Typography.Paragraph type="secondary">
          每行一天或一段(如春节放假 2月5日至2月11日,只填开始日期即为一天)。放假期间的周末也请一并填入。
        </Typography.Paragraph>
        <Form.List name="rows">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" style={{ display: "flex" }}>
                  <Form.Item name={[f.name, "from"]} rules={[{ required: true, message: "请选择日期" }]}>
                    <DatePicker
                      placeholder="日期"
                      defaultPickerValue={pickerValue}
                      style={{ width: 140 }}
                      data-testid={`day-from-${i}`}
                    />
                  </Form.Item>
                  <span style={{ lineHeight: "32px" }}>至</span>
                  <Form.Item name={[f.name, "to"]}>
                    <DatePicker
                      placeholder="(可选)结束日期"
                      defaultPickerValue={pickerValue}
                      style={{ width: 150 }}
                      data-testid={`day-to-${i}`}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, "kind"]}>
                    <Select
                      style={{ width: 120 }}
                      options={[
                        { value: "holiday", label: "放假" },
                        { value: "workday", label: "调休上班" },
                      ]}
                      data-testid={`day-kind-${i}`}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, "name"]}>
                    <Input
                      placeholder="名称,如 春节"
                      maxLength={50}
                      style={{ width: 150 }}
                      data-testid={`day-name-${i}`}
                    />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    disabled={fields.length === 1}
                    aria-label="删除此行"
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ kind: "holiday" })}
                data-testid="calendar-add-row"
              >
                再加一行
              </Button>
            </>
          )}
        </Form.List>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Form>
    </Modal>
  );
}
