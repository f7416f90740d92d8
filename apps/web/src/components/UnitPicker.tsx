import { unitKindLabels } from "@gongkai/core/domain";
import { TreeSelect } from "antd";
import { useMemo } from "react";
import type { RouterOutputs } from "../lib/trpc.ts";

type Unit = RouterOutputs["units"]["list"][number];
type Group = RouterOutputs["units"]["groups"]["list"][number];
export type UnitPickValue = { unitIds: number[]; groupIds: number[] };

type Node = { title: string; value: string; key: string; children?: Node[]; searchText: string };

/** Tree data: the groups first (pick a whole group), then the directory tree. */
export function useUnitTree(units: Unit[] | undefined, groups: Group[] | undefined): Node[] {
  return useMemo(() => {
    const byParent = new Map<number | null, Unit[]>();
    for (const u of units ?? []) {
      const parent = units?.some((p) => p.id === u.parentId) ? u.parentId : null;
      byParent.set(parent, [...(byParent.get(parent) ?? []), u]);
    }
    const build = (parentId: number | null): Node[] =>
      (byParent.get(parentId) ?? [])
        .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
        .map((u) => {
          const children = build(u.id);
          return {
            title: u.shortName && u.shortName !== u.name ? `${u.name}(${u.shortName})` : u.name,
            value: `u:${u.id}`,
            key: `u:${u.id}`,
            searchText: [u.name, u.shortName ?? "", ...u.aliases, unitKindLabels[u.kind]].join(" "),
            ...(children.length ? { children } : {}),
          };
        });
    const groupNodes: Node[] = (groups ?? []).map((g) => ({
      title: `${g.name}(${g.memberIds.length} 个单位)`,
      value: `g:${g.id}`,
      key: `g:${g.id}`,
      searchText: [g.name, ...g.aliases].join(" "),
    }));
    return [
      ...(groupNodes.length
        ? [{ title: "单位分组", value: "groups", key: "groups", children: groupNodes, searchText: "分组" }]
        : []),
      ...build(null),
    ];
  }, [units, groups]);
}

export const toPickValue = (values: string[]): UnitPickValue => ({
  unitIds: values.filter((v) => v.startsWith("u:")).map((v) => Number(v.slice(2))),
  groupIds: values.filter((v) => v.startsWith("g:")).map((v) => Number(v.slice(2))),
});
export const fromPickValue = (pick: UnitPickValue): string[] => [
  ...pick.groupIds.map((id) => `g:${id}`),
  ...pick.unitIds.map((id) => `u:${id}`),
];

/** One unit picked from the tree (no groups): the same nodes with the unit's id as the value. */
export type SingleNode = {
  title: string;
  value: number;
  key: string;
  searchText: string;
  children?: SingleNode[];
};
export function toSingleTree(nodes: Node[]): SingleNode[] {
  return nodes.map((n) => ({
    title: n.title,
    value: Number(n.value.slice(2)),
    key: n.key,
    searchText: n.searchText,
    ...(n.children ? { children: toSingleTree(n.children) } : {}),
  }));
}

/**
 * A unit tree's search: the typed text anywhere in the name, short name, aliases or kind (教育 finds
 * 县教育局), letters in any case. TreeSelect's own search looks in the value ("u:12") and found nothing.
 */
export const filterBySearchText = (input: string, node: unknown) =>
  String((node as { searchText?: string }).searchText ?? "")
    .toLowerCase()
    .includes(input.trim().toLowerCase());
export const unitTreeSearch = { filterTreeNode: filterBySearchText };

export function UnitPicker(props: {
  treeData: Node[];
  value?: string[];
  onChange?: (v: string[]) => void;
  placeholder?: string;
  "data-testid"?: string;
}) {
  return (
    <TreeSelect
      multiple
      showSearch={unitTreeSearch}
      allowClear
      treeDefaultExpandAll
      treeData={props.treeData}
      value={props.value ?? []}
      onChange={(v: string[]) => props.onChange?.(v.filter((x) => x !== "groups"))}
      placeholder={props.placeholder ?? "选择单位或分组,可输入名称搜索"}
      style={{ width: "100%" }}
      listHeight={360}
      data-testid={props["data-testid"]}
      popupMatchSelectWidth
    />
  );
}
