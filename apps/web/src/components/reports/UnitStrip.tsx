import { reportStateLabels, reportStates } from "@gongkai/core/domain";
import { type Light, lightColors, lightLabels } from "@gongkai/core/reports";
import { useQuery } from "@tanstack/react-query";
import { Card, Space } from "antd";
import { useTRPC } from "../../lib/trpc.ts";
import { Text } from "../text.tsx";
import { reportStateColors } from "./colors.ts";
import { fmtPercent } from "./format.ts";
// The donut is the strip's only chart: recharts comes after the task list, not before it.
import { LightPie } from "./LazyCharts.tsx";
import { LightDot, lightOrder } from "./status.tsx";

/**
 * The unit's own dashboard strip above its task list: its lead and responsible tasks of its
 * latest plan by light (click to filter), a small donut, and its reports by review state.
 */
export function UnitStrip({
  planTitles,
  onPickLight,
}: {
  planTitles: Map<number, string>;
  onPickLight: (l: Light) => void;
}) {
  const trpc = useTRPC();
  const dash = useQuery(trpc.reports.myDashboard.queryOptions({}));
  const d = dash.data;
  if (!d) return null;
  const total = d.totals.done + d.totals.onTrack + d.totals.dueSoon + d.totals.overdue;
  const planId = d.rows[0]?.planId;
  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          本单位任务概况
          <Text type="secondary" style={{ fontWeight: "normal", fontSize: 13 }}>
            {planId ? planTitles.get(planId) : ""}(牵头、责任任务,配合任务随牵头单位计)
          </Text>
        </Space>
      }
      data-testid="unit-strip"
    >
      <div style={{ display: "flex", alignItems: "stretch", gap: 16, flexWrap: "wrap" }}>
        {lightOrder.map((l) => (
          <button
            type="button"
            key={l}
            onClick={() => onPickLight(l)}
            style={{
              all: "unset",
              cursor: "pointer",
              minWidth: 112,
              padding: "8px 14px",
              borderRadius: 6,
              border: "1px solid #f0f0f0",
              borderLeft: `4px solid ${lightColors[l]}`,
              background: "#fff",
            }}
            title={`只看${lightLabels[l]}的任务`}
          >
            <div
              style={{
                color: "rgba(0, 0, 0, 0.6)",
                fontSize: 12,
                display: "flex",
                alignItems: "center",
                gap: 6,
              }}
            >
              <LightDot light={l} size={8} />
              {lightLabels[l]}
            </div>
            <div
              style={{
                fontSize: 24,
                fontWeight: 600,
                fontVariantNumeric: "tabular-nums",
                textAlign: "right",
              }}
            >
              {d.totals[l]}
              <span
                style={{ fontSize: 12, fontWeight: "normal", color: "rgba(0, 0, 0, 0.6)", marginLeft: 2 }}
              >
                项
              </span>
            </div>
          </button>
        ))}
        <div style={{ width: 120, height: 84 }}>
          <LightPie totals={d.totals} height={84} compact onPick={onPickLight} />
        </div>
        <div style={{ borderLeft: "1px solid #f0f0f0", paddingLeft: 16, minWidth: 200 }}>
          <div style={{ color: "rgba(0, 0, 0, 0.6)", fontSize: 12, marginBottom: 4 }}>
            完成率 <b style={{ color: "#262626" }}>{total ? fmtPercent(d.totals.done / total) : "—"}</b> ·
            进展报告
          </div>
          <div style={{ display: "grid", gridTemplateColumns: "auto auto", columnGap: 16, rowGap: 2 }}>
            {reportStates.map((s) => (
              <div key={s} style={{ display: "flex", justifyContent: "space-between", gap: 8 }}>
                <span>
                  <span
                    style={{
                      display: "inline-block",
                      width: 8,
                      height: 8,
                      borderRadius: 2,
                      background: reportStateColors[s],
                      marginRight: 6,
                    }}
                  />
                  {reportStateLabels[s]}
                </span>
                <span style={{ fontVariantNumeric: "tabular-nums" }}>{d.reportStates[s]}</span>
              </div>
            ))}
          </div>
        </div>
      </div>
    </Card>
  );
}
