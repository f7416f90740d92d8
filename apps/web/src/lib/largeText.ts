import { useSyncExternalStore } from "react";

/**
 * 大字模式 (适老化): a base font of 18 px and darker secondary text, switched from the header (or
 * the sign-in page) and remembered in this browser. The choice is an attribute on <html>: an
 * inline script in index.html sets it from localStorage before the first paint, so a page never
 * shows in small type first; the plain CSS (index.html, LoginPage.css) keys on the attribute and
 * antd's theme (AntdRoot.tsx) on `useLargeText()`. No antd here: the sign-in page uses it too.
 */
export const largeTextKey = "gongkai:large-text";
export const largeTextAttribute = "data-large-text";

const listeners = new Set<() => void>();

function stored(): boolean {
  try {
    return localStorage.getItem(largeTextKey) === "1";
  } catch {
    // Storage refused (a private window with storage off): the normal size.
    return false;
  }
}

/** Puts the attribute on <html> as stored (main.tsx, in case index.html's script did not run). */
export function applyStoredLargeText() {
  document.documentElement.toggleAttribute(largeTextAttribute, stored());
}

export const isLargeText = () => document.documentElement.hasAttribute(largeTextAttribute);

export function setLargeText(on: boolean) {
  try {
    if (on) localStorage.setItem(largeTextKey, "1");
    else localStorage.removeItem(largeTextKey);
  } catch {
    // Not remembered, but switched for this visit.
  }
  document.documentElement.toggleAttribute(largeTextAttribute, on);
  for (const l of listeners) l();
}

function subscribe(onChange: () => void) {
  listeners.add(onChange);
  // Switched in another tab of the same site: follow it.
  const onStorage = (e: StorageEvent) => {
    if (e.key !== largeTextKey) return;
    document.documentElement.toggleAttribute(largeTextAttribute, e.newValue === "1");
    onChange();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onStorage);
  };
}

/** Whether large text is on, and the switch. */
export function useLargeText(): [boolean, (on: boolean) => void] {
  return [useSyncExternalStore(subscribe, isLargeText, () => false), setLargeText];
}
