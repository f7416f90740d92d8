import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Empty,
  Popconfirm,
  Radio,
  Result,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { PageTitle } from "../../components/text.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { UpperPlansDrawer } from "../plan/UpperPlansDrawer.tsx";
import { Marked } from "./Marked.tsx";

type Board = RouterOutputs["links"]["board"];
type BoardTask = Board["tasks"][number];
type UpperTask = Board["upperTasks"][number];
type Filter = "all" | "open" | "linked" | "none";

/** The Select's value for "no upper task" (task ids are positive). */
const NONE = -1;

const stateOf = (t: BoardTask): Exclude<Filter, "all"> =>
  t.decision === null ? "open" : t.decision.upperTaskId === null ? "none" : "linked";

/**
 * 任务对标: each task of the plan beside the upper task it carries out. The three most similar
 * upper tasks are suggested with the words they share marked; the office accepts one, picks
 * another, or says the task has no upper task. Each choice is saved as it is made.
 */
export function TaskLinksPage() {
  const id = Number(useParams().id);
  const trpc = useTRPC();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const board = useQuery(trpc.links.board.queryOptions({ id }));
  const [filter, setFilter] = useState<Filter>("all");
  const [linking, setLinking] = useState(false);
  const save = useMutation(
    trpc.links.setTasks.mutationOptions({
      onSuccess: (r) => {
        queryClient.invalidateQueries({ queryKey: trpc.links.pathKey() });
        if (r.decided > 1) message.success(`已保存 ${r.decided} 项任务的对标结果`);
      },
      onError: (e) => modal.error({ title: "无法保存", content: errorMessage(e), width: 520 }),
    }),
  );
  const data = board.data;
  const upperById = useMemo(() => new Map((data?.upperTasks ?? []).map((t) => [t.id, t])), [data]);
  const planTitle = useMemo(() => new Map((data?.upperPlans ?? []).map((p) => [p.id, p.title])), [data]);

  if (board.isPending) return <Spin />;
  if (board.error)
    return <Result status="404" title="无法打开任务对标" subTitle={errorMessage(board.error)} />;
  const d = board.data;
  const counts = { all: d.tasks.length, open: 0, linked: 0, none: 0 };
  for (const t of d.tasks) counts[stateOf(t)]++;
  const shown = filter === "all" ? d.tasks : d.tasks.filter((t) => stateOf(t) === filter);
  // In bulk only what shares a phrase with its upper task; the rest is for a person to look at.
  const acceptable = d.tasks.filter((t) => t.decision === null && t.suggestions[0]?.strong);
  const decide = (taskId: number, value: number) =>
    save.mutate({ planId: id, decisions: [{ taskId, upperTaskId: value === NONE ? null : value }] });

  const upperLabel = (u: UpperTask) =>
    `${d.upperPlans.length > 1 ? `〔${planTitle.get(u.planId) ?? ""}〕` : ""}${u.code} ${u.title}`;
  const options = (t: BoardTask) => [
    ...(t.suggestions.length
      ? [
          {
            label: "建议(按相似度)",
            options: t.suggestions.map((s, i) => ({
              value: s.upperTaskId,
              label: `${i + 1}. ${upperLabel(upperById.get(s.upperTaskId) as UpperTask)}`,
            })),
          },
        ]
      : []),
    ...d.upperPlans.map((p) => ({
      label: p.title,
      options: d.upperTasks
        .filter((u) => u.planId === p.id && !t.suggestions.some((s) => s.upperTaskId === u.id))
        .map((u) => ({ value: u.id, label: `${u.code} ${u.title}` })),
    })),
    { label: "其他", options: [{ value: NONE, label: "无对应上级任务" }] },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb
        items={[
          { title: <Link to="/plans">工作要点</Link> },
          { title: <Link to={`/plans/${id}`}>{d.plan.title}</Link> },
          { title: "任务对标" },
        ]}
      />
      <Card
        title={<PageTitle>任务对标</PageTitle>}
        extra={
          <Space wrap>
            <Button onClick={() => setLinking(true)}>关联上级要点</Button>
            <Link to={`/plans/${id}/coverage`}>对标对表情况</Link>
          </Space>
        }
      >
        {d.upperPlans.length === 0 ? (
          <Empty description="本要点还没有关联上级要点。关联后,系统会为每项任务推荐对应的上级任务。">
            <Button type="primary" onClick={() => setLinking(true)} data-testid="links-open-upper">
              关联上级要点
            </Button>
          </Empty>
        ) : (
          <Space direction="vertical" size="middle" style={{ width: "100%" }}>
            <Alert
              type="info"
              showIcon
              message={
                <span>
                  {d.plan.title} 落实 {d.upperPlans.map((p) => `《${p.title}》`).join("、")}:已对标{" "}
                  {counts.linked} 项,无上级任务 {counts.none} 项,待对标 {counts.open} 项。
                </span>
              }
            />
            <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
              <Segmented<Filter>
                value={filter}
                onChange={setFilter}
                options={[
                  { value: "all", label: `全部 ${counts.all}` },
                  { value: "open", label: `待对标 ${counts.open}` },
                  { value: "linked", label: `已对标 ${counts.linked}` },
                  { value: "none", label: `无上级任务 ${counts.none}` },
                ]}
              />
              <Space wrap>
                <Button
                  type="primary"
                  disabled={acceptable.length === 0}
                  loading={save.isPending}
                  data-testid="links-accept-all"
                  onClick={() =>
                    save.mutate({
                      planId: id,
                      decisions: acceptable.map((t) => ({
                        taskId: t.id,
                        upperTaskId: (t.suggestions[0] as { upperTaskId: number }).upperTaskId,
                      })),
                    })
                  }
                >
                  采纳把握较大的首选建议({acceptable.length})
                </Button>
                <Popconfirm
                  title={`把其余 ${counts.open} 项待对标任务标为「无对应上级任务」?`}
                  description="之后仍可逐项改选。"
                  disabled={counts.open === 0}
                  onConfirm={() =>
                    save.mutate({
                      planId: id,
                      decisions: d.tasks
                        .filter((t) => t.decision === null)
                        .map((t) => ({ taskId: t.id, upperTaskId: null })),
                    })
                  }
                >
                  <Button disabled={counts.open === 0}>其余标为无上级任务</Button>
                </Popconfirm>
              </Space>
            </Space>
            <Table<BoardTask>
              rowKey="id"
              size="middle"
              dataSource={shown}
              pagination={false}
              scroll={{ x: 900 }}
              expandable={{
                expandedRowRender: (t) => (
                  <SideBySide task={t} upperById={upperById} onAccept={(u) => decide(t.id, u)} />
                ),
              }}
              columns={[
                { title: "编号", dataIndex: "code", width: 64 },
                { title: "本级任务", dataIndex: "title" },
                {
                  title: "对应的上级任务",
                  key: "upper",
                  width: 420,
                  render: (_, t) => (
                    <Select
                      style={{ width: "100%" }}
                      showSearch
                      optionFilterProp="label"
                      placeholder={
                        t.suggestions[0]?.strong
                          ? `建议:${upperLabel(upperById.get(t.suggestions[0].upperTaskId) as UpperTask)}`
                          : "选择上级任务(展开 + 查看相近任务)"
                      }
                      value={t.decision === null ? undefined : (t.decision.upperTaskId ?? NONE)}
                      options={options(t)}
                      onChange={(v: number) => decide(t.id, v)}
                      aria-label={`任务 ${t.code} 对应的上级任务`}
                      data-testid={`link-select-${t.code}`}
                    />
                  ),
                },
                {
                  title: "状态",
                  key: "state",
                  width: 110,
                  render: (_, t) =>
                    ({
                      open: <Tag color="gold">待对标</Tag>,
                      linked: <Tag color="green">已对标</Tag>,
                      none: <Tag>无上级任务</Tag>,
                    })[stateOf(t)],
                },
              ]}
            />
          </Space>
        )}
      </Card>
      <UpperPlansDrawer planId={id} open={linking} onClose={() => setLinking(false)} />
    </Space>
  );
}

