import type { UnitPicker } from "../../components/UnitPicker.tsx";

export type TreeNode = Parameters<typeof UnitPicker>[0]["treeData"][number];
// One unit picked from the tree, and the tree's search: shared with the unit and user forms.
export { filterBySearchText, type SingleNode, toSingleTree } from "../../components/UnitPicker.tsx";
