import type { UnitPicker } from "../../components/UnitPicker.tsx";

export type TreeNode = Parameters<typeof UnitPicker>[0]["treeData"][number];
export type SingleNode = {
  title: string;
  value: number;
  key: string;
  searchText: string;
  children?: SingleNode[];
};

/** The unit tree (from useUnitTree without groups) with numeric values, to pick one unit. */
export function toSingleTree(nodes: TreeNode[]): SingleNode[] {
  return nodes.map((n) => ({
    title: n.title,
    value: Number(n.value.slice(2)),
    key: n.key,
    searchText: n.searchText,
    ...(n.children ? { children: toSingleTree(n.children) } : {}),
  }));
}

export const filterBySearchText = (input: string, node: unknown) =>
  String((node as { searchText?: string }).searchText ?? "").includes(input.trim());
