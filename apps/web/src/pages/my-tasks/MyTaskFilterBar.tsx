import { SearchOutlined } from "@ant-design/icons";
import type { CSSProperties } from "react";
import type { MyTaskFilter } from "./filters.ts";

/**
 * Year, plan and keyword above a unit's task list. The browser's own select and text box, styled
 * like antd's: on a phone the select opens the system's picker, and antd's Select (20 kB with its
 * virtual list) would push this page past its budget of JavaScript.
 */
const control: CSSProperties = {
  height: 32,
  border: "1px solid #d9d9d9",
  borderRadius: 6,
  background: "#fff",
  fontSize: 14,
  padding: "0 8px",
  color: "rgba(0,0,0,0.88)",
  minWidth: 0,
};

export function MyTaskFilterBar({
  filter,
  year,
  years,
  plans,
  onChange,
}: {
  filter: MyTaskFilter;
  /** The year shown (the default one when the address names none). */
  year: number | "all";
  years: number[];
  /** The plans of the year shown (of every year when all are shown). */
  plans: { id: number; label: string }[];
  onChange: (patch: Partial<MyTaskFilter>) => void;
}) {
  return (
    <div
      style={{ display: "flex", flexWrap: "wrap", gap: 8, marginTop: 12, marginBottom: 4 }}
      data-testid="my-task-filters"
    >
      <select
        aria-label="年度"
        value={String(year)}
        onChange={(e) =>
          onChange({ year: e.target.value === "all" ? "all" : Number(e.target.value), planId: null })
        }
        style={{ ...control, flex: "0 0 auto" }}
        data-testid="filter-year"
      >
        {years.map((y) => (
          <option key={y} value={y}>
            {y}年
          </option>
        ))}
        <option value="all">全部年度</option>
      </select>
      {plans.length > 1 && (
        <select
          aria-label="工作要点"
          value={filter.planId ?? ""}
          onChange={(e) => onChange({ planId: e.target.value ? Number(e.target.value) : null })}
          style={{ ...control, flex: "1 1 200px", maxWidth: 360 }}
          data-testid="filter-plan"
        >
          <option value="">全部工作要点({plans.length} 份)</option>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      )}
      <span style={{ position: "relative", flex: "1 1 180px", maxWidth: 320, display: "flex" }}>
        <SearchOutlined
          aria-hidden
          style={{ position: "absolute", left: 9, top: 9, color: "#8c8c8c", pointerEvents: "none" }}
        />
        <input
          type="search"
          aria-label="按编号或任务名称筛选"
          placeholder="编号或任务名称"
          value={filter.q}
          maxLength={50}
          onChange={(e) => onChange({ q: e.target.value })}
          style={{ ...control, width: "100%", paddingLeft: 28 }}
          data-testid="filter-keyword"
        />
      </span>
    </div>
  );
}
