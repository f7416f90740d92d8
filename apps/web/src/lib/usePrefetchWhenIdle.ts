import { useEffect } from "react";

/**
 * Fetches a lazily loaded module once the page is idle, so that the tap that needs it seldom
 * waits; `when: false` skips it (e.g. code only a phone uses, on a desktop).
 */
export function usePrefetchWhenIdle(load: () => Promise<unknown>, when = true) {
  useEffect(() => {
    if (!when) return;
    const prefetch = () => {
      load().catch(() => {
        // Fetched again (and any error shown) where the module is used.
      });
    };
    // Safari has no requestIdleCallback.
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(prefetch, { timeout: 5000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = window.setTimeout(prefetch, 2000);
    return () => window.clearTimeout(id);
  }, [load, when]);
}
