import {
  assignmentRoleLabels,
  assignmentRoles,
  type Category,
  categoryLabels,
  reportStateLabels,
} from "@gongkai/core/domain";
import { lightLabels } from "@gongkai/core/reports";
import { ExportButton } from "../../components/ExportButton.tsx";
import { collapseAssignments } from "../../lib/labels.tsx";
import type { ExportColumn } from "../../lib/xlsx-export.ts";
import type { MyTaskRow } from "./common.tsx";

const columns: ExportColumn<MyTaskRow>[] = [
  { header: "编号", value: (t) => t.code },
  { header: "任务", value: (t) => t.title },
  { header: "工作要点", value: (t) => `${t.year}年 · ${t.planTitle}` },
  { header: "类别", value: (t) => (t.category ? categoryLabels[t.category as Category] : "") },
  {
    header: "本单位角色",
    value: (t) =>
      assignmentRoles
        .filter((r) => t.roles.includes(r))
        .map((r) => assignmentRoleLabels[r])
        .join("、"),
  },
  { header: "状态", value: (t) => (t.light ? lightLabels[t.light] : "") },
  { header: "完成时限", value: (t) => t.dueDate },
  {
    header: "时限要求",
    value: (t) => (t.deadlines.length === 0 ? "持续推进" : t.deadlines.map((d) => d.phrase).join(";")),
  },
  { header: "最新报告", value: (t) => (t.reportState ? reportStateLabels[t.reportState] : "未填报") },
  { header: "完成进度(%)", value: (t) => (t.reportState ? t.percent : null) },
  {
    header: "牵头单位",
    value: (t) =>
      collapseAssignments(t.assignments, "lead")
        .map((u) => u.label)
        .join("、"),
  },
];

/**
 * 导出 Excel for a unit's tasks as the page lists them (its role tab and light filter applied). In a
 * chunk of its own, on a desktop only: the page's budget has no room for it, and a phone has no use.
 */
export function MyTasksExport({ rows }: { rows: readonly MyTaskRow[] }) {
  return <ExportButton name="我的任务" columns={columns} rows={rows} size="small" />;
}
