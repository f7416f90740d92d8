import { type ComponentType, lazy, Suspense } from "react";

/**
 * The charts of charts.tsx, loaded when one is first drawn: recharts is 110 kB of JavaScript
 * (gzip), as much as React, so a page's figures and tables show first and its charts follow. Until
 * then the chart's place is kept at its height, so nothing below it moves when it arrives.
 */
type Charts = typeof import("./charts.tsx");

let loading: Promise<Charts> | undefined;
/** Starts fetching the charts (a page that will draw one calls it beside its data request). */
export const preloadCharts = () => {
  loading ??= import("./charts.tsx").catch((e) => {
    loading = undefined; // the next chart tries again
    throw e;
  });
  return loading;
};

function ChartLoading({ height }: { height: number }) {
  return (
    <div
      role="status"
      style={{ height, display: "grid", placeItems: "center", color: "rgba(0, 0, 0, 0.6)", fontSize: 12 }}
    >
      图表加载中…
    </div>
  );
}

function deferred<P extends { height?: number }>(
  pick: (charts: Charts) => ComponentType<P>,
  defaultHeight: number,
) {
  const Chart = lazy(() => preloadCharts().then((m) => ({ default: pick(m) }))) as ComponentType<P>;
  return function DeferredChart(props: P) {
    return (
      <Suspense fallback={<ChartLoading height={props.height ?? defaultHeight} />}>
        <Chart {...props} />
      </Suspense>
    );
  };
}

export const LightPie = deferred((m) => m.LightPie, 260);
export const ReportStatePie = deferred((m) => m.ReportStatePie, 260);
export const LightBars = deferred((m) => m.LightBars, 300);
export const TrendLines = deferred((m) => m.TrendLines, 280);
