import { useQuery } from "@tanstack/react-query";
import { Breadcrumb, Button, Card, Empty, List, Result, Space, Spin, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ExportButton } from "../../components/ExportButton.tsx";
import { type DownTarget, IssueDownModal } from "../../components/reports/IssueDownModal.tsx";
import { PageTitle } from "../../components/text.tsx";
import { errorMessage, type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import type { ExportColumn } from "../../lib/xlsx-export.ts";

type Coverage = RouterOutputs["links"]["coverage"];
type DownRow = Coverage["down"][number];

const who = (p: { issuerName: string | null; title: string }) => p.issuerName ?? p.title;

const exportColumns: ExportColumn<DownRow>[] = [
  { header: "编号", value: (r) => r.task.code },
  { header: "任务", value: (r) => r.task.title },
  { header: "未承接的下级", value: (r) => r.missing.map(who).join("、") },
  {
    header: "已承接的下级(对应任务)",
    value: (r) => r.took.map((t) => `${who(t.plan)}(${t.tasks.map((x) => x.code).join("、")})`).join(";"),
  },
  { header: "承接数", value: (r) => r.took.length },
  { header: "下级总数", value: (r) => r.took.length + r.missing.length },
];

/**
 * 对标对表: for this plan's tasks, which plans below took each up and which did not (gaps first,
 * exportable); for the plans it implements, the tasks it left out.
 */
export function CoveragePage() {
  const id = Number(useParams().id);
  const trpc = useTRPC();
  const coverage = useQuery(trpc.links.coverage.queryOptions({ id }));
  const [down, setDown] = useState<DownTarget | null>(null);
  if (coverage.isPending) return <Spin />;
  if (coverage.error)
    return <Result status="404" title="无法打开对标对表情况" subTitle={errorMessage(coverage.error)} />;
  const c = coverage.data;
  const gaps = c.down.filter((r) => r.missing.length > 0).length;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb
        items={[
          { title: <Link to="/plans">工作要点</Link> },
          { title: <Link to={`/plans/${id}`}>{c.plan.title}</Link> },
          { title: "对标对表" },
        ]}
      />
      <Card
        title={<PageTitle>下级落实情况</PageTitle>}
        extra={
          c.lowerPlans.length > 0 && (
            <ExportButton name={`对标对表-${c.plan.title}`} columns={exportColumns} rows={c.down} />
          )
        }
      >
        {c.lowerPlans.length === 0 ? (
          <Empty description="还没有下级要点关联本要点。下级政府在其要点中「关联上级要点」后,这里列出各项任务的承接情况。" />
        ) : (
          <Space direction="vertical" style={{ width: "100%" }}>
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              {c.lowerPlans.length} 份下级要点关联了本要点({c.lowerPlans.map(who).join("、")});{c.down.length}{" "}
              项任务中 <Typography.Text strong>{gaps}</Typography.Text> 项有下级未承接,列在前面。
            </Typography.Paragraph>
            <Table<DownRow>
              rowKey={(r) => r.task.id}
              size="middle"
              dataSource={c.down}
              pagination={false}
              scroll={{ x: 900 }}
              columns={[
                { title: "编号", key: "code", width: 64, render: (_, r) => r.task.code },
                { title: "任务", key: "title", render: (_, r) => r.task.title },
                {
                  title: "承接",
                  key: "n",
                  width: 90,
                  render: (_, r) => `${r.took.length}/${r.took.length + r.missing.length}`,
                },
                {
                  title: "未承接",
                  key: "missing",
                  width: 260,
                  render: (_, r) =>
                    r.missing.length ? (
                      r.missing.map((p) => (
                        <Tag key={p.id} color="red">
                          {who(p)}
                        </Tag>
                      ))
                    ) : (
                      <Typography.Text type="secondary">全部承接</Typography.Text>
                    ),
                },
                {
                  title: "已承接(对应任务)",
                  key: "took",
                  width: 300,
                  render: (_, r) =>
                    r.took.map((t) => (
                      <span key={t.plan.id} style={{ display: "inline-block", marginBottom: 4 }}>
                        <Tag color="green">
                          {who(t.plan)} {t.tasks.map((x) => x.code).join("、")}
                        </Tag>
                        {c.canNoticeDown && (
                          <Button
                            type="link"
                            size="small"
                            style={{ paddingInline: 2, marginInlineEnd: 8 }}
                            aria-label={`督办${who(t.plan)}落实${r.task.code}`}
                            onClick={() =>
                              setDown({ government: who(t.plan), upperTask: r.task, tasks: t.tasks })
                            }
                          >
                            督办
                          </Button>
                        )}
                      </span>
                    )),
                },
              ]}
            />
          </Space>
        )}
      </Card>
      <Card title="本要点未承接的上级任务">
        {c.up.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              <span>
                本要点没有关联上级要点。可在<Link to={`/plans/${id}/links`}>「任务对标」</Link>中关联。
              </span>
            }
          />
        ) : (
          c.up.map((u) => (
            <div key={u.plan.id} style={{ marginBottom: 16 }}>
              <Typography.Title level={5}>
                《{u.plan.title}》:{u.taskCount} 项任务,{u.leftOut.length} 项未承接
              </Typography.Title>
              {u.leftOut.length === 0 ? (
                <Typography.Text type="secondary">全部承接。</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={u.leftOut}
                  renderItem={(t) => (
                    <List.Item>
                      {t.code} {t.title}
                    </List.Item>
                  )}
                />
              )}
            </div>
          ))
        )}
        {c.up.length > 0 && <Link to={`/plans/${id}/links`}>去任务对标</Link>}
      </Card>
      <IssueDownModal target={down} onClose={() => setDown(null)} />
    </Space>
  );
}
