import { FormOutlined } from "@ant-design/icons";
import { type AssignmentRole, assignmentRoles, type Category, categoryLabels } from "@gongkai/core/domain";
import { Button, Skeleton, Space, Table, Typography } from "antd";
import { LightBadge, ReportStateTag } from "../../components/reports/status.tsx";
import { RoleTag, UnitTags } from "../../lib/labels.tsx";
import { actionLabel, emptyTasks, type MyTaskListProps, type MyTaskRow } from "./common.tsx";

/**
 * On a desktop: the tasks as a table. antd's Table (with the pagination, select and tree it
 * brings) is in a chunk of its own, fetched only where it is shown: a phone never loads it.
 */
export function MyTaskTable({ tasks, loading, onOpen, empty }: MyTaskListProps) {
  return (
    <Table<MyTaskRow>
      rowKey="id"
      size="small"
      loading={loading && tasks.length > 0}
      dataSource={tasks}
      tableLayout="fixed"
      pagination={{ pageSize: 30, hideOnSinglePage: true }}
      // While the tasks load the rows are skeletons; 暂无任务 would read as data lost.
      locale={{ emptyText: loading ? <Skeleton active paragraph={{ rows: 4 }} /> : (empty ?? emptyTasks) }}
      onRow={(t) => ({ "data-testid": `my-task-row-${t.id}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: "编号", dataIndex: "code", width: 56 },
        {
          title: "任务",
          dataIndex: "title",
          render: (title: string, t) => (
            <Space orientation="vertical" size={0} style={{ width: "100%" }}>
              <Typography.Link strong onClick={() => onOpen(t.id)} data-testid="my-task-title">
                {title}
              </Typography.Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: t.planTitle }}>
                {t.year} · {t.category ? categoryLabels[t.category as Category] : "未分类"} · {t.planTitle}
              </Typography.Text>
            </Space>
          ),
        },
        {
          title: "本单位角色",
          dataIndex: "roles",
          width: 104,
          render: (roles: AssignmentRole[]) =>
            assignmentRoles.filter((r) => roles.includes(r)).map((r) => <RoleTag key={r} of={r} />),
        },
        {
          title: "状态",
          width: 108,
          render: (_, t) => <LightBadge light={t.light} reason={t.reason} />,
        },
        {
          title: "完成时限",
          width: 180,
          render: (_, t) => (
            <div>
              {t.dueDate && (
                <div style={{ fontVariantNumeric: "tabular-nums" }}>
                  <Typography.Text type={t.light === "overdue" ? "danger" : undefined}>
                    {t.dueDate}
                  </Typography.Text>
                </div>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: true }}>
                {t.deadlines.length === 0 ? "持续推进" : t.deadlines.map((d) => d.phrase).join(";")}
              </Typography.Text>
            </div>
          ),
        },
        {
          title: "最新报告",
          width: 128,
          render: (_, t) => (
            <Space size={4}>
              <ReportStateTag state={t.reportState} />
              {t.percent !== null && t.reportState && (
                <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                  {t.percent}%
                </Typography.Text>
              )}
            </Space>
          ),
        },
        {
          title: "牵头单位",
          width: 150,
          render: (_, t) => <UnitTags assignments={t.assignments} of="lead" />,
        },
        {
          title: "",
          width: 76,
          render: (_, t) => (
            <Button
              size="small"
              icon={<FormOutlined />}
              onClick={() => onOpen(t.id)}
              data-testid={`report-${t.id}`}
            >
              {actionLabel(t)}
            </Button>
          ),
        },
      ]}
    />
  );
}
