/**
 * The preview's bulk action: the office ticks many tasks (or picks "all tasks with no unit") and
 * gives them a lead, cooperating or responsible unit at once — a plan whose document names no
 * units is ready in one step instead of a drawer per task.
 */
import type { AssignmentRole } from "@gongkai/core/domain";
import { Button, Select, Space, Typography } from "antd";
import { useState } from "react";
import { UnitPicker } from "../../components/UnitPicker.tsx";
import { roleShort, roles } from "./model.ts";
import type { TreeNode } from "./tree.ts";

export function BulkAssign({
  count,
  treeData,
  onAssign,
  onClear,
}: {
  count: number;
  treeData: TreeNode[];
  onAssign: (role: AssignmentRole, values: string[]) => void;
  onClear: () => void;
}) {
  const [role, setRole] = useState<AssignmentRole>("lead");
  const [values, setValues] = useState<string[]>([]);
  return (
    <div
      role="toolbar"
      aria-label="批量设置单位"
      data-testid="bulk-assign"
      style={{
        display: "flex",
        flexWrap: "wrap",
        gap: 8,
        alignItems: "center",
        padding: "8px 12px",
        marginBottom: 8,
        background: "#e6f4ff",
        border: "1px solid #91caff",
        borderRadius: 6,
      }}
    >
      <Typography.Text strong>已选 {count} 项任务</Typography.Text>
      <Space.Compact style={{ flex: "1 1 360px", minWidth: 280 }}>
        <Select<AssignmentRole>
          value={role}
          onChange={setRole}
          options={roles.map((r) => ({ value: r, label: `${roleShort[r]}单位` }))}
          style={{ width: 110 }}
          aria-label="角色"
          data-testid="bulk-role"
        />
        <div style={{ flex: 1, minWidth: 0 }}>
          <UnitPicker treeData={treeData} value={values} onChange={setValues} data-testid="bulk-units" />
        </div>
      </Space.Compact>
      <Button
        type="primary"
        disabled={values.length === 0}
        onClick={() => {
          onAssign(role, values);
          setValues([]);
        }}
        data-testid="bulk-apply"
      >
        设为{roleShort[role]}单位
      </Button>
      <Button onClick={onClear}>取消选择</Button>
    </div>
  );
}
