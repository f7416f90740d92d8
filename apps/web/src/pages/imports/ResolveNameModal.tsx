/**
 * What to do with one unit name as written: keep the directory's match, pick existing units or
 * groups (suggestions first), create it as a new unit, or drop it. Applies to every task that uses
 * the name.
 */
import { type UnitKind, unitKindLabels, unitKinds } from "@gongkai/core/domain";
import {
  Alert,
  Button,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { UnitPicker } from "../../components/UnitPicker.tsx";
import { guessUnitKind, matchHowLabels, type NameSummary, type Resolution, roleShort } from "./model.ts";
import { filterBySearchText, type SingleNode, type TreeNode } from "./tree.ts";

type Mode = "pick" | "new" | "drop";

export function ResolveNameModal({
  target,
  resolution,
  onResolve,
  onClose,
  treeData,
  unitTreeData,
  labelOf,
  defaultParentId,
}: {
  target: NameSummary | null;
  resolution: Resolution | undefined;
  onResolve: (name: string, r: Resolution | undefined) => void;
  onClose: () => void;
  treeData: TreeNode[];
  unitTreeData: SingleNode[];
  labelOf: (value: string) => string;
  defaultParentId: number | null;
}) {
  const [mode, setMode] = useState<Mode>("pick");
  const [picked, setPicked] = useState<string[]>([]);
  const [form] = Form.useForm<{ name: string; parentId: number | null; unitKind: UnitKind }>();

  useEffect(() => {
    if (!target) return;
    setMode(resolution?.kind === "new" ? "new" : resolution?.kind === "drop" ? "drop" : "pick");
    setPicked(resolution?.kind === "pick" ? resolution.values : []);
    form.setFieldsValue(
      resolution?.kind === "new"
        ? { name: resolution.name, parentId: resolution.parentId, unitKind: resolution.unitKind }
        : { name: target.name, parentId: defaultParentId, unitKind: guessUnitKind(target.name) },
    );
  }, [target, resolution, defaultParentId, form]);

  if (!target) return null;
  const done = (r: Resolution | undefined) => {
    onResolve(target.name, r);
    onClose();
  };
  const { match } = target;
  const suggestions = match.kind === "none" ? match.suggestions : [];

  return (
    <Modal
      open
      title={`核对单位名称「${target.name}」`}
      onCancel={onClose}
      footer={
        <Space>
          {resolution && (
            <Button onClick={() => done(undefined)} data-testid="resolve-reset">
              撤销处理
            </Button>
          )}
          <Button onClick={onClose}>取消</Button>
        </Space>
      }
      width={620}
      destroyOnHidden
    >
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Typography.Text type="secondary">
          出现在 {target.taskKeys.length} 项任务中(
          {target.roles.map((r) => roleShort[r]).join("、")}
          ),处理结果用于其中每一处。
        </Typography.Text>
        {match.kind === "none" ? (
          <Alert type="error" showIcon title="单位目录中没有这个名称" />
        ) : (
          <Alert
            type={match.confident ? "success" : "warning"}
            showIcon
            title={
              <span>
                已匹配到「{match.label ?? "?"}」{match.kind === "group" && <Tag color="purple">分组</Tag>}(
                {matchHowLabels[match.how] ?? match.how}
                {match.confident ? "" : ",不确定,请核实"})
              </span>
            }
            action={
              match.confident ? undefined : (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => done({ kind: "accept" })}
                  data-testid="resolve-accept"
                >
                  确认匹配
                </Button>
              )
            }
          />
        )}
        <Segmented<Mode>
          block
          value={mode}
          onChange={setMode}
          options={[
            { value: "pick", label: "选用已有单位或分组" },
            { value: "new", label: "新建为单位" },
            { value: "drop", label: "不分配(忽略)" },
          ]}
          data-testid="resolve-mode"
        />
        {mode === "pick" && (
          <Space orientation="vertical" style={{ width: "100%" }}>
            {suggestions.length > 0 && (
              <div>
                <Typography.Text type="secondary">相近的名称:</Typography.Text>
                <Space wrap size={[4, 4]}>
                  {suggestions.map((s) => (
                    <Button
                      key={`${s.kind}${s.id}`}
                      size="small"
                      onClick={() =>
                        done({ kind: "pick", values: [`${s.kind === "unit" ? "u" : "g"}:${s.id}`] })
                      }
                    >
                      {s.name}
                      {s.kind === "group" ? "(分组)" : ""}
                    </Button>
                  ))}
                </Space>
              </div>
            )}
            <UnitPicker
              treeData={treeData}
              value={picked}
              onChange={setPicked}
              placeholder="搜索并选择一个或几个单位、分组"
              data-testid="resolve-picker"
            />
            {picked.length > 0 && (
              <Typography.Text type="secondary">已选:{picked.map(labelOf).join("、")}</Typography.Text>
            )}
            <Button
              type="primary"
              disabled={picked.length === 0}
              onClick={() => done({ kind: "pick", values: picked })}
              data-testid="resolve-pick"
            >
              使用所选单位
            </Button>
          </Space>
        )}
        {mode === "new" && (
          <Form
            form={form}
            layout="vertical"
            onFinish={(v) =>
              v.parentId &&
              done({ kind: "new", name: v.name.trim(), parentId: v.parentId, unitKind: v.unitKind })
            }
          >
            <Form.Item
              name="name"
              label="单位名称"
              rules={[{ required: true, whitespace: true, message: "请填写单位名称" }]}
              extra="可改为目录中使用的规范名称(如把繁体改为简体)。"
            >
              <Input maxLength={100} data-testid="new-unit-name" />
            </Form.Item>
            <Space.Compact block>
              <Form.Item
                name="parentId"
                label="上级单位"
                rules={[{ required: true, message: "请选择上级单位" }]}
                style={{ flex: 1 }}
              >
                <TreeSelect
                  treeData={unitTreeData}
                  showSearch={{ filterTreeNode: filterBySearchText }}
                  treeDefaultExpandAll
                  placeholder="选择上级单位"
                  data-testid="new-unit-parent"
                />
              </Form.Item>
              <Form.Item name="unitKind" label="类型" style={{ width: 150, marginLeft: 12 }}>
                <Select options={unitKinds.map((k) => ({ value: k, label: unitKindLabels[k] }))} />
              </Form.Item>
            </Space.Compact>
            <Button type="primary" htmlType="submit" data-testid="resolve-new">
              确认导入时新建此单位
            </Button>
          </Form>
        )}
        {mode === "drop" && (
          <Space orientation="vertical">
            <Typography.Text>
              不把「{target.name}
              」分配到任何任务。适用于「有关单位」这类没有指明具体单位的说法,或不在本级目录中的上级机关。
            </Typography.Text>
            <Button danger onClick={() => done({ kind: "drop" })} data-testid="resolve-drop">
              忽略这个名称
            </Button>
          </Space>
        )}
      </Space>
    </Modal>
  );
}
