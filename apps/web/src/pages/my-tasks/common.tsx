import type { ReportState } from "@gongkai/core/domain";
import type { Light } from "@gongkai/core/reports";
import { Empty } from "antd";
import type { ReactNode } from "react";
import type { RouterOutputs } from "../../lib/trpc.ts";

type MyTask = RouterOutputs["tasks"]["mine"][number];

/** A task of the unit's with the unit's own light and latest report on it. */
export type MyTaskRow = MyTask & {
  light: Light | null;
  reason: string;
  dueDate: string | null;
  reportState: ReportState | null;
  percent: number | null;
};

/** What the cards and the table show of a list of tasks, and what a click on one does. */
export type MyTaskListProps = {
  tasks: MyTaskRow[];
  loading: boolean;
  onOpen: (taskId: number) => void;
  /** Shown instead of 暂无任务 when tasks there are but the filters left none. */
  empty?: ReactNode;
};

export const emptyTasks = <Empty description="暂无任务。工作要点发布后,分派给本单位的任务会出现在这里。" />;

/** What the task's button says: what the unit can do with its report now. */
export const actionLabel = (t: MyTaskRow) =>
  t.reportState === "returned"
    ? "修改"
    : t.reportState === "submitted" || t.light === "done"
      ? "查看"
      : "填报";
