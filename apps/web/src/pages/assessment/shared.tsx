import { chinaDateTime } from "@gongkai/core/reports";
import { InputNumber, Select, Tag, Typography } from "antd";
import { memo } from "react";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type SchemeDetail = RouterOutputs["assessment"]["get"];
export type Leaf = SchemeDetail["leaves"][number];
export type Rule = Leaf["rule"];
export type AssessmentStatus = SchemeDetail["scheme"]["status"];
export type Results = RouterOutputs["assessment"]["results"];
export type ResultUnit = Results["units"][number];
export type XlsxFile = { fileName: string; contentBase64: string };

export const statusLabels: Record<AssessmentStatus, string> = {
  draft: "草稿",
  selfAssessment: "单位自评",
  review: "审核评分",
  published: "已发布",
};
const statusColors: Record<AssessmentStatus, string> = {
  draft: "orange",
  selfAssessment: "blue",
  review: "purple",
  published: "green",
};

export function StatusTag({ status }: { status: AssessmentStatus }) {
  return <Tag color={statusColors[status]}>{statusLabels[status]}</Tag>;
}

export const ruleTypeLabels: Record<Rule["type"], string> = {
  manual: "人工评分",
  yesno: "是否",
  levels: "分档",
  deduction: "扣分",
  veto: "单项否决",
  bonus: "加分",
  proportion: "比例",
  evaluation: "第三方评估",
};

export type DataSource =
  | "onTimeRate"
  | "approvedRate"
  | "evidenceCoverage"
  | "returnedReports"
  | "supervisionNotices"
  | "overdueTasks";
export const rateSourceLabels = {
  onTimeRate: "任务按时完成率",
  approvedRate: "进展报告审核通过率",
  evidenceCoverage: "佐证材料覆盖率",
} as const;
export const countSourceLabels = {
  returnedReports: "被退回的进展报告数",
  supervisionNotices: "收到的督办单数",
  overdueTasks: "逾期任务数",
} as const;

/** Points shown without floating-point noise: 12.5, 33.33. */
export const pts = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? "—" : String(Number(x.toFixed(digits)));

/** A value as the rule reads it: 是/否, 触发/未触发, a level, a count, a rate. */
export function valueText(rule: Rule, max: number, v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  switch (rule.type) {
    case "yesno":
      return v === 1 ? `是(${pts(max)}分)` : "否(0分)";
    case "veto":
      return v === 1 ? "触发否决" : "未触发";
    case "levels":
      return `${pts(v * max)}分(${pts(v * 100, 1)}%档)`;
    case "deduction":
      return `${v} 次(扣 ${pts(Math.min(max, rule.per * v))} 分)`;
    case "proportion":
      return `${pts(v * 100, 1)}%(${pts(v * max)}分)`;
    case "evaluation":
      return `${pts(v)}(折合 ${pts((v / 100) * max)} 分)`;
    default:
      return `${pts(v)} 分`;
  }
}

/** Saves a file the API sent as base64. */
export function downloadFile(file: XlsxFile) {
  const binary = atob(file.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(
    new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
  );
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}

export const dateTime = (d: Date | string | null | undefined) => (d ? chinaDateTime(new Date(d)) : "—");

/** The input a leaf's rule takes: points, 是/否, a level, a count, a rate (typed as a percent). */
export function ValueInput({
  rule,
  max,
  value,
  onChange,
  disabled,
  testId,
  label,
}: {
  rule: Rule;
  max: number;
  value: number | null;
  onChange: (v: number | null) => void;
  disabled?: boolean;
  testId?: string;
  /** What a screen reader says the input is (the indicator's name): it stands in a table cell. */
  label?: string;
}) {
  const common = { disabled, "data-testid": testId, "aria-label": label, style: { width: "100%" } } as const;
  switch (rule.type) {
    case "yesno":
      return (
        <Select
          {...common}
          allowClear
          placeholder="是/否"
          value={value ?? undefined}
          onChange={(v) => onChange(v ?? null)}
          options={[
            { value: 1, label: `是(${pts(max)}分)` },
            { value: 0, label: "否(0分)" },
          ]}
        />
      );
    case "veto":
      return (
        <Select
          {...common}
          allowClear
          placeholder="是否触发"
          value={value ?? undefined}
          onChange={(v) => onChange(v ?? null)}
          options={[
            { value: 0, label: "未触发" },
            { value: 1, label: "触发否决" },
          ]}
        />
      );
    case "levels":
      return (
        <Select
          {...common}
          allowClear
          placeholder="选择档次"
          value={value ?? undefined}
          onChange={(v) => onChange(v ?? null)}
          options={rule.levels.map((l) => ({ value: l, label: `${pts(l * max)}分` }))}
        />
      );
    case "deduction":
      return (
        <InputNumber
          {...common}
          min={0}
          precision={0}
          placeholder="问题次数"
          suffix="次"
          value={value}
          onChange={(v) => onChange(typeof v === "number" ? v : null)}
        />
      );
    case "proportion":
      return (
        <InputNumber
          {...common}
          min={0}
          max={100}
          placeholder="比例"
          suffix="%"
          value={value === null ? null : Number((value * 100).toFixed(4))}
          onChange={(v) => onChange(typeof v === "number" ? v / 100 : null)}
        />
      );
    case "evaluation":
      return (
        <InputNumber
          {...common}
          min={0}
          max={100}
          placeholder="评估总分"
          suffix="/100"
          value={value}
          onChange={(v) => onChange(typeof v === "number" ? v : null)}
        />
      );
    default:
      return (
        <InputNumber
          {...common}
          min={0}
          max={max}
          step={0.5}
          placeholder={`0–${pts(max)}`}
          suffix="分"
          value={value}
          onChange={(v) => onChange(typeof v === "number" ? v : null)}
        />
      );
  }
}

/**
 * A leaf as a row of the scoring tables shows it: where it sits, its code and name, and its
 * criteria — clamped to two lines where the table is dense (`brief`, with the value hint), whole
 * where a unit reads them to fill its self-assessment. Memoised: a row's inputs re-render on every
 * keystroke, its label need not.
 */
export const LeafLabel = memo(function LeafLabel({
  leaf: l,
  brief = false,
}: {
  leaf: Leaf;
  brief?: boolean;
}) {
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {l.path.join(" / ")}
      </Typography.Text>
      <div>
        <Typography.Text strong>
          {l.code} {l.name}
        </Typography.Text>
      </div>
      {brief && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {l.valueHint}
        </Typography.Text>
      )}
      {l.criteria && (
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, marginBottom: 0 }}
          ellipsis={brief ? { rows: 2, tooltip: l.criteria } : false}
        >
          {l.criteria}
        </Typography.Paragraph>
      )}
    </div>
  );
});
