import { DeleteOutlined, DownloadOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import type { GradeBand } from "@gongkai/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Typography,
  Upload,
} from "antd";
import { useMemo, useState } from "react";
import { GradeBandsInput } from "../../components/GradeBandsInput.tsx";
import { RankingSettings } from "../../components/RankingRule.tsx";
import { fileToBase64 } from "../../lib/files.ts";
import { type RankingKeys, rankingKeysOf, rankingKeysToSave } from "../../lib/ranking.ts";
import { errorMessage, type RouterInputs, useTRPC, useTRPCClient } from "../../lib/trpc.ts";
import {
  countSourceLabels,
  type DataSource,
  downloadFile,
  pts,
  rateSourceLabels,
  ruleTypeLabels,
  type SchemeDetail,
} from "./shared.tsx";

type Definition = RouterInputs["assessment"]["update"]["definition"];
type Indicator = Definition["indicators"][number];
type RuleType = keyof typeof ruleTypeLabels;

/** One row of the editable indicator tree; rule settings are kept as typed until saved. */
type EditNode = {
  key: string;
  code: string;
  name: string;
  points: number | null;
  weight: number | null;
  ruleType: RuleType;
  levelsText: string;
  per: number | null;
  source: DataSource | null;
  project: string;
  criteria: string;
  observationPoints: string[] | undefined;
  children?: EditNode[];
};

let nextKey = 1;
const newKey = () => `n${nextKey++}`;

function fromIndicator(i: Indicator): EditNode {
  const rule = i.rule;
  const node: EditNode = {
    key: newKey(),
    code: i.code,
    name: i.name,
    points: i.points ?? null,
    weight: i.weight ?? null,
    ruleType: rule?.type ?? "manual",
    levelsText: rule?.type === "levels" ? rule.levels.join("/") : "0/0.5/1",
    per: rule?.type === "deduction" ? rule.per : 1,
    source:
      (rule?.type === "deduction" || rule?.type === "proportion") && rule.source
        ? (rule.source as DataSource)
        : null,
    project: rule?.type === "evaluation" ? (rule.project ?? "") : "",
    criteria: i.criteria ?? "",
    observationPoints: i.observationPoints,
  };
  if (i.children && i.children.length > 0) node.children = i.children.map(fromIndicator);
  return node;
}

function ruleOf(n: EditNode): NonNullable<Indicator["rule"]> {
  switch (n.ruleType) {
    case "levels":
      return {
        type: "levels",
        levels: n.levelsText
          .split(/[/,，、\s]+/)
          .filter((s) => s !== "")
          .map(Number),
      };
    case "deduction":
      return n.source
        ? { type: "deduction", per: n.per ?? 0, source: n.source as keyof typeof countSourceLabels }
        : { type: "deduction", per: n.per ?? 0 };
    case "proportion":
      return n.source
        ? { type: "proportion", source: n.source as keyof typeof rateSourceLabels }
        : { type: "proportion" };
    case "evaluation":
      return n.project.trim() ? { type: "evaluation", project: n.project.trim() } : { type: "evaluation" };
    default:
      return { type: n.ruleType };
  }
}

function toIndicator(n: EditNode): Indicator {
  const out: Indicator = { code: n.code.trim(), name: n.name.trim() };
  if (n.points !== null) out.points = n.points;
  if (n.weight !== null) out.weight = n.weight;
  if (n.criteria.trim()) out.criteria = n.criteria.trim();
  if (n.observationPoints?.length) out.observationPoints = n.observationPoints;
  if (n.children && n.children.length > 0) out.children = n.children.map(toIndicator);
  else out.rule = ruleOf(n);
  return out;
}

const mapTree = (tree: EditNode[], key: string, fn: (n: EditNode) => EditNode | null): EditNode[] =>
  tree.flatMap((n) => {
    if (n.key === key) {
      const r = fn(n);
      return r ? [r] : [];
    }
    if (!n.children) return [n];
    const children = mapTree(n.children, key, fn);
    return [{ ...n, children: children.length > 0 ? children : undefined }];
  });

