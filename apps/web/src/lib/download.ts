/** Base64 content (as the API sends generated files) → bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const mimeByExt: Record<string, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
  csv: "text/csv",
};

/** Saves base64 content as a file in the browser's downloads, under the given name. */
export function downloadBase64(fileName: string, base64: string, mimeType?: string) {
  downloadBytes(fileName, base64ToBytes(base64), mimeType);
}

/** Saves bytes made in the browser (or received) as a file in the browser's downloads. */
export function downloadBytes(fileName: string, bytes: BlobPart, mimeType?: string) {
  const ext = fileName.split(".").pop()?.toLowerCase() ?? "";
  const blob = new Blob([bytes], { type: mimeType ?? mimeByExt[ext] ?? "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
