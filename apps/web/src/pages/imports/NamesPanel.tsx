/**
 * Every unit name in the document at a glance: those that need a person (not in the directory,
 * or matched without certainty) first, with bulk actions for the rest.
 */
import { CheckCircleFilled, ExclamationCircleFilled } from "@ant-design/icons";
import { Button, Collapse, Popconfirm, Space, Tag, TreeSelect, Typography } from "antd";
import { useState } from "react";
import {
  guessUnitKind,
  type NameSummary,
  needsAttention,
  type PhraseState,
  type Resolution,
} from "./model.ts";
import { filterBySearchText, type SingleNode } from "./tree.ts";

const stateColor: Partial<Record<PhraseState, string>> = {
  unmatched: "red",
  unsure: "orange",
  picked: "cyan",
  new: "green",
};
const stateLabel: Record<PhraseState, string> = {
  matched: "已匹配",
  unsure: "待核实",
  unmatched: "未匹配",
  picked: "已选单位",
  new: "将新建",
  dropped: "已忽略",
};

export function NamesPanel({
  names,
  resolutions,
  onOpen,
  onResolveMany,
  unitTreeData,
  defaultParentId,
  labelOf,
}: {
  names: NameSummary[];
  resolutions: Record<string, Resolution>;
  onOpen: (name: string) => void;
  onResolveMany: (changes: Record<string, Resolution>) => void;
  unitTreeData: SingleNode[];
  defaultParentId: number | null;
  labelOf: (value: string) => string;
}) {
  const [parentId, setParentId] = useState<number | null>(defaultParentId);
  const open = names.filter((n) => needsAttention(n.state));
  const unmatched = open.filter((n) => n.state === "unmatched");
  const done = names.filter((n) => !needsAttention(n.state));
  if (names.length === 0) return null;

  const chip = (n: NameSummary) => {
    const r = resolutions[n.name];
    const detail =
      r?.kind === "pick"
        ? `→ ${r.values.map(labelOf).join("、")}`
        : r?.kind === "new"
          ? `→ 新建 ${r.name}`
          : n.match.kind !== "none" && n.state !== "dropped" && n.match.label !== n.name
            ? `→ ${n.match.label ?? ""}`
            : "";
    return (
      <Tag
        key={n.name}
        color={stateColor[n.state]}
        style={{ cursor: "pointer", marginBottom: 4, whiteSpace: "normal" }}
        onClick={() => onOpen(n.name)}
        data-testid={`name-${n.name}`}
        data-state={n.state}
      >
        {n.name}
        {detail && <span style={{ opacity: 0.8 }}> {detail}</span>}
        <span style={{ opacity: 0.6 }}>
          {" "}
          · {stateLabel[n.state]} · {n.taskKeys.length} 项
        </span>
      </Tag>
    );
  };

  return (
    <div
      style={{ border: "1px solid #f0f0f0", borderRadius: 6, padding: "10px 12px", background: "#fcfcfc" }}
      data-testid="names-panel"
    >
      <Space align="center" wrap style={{ marginBottom: open.length ? 8 : 0 }}>
        {open.length ? (
          <ExclamationCircleFilled style={{ color: "#fa541c" }} />
        ) : (
          <CheckCircleFilled style={{ color: "#52c41a" }} />
        )}
        <Typography.Text strong>
          单位名称核对:共 {names.length} 个名称,
          {open.length ? `${open.length} 个需要处理(点击名称处理)` : "都已处理"}
        </Typography.Text>
        {unmatched.length > 0 && (
          <>
            <Typography.Text type="secondary">其余 {unmatched.length} 个未匹配的名称:</Typography.Text>
            <Popconfirm
              title={`忽略 ${unmatched.length} 个未匹配的名称?`}
              description="这些名称不分配到任务;以后可在任务中再指定单位。"
              onConfirm={() =>
                onResolveMany(
                  Object.fromEntries(unmatched.map((n): [string, Resolution] => [n.name, { kind: "drop" }])),
                )
              }
              okText="全部忽略"
            >
              <Button size="small" data-testid="drop-all">
                全部忽略
              </Button>
            </Popconfirm>
            <Space.Compact size="small">
              <TreeSelect
                size="small"
                style={{ width: 200 }}
                value={parentId ?? undefined}
                onChange={(v: number) => setParentId(v)}
                treeData={unitTreeData}
                showSearch={{ filterTreeNode: filterBySearchText }}
                treeDefaultExpandAll
                placeholder="上级单位"
                popupMatchSelectWidth={false}
              />
              <Popconfirm
                title={`把 ${unmatched.length} 个名称都新建为单位?`}
                description="类型按名称推断,可在单位目录中修改。"
                onConfirm={() =>
                  parentId &&
                  onResolveMany(
                    Object.fromEntries(
                      unmatched.map((n): [string, Resolution] => [
                        n.name,
                        { kind: "new", name: n.name, parentId, unitKind: guessUnitKind(n.name) },
                      ]),
                    ),
                  )
                }
                okText="全部新建"
                disabled={!parentId}
              >
                <Button size="small" disabled={!parentId}>
                  全部新建到此单位下
                </Button>
              </Popconfirm>
            </Space.Compact>
          </>
        )}
      </Space>
      {open.length > 0 && <div style={{ maxHeight: 132, overflow: "auto" }}>{open.map(chip)}</div>}
      {done.length > 0 && (
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: "done",
              label: (
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  已匹配或已处理的 {done.length} 个名称
                </Typography.Text>
              ),
              children: <div style={{ maxHeight: 160, overflow: "auto" }}>{done.map(chip)}</div>,
            },
          ]}
        />
      )}
    </div>
  );
}
