import { type ReportState, reportStateLabels } from "@gongkai/core/domain";
import { type Light, lightColors, lightLabels, lights } from "@gongkai/core/reports";
import { Segmented, Tag, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useIsPhone } from "../../lib/useIsPhone.ts";
import { Text } from "../text.tsx";

/**
 * How a task stands: its traffic light and its latest report's state. Apart from shared.tsx (which
 * re-exports them) so that a page showing only these, a unit's task list, does not bring the
 * plan picker's Select and the evidence list along.
 */

// ---------------------------------------------------------------- traffic lights

const severity: Record<Light, number> = { done: 0, onTrack: 1, dueSoon: 2, overdue: 3 };

/** The worst light of several (a task is done only when every unit on it is done). */
export function worstLight(ls: readonly Light[]): Light | null {
  if (ls.length === 0) return null;
  return ls.reduce((a, b) => (severity[b] > severity[a] ? b : a));
}

export const lightOrder = [...lights].reverse() as Light[]; // overdue first

export function LightDot({ light, size = 10 }: { light: Light; size?: number }) {
  return (
    <span
      aria-hidden
      style={{
        display: "inline-block",
        width: size,
        height: size,
        borderRadius: "50%",
        background: lightColors[light],
        flex: "none",
      }}
    />
  );
}

/** A coloured dot and the light's name; the reason in a tooltip. */
export function LightBadge({ light, reason }: { light: Light | null; reason?: string | undefined }) {
  if (!light) return <Text type="secondary">—</Text>;
  const body = (
    <span
      style={{ display: "inline-flex", alignItems: "center", gap: 6, whiteSpace: "nowrap" }}
      data-light={light}
    >
      <LightDot light={light} />
      <span style={{ color: light === "overdue" ? "#cf1322" : undefined }}>{lightLabels[light]}</span>
    </span>
  );
  return reason ? <Tooltip title={reason}>{body}</Tooltip> : body;
}

/**
 * All / 逾期 / 临期预警 / 正常推进 / 已完成 with counts, as a segmented control; on a phone as
 * chips that wrap (the control is wider than the screen).
 */
export function LightFilter({
  counts,
  value,
  onChange,
  total,
}: {
  counts: Record<Light, number>;
  value: Light | "all";
  onChange: (v: Light | "all") => void;
  total: number;
}) {
  const isPhone = useIsPhone();
  if (isPhone) {
    const chip = (v: Light | "all", label: ReactNode) => (
      <Tag.CheckableTag
        key={v}
        checked={value === v}
        onChange={() => onChange(v)}
        style={{ fontSize: 14, padding: "4px 10px", margin: 0, border: "1px solid #d9d9d9" }}
      >
        {label}
      </Tag.CheckableTag>
    );
    return (
      <div style={{ display: "flex", flexWrap: "wrap", gap: 6 }}>
        {chip("all", `全部 ${total}`)}
        {lightOrder.map((l) =>
          chip(
            l,
            <span style={{ display: "inline-flex", alignItems: "center", gap: 6 }} data-testid={`light-${l}`}>
              <LightDot light={l} size={8} />
              {lightLabels[l]} {counts[l]}
            </span>,
          ),
        )}
      </div>
    );
  }
  return (
    <Segmented<Light | "all">
      value={value}
      onChange={onChange}
      options={[
        { value: "all", label: `全部 ${total}` },
        ...lightOrder.map((l) => ({
          value: l,
          label: (
            <span style={{ display: "inline-flex", alignItems: "center", gap: 6 }} data-testid={`light-${l}`}>
              <LightDot light={l} size={8} />
              {lightLabels[l]} {counts[l]}
            </span>
          ),
        })),
      ]}
    />
  );
}

export const zeroCounts = (): Record<Light, number> => ({ done: 0, onTrack: 0, dueSoon: 0, overdue: 0 });

const reportStateColors: Record<ReportState, string> = {
  draft: "default",
  submitted: "processing",
  approved: "success",
  returned: "error",
};

export function ReportStateTag({ state }: { state: ReportState | null | undefined }) {
  if (!state) return <Tag>未填报</Tag>;
  return <Tag color={reportStateColors[state]}>{reportStateLabels[state]}</Tag>;
}
