import {
  type AssignmentRole,
  assignmentRoleLabels,
  type PlanStatus,
  planStatusLabels,
} from "@gongkai/core/domain";
import { Tag } from "antd";

export const roleColors: Record<AssignmentRole, string> = {
  lead: "red",
  cooperating: "blue",
  responsible: "green",
};

export function PlanStatusTag({ status }: { status: PlanStatus }) {
  const color = status === "published" ? "green" : status === "archived" ? "default" : "orange";
  return <Tag color={color}>{planStatusLabels[status]}</Tag>;
}

export function RoleTag({ of }: { of: AssignmentRole }) {
  return <Tag color={roleColors[of]}>{assignmentRoleLabels[of].replace("单位", "")}</Tag>;
}

/** Assignments collapsed for display: a group picked as a whole shows as one tag. */
export function collapseAssignments<
  A extends {
    unitId: number;
    unitName: string;
    role: AssignmentRole;
    viaGroupId: number | null;
    groupName: string | null;
  },
>(assignments: A[], role: AssignmentRole): { key: string; label: string; isGroup: boolean }[] {
  const out = new Map<string, { key: string; label: string; isGroup: boolean }>();
  for (const a of assignments) {
    if (a.role !== role) continue;
    if (a.viaGroupId !== null)
      out.set(`g${a.viaGroupId}`, { key: `g${a.viaGroupId}`, label: a.groupName ?? "分组", isGroup: true });
    else out.set(`u${a.unitId}`, { key: `u${a.unitId}`, label: a.unitName, isGroup: false });
  }
  return [...out.values()];
}

export function UnitTags<
  A extends {
    unitId: number;
    unitName: string;
    role: AssignmentRole;
    viaGroupId: number | null;
    groupName: string | null;
  },
>({ assignments, of }: { assignments: A[]; of: AssignmentRole }) {
  const items = collapseAssignments(assignments, of);
  if (items.length === 0) return <span style={{ color: "rgba(0, 0, 0, 0.6)" }}>—</span>;
  return (
    <>
      {items.map((i) => (
        <Tag key={i.key} color={i.isGroup ? "purple" : undefined} style={{ marginBottom: 2 }}>
          {i.label}
        </Tag>
      ))}
    </>
  );
}

export function deadlineText(d: { phrase: string; dueDate: string | null; kind: string }) {
  return d.dueDate ? `${d.phrase}(${d.dueDate})` : d.phrase;
}
