import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { GradeBand } from "@gongkai/core";
import { gradeRuleText, type QuotaTies } from "@gongkai/core/grades";
import { Button, Input, InputNumber, Select, Space, Typography } from "antd";

const tieOptions: { value: QuotaTies; label: string }[] = [
  { value: "down", label: "并列超额一并降档" },
  { value: "include", label: "并列一并评入" },
];

/**
 * 等次 as a scheme states them (an assessment scheme's or an evaluation's indicator system's): each
 * band by score (≥ 最低分), by share (名额比例: 限 20%, or 前 10% without a score), or both, with
 * the rule for units tied at the quota's boundary; the rule in words below, as results will apply it.
 * Controlled (`value`/`onChange`), so it sits in a Form.Item or in a page's state alike.
 */
export function GradeBandsInput({
  value,
  onChange,
  disabled,
}: {
  value?: GradeBand[] | null | undefined;
  onChange?: (next: GradeBand[]) => void;
  disabled?: boolean;
}) {
  const bands = value ?? [];
  const set = (i: number, patch: Partial<GradeBand>) =>
    onChange?.(
      bands.map((b, k) => {
        if (k !== i) return b;
        const next: GradeBand = { ...b, ...patch };
        for (const key of ["min", "quotaPercent", "quotaTies"] as const)
          if (next[key] === undefined || next[key] === null) delete next[key];
        if (next.quotaPercent === undefined) delete next.quotaTies;
        return next;
      }),
    );
  const stated = bands.filter(
    (b) => b.name.trim() !== "" && (b.min !== undefined || b.quotaPercent !== undefined),
  );
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap>
        {bands.map((b, i) => (
          <Space.Compact key={i}>
            <Input
              aria-label={`第 ${i + 1} 个等次的名称`}
              value={b.name}
              placeholder="优秀"
              style={{ width: 80 }}
              disabled={disabled}
              onChange={(e) => set(i, { name: e.target.value })}
            />
            <InputNumber<number>
              aria-label={`${b.name || "等次"}的最低分`}
              value={b.min ?? null}
              prefix="≥"
              placeholder="不限分"
              style={{ width: 104 }}
              disabled={disabled}
              onChange={(v) => set(i, { min: v ?? undefined })}
            />
            <InputNumber<number>
              aria-label={`${b.name || "等次"}的名额比例(%)`}
              value={b.quotaPercent ?? null}
              prefix={b.min === undefined ? "前" : "限"}
              suffix="%"
              placeholder="不限"
              min={0}
              max={100}
              style={{ width: 108 }}
              disabled={disabled}
              onChange={(v) => set(i, { quotaPercent: v ?? undefined })}
            />
            <Select<QuotaTies>
              aria-label={`${b.name || "等次"}名额边界并列时`}
              value={b.quotaTies ?? "down"}
              options={tieOptions}
              style={{ width: 172 }}
              disabled={disabled || b.quotaPercent === undefined}
              onChange={(v) => set(i, { quotaTies: v === "down" ? undefined : v })}
            />
            <Button
              icon={<DeleteOutlined />}
              aria-label={`删除等次${b.name}`}
              disabled={disabled}
              onClick={() => onChange?.(bands.filter((_, k) => k !== i))}
            />
          </Space.Compact>
        ))}
        <Button
          icon={<PlusOutlined />}
          disabled={disabled}
          onClick={() => onChange?.([...bands, { name: "", min: 0 }])}
        >
          添加等次
        </Button>
      </Space>
      <Typography.Text type="secondary" data-testid="grade-rule">
        {stated.length === 0
          ? "不分等次"
          : `${gradeRuleText(stated)}。名额按参评并排名的单位数计;被单项否决的单位评为最低等次。`}
      </Typography.Text>
    </Space>
  );
}
