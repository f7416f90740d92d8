import { FormOutlined } from "@ant-design/icons";
import { assignmentRoles, type Category, categoryLabels } from "@gongkai/core/domain";
import { lightColors } from "@gongkai/core/reports";
import { Button, Card, Skeleton, Space } from "antd";
import { lazy, Suspense, useState } from "react";
import { LightBadge, ReportStateTag } from "../../components/reports/status.tsx";
import { Text, TextLink } from "../../components/text.tsx";
import { RoleTag } from "../../lib/labels.tsx";
import { actionLabel, emptyTasks, type MyTaskListProps } from "./common.tsx";

/**
 * antd's Pagination brings Select (for its page-size changer) and Select its virtual list: 20 kB
 * for the few units with more than a page of tasks, fetched once their list shows. Its line (24 px)
 * is kept until then.
 */
const Pagination = lazy(() => import("antd/es/pagination"));
const pagerPlaceholder = <div style={{ height: 24, marginTop: 12 }} />;

/** On a phone: a card a task (title, roles, light, due date, latest report) instead of a table. */
export function MyTaskCards({ tasks, loading, onOpen, empty }: MyTaskListProps) {
  const pageSize = 20;
  const [page, setPage] = useState(1);
  // While the tasks load the page says so; 暂无任务 would read as data lost.
  if (loading) return <Skeleton active paragraph={{ rows: 6 }} data-testid="my-tasks-loading" />;
  if (tasks.length === 0) return empty ?? emptyTasks;
  const current = Math.min(page, Math.ceil(tasks.length / pageSize));
  return (
    <div data-testid="my-task-cards">
      <Space orientation="vertical" size={8} style={{ width: "100%" }}>
        {tasks.slice((current - 1) * pageSize, current * pageSize).map((t) => (
          <Card
            key={t.id}
            size="small"
            data-testid={`my-task-card-${t.id}`}
            styles={{ body: { padding: 12 } }}
            style={{ borderLeft: `4px solid ${t.light ? lightColors[t.light] : "#f0f0f0"}` }}
          >
            <TextLink
              strong
              href={`?task=${t.id}`}
              onOpen={() => onOpen(t.id)}
              data-testid="my-task-title"
              style={{ display: "block", fontSize: 15 }}
            >
              {t.code ? `${t.code}. ` : ""}
              {t.title}
            </TextLink>
            <Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {t.year} · {t.category ? categoryLabels[t.category as Category] : "未分类"} · {t.planTitle}
            </Text>
            <div style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8, marginTop: 8 }}>
              <span>
                {assignmentRoles
                  .filter((r) => t.roles.includes(r))
                  .map((r) => (
                    <RoleTag key={r} of={r} />
                  ))}
              </span>
              <LightBadge light={t.light} reason={t.reason} />
            </div>
            <div style={{ marginTop: 6 }}>
              <Text type="secondary">完成时限:</Text>
              {t.dueDate && (
                <Text
                  type={t.light === "overdue" ? "danger" : undefined}
                  style={{ fontVariantNumeric: "tabular-nums", marginRight: 6 }}
                >
                  {t.dueDate}
                </Text>
              )}
              <Text type="secondary" style={{ fontSize: 12 }}>
                {t.deadlines.length === 0 ? "持续推进" : t.deadlines.map((d) => d.phrase).join(";")}
              </Text>
            </div>
            <div style={{ display: "flex", alignItems: "center", gap: 8, marginTop: 8 }}>
              <Text type="secondary">最新报告:</Text>
              <ReportStateTag state={t.reportState} />
              {t.percent !== null && t.reportState && (
                <Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                  {t.percent}%
                </Text>
              )}
              <Button
                type={actionLabel(t) === "查看" ? "default" : "primary"}
                icon={<FormOutlined />}
                onClick={() => onOpen(t.id)}
                data-testid={`report-${t.id}`}
                style={{ marginLeft: "auto" }}
              >
                {actionLabel(t)}
              </Button>
            </div>
          </Card>
        ))}
      </Space>
      {tasks.length > pageSize && (
        <Suspense fallback={pagerPlaceholder}>
          <Pagination
            simple
            align="center"
            style={{ marginTop: 12 }}
            current={current}
            pageSize={pageSize}
            total={tasks.length}
            onChange={setPage}
          />
        </Suspense>
      )}
    </div>
  );
}
