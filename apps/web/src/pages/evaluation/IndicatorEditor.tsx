import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { Indicator, IndicatorSystem, ScoringRule } from "@gongkai/core";
import { type SchemeTemplate, schemeTemplates } from "@gongkai/core/templates";
import { Button, Card, Drawer, Input, InputNumber, Select, Space, Typography } from "antd";
import { useState } from "react";
import { GradeBandsInput } from "../../components/GradeBandsInput.tsx";
import { RankingSettings } from "../../components/RankingRule.tsx";
import { SchemeTemplateNote } from "../../components/SchemeTemplateNote.tsx";
import { rankingKeysOf, rankingKeysToSave } from "../../lib/ranking.ts";

const ruleOptions: { value: ScoringRule["type"]; label: string }[] = [
  { value: "manual", label: "人工评分" },
  { value: "yesno", label: "是否" },
  { value: "levels", label: "分档" },
  { value: "deduction", label: "扣分" },
  { value: "proportion", label: "比例" },
  { value: "bonus", label: "加分" },
  { value: "veto", label: "单项否决" },
];

const ruleOf = (type: ScoringRule["type"], prev?: ScoringRule): ScoringRule => {
  if (type === "levels") return prev?.type === "levels" ? prev : { type, levels: [0, 0.5, 1] };
  if (type === "deduction") return prev?.type === "deduction" ? prev : { type, per: 1 };
  return { type } as ScoringRule;
};

/** A starting point for a system built in the page: the four usual first-level indicators. */
export const templateSystem = (name: string): IndicatorSystem => ({
  name,
  bonus: null,
  grades: [
    { name: "优秀", min: 90 },
    { name: "良好", min: 80 },
    { name: "合格", min: 60 },
    { name: "不合格", min: 0 },
  ],
  indicators: [
    ["信息公开", 0.4],
    ["政策解读", 0.25],
    ["回应关切", 0.2],
    ["平台建设", 0.15],
  ].map(([n, w], i) => ({
    code: `${i + 1}`,
    name: n as string,
    weight: w as number,
    children: [{ code: `${i + 1}.1`, name: `${n}情况`, weight: 1, points: 10, rule: { type: "manual" } }],
  })),
});

type Path = number[];

/** Scored, as the core classifies a node: not every leaf below is a veto or a bonus. */
const scored = (n: Indicator): boolean => {
  const kids = n.children ?? [];
  if (kids.length === 0) return n.rule?.type !== "veto" && n.rule?.type !== "bonus";
  return kids.some(scored);
};

function update(list: Indicator[], path: Path, fn: (n: Indicator) => Indicator | null): Indicator[] {
  const [i, ...rest] = path;
  return list.flatMap((n, k) => {
    if (k !== i) return [n];
    if (rest.length === 0) {
      const next = fn(n);
      return next ? [next] : [];
    }
    return [{ ...n, children: update(n.children ?? [], rest, fn) }];
  });
}

/**
 * Builds an indicator system in the page: first-level indicators and their children to any depth,
 * each with a weight (share among its siblings) and/or points; leaves with a scoring rule, criteria
 * and observation points. The server checks the tree (weights adding up to 100%, codes unique).
 */
