import { type ReportStatus, reportStatusLabels } from "@gongkai/core/domain";
import { Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { type EvidenceItem, EvidenceList } from "./shared.tsx";

/** What a revision stored when it was submitted (report_revisions.snapshot). */
export type Snapshot = {
  status: ReportStatus;
  percent: number;
  summary: string;
  blockedReason: string | null;
  occurredOn: string | null;
  evidence: (EvidenceItem & { id: number })[];
  contributions: { id: number; unitName: string; summary: string; percent: number }[];
};

export type Revision = {
  revision: number;
  snapshot?: unknown;
  submittedAt: string;
  submittedBy: string | null;
};

export const snapshotOf = (r: Revision) => r.snapshot as Snapshot;

const evidenceKey = (e: EvidenceItem) => (e.kind === "link" ? `l:${e.url}` : `f:${e.fileId}`);

type FieldRow = { key: string; label: string; a: React.ReactNode; b: React.ReactNode; changed: boolean };

/**
 * 版本对比: two submitted versions side by side, field by field; changed fields are highlighted,
 * evidence added in the newer version is green and evidence it dropped is red.
 */
export function ReportCompare({ revisions }: { revisions: Revision[] }) {
  const sorted = [...revisions].sort((x, y) => x.revision - y.revision);
  const last = sorted.at(-1)?.revision ?? 1;
  const [a, setA] = useState(sorted.at(-2)?.revision ?? last);
  const [b, setB] = useState(last);
  const ra = sorted.find((r) => r.revision === a);
  const rb = sorted.find((r) => r.revision === b);
  if (!ra || !rb) return null;
  const sa = snapshotOf(ra);
  const sb = snapshotOf(rb);
  const keysA = new Set(sa.evidence.map(evidenceKey));
  const keysB = new Set(sb.evidence.map(evidenceKey));
  const evChanged =
    keysA.size !== keysB.size ||
    [...keysA].some((k) => !keysB.has(k)) ||
    sa.evidence.some(
      (e) =>
        e.kind === "link" && sb.evidence.find((x) => evidenceKey(x) === evidenceKey(e))?.title !== e.title,
    );
  const contribA = sa.contributions
    .map((c) => c.id)
    .sort()
    .join(",");
  const contribB = sb.contributions
    .map((c) => c.id)
    .sort()
    .join(",");
  const text = (s: string | null | undefined) => (
    <div style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{s?.trim() ? s : "—"}</div>
  );
  const contributions = (s: Snapshot) =>
    s.contributions.length === 0 ? (
      "—"
    ) : (
      <Space orientation="vertical" size={2}>
        {s.contributions.map((c) => (
          <div key={c.id}>
            <Typography.Text strong>{c.unitName}</Typography.Text>({c.percent}%){c.summary}
          </div>
        ))}
      </Space>
    );
  const rows: FieldRow[] = [
    {
      key: "status",
      label: "进展状态",
      a: reportStatusLabels[sa.status],
      b: reportStatusLabels[sb.status],
      changed: sa.status !== sb.status,
    },
    {
      key: "percent",
      label: "完成进度",
      a: `${sa.percent}%`,
      b: `${sb.percent}%`,
      changed: sa.percent !== sb.percent,
    },
    {
      key: "summary",
      label: "进展情况",
      a: text(sa.summary),
      b: text(sb.summary),
      changed: sa.summary !== sb.summary,
    },
    ...(sa.blockedReason || sb.blockedReason
      ? [
          {
            key: "blocked",
            label: "无法完成原因",
            a: text(sa.blockedReason),
            b: text(sb.blockedReason),
            changed: (sa.blockedReason ?? "") !== (sb.blockedReason ?? ""),
          },
        ]
      : []),
    {
      key: "occurred",
      label: "开展日期",
      a: sa.occurredOn ?? "—",
      b: sb.occurredOn ?? "—",
      changed: (sa.occurredOn ?? "") !== (sb.occurredOn ?? ""),
    },
    {
      key: "evidence",
      label: "佐证材料",
      a: <EvidenceList items={sa.evidence} mark={(e) => (keysB.has(evidenceKey(e)) ? null : "removed")} />,
      b: <EvidenceList items={sb.evidence} mark={(e) => (keysA.has(evidenceKey(e)) ? null : "added")} />,
      changed: evChanged,
    },
    {
      key: "contrib",
      label: "配合单位材料",
      a: contributions(sa),
      b: contributions(sb),
      changed: contribA !== contribB,
    },
  ];
  const options = sorted.map((r) => ({
    value: r.revision,
    label: `第 ${r.revision} 版(${r.submittedAt.slice(0, 10)})`,
  }));
  const changedCount = rows.filter((r) => r.changed).length;
  return (
    <div data-testid="report-compare">
      <Space wrap style={{ marginBottom: 8 }}>
        <Select value={a} onChange={setA} options={options} style={{ width: 190 }} aria-label="对比版本" />
        <span>对比</span>
        <Select value={b} onChange={setB} options={options} style={{ width: 190 }} aria-label="被对比版本" />
        {a === b ? (
          <Typography.Text type="secondary">请选择两个不同的版本</Typography.Text>
        ) : (
          <Typography.Text type={changedCount ? "warning" : "secondary"}>
            {changedCount ? `${changedCount} 处变化` : "内容相同"}
          </Typography.Text>
        )}
      </Space>
      <Table<FieldRow>
        size="small"
        bordered
        rowKey="key"
        pagination={false}
        tableLayout="fixed"
        dataSource={rows}
        rowClassName={() => ""}
        onRow={(r) => ({ style: r.changed && a !== b ? { background: "#fffbe6" } : {} })}
        columns={[
          {
            title: "项目",
            dataIndex: "label",
            width: 110,
            render: (l: string, r) => (
              <Space orientation="vertical" size={0}>
                {l}
                {r.changed && a !== b && <Tag color="gold">有变化</Tag>}
              </Space>
            ),
          },
          { title: `第 ${a} 版`, dataIndex: "a", render: (v: React.ReactNode) => v },
          { title: `第 ${b} 版`, dataIndex: "b", render: (v: React.ReactNode) => v },
        ]}
      />
    </div>
  );
}
