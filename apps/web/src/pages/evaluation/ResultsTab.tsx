import { CloudUploadOutlined, EyeOutlined, GlobalOutlined } from "@ant-design/icons";
import { gradeRuleText } from "@gongkai/core/grades";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { rankingRuleText } from "../../lib/ranking.ts";
import { unitPages } from "../../lib/tables.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { Evidence, fmtScore, fmtTime, type ProjectDetail, tierLabel } from "./shared.tsx";

type Preview = RouterOutputs["evaluation"]["preview"];
type ResultUnit = Preview["results"]["units"][number];

/** The results as they stand, showing them to units, publishing versions. */
export function ResultsTab({ detail }: { detail: ProjectDetail }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const projectId = detail.project.id;
  const preview = useQuery(trpc.evaluation.preview.queryOptions({ projectId }));
  const [publishing, setPublishing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
  const show = useMutation(
    trpc.evaluation.showResults.mutationOptions({
      onSuccess: (r) => {
        refresh();
        message.success(`已向各单位公示结果,申诉截止 ${fmtTime(r.appealDeadline)}`);
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  if (preview.isPending) return <Spin />;
  if (preview.error) return <Alert type="error" message={errorMessage(preview.error)} />;
  const { results, incomplete, pending, openAppeals } = preview.data;
  const blockers = [
    ...(pending ? [`还有 ${pending} 个分歧得分待复核`] : []),
    ...(incomplete.length ? [`${incomplete.length} 个单位尚未完成评分(见下)`] : []),
    ...(openAppeals ? [`${openAppeals} 条申诉待处理`] : []),
  ];
  const versions = detail.versions;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        size="small"
        title="当前结果(未发布前仅评估组长和政务公开办可见)"
        extra={
          <Space>
            {!detail.project.resultsShownAt && (
              <Popconfirm
                title={`公示后各单位可查看本单位得分,并在 ${detail.project.appealDays} 天内申诉。确定公示?`}
                onConfirm={() => show.mutate({ projectId })}
                okText="公示"
              >
                <Button
                  icon={<EyeOutlined />}
                  loading={show.isPending}
                  disabled={pending > 0 || incomplete.length > 0}
                >
                  向单位公示结果
                </Button>
              </Popconfirm>
            )}
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              onClick={() => setPublishing(true)}
              disabled={blockers.length > 0}
              data-testid="publish"
            >
              {versions.length ? `发布更正版(第 ${versions.length + 1} 版)` : "发布结果"}
            </Button>
          </Space>
        }
      >
        {detail.project.resultsShownAt && (
          <Alert
            style={{ marginBottom: 12 }}
            type="info"
            showIcon
            message={`已于 ${fmtTime(detail.project.resultsShownAt)} 向各单位公示,申诉截止 ${fmtTime(detail.project.appealDeadline)}`}
          />
        )}
        {blockers.length > 0 && (
          <Alert
            style={{ marginBottom: 12 }}
            type="warning"
            showIcon
            message="暂不能发布"
            description={
              <>
                {blockers.join(";")}
                {incomplete.length > 0 && (
                  <Typography.Paragraph
                    style={{ margin: "4px 0 0" }}
                    ellipsis={{ rows: 3, expandable: true, symbol: "展开全部" }}
                    data-testid="incomplete-units"
                  >
                    尚未完成评分的单位:{incomplete.join("、")}
                  </Typography.Paragraph>
                )}
              </>
            }
          />
        )}
        <Typography.Paragraph type="secondary" data-testid="ranking-rule">
          {rankingRuleText(
            results.ranking ?? {},
            (code) => results.indicators.find((i) => i.code === code)?.name,
          )}
          {results.tiers.length > 1 ? ";各层级分别排名" : ""}
          {results.grades ? <span data-testid="grade-rule">。{gradeRuleText(results.grades)}</span> : null}
        </Typography.Paragraph>
        {results.tiers.map((tier) => (
          <div key={tier} style={{ marginBottom: 16 }}>
            <Typography.Title level={5}>{tierLabel(tier)}</Typography.Title>
            <RankingTable
              units={results.units.filter((u) => u.tier === tier)}
              firstLevel={results.indicators.filter((i) => i.level === 1)}
            />
          </div>
        ))}
      </Card>
      <Card
        size="small"
        title="已发布版本"
        extra={
          versions.length > 0 && (
            <Link to={`/public/rankings/${projectId}`} target="_blank">
              <GlobalOutlined /> 查看公开页面
            </Link>
          )
        }
      >
        <List
          dataSource={versions}
          locale={{ emptyText: <Typography.Text type="secondary">尚未发布</Typography.Text> }}
          renderItem={(v) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <Space>
                  <Tag color="green">第 {v.version} 版</Tag>
                  {fmtTime(v.publishedAt)}
                  {v.reason && <Typography.Text>更正原因:{v.reason}</Typography.Text>}
                </Space>
                <Typography.Text type="secondary" copyable style={{ fontSize: 12 }}>
                  {v.contentHash}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      {publishing && (
        <PublishModal
          projectId={projectId}
          nextVersion={versions.length + 1}
          appealsOpenUntil={
            detail.project.appealDeadline && Date.now() <= Date.parse(detail.project.appealDeadline)
              ? detail.project.appealDeadline
              : null
          }
          onClose={() => setPublishing(false)}
        />
      )}
    </Space>
  );
}

export function RankingTable({
  units,
  firstLevel,
}: {
  units: ResultUnit[];
  firstLevel: { code: string; name: string; max: number }[];
}) {
  // Many first-level indicators (a province's system has ten) scroll sideways rather than squeeze
  // the names to a character a line, as on the public ranking page.
  const wide = firstLevel.length > 4;
  return (
    <Table<ResultUnit>
      size="small"
      rowKey="unitId"
      dataSource={units}
      pagination={unitPages(units.length)}
      scroll={wide ? { x: 70 + 200 + 90 + 80 + firstLevel.length * 100 } : undefined}
      columns={[
        { title: "排名", dataIndex: "rank", width: 70, render: (r: number | null) => r ?? "—" },
        { title: "单位", dataIndex: "unitName", ...(wide ? { width: 200 } : {}) },
        { title: "总分", dataIndex: "total", width: 90, render: (t: number | null) => <b>{fmtScore(t)}</b> },
        { title: "等次", dataIndex: "grade", width: 80, render: (g: string | null) => g ?? "—" },
        ...firstLevel.map((i) => ({
          title: i.name,
          width: 100,
          render: (_: unknown, u: ResultUnit) => fmtScore(u.indicators[i.code]),
        })),
      ]}
    />
  );
}

function PublishModal({
  projectId,
  nextVersion,
  appealsOpenUntil,
  onClose,
}: {
  projectId: number;
  nextVersion: number;
  /** The appeal deadline while units may still appeal, else null. */
  appealsOpenUntil: string | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const publish = useMutation(
    trpc.evaluation.publish.mutationOptions({
      onSuccess: (r) => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.public.pathKey() });
        message.success(`已发布第 ${r.version} 版,内容哈希 ${r.contentHash.slice(0, 12)}…`);
        onClose();
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  const correction = nextVersion > 1;
  return (
    <Modal
      title={correction ? `发布更正版(第 ${nextVersion} 版)` : "发布评估结果"}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="发布"
      confirmLoading={publish.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>
        发布后结果将冻结并计算内容哈希(SHA-256),在公开页面展示,任何人无需登录即可查看和下载。
        {correction && "旧版本保留,与更正版并列展示。"}
      </Typography.Paragraph>
      {appealsOpenUntil && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="publish-appeals-open"
          message={`申诉期尚未结束(截止 ${fmtTime(appealsOpenUntil)}),各单位仍可提出申诉。`}
          description="在申诉期内发布,请写明原因(如:申诉已全部处理、按上级要求提前发布);之后采纳的申诉需发布更正版。"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => publish.mutate({ projectId, reason: v.reason ?? null })}
      >
        <Form.Item
          name="reason"
          label={correction ? "更正原因" : appealsOpenUntil ? "在申诉期内发布的原因" : "说明(可选)"}
          rules={
            correction || appealsOpenUntil
              ? [
                  {
                    required: true,
                    whitespace: true,
                    message: correction ? "请填写更正原因" : "请填写发布原因",
                  },
                ]
              : []
          }
        >
          <Input.TextArea rows={3} data-testid="publish-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Appeal = RouterOutputs["evaluation"]["appeals"][number];
const appealStates: Record<Appeal["state"], [string, string]> = {
  open: ["待处理", "orange"],
  accepted: ["已采纳", "green"],
  rejected: ["已驳回", "default"],
};

/** Appeals from units: accept (the final score changes, the reason kept) or reject with a reason. */
export function AppealsTab({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const appeals = useQuery(trpc.evaluation.appeals.queryOptions({ projectId }));
  const [deciding, setDeciding] = useState<Appeal | null>(null);
  if (appeals.isPending) return <Spin />;
  if (appeals.error) return <Alert type="error" message={errorMessage(appeals.error)} />;
  return (
    <>
      <Table<Appeal>
        size="small"
        rowKey="id"
        dataSource={appeals.data}
        pagination={false}
        locale={{ emptyText: "暂无申诉" }}
        tableLayout="fixed"
        columns={[
          { title: "单位", dataIndex: "unitName", width: 150 },
          {
            title: "指标",
            width: 170,
            render: (_, a) => `${a.indicatorCode} ${a.indicatorName}(满分 ${a.max})`,
          },
          { title: "申诉理由", dataIndex: "reason" },
          {
            title: "评估佐证",
            width: 240,
            render: (_, a) => a.ratings.map((r) => <Evidence key={r.evaluatorId} e={r} />),
          },
          { title: "现得分", dataIndex: "current", width: 80, render: fmtScore },
          {
            title: "状态",
            width: 170,
            render: (_, a) => (
              <div>
                <Tag color={appealStates[a.state][1]}>{appealStates[a.state][0]}</Tag>
                {a.response && (
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
                    {a.response}
                  </Typography.Paragraph>
                )}
              </div>
            ),
          },
          {
            title: "",
            width: 80,
            render: (_, a) =>
              a.state === "open" && (
                <Button size="small" type="primary" onClick={() => setDeciding(a)}>
                  处理
                </Button>
              ),
          },
        ]}
      />
      {deciding && (
        <DecideAppealModal projectId={projectId} appeal={deciding} onClose={() => setDeciding(null)} />
      )}
    </>
  );
}

function DecideAppealModal({
  projectId,
  appeal,
  onClose,
}: {
  projectId: number;
  appeal: Appeal;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ accept: boolean; response: string; newValue?: number }>();
  const accept = Form.useWatch("accept", form);
  const decide = useMutation(
    trpc.evaluation.decideAppeal.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        message.success("已处理申诉");
        onClose();
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  return (
    <Modal
      title={`处理申诉:${appeal.unitName} · ${appeal.indicatorName}`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>申诉理由:{appeal.reason}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ accept: true, newValue: appeal.current ?? undefined }}
        onFinish={(v) =>
          decide.mutate({
            projectId,
            appealId: appeal.id,
            accept: v.accept,
            response: v.response,
            newValue: v.accept ? (v.newValue ?? null) : null,
          })
        }
      >
        <Form.Item name="accept" label="处理结果">
          <Radio.Group
            options={[
              { value: true, label: "采纳,调整得分" },
              { value: false, label: "驳回" },
            ]}
          />
        </Form.Item>
        {accept !== false && (
          <Form.Item
            name="newValue"
            label={`调整后得分(0 到 ${appeal.max} 分)`}
            rules={[{ required: true, message: "请填写调整后的得分" }]}
          >
            <InputNumber min={0} max={appeal.max || undefined} step={0.5} />
          </Form.Item>
        )}
        <Form.Item
          name="response"
          label="处理意见"
          rules={[{ required: true, whitespace: true, message: "请填写处理意见" }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
