/**
 * Tab in an open drawer or modal goes round inside it. antd locks the focus in (and gives it back
 * to the opener on closing), but from the last control a Tab first leaves the page for the
 * browser's own bar, one press later comes back: a keyboard user lost for a step. Here the step
 * past the last control goes to the first (and Shift+Tab before the first to the last).
 */
const dialogs = ".ant-drawer.ant-drawer-open, .ant-modal-wrap";
const tabbable =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const shown = (e: Element) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";

function onKeyDown(e: KeyboardEvent) {
  if (e.key !== "Tab" || e.defaultPrevented) return;
  // The dialog opened last is the one on top (each is added at the end of the page).
  const top = [...document.querySelectorAll(dialogs)].filter(shown).pop();
  if (!top) return;
  const controls = [...top.querySelectorAll<HTMLElement>(tabbable)].filter(
    (c) => c.tabIndex >= 0 && shown(c) && !c.closest("[inert], [aria-hidden='true']"),
  );
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  const at = document.activeElement;
  if (!e.shiftKey && (at === last || !top.contains(at))) {
    e.preventDefault();
    first.focus();
  } else if (e.shiftKey && (at === first || at === top)) {
    e.preventDefault();
    last.focus();
  }
}

let installed = false;
export function installDialogTabTrap() {
  if (installed) return;
  installed = true;
  window.addEventListener("keydown", onKeyDown);
}
