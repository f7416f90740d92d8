import { useQuery } from "@tanstack/react-query";
import { TreeSelect } from "antd";
import { useTRPC } from "../lib/trpc.ts";
import { toSingleTree, unitTreeSearch, useUnitTree } from "./UnitPicker.tsx";

/**
 * One unit of the office's directory to narrow a list to (全部单位 when cleared), searched by name:
 * typing 党政 finds 党政办公室 however deep it sits in the tree.
 */
export function UnitFilter({
  value,
  onChange,
  width = 220,
}: {
  value: number | null;
  onChange: (unitId: number | null) => void;
  width?: number;
}) {
  const trpc = useTRPC();
  const units = useQuery(trpc.units.list.queryOptions());
  const tree = toSingleTree(useUnitTree(units.data, undefined));
  return (
    <TreeSelect<number>
      allowClear
      showSearch={unitTreeSearch}
      treeDefaultExpandAll
      loading={units.isPending}
      treeData={tree}
      value={value ?? undefined}
      onChange={(v) => onChange(v ?? null)}
      placeholder="全部单位(可输入名称搜索)"
      aria-label="按单位筛选"
      style={{ width }}
      popupMatchSelectWidth={360}
      listHeight={360}
      data-testid="unit-filter"
    />
  );
}
