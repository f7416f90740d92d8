/**
 * The document as read, with what the parser recognised highlighted. Rendered as one element per
 * task span (not per character), each memoised: selecting a task re-renders two of them.
 */
import type { MarkKind } from "@gongkai/core";
import { memo, useEffect, useMemo, useRef } from "react";
import { type Preview, roleInk } from "./model.ts";

type Part = { text: string; kind: MarkKind | null };
type Segment =
  | { type: "plain"; key: string; text: string }
  | { type: "heading"; key: string; text: string }
  | { type: "task"; key: string; planIndex: number; parts: Part[] };

const markStyle: Record<MarkKind, React.CSSProperties> = {
  code: { background: "#e8f0fa", color: "#1f5fa8", fontWeight: 600, borderRadius: 2 },
  lead: {
    background: roleInk.lead.bg,
    color: roleInk.lead.fg,
    borderBottom: `2px solid ${roleInk.lead.line}`,
  },
  cooperating: {
    background: roleInk.cooperating.bg,
    color: roleInk.cooperating.fg,
    borderBottom: `2px solid ${roleInk.cooperating.line}`,
  },
  responsible: {
    background: roleInk.responsible.bg,
    color: roleInk.responsible.fg,
    borderBottom: `2px solid ${roleInk.responsible.line}`,
  },
  deadline: { background: "#fff7e6", color: "#ad4e00", borderBottom: "2px solid #fa8c16" },
};
export const markLabels: Record<MarkKind, string> = {
  code: "任务编号",
  lead: "牵头单位",
  cooperating: "配合单位",
  responsible: "责任单位",
  deadline: "完成时限",
};

export function MarkLegend() {
  return (
    <span style={{ display: "inline-flex", gap: 8, flexWrap: "wrap", fontSize: 12, fontWeight: "normal" }}>
      {(Object.keys(markLabels) as MarkKind[]).map((k) => (
        <span key={k} style={{ ...markStyle[k], padding: "0 4px" }}>
          {markLabels[k]}
        </span>
      ))}
    </span>
  );
}

/** Cut the text into plain runs and task spans; marks outside their task or overlapping are skipped. */
export function segmentsOf(preview: Preview): Segment[] {
  const { text } = preview;
  const tasks = preview.plans
    .flatMap((p, pi) => p.tasks.map((t, ti) => ({ t, key: `p${pi}-t${ti}`, planIndex: pi })))
    .sort((a, b) => a.t.span.start - b.t.span.start);
  const headings = preview.plans
    .flatMap((p) => p.sections.map((s) => s.span))
    .sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  /** Text between tasks, with the section headings in it set apart. */
  const plain = (from: number, to: number) => {
    let at = from;
    for (const h of headings) {
      if (h.start < at || h.end > to || h.end <= h.start) continue;
      if (h.start > at) out.push({ type: "plain", key: `s${at}`, text: text.slice(at, h.start) });
      out.push({ type: "heading", key: `h${h.start}`, text: text.slice(h.start, h.end) });
      at = h.end;
    }
    if (to > at) out.push({ type: "plain", key: `s${at}`, text: text.slice(at, to) });
  };
  let pos = 0;
  for (const { t, key, planIndex } of tasks) {
    const start = Math.max(t.span.start, pos);
    const end = Math.min(t.span.end, text.length);
    if (end <= start) continue;
    if (start > pos) plain(pos, start);
    const parts: Part[] = [];
    let at = start;
    for (const m of [...t.marks].sort((a, b) => a.start - b.start)) {
      if (m.start < at || m.end > end || m.end <= m.start) continue;
      if (m.start > at) parts.push({ text: text.slice(at, m.start), kind: null });
      parts.push({ text: text.slice(m.start, m.end), kind: m.kind });
      at = m.end;
    }
    if (at < end) parts.push({ text: text.slice(at, end), kind: null });
    out.push({ type: "task", key, planIndex, parts });
    pos = end;
  }
  if (pos < text.length) plain(pos, text.length);
  return out;
}

const TaskChunk = memo(function TaskChunk({
  taskKey,
  parts,
  selected,
  onSelect,
}: {
  taskKey: string;
  parts: Part[];
  selected: boolean;
  onSelect: (key: string) => void;
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the same task is reachable from the table
    // biome-ignore lint/a11y/noStaticElementInteractions: a text span that selects its row
    <span
      data-task={taskKey}
      onClick={() => onSelect(taskKey)}
      style={{
        cursor: "pointer",
        borderRadius: 3,
        background: selected ? "#fffbe6" : undefined,
        outline: selected ? "2px solid #faad14" : undefined,
        outlineOffset: 1,
      }}
      className="gk-import-task"
    >
      {parts.map((p, i) =>
        p.kind ? (
          <mark key={i} style={markStyle[p.kind]} title={markLabels[p.kind]} data-mark={p.kind}>
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </span>
  );
});

const PlainChunk = memo(function PlainChunk({ text }: { text: string }) {
  return <span style={{ color: "rgba(0, 0, 0, 0.6)" }}>{text}</span>;
});

export const SourcePane = memo(function SourcePane({
  preview,
  selectedKey,
  scrollTo,
  onSelect,
  height,
  startKey,
}: {
  preview: Preview;
  /** A task to show first (the first task of the plan whose tab this pane is in). */
  startKey?: string | undefined;
  selectedKey: string | null;
  /** Bumped when the table asks the source to show `selectedKey`. */
  scrollTo: number;
  onSelect: (key: string) => void;
  height: string;
}) {
  const segments = useMemo(() => segmentsOf(preview), [preview]);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    const target = startKey ? el?.querySelector<HTMLElement>(`[data-task="${startKey}"]`) : null;
    if (!el || !target) return;
    el.scrollTop = Math.max(0, target.getBoundingClientRect().top - el.getBoundingClientRect().top - 120);
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || !selectedKey || scrollTo === 0) return;
    const target = el.querySelector<HTMLElement>(`[data-task="${selectedKey}"]`);
    if (!target) return;
    const top = target.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 48;
    el.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
  }, [scrollTo]);

  return (
    <div
      ref={box}
      data-testid="import-source"
      style={{
        height,
        overflow: "auto",
        whiteSpace: "pre-wrap",
        wordBreak: "break-word",
        lineHeight: 1.9,
        fontSize: 14,
        padding: "8px 12px",
        background: "#fff",
        border: "1px solid #f0f0f0",
        borderRadius: 4,
      }}
    >
      <style>{".gk-import-task:hover{background:#f5f9ff}mark{padding:0 1px}"}</style>
      {segments.map((s) =>
        s.type === "plain" ? (
          <PlainChunk key={s.key} text={s.text} />
        ) : s.type === "heading" ? (
          <strong key={s.key} style={{ color: "#262626" }}>
            {s.text}
          </strong>
        ) : (
          <TaskChunk
            key={s.key}
            taskKey={s.key}
            parts={s.parts}
            selected={s.key === selectedKey}
            onSelect={onSelect}
          />
        ),
      )}
    </div>
  );
});
