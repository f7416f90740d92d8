import { FileOutlined, LinkOutlined } from "@ant-design/icons";
import { chinaDateTime } from "@gongkai/core/reports";
import { Tag, Tooltip, Typography } from "antd";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type ProjectDetail = RouterOutputs["evaluation"]["get"];
export type EvaluationStatus = ProjectDetail["project"]["status"];
export type Leaf = ProjectDetail["leaves"][number];

export const statusLabels: Record<EvaluationStatus, string> = {
  setup: "设置中",
  scoring: "评分中",
  reconciling: "复核中",
  review: "结果公示中",
  published: "已发布",
};
const statusColors: Record<EvaluationStatus, string> = {
  setup: "default",
  scoring: "blue",
  reconciling: "orange",
  review: "purple",
  published: "green",
};

export function StatusTag({ status }: { status: EvaluationStatus }) {
  return <Tag color={statusColors[status]}>{statusLabels[status]}</Tag>;
}

/** A tier's name as shown: an empty tier is the single ranking of all units. */
export const tierLabel = (tier: string) => (tier === "" ? "综合排名" : tier);

/** Scores with at most two decimals, no trailing zeros. */
export const fmtScore = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : String(Math.round(x * 100) / 100);

export const fmtTime = (iso: string | null | undefined) => (iso ? chinaDateTime(new Date(iso)) : "—");

export const fileUrl = (id: number) => `/api/files/${id}`;

/** An uploaded file: the stored file's id and name. */
export type Uploaded = { id: number; fileName: string };

/** Posts one file to /api/files; resolves with the stored file or rejects with the server's message. */
export async function uploadFile(file: File): Promise<Uploaded> {
  const body = new FormData();
  body.append("file", file);
  let res: Response;
  try {
    res = await fetch("/api/files", { method: "POST", body, credentials: "same-origin" });
  } catch {
    throw new Error("网络连接中断,文件没有上传成功,请重试。");
  }
  const json = (await res.json().catch(() => null)) as
    | { id: number; fileName: string; error?: undefined }
    | { error: { message: string } }
    | null;
  if (!res.ok || !json || json.error) {
    throw new Error(json?.error?.message ?? `上传失败(HTTP ${res.status}),请稍后重试。`);
  }
  return { id: json.id, fileName: json.fileName };
}

/** Evidence of one rating: the page checked, the screenshot or file, when it was seen, the note. */
export function Evidence({
  e,
}: {
  e: {
    evidenceUrl: string | null;
    evidenceFileId: number | null;
    evidenceFileName: string | null;
    observedAt: string | null;
    note: string | null;
  };
}) {
  const empty = !e.evidenceUrl && !e.evidenceFileId && !e.note;
  if (empty) return <Typography.Text type="secondary">无佐证</Typography.Text>;
  return (
    <div style={{ minWidth: 0, maxWidth: "100%", overflow: "hidden" }}>
      {e.evidenceUrl && (
        <a href={e.evidenceUrl} target="_blank" rel="noreferrer" title={e.evidenceUrl} style={line}>
          <LinkOutlined /> {e.evidenceUrl.replace(/^https?:\/\//, "")}
        </a>
      )}
      {e.evidenceFileId && (
        <a href={fileUrl(e.evidenceFileId)} target="_blank" rel="noreferrer" style={line}>
          <FileOutlined /> {e.evidenceFileName ?? "佐证文件"}
        </a>
      )}
      {e.observedAt && (
        <span style={{ ...line, fontSize: 12, color: "rgba(0, 0, 0, 0.6)" }}>
          观察时间 {fmtTime(e.observedAt)}
        </span>
      )}
      {e.note && (
        <Tooltip title={e.note}>
          <span style={{ ...line, fontSize: 12 }}>备注:{e.note}</span>
        </Tooltip>
      )}
    </div>
  );
}

/** One line of a narrow cell, cut with an ellipsis. */
const line = {
  display: "block",
  whiteSpace: "nowrap",
  overflow: "hidden",
  textOverflow: "ellipsis",
} as const;

/** The indicator's place in the tree: 信息公开 / 主动公开. */
export const leafTitle = (l: { path: string[]; name: string }) => [...l.path, l.name].join(" / ");
