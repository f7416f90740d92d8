import { PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { type UnitKind, unitKindLabels, unitKinds } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
  Upload,
} from "antd";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { PageTitle } from "../components/text.tsx";
import {
  fromPickValue,
  toPickValue,
  toSingleTree,
  UnitPicker,
  unitTreeSearch,
  useUnitTree,
} from "../components/UnitPicker.tsx";
import { fileToBase64 } from "../lib/files.ts";
import { useRequestKey } from "../lib/request-key.ts";
import { errorMessage, type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type Unit = RouterOutputs["units"]["list"][number];
type Group = RouterOutputs["units"]["groups"]["list"][number];
type TreeRow = Unit & { children?: TreeRow[] };

function toTree(units: Unit[]): TreeRow[] {
  const byId = new Map<number, TreeRow>(units.map((u) => [u.id, { ...u }]));
  const roots: TreeRow[] = [];
  for (const u of byId.values()) {
    const parent = u.parentId === null ? undefined : byId.get(u.parentId);
    if (!parent) roots.push(u);
    else if (parent.children) parent.children.push(u);
    else parent.children = [u];
  }
  const sort = (rows: TreeRow[]) => {
    rows.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
    for (const r of rows) if (r.children) sort(r.children);
  };
  sort(roots);
  return roots;
}

/** A directory this large opens two levels deep, scrolls virtually and is searched by name. */
const largeDirectory = 300;

const matches = (u: Unit, q: string) =>
  u.name.includes(q) ||
  (u.shortName ?? "").includes(q) ||
  (u.regionCode ?? "").startsWith(q) ||
  u.aliases.some((a) => a.includes(q));

/**
 * The units matching `q` with their ancestors; a matching unit keeps all of its own units below it
 * (folded). `open`: the ancestors to unfold so that every match shows.
 */
function searchTree(rows: TreeRow[], q: string): { rows: TreeRow[]; open: number[] } {
  const open: number[] = [];
  const visit = (r: TreeRow): TreeRow | null => {
    if (matches(r, q)) return r;
    const kids = (r.children ?? []).map(visit).filter((x): x is TreeRow => x !== null);
    if (kids.length === 0) return null;
    open.push(r.id);
    return { ...r, children: kids };
  };
  return { rows: rows.map(visit).filter((x): x is TreeRow => x !== null), open };
}

/** The ids of the rows `depth` levels deep or less (0: the roots). */
function levels(rows: TreeRow[], depth: number): number[] {
  return depth < 0 ? [] : rows.flatMap((r) => [r.id, ...levels(r.children ?? [], depth - 1)]);
}

export function UnitsPage() {
  return (
    <Card title={<PageTitle>单位目录</PageTitle>}>
      <Tabs
        items={[
          { key: "units", label: "单位", children: <UnitsTab /> },
          { key: "groups", label: "单位分组", children: <GroupsTab /> },
        ]}
      />
    </Card>
  );
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.units.pathKey() });
}