const parentKeys = (tree: EditNode[]): string[] =>
  tree.flatMap((n) => (n.children ? [n.key, ...parentKeys(n.children)] : []));

const blankLeaf = (code: string): EditNode => ({
  key: newKey(),
  code,
  name: "",
  points: 10,
  weight: null,
  ruleType: "manual",
  levelsText: "0/0.5/1",
  per: 1,
  source: null,
  project: "",
  criteria: "",
  observationPoints: undefined,
});

/** Scored, bonus or veto, as the core classifies a node: by the leaves below it. */
function kindOf(n: EditNode): "scored" | "bonus" | "veto" {
  if (!n.children) return n.ruleType === "veto" ? "veto" : n.ruleType === "bonus" ? "bonus" : "scored";
  const kinds = n.children.map(kindOf).filter((k) => k !== "veto");
  if (kinds.length === 0) return "veto";
  return kinds.every((k) => k === "bonus") ? "bonus" : "scored";
}

function summaryText(tree: EditNode[]): string {
  const scored = tree.filter((n) => kindOf(n) === "scored");
  const weighted = scored.some((n) => n.weight !== null);
  const max = weighted ? 100 : scored.reduce((s, n) => s + (n.points ?? 0), 0);
  const bonus = tree.filter((n) => kindOf(n) === "bonus").reduce((s, n) => s + (n.points ?? 0), 0);
  const veto = tree.some((n) => kindOf(n) === "veto");
  return `满分 ${pts(max)} 分${weighted ? "(按权重)" : ""}${bonus > 0 ? `;加分项 ${pts(bonus)} 分` : ""}${veto ? ";含单项否决项" : ""}`;
}

type Settings = {
  name: string;
  year: number;
  unitGroupId: number;
  share: number;
  performanceTotal: number;
  bonusOn: boolean;
  threshold: number | null;
  cap: number | null;
  grades: GradeBand[];
};

const settingsOf = (d: SchemeDetail): Settings => {
  const def = d.scheme.definition;
  return {
    name: def.name,
    year: d.scheme.year,
    unitGroupId: d.scheme.unitGroupId ?? 0,
    share: def.share,
    performanceTotal: d.scheme.performanceTotal,
    bonusOn: def.bonus !== null,
    threshold: def.bonus?.threshold ?? 80,
    cap: def.bonus?.cap ?? 5,
    grades: def.grades ?? [],
  };
};

