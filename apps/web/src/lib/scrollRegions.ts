import { useCallback, useRef } from "react";

/**
 * A table wider than its card (on a phone, most are) scrolls sideways in antd's own box, which a
 * keyboard cannot reach when the table has no link or button inside: such boxes are made
 * focusable (Tab to it, then the arrow keys scroll), as WCAG 2.1.1 asks and axe checks.
 */
const boxes = ".ant-table-content, .ant-table-body";
const focusable = "a[href], button, input, select, textarea, [tabindex]";

function mark(root: HTMLElement) {
  // antd's hidden row that measures a wide table's columns repeats their titles, a header
  // checkbox among them: out of the Tab order, as it is out of what a screen reader reads.
  for (const row of root.querySelectorAll<HTMLElement>(".ant-table-measure-row")) row.inert = true;
  for (const box of root.querySelectorAll<HTMLElement>(boxes)) {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex") && !box.querySelector(focusable)) box.tabIndex = 0;
  }
}

/** A callback ref for the element whose tables are watched (the layout's content). */
export function useFocusableScrollRegions() {
  const stop = useRef<(() => void) | null>(null);
  return useCallback((root: HTMLElement | null) => {
    stop.current?.();
    stop.current = null;
    if (!root) return;
    let frame = 0;
    const later = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          mark(root);
        });
    };
    later();
    const observer = new MutationObserver(later);
    observer.observe(root, { childList: true, subtree: true });
    window.addEventListener("resize", later);
    stop.current = () => {
      observer.disconnect();
      window.removeEventListener("resize", later);
      cancelAnimationFrame(frame);
    };
  }, []);
}
