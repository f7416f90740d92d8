import { useCallback, useState } from "react";

/**
 * A key for one creating request (see `requestKey` in @gongkai/validators): sent with the form's
 * 提交, it makes a double click or a retry create once. `crypto.randomUUID` needs a secure context,
 * and an intranet server on plain http is not one, so random bytes are formatted as a UUID there.
 */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === "function" && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A form's request key, and a way to take a new one once the request it guarded has succeeded. */
export function useRequestKey(): [string, () => void] {
  const [key, setKey] = useState(newRequestKey);
  return [key, useCallback(() => setKey(newRequestKey()), [])];
}
