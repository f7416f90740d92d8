import type { Preview } from "./model.ts";

export type UploadProgress = { phase: "uploading"; percent: number } | { phase: "parsing" };

/** Same limit as the server (POST /api/imports/preview answers 413 above it). */
export const maxImportBytes = 10 * 1024 * 1024;
export const acceptedExtensions = [".docx", ".pdf", ".txt", ".html", ".htm", ".xlsx", ".csv"];

/**
 * POST /api/imports/preview with XMLHttpRequest rather than fetch, for real upload progress.
 * Resolves with the parsed preview; rejects with the server's message (Chinese) as written.
 */
export function requestPreview(
  body: { file: File } | { text: string },
  year: number | null,
  onProgress: (p: UploadProgress) => void,
): { promise: Promise<Preview>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Preview>((resolve, reject) => {
    const form = new FormData();
    if ("file" in body) form.append("file", body.file, body.file.name);
    else form.append("text", body.text);
    if (year) form.append("year", String(year));

    xhr.open("POST", "/api/imports/preview");
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0)
        onProgress({ phase: "uploading", percent: Math.min(100, Math.round((e.loaded / e.total) * 100)) });
    };
    // Everything is sent: the server is reading and parsing it now.
    xhr.upload.onload = () => onProgress({ phase: "parsing" });
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page, for instance
      }
      if (xhr.status >= 200 && xhr.status < 300 && json && typeof json === "object" && "plans" in json) {
        resolve(json as Preview);
        return;
      }
      const message =
        json && typeof json === "object" && "error" in json
          ? (json as { error?: { message?: unknown } }).error?.message
          : undefined;
      reject(
        new Error(
          typeof message === "string" && message
            ? message
            : xhr.status === 413
              ? "文件超过 10 MB,请拆分后再导入。"
              : `解析失败(HTTP ${xhr.status}),请稍后重试。`,
        ),
      );
    };
    xhr.onerror = () => reject(new Error("网络连接失败,请检查网络后重试。"));
    xhr.ontimeout = () => reject(new Error("解析超时,请稍后重试或拆分文件后再导入。"));
    xhr.onabort = () => reject(new DOMException("已取消", "AbortError"));
    onProgress({ phase: "uploading", percent: 0 });
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
