import { type ReportState, reportStateLabels, reportStates } from "@gongkai/core/domain";
import { type Light, lightColors, lightLabels, lights } from "@gongkai/core/reports";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { axisLabelStyle, tick } from "./chart-style.ts";
import { reportStateColors } from "./colors.ts";

type Counts = Record<Light, number>;

/** Donut of the four lights; clicking a segment picks that light. */
export function LightPie({
  totals,
  onPick,
  height = 260,
  compact,
}: {
  totals: Counts;
  onPick?: (l: Light) => void;
  height?: number;
  compact?: boolean;
}) {
  const data = lights
    .map((l) => ({ key: l, name: lightLabels[l], value: totals[l], fill: lightColors[l] }))
    .filter((d) => d.value > 0);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <PieChart>
        <Pie
          data={data}
          dataKey="value"
          nameKey="name"
          innerRadius={compact ? "52%" : "50%"}
          outerRadius={compact ? "86%" : "75%"}
          paddingAngle={data.length > 1 ? 1 : 0}
          isAnimationActive={false}
          label={compact ? false : ({ value }) => `${value}`}
          onClick={(_, index) => {
            const d = data[index];
            if (d && onPick) onPick(d.key);
          }}
          style={{ cursor: onPick ? "pointer" : undefined }}
        />
        <Tooltip formatter={(v) => [`${v} 项`, "数量"]} />
        {!compact && <Legend verticalAlign="bottom" iconType="circle" itemSorter={null} />}
      </PieChart>
    </ResponsiveContainer>
  );
}

/** Donut of report states (草稿 / 待审核 / 已通过 / 已退回). */
export function ReportStatePie({
  states,
  height = 260,
  onPick,
}: {
  states: Record<ReportState, number>;
  height?: number;
  onPick?: (s: ReportState) => void;
}) {
  const data = reportStates
    .map((s) => ({ key: s, name: reportStateLabels[s], value: states[s], fill: reportStateColors[s] }))
    .filter((d) => d.value > 0);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <PieChart>
        <Pie
          data={data}
          dataKey="value"
          nameKey="name"
          innerRadius="50%"
          outerRadius="75%"
          paddingAngle={data.length > 1 ? 1 : 0}
          isAnimationActive={false}
          label={({ value }) => `${value}`}
          onClick={(_, index) => {
            const d = data[index];
            if (d && onPick) onPick(d.key);
          }}
        />
        <Tooltip formatter={(v) => [`${v} 份`, "报告"]} />
        <Legend verticalAlign="bottom" iconType="circle" itemSorter={null} />
      </PieChart>
    </ResponsiveContainer>
  );
}

export type LightBarDatum = Counts & { key: string | number; name: string };

/**
 * Stacked bars of lights per category or per unit. `layout="vertical"` draws horizontal bars with
 * the names on the left (for long unit names).
 */
export function LightBars({
  data,
  horizontal,
  height,
  categoryLabel,
  valueLabel = "项数",
  onPick,
  nameWidth = 120,
}: {
  data: LightBarDatum[];
  horizontal?: boolean;
  height: number;
  categoryLabel: string;
  valueLabel?: string;
  onPick?: (d: LightBarDatum, light: Light) => void;
  nameWidth?: number;
}) {
  const bars = lights.map((l) => (
    <Bar
      key={l}
      dataKey={l}
      name={lightLabels[l]}
      stackId="a"
      fill={lightColors[l]}
      isAnimationActive={false}
      maxBarSize={28}
      onClick={(_, index) => {
        const d = data[index];
        if (d && onPick) onPick(d, l);
      }}
      style={{ cursor: onPick ? "pointer" : undefined }}
    />
  ));
  if (horizontal) {
    return (
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis
            type="number"
            allowDecimals={false}
            tick={tick}
            label={{ value: valueLabel, position: "insideBottom", offset: -14, style: axisLabelStyle }}
          />
          <YAxis
            type="category"
            dataKey="name"
            width={nameWidth + 22}
            tick={tick}
            interval={0}
            label={{
              value: categoryLabel,
              angle: -90,
              position: "insideLeft",
              offset: 0,
              style: axisLabelStyle,
            }}
          />
          <Tooltip cursor={{ fill: "rgba(0,0,0,0.04)" }} />
          <Legend verticalAlign="top" height={28} iconType="circle" itemSorter={null} />
          {bars}
        </BarChart>
      </ResponsiveContainer>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="name"
          tick={tick}
          interval={0}
          angle={-30}
          textAnchor="end"
          height={72}
          label={{ value: categoryLabel, position: "insideBottom", offset: -20, style: axisLabelStyle }}
        />
        <YAxis
          allowDecimals={false}
          tick={tick}
          width={48}
          label={{ value: valueLabel, angle: -90, position: "insideLeft", offset: 10, style: axisLabelStyle }}
        />
        <Tooltip cursor={{ fill: "rgba(0,0,0,0.04)" }} />
        <Legend verticalAlign="top" height={28} iconType="circle" itemSorter={null} />
        {bars}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Overdue, due soon and done over time. */
export function TrendLines({
  data,
  height = 280,
}: {
  data: { date: string; overdue: number; dueSoon: number; done: number }[];
  height?: number;
}) {
  const sameYear = data.length > 0 && data[0]?.date.slice(0, 4) === data.at(-1)?.date.slice(0, 4);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 24, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="date"
          tick={tick}
          tickFormatter={(d: string) => (sameYear ? d.slice(5) : d)}
          minTickGap={12}
          label={{
            value: sameYear ? `日期(${data[0]?.date.slice(0, 4)}年)` : "日期",
            position: "insideBottom",
            offset: -16,
            style: axisLabelStyle,
          }}
        />
        <YAxis
          allowDecimals={false}
          tick={tick}
          width={48}
          label={{ value: "项数", angle: -90, position: "insideLeft", offset: 10, style: axisLabelStyle }}
        />
        <Tooltip labelFormatter={(d) => `截至 ${d}`} />
        <Legend verticalAlign="top" height={28} iconType="plainline" itemSorter={null} />
        {(["overdue", "dueSoon", "done"] as const).map((k) => (
          <Line
            key={k}
            type="monotone"
            dataKey={k}
            name={lightLabels[k]}
            stroke={lightColors[k]}
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
