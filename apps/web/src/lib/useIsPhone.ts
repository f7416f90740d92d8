import { useSyncExternalStore } from "react";

/**
 * Narrower than antd's `md` breakpoint (768 px): a phone, held upright. Read from a media query
 * at the first render, so a phone never paints the desktop layout first.
 */
const phoneQuery = "(max-width: 767.98px)";

function subscribe(onChange: () => void) {
  const query = window.matchMedia(phoneQuery);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

const snapshot = () => window.matchMedia(phoneQuery).matches;

export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, snapshot, () => false);
}
