/**
 * The 历年对比 charts (recharts), in their own chunk: the cards show their tables first and load
 * this when a chart is drawn, so the dashboard's and the task list's first load do not grow.
 */
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { axisLabelStyle, tick } from "../../components/reports/chart-style.ts";

const palette = ["#1f5fa8", "#b7242a", "#d48806", "#389e0d", "#722ed1", "#13a8a8", "#8c9bb0"];

/** One year of the scope or unit: shares in percent, null for a year without data (a gap). */
export type YearPoint = {
  year: string;
  completion: number | null;
  overdueShare: number | null;
  overdueDays: number | null;
  returns: number | null;
};

/** Completion and overdue shares (bars, left axis, %) and overdue days (line, right axis). */
export function YearFiguresChart({ data, height = 280 }: { data: YearPoint[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="year"
          tick={tick}
          label={{ value: "年度", position: "insideBottom", offset: -14, style: axisLabelStyle }}
        />
        <YAxis
          yAxisId="share"
          domain={[0, 100]}
          tick={tick}
          width={52}
          unit="%"
          label={{ value: "比例(%)", angle: -90, position: "insideLeft", offset: 4, style: axisLabelStyle }}
        />
        <YAxis
          yAxisId="days"
          orientation="right"
          allowDecimals={false}
          tick={tick}
          width={56}
          label={{
            value: "逾期天数(天)",
            angle: 90,
            position: "insideRight",
            offset: 4,
            style: axisLabelStyle,
          }}
        />
        <Tooltip
          formatter={(v, name) =>
            v === null || v === undefined
              ? ["无数据", name]
              : [String(name).includes("天数") ? `${v} 天` : `${Number(v).toFixed(1)}%`, name]
          }
          labelFormatter={(l) => `${l}年`}
        />
        <Legend verticalAlign="top" height={28} iconType="circle" />
        <Bar
          yAxisId="share"
          dataKey="completion"
          name="完成率"
          fill="#1f5fa8"
          maxBarSize={28}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="share"
          dataKey="overdueShare"
          name="逾期率"
          fill="#d4380d"
          maxBarSize={28}
          isAnimationActive={false}
        />
        <Line
          yAxisId="days"
          dataKey="overdueDays"
          name="逾期天数合计"
          stroke="#595959"
          strokeWidth={2}
          dot={{ r: 3 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Scores per year, one line per series (a tier's mean, or a unit's assessment / evaluation total). */
export function ScoreLines({
  data,
  series,
  height = 260,
  valueLabel = "得分",
}: {
  data: Record<string, number | string | null>[];
  series: { key: string; name: string }[];
  height?: number;
  valueLabel?: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="year"
          tick={tick}
          padding={{ left: 24, right: 24 }}
          label={{ value: "年度", position: "insideBottom", offset: -14, style: axisLabelStyle }}
        />
        <YAxis
          tick={tick}
          width={52}
          domain={["auto", "auto"]}
          label={{ value: valueLabel, angle: -90, position: "insideLeft", offset: 4, style: axisLabelStyle }}
        />
        <Tooltip
          formatter={(v, name) => [v === null || v === undefined ? "无" : Number(v).toFixed(2), name]}
          labelFormatter={(l) => `${l}年`}
        />
        <Legend verticalAlign="top" height={28} iconType="circle" />
        {series.map((s, i) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name}
            stroke={palette[i % palette.length]}
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