/** The scheme's settings and its indicator tree (一级/二级/三级), editable until results are published. */
export function SchemeEditor({ detail }: { detail: SchemeDetail }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const readOnly = detail.scheme.status === "published";
  const [form] = Form.useForm<Settings>();
  const groups = useQuery(trpc.units.groups.list.queryOptions());
  const sources = useQuery(trpc.assessment.evaluationSources.queryOptions());
  const [tree, setTree] = useState<EditNode[]>(() => detail.scheme.definition.indicators.map(fromIndicator));
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const expanded = useMemo(() => parentKeys(tree), [tree]);
  // The ranking keys as the scheme states them; absent ones stay absent when saved unchanged.
  const stated = useMemo(() => rankingKeysOf(detail.scheme.definition), [detail.scheme.definition]);
  const [ranking, setRanking] = useState<RankingKeys>(stated);
  // What "unchanged" means when saving: the saved scheme's keys, or an imported file's.
  const [base, setBase] = useState<RankingKeys>(stated);
  const bonusOn = Form.useWatch("bonusOn", form);

  const change = (next: EditNode[]) => {
    setTree(next);
    setDirty(true);
  };
  const edit = (key: string, patch: Partial<EditNode>) =>
    change(mapTree(tree, key, (n) => ({ ...n, ...patch })));
  const addChild = (key: string) =>
    change(
      mapTree(tree, key, (n) => ({
        ...n,
        children: [...(n.children ?? []), blankLeaf(`${n.code}.${(n.children?.length ?? 0) + 1}`)],
      })),
    );

  const reset = () => {
    setTree(detail.scheme.definition.indicators.map(fromIndicator));
    form.setFieldsValue(settingsOf(detail));
    setRanking(stated);
    setBase(stated);
    setDirty(false);
    setError(null);
  };

  const save = useMutation(
    trpc.assessment.update.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.assessment.pathKey() });
        setDirty(false);
        setError(null);
        message.success("已保存考核方案");
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const importXlsx = useMutation(
    trpc.assessment.importXlsx.mutationOptions({
      onSuccess: (def) => {
        setTree(def.indicators.map((i) => fromIndicator(i as Indicator)));
        setRanking(rankingKeysOf(def));
        setBase(rankingKeysOf(def));
        form.setFieldsValue({
          name: def.name,
          share: def.share,
          bonusOn: def.bonus !== null,
          threshold: def.bonus?.threshold ?? 80,
          cap: def.bonus?.cap ?? 5,
          grades: def.grades ?? [],
        });
        setDirty(true);
        setError(null);
        message.info("已读取评分细则,核对后请点击「保存方案」");
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );

  const submit = (s: Settings) => {
    const definition: Definition = {
      name: s.name,
      share: s.share,
      bonus: s.bonusOn ? { threshold: s.threshold ?? 0, cap: s.cap ?? 0 } : null,
      grades: s.grades.length > 0 ? s.grades : null,
      indicators: tree.map(toIndicator),
      ...rankingKeysToSave(base, ranking),
    };
    save.mutate({
      id: detail.scheme.id,
      version: detail.scheme.version,
      year: s.year,
      unitGroupId: s.unitGroupId,
      performanceTotal: s.performanceTotal,
      selfAssessmentDue: detail.scheme.selfAssessmentDue,
      definition,
    });
  };

  const exportXlsx = async () => {
    try {
      downloadFile(await client.assessment.exportXlsx.query({ id: detail.scheme.id }));
      if (dirty) message.warning("导出的是已保存的方案,未保存的修改不在其中");
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const sourceOptions = (type: RuleType) =>
    Object.entries(type === "proportion" ? rateSourceLabels : countSourceLabels).map(([value, label]) => ({
      value,
      label: `系统计算:${label}`,
    }));

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {readOnly && (
        <Alert
          type="info"
          showIcon
          message="考核结果已发布,方案已冻结。如需更正得分,请在「审核评分」中修改后发布更正版本。"
        />
      )}
      <Form<Settings>
        form={form}
        layout="inline"
        initialValues={settingsOf(detail)}
        onValuesChange={() => setDirty(true)}
        onFinish={submit}
        disabled={readOnly}
        style={{ rowGap: 12 }}
      >
        <Form.Item name="name" label="方案名称" rules={[{ required: true, message: "请填写方案名称" }]}>
          <Input style={{ width: 340 }} />
        </Form.Item>
        <Form.Item name="year" label="年度" rules={[{ required: true, message: "请填写年度" }]}>
          <InputNumber min={2000} max={2100} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="unitGroupId" label="考核分组" rules={[{ required: true, message: "请选择分组" }]}>
          <Select
            style={{ width: 180 }}
            disabled={readOnly || detail.scheme.status !== "draft"}
            options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
          />
        </Form.Item>
        <Form.Item name="share" label="分值权重(%)" rules={[{ required: true, message: "请填写分值权重" }]}>
          <InputNumber min={0} max={100} step={0.5} style={{ width: 90 }} data-testid="editor-share" />
        </Form.Item>
        <Form.Item
          name="performanceTotal"
          label="绩效考核总分"
          rules={[{ required: true, message: "请填写" }]}
        >
          <InputNumber min={1} max={100000} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="bonusOn" label="加分项" valuePropName="checked">
          <Switch checkedChildren="有" unCheckedChildren="无" />
        </Form.Item>
        {bonusOn && (
          <>
            <Form.Item name="threshold" label="基础分达到">
              <InputNumber min={0} style={{ width: 80 }} suffix="分" />
            </Form.Item>
            <Form.Item name="cap" label="方可加分,最多加">
              <InputNumber min={0} style={{ width: 80 }} suffix="分" />
            </Form.Item>
          </>
        )}
        <Form.Item label="等次" name="grades" style={{ width: "100%" }}>
          <GradeBandsInput />
        </Form.Item>
      </Form>

      <RankingSettings
        value={ranking}
        disabled={readOnly}
        indicators={tree
          .filter((n) => kindOf(n) === "scored")
          .map((n) => ({ code: n.code.trim(), name: n.name.trim() }))}
        onChange={(next) => {
          setRanking(next);
          setDirty(true);
        }}
      />
      <Card
        size="small"
        title="指标体系"
        extra={
          <Space>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              disabled={readOnly}
              beforeUpload={async (file) => {
                importXlsx.mutate({
                  fileName: file.name,
                  contentBase64: await fileToBase64(file),
                  share: form.getFieldValue("share"),
                });
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} disabled={readOnly} loading={importXlsx.isPending}>
                导入评分细则 .xlsx
              </Button>
            </Upload>
            <Button icon={<DownloadOutlined />} onClick={exportXlsx}>
              导出 .xlsx
            </Button>
          </Space>
        }
      >
        <Table<EditNode>
          rowKey="key"
          size="small"
          dataSource={tree}
          pagination={false}
          tableLayout="fixed"
          scroll={{ x: 1320 }}
          expandable={{
            expandedRowKeys: expanded,
            showExpandColumn: true,
            indentSize: 18,
            expandIcon: () => null,
          }}
          columns={[
            {
              title: "编码",
              width: 110,
              render: (_, n) => (
                <Input
                  value={n.code}
                  disabled={readOnly}
                  onChange={(e) => edit(n.key, { code: e.target.value })}
                  data-testid={`code-${n.code}`}
                  style={{ width: 72 }}
                />
              ),
            },
            {
              title: "指标名称",
              width: 200,
              render: (_, n) => (
                <Input
                  value={n.name}
                  placeholder="指标名称"
                  disabled={readOnly}
                  onChange={(e) => edit(n.key, { name: e.target.value })}
                  data-testid={`name-${n.code}`}
                />
              ),
            },
            {
              title: "分值",
              width: 96,
              render: (_, n) => (
                <InputNumber
                  value={n.points}
                  min={0}
                  disabled={readOnly}
                  placeholder={n.ruleType === "veto" && !n.children ? "不计分" : "分值"}
                  onChange={(v) => edit(n.key, { points: typeof v === "number" ? v : null })}
                  data-testid={`points-${n.code}`}
                  style={{ width: 80 }}
                />
              ),
            },
            {
              title: "权重",
              width: 90,
              render: (_, n) => (
                <InputNumber
                  value={n.weight}
                  min={0}
                  max={1}
                  step={0.05}
                  placeholder="—"
                  disabled={readOnly}
                  onChange={(v) => edit(n.key, { weight: typeof v === "number" ? v : null })}
                  style={{ width: 74 }}
                />
              ),
            },
            {
              title: "评分方式",
              width: 130,
              render: (_, n) =>
                n.children ? (
                  <Typography.Text type="secondary">下级合计</Typography.Text>
                ) : (
                  <Select
                    value={n.ruleType}
                    disabled={readOnly}
                    onChange={(ruleType: RuleType) =>
                      edit(n.key, {
                        ruleType,
                        source: null,
                        points: ruleType === "veto" ? null : (n.points ?? 10),
                      })
                    }
                    options={Object.entries(ruleTypeLabels).map(([value, label]) => ({ value, label }))}
                    style={{ width: 114 }}
                    data-testid={`rule-${n.code}`}
                  />
                ),
            },
            {
              title: "规则设置",
              width: 290,
              render: (_, n) => (n.children ? null : ruleSettings(n)),
            },
            {
              title: "评分细则",
              width: 300,
              render: (_, n) => (
                <Input.TextArea
                  value={n.criteria}
                  autoSize={{ minRows: 1, maxRows: 4 }}
                  placeholder="评分细则(给单位和评分人看的说明)"
                  disabled={readOnly}
                  onChange={(e) => edit(n.key, { criteria: e.target.value })}
                />
              ),
            },
            {
              title: "操作",
              width: 96,
              fixed: "right",
              render: (_, n) => (
                <Space size={4}>
                  <Button
                    size="small"
                    icon={<PlusOutlined />}
                    disabled={readOnly}
                    onClick={() => addChild(n.key)}
                    title="添加下级指标"
                    aria-label="添加下级指标"
                    data-testid={`add-child-${n.code}`}
                  />
                  <Popconfirm
                    title={n.children ? "删除该指标及其全部下级指标?" : "删除该指标?"}
                    onConfirm={() => change(mapTree(tree, n.key, () => null))}
                    disabled={readOnly}
                  >
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={readOnly}
                      aria-label="删除指标"
                    />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                <Button
                  icon={<PlusOutlined />}
                  disabled={readOnly}
                  onClick={() => change([...tree, { ...blankLeaf(String(tree.length + 1)), points: 10 }])}
                  data-testid="add-top"
                >
                  添加一级指标
                </Button>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} colSpan={6}>
                <Typography.Text type="secondary" data-testid="scheme-max">
                  {summaryText(tree)}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>
      {error && (
        <Alert
          type="error"
          showIcon
          message="方案未保存"
          description={error}
          data-testid="scheme-error"
          closable
        />
      )}
      <Space>
        <Button
          type="primary"
          onClick={() => form.submit()}
          loading={save.isPending}
          disabled={readOnly}
          data-testid="save-scheme"
        >
          保存方案
        </Button>
        <Button onClick={reset} disabled={!dirty || readOnly}>
          撤销修改
        </Button>
        {dirty && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
      </Space>
    </Space>
  );

  function ruleSettings(n: EditNode) {
    switch (n.ruleType) {
      case "levels":
        return (
          <Input
            value={n.levelsText}
            disabled={readOnly}
            addonBefore="档次"
            placeholder="0/0.5/1"
            onChange={(e) => edit(n.key, { levelsText: e.target.value })}
          />
        );
      case "deduction":
        return (
          <Space.Compact style={{ width: "100%" }}>
            <InputNumber
              value={n.per}
              min={0}
              step={0.5}
              prefix="每次扣"
              suffix="分"
              disabled={readOnly}
              onChange={(v) => edit(n.key, { per: typeof v === "number" ? v : null })}
              style={{ width: 136 }}
            />
            <Select
              allowClear
              value={n.source ?? undefined}
              placeholder="人工填次数"
              disabled={readOnly}
              onChange={(v: DataSource | undefined) => edit(n.key, { source: v ?? null })}
              options={sourceOptions("deduction")}
              style={{ width: 138 }}
              popupMatchSelectWidth={false}
            />
          </Space.Compact>
        );
      case "proportion":
        return (
          <Select
            allowClear
            value={n.source ?? undefined}
            placeholder="人工填比例"
            disabled={readOnly}
            onChange={(v: DataSource | undefined) => edit(n.key, { source: v ?? null })}
            options={sourceOptions("proportion")}
            style={{ width: "100%" }}
            popupMatchSelectWidth={false}
          />
        );
      case "evaluation":
        return (
          <AutoComplete
            value={n.project}
            disabled={readOnly}
            placeholder="第三方评估项目名称(空则人工填写)"
            onChange={(v: string) => edit(n.key, { project: v })}
            options={(sources.data ?? []).map((s) => ({
              value: s.name,
              label: `${s.year} ${s.name}(第 ${s.latestVersion} 版)`,
            }))}
            style={{ width: "100%" }}
          />
        );
      case "veto":
        return <Typography.Text type="secondary">触发即考核不合格,本项不计分</Typography.Text>;
      case "bonus":
        return <Typography.Text type="secondary">分值即本项加分上限</Typography.Text>;
      case "yesno":
        return <Typography.Text type="secondary">是得满分,否得 0 分</Typography.Text>;
      default:
        return <Typography.Text type="secondary">0 至分值之间人工打分</Typography.Text>;
    }
  }
}