function UnitsTab() {
  const trpc = useTRPC();
  const { message, modal } = App.useApp();
  const units = useQuery(trpc.units.list.queryOptions());
  const tree = useMemo(() => toTree(units.data ?? []), [units.data]);
  // The search is in the address (?q=), so the header's search can open the directory at a unit.
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const setSearch = (q: string) => setParams(q.trim() ? { q } : {}, { replace: true });
  const [typed, setTyped] = useState(search);
  useEffect(() => setTyped(search), [search]);
  const large = (units.data?.length ?? 0) > largeDirectory;
  // A province (20,000 units) expanded whole in one table crashed the browser tab: a large
  // directory opens two levels deep, renders only the rows in view, and is searched by name.
  const view = useMemo(() => {
    const q = search.trim();
    if (q) return searchTree(tree, q);
    return { rows: tree, open: large ? levels(tree, 1) : levels(tree, Number.POSITIVE_INFINITY) };
  }, [tree, search, large]);
  const [editing, setEditing] = useState<{ unit: Unit | null; parentId: number | null } | null>(null);
  const refresh = useRefresh();
  const remove = useMutation(
    trpc.units.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        message.success("已删除");
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const importFile = useMutation(
    trpc.units.import.mutationOptions({
      onSuccess: (r) => {
        refresh();
        modal.success({
          title: "导入完成",
          content: `新增 ${r.created} 个单位,更新 ${r.updated} 个;新建分组 ${r.groupsCreated} 个,加入分组 ${r.memberships} 次。`,
        });
      },
      onError: (e) =>
        modal.error({
          title: "导入失败,未做任何修改",
          content: <pre style={{ whiteSpace: "pre-wrap" }}>{errorMessage(e)}</pre>,
          width: 600,
        }),
    }),
  );

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing({ unit: null, parentId: tree[0]?.id ?? null })}
        >
          添加单位
        </Button>
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={async (file) => {
            importFile.mutate({ fileName: file.name, contentBase64: await fileToBase64(file) });
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={importFile.isPending}>
            从 Excel / CSV 导入
          </Button>
        </Upload>
        <Typography.Text type="secondary">
          表头:单位名称、上级单位、单位类型、行政区划代码、简称、别名、所属分组(用顿号分隔多个)。
        </Typography.Text>
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder="按名称、简称、别名或区划代码查找单位"
          style={{ width: 360 }}
          value={typed}
          onSearch={setSearch}
          onChange={(e) => {
            setTyped(e.target.value);
            if (e.target.value === "") setSearch("");
          }}
          data-testid="units-search"
        />
        <Typography.Text type="secondary">
          {search.trim()
            ? view.rows.length === 0
              ? "没有找到匹配的单位,请换个名称试试。"
              : "已展开匹配单位的上级;点击 + 查看其下级单位。"
            : `共 ${units.data?.length ?? 0} 个单位${large ? ",已展开前两级" : ""}。`}
        </Typography.Text>
      </Space>
      <Table<TreeRow>
        rowKey="id"
        size="small"
        loading={units.isPending}
        dataSource={view.rows}
        pagination={false}
        virtual={large}
        scroll={large ? { y: 640 } : undefined}
        expandable={{ defaultExpandedRowKeys: view.open }}
        key={`${tree.length}:${search.trim()}` /* unfold again once loaded or searched */}
        data-testid="units-table"
        columns={[
          { title: "单位名称", dataIndex: "name" },
          { title: "简称", dataIndex: "shortName", width: 120, render: (v: string | null) => v ?? "" },
          { title: "类型", dataIndex: "kind", width: 110, render: (k: UnitKind) => unitKindLabels[k] },
          { title: "区划代码", dataIndex: "regionCode", width: 120, render: (v: string | null) => v ?? "" },
          {
            title: "别名",
            dataIndex: "aliases",
            render: (a: string[]) =>
              a.map((x) => (
                <Tag key={x} style={{ marginBottom: 2 }}>
                  {x}
                </Tag>
              )),
          },
          {
            title: "操作",
            width: 200,
            render: (_, u) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing({ unit: null, parentId: u.id })}>
                  添加下级
                </Button>
                <Button
                  size="small"
                  type="link"
                  onClick={() => setEditing({ unit: u, parentId: u.parentId })}
                >
                  编辑
                </Button>
                <Popconfirm title={`删除「${u.name}」?`} onConfirm={() => remove.mutate({ id: u.id })}>
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <UnitModal state={editing} units={units.data ?? []} onClose={() => setEditing(null)} />
    </Space>
  );
}

type UnitForm = {
  name: string;
  shortName?: string;
  kind: UnitKind;
  parentId: number | null;
  regionCode?: string;
  aliases: string[];
};

function UnitModal({
  state,
  units,
  onClose,
}: {
  state: { unit: Unit | null; parentId: number | null } | null;
  units: Unit[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [form] = Form.useForm<UnitForm>();
  const opts = {
    onSuccess: () => {
      refresh();
      message.success("已保存");
      onClose();
    },
    onError: (e: unknown) => message.error(errorMessage(e)),
  };
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.units.create.mutationOptions({
      ...opts,
      onSuccess: () => {
        renewKey();
        opts.onSuccess();
      },
    }),
  );
  const update = useMutation(trpc.units.update.mutationOptions(opts));
  const parentTree = useUnitTree(units, []).filter((n) => n.key !== "groups");
  const unit = state?.unit ?? null;
  return (
    <Modal
      title={unit ? `编辑「${unit.name}」` : "添加单位"}
      open={state !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<UnitForm>
        form={form}
        layout="vertical"
        initialValues={
          unit
            ? { ...unit, shortName: unit.shortName ?? "", regionCode: unit.regionCode ?? "" }
            : { parentId: state?.parentId ?? null, kind: "department", aliases: [] }
        }
        onFinish={(v) => {
          const body = {
            name: v.name,
            shortName: v.shortName || null,
            kind: v.kind,
            parentId: v.parentId ?? null,
            regionCode: v.regionCode || null,
            aliases: v.aliases ?? [],
          };
          if (unit) update.mutate({ ...body, id: unit.id });
          else create.mutate({ ...body, requestKey });
        }}
      >
        <Form.Item name="name" label="单位名称" rules={[{ required: true, message: "请填写单位名称" }]}>
          <Input />
        </Form.Item>
        <Form.Item name="parentId" label="上级单位">
          <TreeSelect
            allowClear
            showSearch={unitTreeSearch}
            treeDefaultExpandAll
            treeData={toSingleTree(parentTree)}
            placeholder="无(顶级单位),可输入名称搜索"
          />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="kind" label="类型" rules={[{ required: true }]} style={{ width: 180 }}>
            <Select options={unitKinds.map((k) => ({ value: k, label: unitKindLabels[k] }))} />
          </Form.Item>
          <Form.Item name="shortName" label="简称" style={{ flex: 1, marginLeft: 12 }}>
            <Input />
          </Form.Item>
          <Form.Item name="regionCode" label="行政区划代码" style={{ width: 160, marginLeft: 12 }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Form.Item
          name="aliases"
          label="别名"
          extra="文件中出现的其他写法,如「镇政府办」「政府办公室」,导入工作要点时据此识别。"
        >
          <Select mode="tags" tokenSeparators={[",", "、", ","]} open={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function GroupsTab() {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const units = useQuery(trpc.units.list.queryOptions());
  const groups = useQuery(trpc.units.groups.list.queryOptions());
  const [editing, setEditing] = useState<Group | "new" | null>(null);
  const refresh = useRefresh();
  const remove = useMutation(
    trpc.units.groups.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        message.success("已删除分组");
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const nameOf = useMemo(
    () => new Map((units.data ?? []).map((u) => [u.id, u.shortName ?? u.name])),
    [units.data],
  );
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Alert
        type="info"
        showIcon
        title="文件中常用「各村(社区)」「镇直各单位」「市政府各部门」代替逐一列举单位。在这里定义分组及其成员,分派任务时可整组选择,导入工作要点时也据此识别。"
      />
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
        添加分组
      </Button>
      <Table<Group>
        rowKey="id"
        size="small"
        loading={groups.isPending}
        dataSource={groups.data ?? []}
        pagination={false}
        columns={[
          { title: "分组名称", dataIndex: "name", width: 180 },
          { title: "别名", dataIndex: "aliases", width: 220, render: (a: string[]) => a.join("、") },
          {
            title: "成员单位",
            dataIndex: "memberIds",
            render: (ids: number[]) => (
              <Typography.Paragraph
                ellipsis={{ rows: 2, expandable: true, symbol: "展开" }}
                style={{ marginBottom: 0 }}
              >
                {ids.map((id) => nameOf.get(id) ?? id).join("、")}
              </Typography.Paragraph>
            ),
          },
          {
            title: "操作",
            width: 130,
            render: (_, g) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing(g)}>
                  编辑
                </Button>
                <Popconfirm
                  title={`删除分组「${g.name}」?已按分组分派的任务保留各单位。`}
                  onConfirm={() => remove.mutate({ id: g.id })}
                >
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <GroupModal state={editing} units={units.data ?? []} onClose={() => setEditing(null)} />
    </Space>
  );
}

function GroupModal({
  state,
  units,
  onClose,
}: {
  state: Group | "new" | null;
  units: Unit[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [form] = Form.useForm<{ name: string; aliases: string[]; members: string[] }>();
  const opts = {
    onSuccess: () => {
      refresh();
      message.success("已保存分组");
      onClose();
    },
    onError: (e: unknown) => message.error(errorMessage(e)),
  };
  const [requestKey, renewKey] = useRequestKey();
  const create = useMutation(
    trpc.units.groups.create.mutationOptions({
      ...opts,
      onSuccess: () => {
        renewKey();
        opts.onSuccess();
      },
    }),
  );
  const update = useMutation(trpc.units.groups.update.mutationOptions(opts));
  const treeData = useUnitTree(units, []);
  const group = state === "new" ? null : state;
  const root = units.find((u) => !units.some((p) => p.id === u.parentId));
  return (
    <Modal
      title={group ? `编辑分组「${group.name}」` : "添加分组"}
      open={state !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          group
            ? {
                name: group.name,
                aliases: group.aliases,
                members: fromPickValue({ unitIds: group.memberIds, groupIds: [] }),
              }
            : { aliases: [], members: [] }
        }
        onFinish={(v) => {
          const body = {
            name: v.name,
            aliases: v.aliases ?? [],
            memberIds: toPickValue(v.members ?? []).unitIds,
            ownerUnitId: group ? group.ownerUnitId : (root?.id ?? null),
          };
          if (group) update.mutate({ ...body, id: group.id });
          else create.mutate({ ...body, requestKey });
        }}
      >
        <Form.Item name="name" label="分组名称" rules={[{ required: true, message: "请填写分组名称" }]}>
          <Input placeholder="如 各村(社区)" />
        </Form.Item>
        <Form.Item name="aliases" label="别名">
          <Select
            mode="tags"
            tokenSeparators={[",", "、", ","]}
            open={false}
            placeholder="如 各村居、村(居)"
          />
        </Form.Item>
        <Form.Item name="members" label="成员单位" extra="修改成员后,按此分组分派的任务会随之增减单位。">
          <UnitPicker treeData={treeData} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
