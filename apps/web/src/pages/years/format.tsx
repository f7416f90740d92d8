import { ArrowDownOutlined, ArrowUpOutlined } from "@ant-design/icons";
import { type ComponentType, lazy, Suspense } from "react";

/** 0.756 → "75.6%"; null → "—". */
export const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;

/** Points with up to two decimals, without trailing zeros. */
export const pts = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : String(Math.round(v * 100) / 100);

/**
 * A change from the year before, coloured by whether it is good: `higherIsBetter` for completion
 * and scores, not for overdue days and returns. Nothing when there is no year to compare with.
 */
export function Delta({
  value,
  higherIsBetter,
  format = (v) => String(Math.round(Math.abs(v) * 100) / 100),
  suffix = "",
}: {
  value: number | null | undefined;
  higherIsBetter: boolean;
  format?: (v: number) => string;
  suffix?: string;
}) {
  if (value === null || value === undefined) return null;
  if (Math.abs(value) < 1e-9)
    return <span style={{ color: "rgba(0,0,0,0.55)", fontSize: 12, marginLeft: 4 }}>持平</span>;
  const good = value > 0 === higherIsBetter;
  const Icon = value > 0 ? ArrowUpOutlined : ArrowDownOutlined;
  return (
    <span
      style={{ color: good ? "#389e0d" : "#cf1322", fontSize: 12, marginLeft: 4, whiteSpace: "nowrap" }}
      title={`较上年${value > 0 ? "增加" : "减少"} ${format(value)}${suffix}`}
    >
      <Icon /> {format(value)}
      {suffix}
    </span>
  );
}

/** Percentage points: 0.05 → "5.0个百分点". */
export const ppFormat = (v: number) => (Math.abs(v) * 100).toFixed(1);

type Charts = typeof import("./YearCharts.tsx");
let loading: Promise<Charts> | undefined;
const loadCharts = () => {
  loading ??= import("./YearCharts.tsx").catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
};

function deferred<P extends { height?: number }>(
  pick: (m: Charts) => ComponentType<P>,
  fallbackHeight: number,
) {
  const Chart = lazy(() => loadCharts().then((m) => ({ default: pick(m) }))) as ComponentType<P>;
  return function DeferredChart(props: P) {
    return (
      <Suspense
        fallback={
          <div
            role="status"
            style={{
              height: props.height ?? fallbackHeight,
              display: "grid",
              placeItems: "center",
              color: "rgba(0,0,0,0.6)",
              fontSize: 12,
            }}
          >
            图表加载中…
          </div>
        }
      >
        <Chart {...props} />
      </Suspense>
    );
  };
}

export const YearFiguresChart = deferred((m) => m.YearFiguresChart, 280);
export const ScoreLines = deferred((m) => m.ScoreLines, 260);
