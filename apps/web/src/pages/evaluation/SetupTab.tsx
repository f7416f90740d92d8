import { DeleteOutlined, EditOutlined, PlayCircleOutlined, UploadOutlined } from "@ant-design/icons";
import type { Indicator, IndicatorSystem } from "@gongkai/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  App,
  AutoComplete,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from "antd";
import { useMemo, useState } from "react";
import { fileToBase64 } from "../../lib/files.ts";
import { unitPages } from "../../lib/tables.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";
import { IndicatorEditor, templateSystem } from "./IndicatorEditor.tsx";
import { type ProjectDetail, tierLabel } from "./shared.tsx";

const ruleNames: Record<string, string> = {
  manual: "人工评分",
  yesno: "是否",
  levels: "分档",
  deduction: "扣分",
  veto: "单项否决",
  bonus: "加分",
  proportion: "比例",
  evaluation: "第三方评估",
};

/** Setup: settings, the indicator system (.xlsx or built here), units with tiers, evaluators per unit. */
export function SetupTab({ detail }: { detail: ProjectDetail }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
  const { project } = detail;
  const projectId = project.id;
  const inSetup = project.status === "setup";
  const frozen = project.resultsShownAt !== null || project.status === "published";
  const [editing, setEditing] = useState(false);
  const [settings, setSettings] = useState(false);

  const onError = (e: unknown) => message.error({ content: errorMessage(e), duration: 8 });
  const importSystem = useMutation(
    trpc.evaluation.importIndicatorSystem.mutationOptions({
      onSuccess: (r) => {
        refresh();
        message.success(`已导入指标体系:${r.leaves.length} 项末级指标`);
      },
      onError,
    }),
  );
  const saveSystem = useMutation(
    trpc.evaluation.setIndicatorSystem.mutationOptions({
      onSuccess: () => {
        refresh();
        setEditing(false);
        message.success("已保存指标体系");
      },
      onError,
    }),
  );
  const start = useMutation(
    trpc.evaluation.startScoring.mutationOptions({
      onSuccess: () => {
        refresh();
        message.success("已开始评分,评估人员现在可以打分了");
      },
      onError,
    }),
  );

  const system = project.indicatorSystem as IndicatorSystem;
  const hasSystem = system.indicators.length > 0;
  type TreeRow = Indicator & { key: string; children?: TreeRow[] };
  const tree = useMemo(() => {
    const map = (n: Indicator): TreeRow => ({
      ...n,
      key: n.code,
      children: n.children?.length ? n.children.map(map) : undefined,
    });
    return system.indicators.map(map);
  }, [system]);

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        size="small"
        title="项目设置"
        extra={
          <Space>
            <Button icon={<EditOutlined />} onClick={() => setSettings(true)}>
              修改设置
            </Button>
            {inSetup && (
              <Popconfirm
                title="开始评分后指标体系将锁定,确定开始?"
                onConfirm={() => start.mutate({ projectId })}
                okText="开始评分"
              >
                <Button
                  type="primary"
                  icon={<PlayCircleOutlined />}
                  loading={start.isPending}
                  data-testid="start-scoring"
                >
                  开始评分
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="评估机构">{project.organisation}</Descriptions.Item>
          <Descriptions.Item label="评估组长">{project.leadName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="所属政府">{project.ownerName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="分歧阈值">
            相差超过 {project.disagreementThreshold} 分需复核
          </Descriptions.Item>
          <Descriptions.Item label="申诉期限">结果公示后 {project.appealDays} 天</Descriptions.Item>
          <Descriptions.Item label="满分">{detail.maxTotal ?? "—"}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card
        size="small"
        title={`指标体系${hasSystem ? `:${system.name}(${detail.leaves.length} 项末级指标)` : ""}`}
        extra={
          inSetup && (
            <Space>
              <Upload
                accept=".xlsx"
                showUploadList={false}
                beforeUpload={(file) => {
                  fileToBase64(file).then((contentBase64) =>
                    importSystem.mutate({ projectId, fileName: file.name, contentBase64 }),
                  );
                  return Upload.LIST_IGNORE;
                }}
              >
                <Button
                  icon={<UploadOutlined />}
                  loading={importSystem.isPending}
                  data-testid="import-system"
                >
                  导入 .xlsx
                </Button>
              </Upload>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-system">
                在页面中编辑
              </Button>
            </Space>
          )
        }
      >
        {hasSystem ? (
          <Table<TreeRow>
            size="small"
            rowKey="key"
            dataSource={tree}
            pagination={false}
            expandable={{ defaultExpandAllRows: true }}
            tableLayout="fixed"
            data-testid="indicator-tree"
            columns={[
              {
                title: "指标",
                dataIndex: "name",
                width: 260,
                render: (name: string, n) => (
                  <span>
                    <Typography.Text type="secondary">{n.code}</Typography.Text> {name}
                  </span>
                ),
              },
              {
                title: "权重",
                dataIndex: "weight",
                width: 80,
                render: (w?: number) => (w === undefined ? "—" : `${Math.round(w * 1000) / 10}%`),
              },
              { title: "分值", dataIndex: "points", width: 70, render: (p?: number) => p ?? "—" },
              {
                title: "评分方式",
                width: 100,
                render: (_, n) => (n.rule ? <Tag>{ruleNames[n.rule.type]}</Tag> : null),
              },
              {
                title: "评分细则",
                dataIndex: "criteria",
                render: (c?: string) => (
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: c }} style={{ marginBottom: 0 }}>
                    {c}
                  </Typography.Paragraph>
                ),
              },
              {
                title: "观测点",
                dataIndex: "observationPoints",
                width: 220,
                render: (o?: string[]) => o?.join(";"),
              },
            ]}
          />
        ) : (
          <Empty description="还没有指标体系:导入评分细则 .xlsx(一级/二级/三级指标、分值或权重、评分细则、观测点),或在页面中建立。" />
        )}
      </Card>

      <UnitsCard detail={detail} frozen={frozen} />
      <AssignmentsCard detail={detail} frozen={frozen} />

      {editing && (
        <IndicatorEditor
          open
          initial={hasSystem ? system : templateSystem(`${project.name}指标体系`)}
          saving={saveSystem.isPending}
          onClose={() => setEditing(false)}
          onSave={(s) => saveSystem.mutate({ projectId, indicatorSystem: s })}
        />
      )}
      {settings && <SettingsModal detail={detail} onClose={() => setSettings(false)} />}
    </Space>
  );
}

type UnitRow = { unitId: number; tier: string };

function UnitsCard({ detail, frozen }: { detail: ProjectDetail; frozen: boolean }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<UnitRow[] | null>(null);
  const [adding, setAdding] = useState<number[]>([]);
  const [tier, setTier] = useState("");
  const current = rows ?? detail.units.map((u) => ({ unitId: u.unitId, tier: u.tier }));
  const names = new Map(detail.unitOptions.map((u) => [u.id, u.name]));
  for (const u of detail.units) names.set(u.unitId, u.name);
  const tiers = [...new Set(current.map((r) => r.tier).filter(Boolean))];
  const save = useMutation(
    trpc.evaluation.setUnits.mutationOptions({
      onSuccess: (r) => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        setRows(null);
        message.success(`已保存评估单位(${r.count} 个)`);
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  const taken = new Set(current.map((r) => r.unitId));
  return (
    <Card
      size="small"
      title={`评估单位(${current.length} 个)`}
      extra={
        !frozen && (
          <Button
            type="primary"
            disabled={rows === null}
            loading={save.isPending}
            onClick={() => save.mutate({ projectId: detail.project.id, units: current })}
            data-testid="save-units"
          >
            保存评估单位
          </Button>
        )
      }
    >
      {!frozen && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            mode="multiple"
            style={{ minWidth: 360 }}
            placeholder="选择要评估的单位"
            aria-label="选择要评估的单位"
            value={adding}
            onChange={setAdding}
            optionFilterProp="label"
            options={detail.unitOptions
              .filter((u) => !taken.has(u.id))
              .map((u) => ({ value: u.id, label: u.name }))}
            data-testid="add-units"
          />
          <AutoComplete
            style={{ width: 180 }}
            placeholder="层级,如 省直部门"
            aria-label="层级"
            value={tier}
            onChange={setTier}
            options={tiers.map((t) => ({ value: t }))}
            data-testid="add-units-tier"
          />
          <Button
            disabled={adding.length === 0}
            onClick={() => {
              setRows([...current, ...adding.map((unitId) => ({ unitId, tier: tier.trim() }))]);
              setAdding([]);
            }}
            data-testid="add-units-button"
          >
            加入
          </Button>
          <Typography.Text type="secondary">不同层级分别排名。</Typography.Text>
        </Space>
      )}
      <Table<UnitRow>
        size="small"
        rowKey="unitId"
        dataSource={current}
        pagination={unitPages(current.length)}
        locale={{ emptyText: "还没有评估单位" }}
        columns={[
          { title: "单位", render: (_, r) => names.get(r.unitId) ?? r.unitId },
          {
            title: "层级",
            width: 240,
            render: (_, r) =>
              frozen ? (
                tierLabel(r.tier)
              ) : (
                <AutoComplete
                  value={r.tier}
                  aria-label={`${names.get(r.unitId) ?? r.unitId}的层级`}
                  style={{ width: 200 }}
                  options={tiers.map((t) => ({ value: t }))}
                  onChange={(v: string) =>
                    setRows(current.map((x) => (x.unitId === r.unitId ? { ...x, tier: v } : x)))
                  }
                />
              ),
          },
          ...(frozen
            ? []
            : [
                {
                  title: "",
                  width: 56,
                  render: (_: unknown, r: UnitRow) => (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label="移除"
                      onClick={() => setRows(current.filter((x) => x.unitId !== r.unitId))}
                    />
                  ),
                },
              ]),
        ]}
      />
    </Card>
  );
}

function AssignmentsCard({ detail, frozen }: { detail: ProjectDetail; frozen: boolean }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const initial = () => {
    const m = new Map<number, number[]>();
    for (const u of detail.units) m.set(u.unitId, []);
    for (const a of detail.assignments) m.set(a.unitId, [...(m.get(a.unitId) ?? []), a.evaluatorId]);
    return m;
  };
  const [edited, setEdited] = useState<Map<number, number[]> | null>(null);
  const current = edited ?? initial();
  const save = useMutation(
    trpc.evaluation.setAssignments.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        setEdited(null);
        message.success("已保存评估分工");
      },
      onError: (e) => message.error({ content: errorMessage(e), duration: 8 }),
    }),
  );
  const progress = (unitId: number, evaluatorId: number) =>
    detail.assignments.find((a) => a.unitId === unitId && a.evaluatorId === evaluatorId);
  return (
    <Card
      size="small"
      title="评估分工(每个单位一至两名评估人员,独立评分)"
      extra={
        !frozen && (
          <Button
            type="primary"
            disabled={edited === null}
            loading={save.isPending}
            onClick={() =>
              save.mutate({
                projectId: detail.project.id,
                assignments: [...current].map(([unitId, evaluatorIds]) => ({ unitId, evaluatorIds })),
              })
            }
            data-testid="save-assignments"
          >
            保存分工
          </Button>
        )
      }
    >
      <Table
        size="small"
        rowKey="unitId"
        dataSource={detail.units}
        pagination={unitPages(detail.units.length)}
        locale={{ emptyText: "先添加评估单位" }}
        columns={[
          { title: "单位", dataIndex: "name", width: 240 },
          { title: "层级", dataIndex: "tier", width: 120, render: tierLabel },
          {
            title: "评估人员",
            render: (_, u) => (
              <Select
                mode="multiple"
                maxCount={2}
                optionFilterProp="label"
                aria-label={`${u.name}的评估人员`}
                disabled={frozen}
                style={{ minWidth: 320 }}
                value={current.get(u.unitId) ?? []}
                onChange={(ids: number[]) => setEdited(new Map(current).set(u.unitId, ids))}
                options={detail.evaluatorOptions.map((e) => ({ value: e.id, label: e.displayName }))}
                data-testid={`assign-${u.unitId}`}
              />
            ),
          },
          {
            title: "进度",
            width: 260,
            render: (_, u) =>
              (current.get(u.unitId) ?? []).map((id) => {
                const a = progress(u.unitId, id);
                if (!a) return null;
                return (
                  <Tag key={id} color={a.submittedAt ? "green" : a.scored > 0 ? "blue" : "default"}>
                    {a.evaluatorName}:{a.submittedAt ? "已提交" : `${a.scored}/${a.total}`}
                  </Tag>
                );
              }),
          },
        ]}
      />
    </Card>
  );
}

type SettingsForm = {
  name: string;
  organisation: string;
  year: number;
  leadUserId: number | null;
  disagreementThreshold: number;
  appealDays: number;
};

function SettingsModal({ detail, onClose }: { detail: ProjectDetail; onClose: () => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SettingsForm>();
  const { project } = detail;
  const update = useMutation(
    trpc.evaluation.update.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.pathKey() });
        message.success("已保存");
        onClose();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  return (
    <Modal
      title="修改项目设置"
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={update.isPending}
    >
      <Form<SettingsForm>
        form={form}
        layout="vertical"
        initialValues={{
          name: project.name,
          organisation: project.organisation,
          year: project.year,
          leadUserId: project.leadUserId,
          disagreementThreshold: project.disagreementThreshold,
          appealDays: project.appealDays,
        }}
        onFinish={(v) =>
          update.mutate({
            ...v,
            leadUserId: v.leadUserId ?? null,
            projectId: project.id,
            version: project.version,
          })
        }
      >
        <Form.Item name="name" label="项目名称" rules={[{ required: true, message: "请填写项目名称" }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="organisation"
          label="评估机构"
          rules={[{ required: true, message: "请填写评估机构" }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="year" label="评估年度">
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item
          name="leadUserId"
          label="评估组长"
          extra={detail.access === "lead" ? "只有政务公开办可以更换评估组长。" : undefined}
        >
          <Select
            allowClear
            disabled={detail.access !== "office"}
            options={
              detail.evaluatorOptions.length
                ? detail.evaluatorOptions.map((e) => ({ value: e.id, label: e.displayName }))
                : [{ value: project.leadUserId, label: project.leadName }]
            }
          />
        </Form.Item>
        <Space size="large">
          <Form.Item name="disagreementThreshold" label="分歧阈值(分)">
            <InputNumber min={0} max={100} step={0.5} />
          </Form.Item>
          <Form.Item name="appealDays" label="申诉期限(天)">
            <InputNumber min={1} max={90} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
