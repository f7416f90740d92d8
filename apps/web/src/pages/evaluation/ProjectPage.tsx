import { useQuery } from "@tanstack/react-query";
import { Breadcrumb, Card, Descriptions, Result, Space, Spin, Steps, Tabs, Tag } from "antd";
import { Link, useParams, useSearchParams } from "react-router";
import { PageTitle } from "../../components/text.tsx";
import { useMe } from "../../lib/session.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { AgreementTab, ReconcileTab } from "./ReconcileTab.tsx";
import { AppealsTab, ResultsTab } from "./ResultsTab.tsx";
import { ScoringGrid } from "./ScoringGrid.tsx";
import { SetupTab } from "./SetupTab.tsx";
import { type EvaluationStatus, fmtTime, StatusTag } from "./shared.tsx";

const steps: EvaluationStatus[] = ["setup", "scoring", "reconciling", "review", "published"];
const stepTitles = ["设置指标与分工", "评估人员评分", "复核分歧", "单位查看与申诉", "发布结果"];

/** One project: setup, the scoring grid, reconciliation, agreement, appeals, results and publishing. */
export function EvaluationPage() {
  const projectId = Number(useParams().id);
  const trpc = useTRPC();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const detail = useQuery(trpc.evaluation.get.queryOptions({ projectId }));
  if (detail.isPending) return <Spin />;
  if (detail.error)
    return <Result status="404" title="无法打开这个评估项目" subTitle={errorMessage(detail.error)} />;
  const d = detail.data;
  const { project } = d;
  const manager = d.access !== "evaluator";
  const scores = d.assignments.some((a) => a.evaluatorId === me.data?.id);
  const tabs = [
    ...(manager ? [{ key: "setup", label: "设置", children: <SetupTab detail={d} /> }] : []),
    ...(scores ? [{ key: "grid", label: "评分", children: <ScoringGrid projectId={projectId} /> }] : []),
    ...(manager && project.status !== "setup"
      ? [
          { key: "reconcile", label: "复核", children: <ReconcileTab projectId={projectId} /> },
          { key: "agreement", label: "一致性", children: <AgreementTab projectId={projectId} /> },
          {
            key: "appeals",
            label: d.openAppeals ? `申诉(${d.openAppeals})` : "申诉",
            children: <AppealsTab projectId={projectId} />,
          },
          { key: "results", label: "结果与发布", children: <ResultsTab detail={d} /> },
        ]
      : []),
  ];
  const fallback = scores && project.status === "scoring" ? "grid" : (tabs[0]?.key ?? "grid");
  const active = tabs.some((t) => t.key === params.get("tab")) ? (params.get("tab") as string) : fallback;
  const current = steps.indexOf(project.status);
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to="/evaluations">第三方评估</Link> }, { title: project.name }]} />
      <Card
        title={
          <Space>
            <PageTitle>{project.name}</PageTitle>
            <StatusTag status={project.status} />
            {d.access === "lead" && <Tag color="gold">您是评估组长</Tag>}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label="年度">{project.year}</Descriptions.Item>
          <Descriptions.Item label="评估机构">{project.organisation}</Descriptions.Item>
          <Descriptions.Item label="评估组长">{project.leadName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="评估单位">{d.units.length} 个</Descriptions.Item>
          {project.resultsShownAt && (
            <Descriptions.Item label="申诉截止">{fmtTime(project.appealDeadline)}</Descriptions.Item>
          )}
          {d.versions.length > 0 && (
            <Descriptions.Item label="已发布">第 {d.versions[0]?.version} 版</Descriptions.Item>
          )}
        </Descriptions>
        <Steps size="small" current={current} items={stepTitles.map((title) => ({ title }))} />
      </Card>
      <Card>
        <Tabs
          activeKey={active}
          onChange={(tab) => setParams({ tab }, { replace: true })}
          items={tabs}
          destroyOnHidden
        />
      </Card>
    </Space>
  );
}
