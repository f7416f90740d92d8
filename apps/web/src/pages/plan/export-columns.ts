import { type AssignmentRole, type Category, categoryLabels } from "@gongkai/core/domain";
import { lightLabels } from "@gongkai/core/reports";
import { collapseAssignments } from "../../lib/labels.tsx";
import type { ExportColumn } from "../../lib/xlsx-export.ts";
import type { Task, TaskLight } from "./TaskTable.tsx";

/** A task of the plan as 导出 Excel writes it: its section's title beside it. */
export type TaskExportRow = Task & { sectionTitle: string };

const unitsOf = (t: Task, role: AssignmentRole) =>
  collapseAssignments(t.assignments, role)
    .map((u) => u.label)
    .join("、");

/** The columns of the plan's task table, in Chinese; the light when the plan is published. */
export function planTaskExportColumns(lights: Map<number, TaskLight> | null): ExportColumn<TaskExportRow>[] {
  return [
    { header: "章节", value: (t) => t.sectionTitle },
    { header: "编号", value: (t) => t.code },
    { header: "任务", value: (t) => t.title },
    { header: "具体内容", value: (t) => t.content },
    { header: "类别", value: (t) => (t.category ? categoryLabels[t.category as Category] : "") },
    { header: "牵头单位", value: (t) => unitsOf(t, "lead") },
    { header: "配合单位", value: (t) => unitsOf(t, "cooperating") },
    { header: "责任单位", value: (t) => unitsOf(t, "responsible") },
    {
      header: "完成时限",
      value: (t) =>
        t.deadlines.length === 0
          ? "持续推进"
          : t.deadlines.map((d) => (d.dueDate ? `${d.phrase}(${d.dueDate})` : d.phrase)).join(";"),
    },
    ...(lights
      ? [
          {
            header: "状态",
            value: (t: TaskExportRow) => {
              const l = lights.get(t.id);
              return l ? lightLabels[l.light] : "未分派";
            },
          },
        ]
      : []),
  ];
}
