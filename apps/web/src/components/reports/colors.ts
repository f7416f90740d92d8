import type { ReportState } from "@gongkai/core/domain";

/** The colour of each report state in charts and legends (charts.tsx, UnitStrip.tsx). */
export const reportStateColors: Record<ReportState, string> = {
  draft: "#bfbfbf",
  submitted: "#1677ff",
  approved: "#52c41a",
  returned: "#f5222d",
};