export function IndicatorEditor({
  open,
  initial,
  saving,
  onSave,
  onClose,
}: {
  open: boolean;
  initial: IndicatorSystem;
  saving: boolean;
  onSave: (system: IndicatorSystem) => void;
  onClose: () => void;
}) {
  const [system, setSystem] = useState<IndicatorSystem>(initial);
  const [picked, setPicked] = useState<SchemeTemplate | null>(null);
  const set = (path: Path, fn: (n: Indicator) => Indicator | null) =>
    setSystem((s) => ({ ...s, indicators: update(s.indicators, path, fn) }));

  const node = (n: Indicator, path: Path) => {
    const kids = n.children ?? [];
    const leaf = kids.length === 0;
    return (
      <div
        key={path.join(".")}
        style={{
          borderLeft: path.length > 1 ? "2px solid #e6eef8" : undefined,
          paddingLeft: path.length > 1 ? 12 : 0,
        }}
      >
        <Space wrap style={{ marginBottom: 8 }} align="start">
          <Input
            value={n.code}
            style={{ width: 70 }}
            aria-label="编码"
            onChange={(e) => set(path, (x) => ({ ...x, code: e.target.value }))}
          />
          <Input
            value={n.name}
            style={{ width: 200 }}
            aria-label="指标名称"
            placeholder="指标名称"
            onChange={(e) => set(path, (x) => ({ ...x, name: e.target.value }))}
          />
          <InputNumber
            value={n.weight === undefined ? null : Math.round(n.weight * 10000) / 100}
            addonAfter="%"
            placeholder="权重"
            style={{ width: 120 }}
            min={0}
            max={100}
            onChange={(v) => set(path, (x) => ({ ...x, weight: v === null ? undefined : v / 100 }))}
          />
          <InputNumber
            value={n.points ?? null}
            addonAfter="分"
            placeholder="分值"
            style={{ width: 110 }}
            min={0}
            onChange={(v) => set(path, (x) => ({ ...x, points: v ?? undefined }))}
          />
          {leaf && (
            <Select
              value={n.rule?.type ?? "manual"}
              style={{ width: 110 }}
              options={ruleOptions}
              onChange={(t) => set(path, (x) => ({ ...x, rule: ruleOf(t, x.rule) }))}
            />
          )}
          {leaf && n.rule?.type === "deduction" && (
            <InputNumber
              value={n.rule.per}
              addonBefore="每次扣"
              addonAfter="分"
              style={{ width: 150 }}
              min={0.1}
              onChange={(v) => set(path, (x) => ({ ...x, rule: { type: "deduction", per: v ?? 1 } }))}
            />
          )}
          {leaf && n.rule?.type === "levels" && (
            <Input
              value={n.rule.levels.join("/")}
              addonBefore="档次"
              style={{ width: 170 }}
              onChange={(e) =>
                set(path, (x) => ({
                  ...x,
                  rule: {
                    type: "levels",
                    levels: e.target.value
                      .split("/")
                      .map(Number)
                      .filter((v) => Number.isFinite(v)),
                  },
                }))
              }
            />
          )}
          <Button
            icon={<PlusOutlined />}
            onClick={() =>
              set(path, (x) => ({
                ...x,
                rule: undefined,
                children: [
                  ...kids,
                  { code: `${x.code}.${kids.length + 1}`, name: "", points: 10, rule: { type: "manual" } },
                ],
              }))
            }
          >
            下级
          </Button>
          <Button danger icon={<DeleteOutlined />} aria-label="删除" onClick={() => set(path, () => null)} />
        </Space>
        {leaf && (
          <Space wrap style={{ marginBottom: 12, paddingLeft: 78 }}>
            <Input.TextArea
              value={n.criteria ?? ""}
              placeholder="评分细则"
              autoSize={{ minRows: 1, maxRows: 3 }}
              style={{ width: 360 }}
              onChange={(e) => set(path, (x) => ({ ...x, criteria: e.target.value || undefined }))}
            />
            <Input.TextArea
              value={(n.observationPoints ?? []).join("\n")}
              placeholder="观测点(每行一个)"
              autoSize={{ minRows: 1, maxRows: 3 }}
              style={{ width: 260 }}
              onChange={(e) =>
                set(path, (x) => ({
                  ...x,
                  observationPoints: e.target.value ? e.target.value.split("\n") : undefined,
                }))
              }
            />
          </Space>
        )}
        {kids.map((k, i) => node(k, [...path, i]))}
      </div>
    );
  };

  const clean = (s: IndicatorSystem): IndicatorSystem => {
    const fix = (n: Indicator): Indicator => {
      const kids = n.children ?? [];
      const out: Indicator = {
        ...n,
        observationPoints: n.observationPoints?.map((o) => o.trim()).filter(Boolean),
      };
      if (kids.length) {
        out.children = kids.map(fix);
        out.rule = undefined;
      } else {
        out.children = undefined;
        out.rule = n.rule ?? { type: "manual" };
      }
      return out;
    };
    const { ranking: _r, precision: _p, tieBreak: _t, ...rest } = s;
    return { ...rest, ...rankingKeysToSave(rankingKeysOf(initial), s), indicators: s.indicators.map(fix) };
  };

  return (
    <Drawer
      title="在页面中编辑指标体系"
      open={open}
      onClose={onClose}
      width={1080}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={saving}
          onClick={() => onSave(clean(system))}
          data-testid="save-system"
        >
          保存指标体系
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          同一层级的指标全部填写权重时按权重加权(合计须为 100%),否则按分值相加;末级指标按评分方式打分。
        </Typography.Paragraph>
        <Select<string>
          aria-label="从已发布的指标体系开始"
          placeholder="从已发布的指标体系开始(替换下面的全部指标)"
          value={picked?.id}
          style={{ width: "100%" }}
          options={schemeTemplates.map((t) => ({ value: t.id, label: t.label }))}
          onChange={(id) => {
            const t = schemeTemplates.find((x) => x.id === id);
            if (!t) return;
            setPicked(t);
            setSystem({ ...t.system, name: system.name || t.system.name });
          }}
          data-testid="system-template"
        />
        {picked && <SchemeTemplateNote template={picked} />}
        <Input
          value={system.name}
          addonBefore="指标体系名称"
          onChange={(e) => setSystem((s) => ({ ...s, name: e.target.value }))}
        />
        <Card size="small" title="等次(可选)">
          <GradeBandsInput
            value={system.grades}
            onChange={(grades) => setSystem((s) => ({ ...s, grades: grades.length ? grades : null }))}
          />
        </Card>
        <RankingSettings
          value={rankingKeysOf(system)}
          indicators={system.indicators.filter(scored).map((n) => ({ code: n.code, name: n.name }))}
          onChange={(next) =>
            setSystem((s) => {
              const { ranking: _r, precision: _p, tieBreak: _t, ...rest } = s;
              return { ...rest, ...next };
            })
          }
        />
        <Card size="small" title="指标">
          {system.indicators.map((n, i) => node(n, [i]))}
          <Button
            icon={<PlusOutlined />}
            onClick={() =>
              setSystem((s) => ({
                ...s,
                indicators: [
                  ...s.indicators,
                  { code: `${s.indicators.length + 1}`, name: "", points: 10, rule: { type: "manual" } },
                ],
              }))
            }
          >
            添加一级指标
          </Button>
        </Card>
      </Space>
    </Drawer>
  );
}
