import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Breadcrumb,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Modal,
  Popconfirm,
  Result,
  Space,
  Spin,
  Steps,
  Tabs,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { PageTitle } from "../../components/text.tsx";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { ResultsTab } from "./ResultsTab.tsx";
import { SchemeEditor } from "./SchemeEditor.tsx";
import { ScoresTab } from "./ScoresTab.tsx";
import { type AssessmentStatus, pts, type SchemeDetail, StatusTag } from "./shared.tsx";

const stageIndex: Record<AssessmentStatus, number> = { draft: 0, selfAssessment: 1, review: 2, published: 3 };
const defaultTab: Record<AssessmentStatus, string> = {
  draft: "scheme",
  selfAssessment: "scores",
  review: "scores",
  published: "results",
};

/** One scheme: its stage, indicator tree, the units' scores and the results. */
export function AssessmentPage() {
  const id = Number(useParams().id);
  const trpc = useTRPC();
  const detail = useQuery(trpc.assessment.get.queryOptions({ id }));
  const [params, setParams] = useSearchParams();
  if (detail.isPending) return <Spin />;
  if (detail.error)
    return <Result status="404" title="无法打开这个考核方案" subTitle={errorMessage(detail.error)} />;
  const d = detail.data;
  const tab = params.get("tab") ?? defaultTab[d.scheme.status];
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to="/assessment">年度考核</Link> }, { title: d.scheme.name }]} />
      <Header detail={d} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={[
            {
              key: "scheme",
              label: "指标体系",
              children: <SchemeEditor key={d.scheme.version} detail={d} />,
            },
            { key: "scores", label: "审核评分", children: <ScoresTab detail={d} /> },
            { key: "results", label: "考核结果", children: <ResultsTab detail={d} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

function Header({ detail }: { detail: SchemeDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const { scheme } = detail;
  const [opening, setOpening] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
  const onError = (e: unknown) => modal.error({ title: "无法完成", content: errorMessage(e), width: 520 });
  const startReview = useMutation(
    trpc.assessment.startReview.mutationOptions({
      onSuccess: () => {
        refresh();
        message.success("已进入审核评分阶段");
      },
      onError,
    }),
  );
  const remove = useMutation(
    trpc.assessment.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        navigate("/assessment");
      },
      onError,
    }),
  );
  const submitted = detail.units.filter((u) => u.selfSubmittedAt).length;
  return (
    <Card
      title={
        <Space>
          <PageTitle>{scheme.name}</PageTitle>
          <StatusTag status={scheme.status} />
        </Space>
      }
      extra={
        <Space wrap>
          {scheme.status === "draft" && (
            <Popconfirm title="删除这个草稿方案?" onConfirm={() => remove.mutate({ id: scheme.id })}>
              <Button danger>删除</Button>
            </Popconfirm>
          )}
          {(scheme.status === "draft" || scheme.status === "review") && (
            <Button onClick={() => setOpening(true)} data-testid="open-self">
              {scheme.status === "draft" ? "开放单位自评" : "重新开放自评"}
            </Button>
          )}
          {scheme.status === "selfAssessment" && (
            <Button onClick={() => setOpening(true)}>调整自评截止日期</Button>
          )}
          {(scheme.status === "draft" || scheme.status === "selfAssessment") && (
            <Popconfirm
              title={
                scheme.status === "draft"
                  ? "不经单位自评,直接由政务公开办评分?"
                  : "结束单位自评,进入审核评分?"
              }
              description={scheme.status === "selfAssessment" ? "之后单位不能再修改自评。" : undefined}
              onConfirm={() => startReview.mutate({ id: scheme.id })}
              okButtonProps={{ "data-testid": "confirm-review" }}
            >
              <Button type="primary" loading={startReview.isPending} data-testid="start-review">
                {scheme.status === "draft" ? "直接进入审核评分" : "结束自评,进入审核评分"}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Steps
        size="small"
        current={stageIndex[scheme.status]}
        style={{ marginBottom: 16 }}
        items={[
          { title: "制定方案", description: "指标、分值、评分细则" },
          {
            title: "单位自评",
            description: scheme.selfAssessmentDue ? `截止 ${scheme.selfAssessmentDue}` : "逐项自评并附佐证",
          },
          { title: "审核评分", description: "审核自评,确定最终得分" },
          { title: "发布结果", description: "冻结排名,可发布更正版本" },
        ]}
      />
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
        <Descriptions.Item label="考核年度">{scheme.year} 年</Descriptions.Item>
        <Descriptions.Item label="考核分组">
          {scheme.groupName ?? "—"}({detail.units.length} 个单位)
        </Descriptions.Item>
        <Descriptions.Item label="分值权重">
          {scheme.definition.share}%(绩效考核总分 {pts(scheme.performanceTotal)} 分)
        </Descriptions.Item>
        <Descriptions.Item label="满分">
          {pts(detail.max)} 分{detail.bonusCap > 0 ? ` + 加分 ${pts(detail.bonusCap)} 分` : ""}
        </Descriptions.Item>
        {scheme.status !== "draft" && (
          <Descriptions.Item label="自评提交">
            {submitted} / {detail.units.length}
          </Descriptions.Item>
        )}
        {detail.versions.length > 0 && (
          <Descriptions.Item label="已发布">第 {detail.versions[0]?.version} 版</Descriptions.Item>
        )}
      </Descriptions>
      {opening && <OpenSelfModal detail={detail} onClose={() => setOpening(false)} />}
    </Card>
  );
}

function OpenSelfModal({ detail, onClose }: { detail: SchemeDetail; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [due, setDue] = useState<Dayjs | null>(
    detail.scheme.selfAssessmentDue ? dayjs(detail.scheme.selfAssessmentDue) : dayjs().add(14, "day"),
  );
  const [error, setError] = useState<string | null>(null);
  const open = useMutation(
    trpc.assessment.openSelfAssessment.mutationOptions({
      onSuccess: (s) => {
        queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
        message.success(`已开放单位自评,截止 ${s.selfAssessmentDue}`);
        onClose();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <Modal
      open
      title="单位自评"
      onCancel={onClose}
      okText="确定"
      confirmLoading={open.isPending}
      onOk={() => due && open.mutate({ id: detail.scheme.id, selfAssessmentDue: due.format("YYYY-MM-DD") })}
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text>
          考核分组内的 {detail.units.length || "全部"}{" "}
          个单位可在「年度自评」中逐项填写自评分、说明和佐证材料,截止日当天仍可填写。
        </Typography.Text>
        <Space>
          自评截止日期:
          <DatePicker value={due} onChange={setDue} allowClear={false} data-testid="self-due" />
        </Space>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Space>
    </Modal>
  );
}