/** The task and an upper task side by side, the shared words marked; the three suggestions to pick from. */
function SideBySide({
  task,
  upperById,
  onAccept,
}: {
  task: BoardTask;
  upperById: Map<number, UpperTask>;
  onAccept: (upperTaskId: number) => void;
}) {
  const chosen = task.decision?.upperTaskId ?? null;
  const [shownId, setShownId] = useState<number | null>(chosen ?? task.suggestions[0]?.upperTaskId ?? null);
  const suggestion = task.suggestions.find((s) => s.upperTaskId === shownId) ?? null;
  const upper = shownId === null ? null : (upperById.get(shownId) ?? null);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {task.suggestions.length > 0 && (
        <Radio.Group
          value={shownId}
          onChange={(e) => setShownId(e.target.value as number)}
          optionType="button"
          size="small"
          options={task.suggestions.map((s, i) => ({
            value: s.upperTaskId,
            label: `建议 ${i + 1}:${upperById.get(s.upperTaskId)?.code ?? ""}`,
          }))}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Typography.Text type="secondary">本级任务 {task.code}</Typography.Text>
          <Typography.Paragraph strong style={{ marginBottom: 4 }}>
            <Marked text={task.title} ranges={suggestion?.marks.lower.title ?? []} />
          </Typography.Paragraph>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>
            <Marked text={task.content} ranges={suggestion?.marks.lower.content ?? []} />
          </Typography.Paragraph>
        </Col>
        <Col xs={24} md={12}>
          {upper ? (
            <>
              <Typography.Text type="secondary">上级任务 {upper.code}</Typography.Text>
              <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                <Marked text={upper.title} ranges={suggestion?.marks.upper.title ?? []} />
              </Typography.Paragraph>
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>
                <Marked text={upper.content} ranges={suggestion?.marks.upper.content ?? []} />
              </Typography.Paragraph>
              {suggestion && suggestion.terms.length > 0 && (
                <Typography.Paragraph type="secondary">
                  共同词语:{suggestion.terms.join("、")}
                </Typography.Paragraph>
              )}
              {shownId !== chosen && (
                <Button size="small" type="primary" onClick={() => onAccept(upper.id)}>
                  采纳为对应的上级任务
                </Button>
              )}
            </>
          ) : (
            <Typography.Text type="secondary">
              上级要点中没有与这项任务相近的任务;可在上方选择,或标为「无对应上级任务」。
            </Typography.Text>
          )}
        </Col>
      </Row>
    </Space>
  );
}
