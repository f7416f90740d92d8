import type { RankingConvention } from "@gongkai/core";
import { placeUnits } from "@gongkai/core/ranking";
import { DEFAULT_PRECISION, MAX_PRECISION } from "@gongkai/core/rounding";
import { Card, InputNumber, Radio, Select, Space, Table, Typography } from "antd";
import { useMemo } from "react";
import { conventionNames, type RankingKeys } from "../lib/ranking.ts";

const conventionOptions = (["competition", "dense", "ordinal"] as const).map((value) => ({
  value,
  label: `${conventionNames[value]}(${value === "competition" ? "1, 2, 2, 4" : value === "dense" ? "1, 2, 2, 3,并列不占位" : "1, 2, 3, 4"})`,
}));

/** Five made-up units: ties at 2 decimals (丙局, 丁局) and more at 1 (乙局 88.04 → 88.0). */
const sample = [
  { unit: "甲局", total: 92.46, key: 27 },
  { unit: "乙局", total: 88.04, key: 26 },
  { unit: "丙局", total: 88.01, key: 24 },
  { unit: "丁局", total: 88.01, key: 30 },
  { unit: "戊局", total: 85.3, key: 20 },
];

/**
 * The 排名规则 section of a scheme editor: the tie convention, the decimals totals are rounded to
 * before ranking, the 顺序排名 tie-break indicator, and five made-up totals ranked by the core's
 * own `placeUnits` under the choice.
 */
export function RankingSettings({
  value,
  onChange,
  indicators,
  disabled,
}: {
  value: RankingKeys;
  onChange: (next: RankingKeys) => void;
  /** The scored first-level indicators a tie can be broken by. */
  indicators: { code: string; name: string }[];
  disabled?: boolean;
}) {
  const ranking = value.ranking ?? "competition";
  const precision = value.precision ?? DEFAULT_PRECISION;
  const tieBreakName = indicators.find((i) => i.code === value.tieBreak)?.name;
  const example = useMemo(() => {
    const placing = placeUnits(
      sample.map((s) => ({
        unit: s.unit,
        total: s.total,
        vetoed: false,
        indicators: value.tieBreak ? { [value.tieBreak]: s.key } : {},
      })),
      { ranking, precision, tieBreak: value.tieBreak },
    );
    return placing.order.map((i) => ({
      ...(sample[i] as (typeof sample)[number]),
      rounded: placing.total[i] as number,
      rank: placing.rank[i] as number,
    }));
  }, [ranking, precision, value.tieBreak]);
  const rows = [
    { key: "total", label: "原始总分", cell: (u: (typeof example)[number]) => String(u.total) },
    {
      key: "rounded",
      label: "排名用总分",
      cell: (u: (typeof example)[number]) => u.rounded.toFixed(precision),
    },
    ...(ranking === "ordinal" && value.tieBreak
      ? [
          {
            key: "tie",
            label: `「${tieBreakName ?? value.tieBreak}」`,
            cell: (u: (typeof example)[number]) => String(u.key),
          },
        ]
      : []),
    { key: "rank", label: "名次", cell: (u: (typeof example)[number]) => String(u.rank) },
  ];
  return (
    <Card size="small" title="排名规则" data-testid="ranking-settings">
      <Space direction="vertical" size="small" style={{ width: "100%" }}>
        <div data-testid="ranking-convention">
          <Radio.Group
            optionType="button"
            disabled={disabled}
            value={ranking}
            options={conventionOptions}
            onChange={(e) => {
              const next = e.target.value as RankingConvention;
              onChange({
                ...value,
                ranking: next,
                tieBreak: next === "ordinal" ? value.tieBreak : undefined,
              });
            }}
          />
        </div>
        <Space wrap size="middle">
          <Space size={8}>
            <span>小数位数</span>
            <InputNumber
              min={0}
              max={MAX_PRECISION}
              precision={0}
              disabled={disabled}
              value={precision}
              onChange={(v) =>
                onChange({ ...value, precision: typeof v === "number" ? v : DEFAULT_PRECISION })
              }
              style={{ width: 72 }}
              data-testid="ranking-precision"
            />
          </Space>
          <Typography.Text type="secondary">
            各单位总分先四舍五入到这个位数再排名,结果中显示的也是四舍五入后的总分。
          </Typography.Text>
        </Space>
        {ranking === "ordinal" && (
          <Space wrap size={8}>
            <span>并列时比较</span>
            <Select
              allowClear
              disabled={disabled}
              value={value.tieBreak}
              placeholder="不比较指标"
              onChange={(v: string | undefined) => onChange({ ...value, tieBreak: v })}
              options={indicators.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))}
              style={{ width: 240 }}
              data-testid="ranking-tiebreak"
            />
            <Typography.Text type="secondary">
              总分相同时该一级指标得分高者在前,再按单位名称拼音排序。
            </Typography.Text>
          </Space>
        )}
        <Typography.Text type="secondary">示例(虚构的五个单位,按当前规则排名):</Typography.Text>
        <Table
          size="small"
          bordered
          pagination={false}
          rowKey="key"
          dataSource={rows}
          style={{ maxWidth: 640 }}
          data-testid="ranking-example"
          columns={[
            { title: "", dataIndex: "label", width: 110 },
            ...example.map((u) => ({
              title: u.unit,
              key: u.unit,
              align: "right" as const,
              render: (_: unknown, r: (typeof rows)[number]) => r.cell(u),
            })),
          ]}
        />
      </Space>
    </Card>
  );
}
