import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import "./print.css";
import { applyStoredLargeText } from "./lib/largeText.ts";

// 大字模式 as remembered: index.html's inline script has set it already, unless a proxy's stricter
// Content-Security-Policy stopped that script.
applyStoredLargeText();

// Pages load their code when first opened. After a new version is installed, a tab opened before
// asks for the old build's files, which are gone: load the page again, once, to get the new one.
window.addEventListener("vite:preloadError", (event) => {
  const key = "gongkai:reloaded-for-new-build";
  if (Date.now() - Number(sessionStorage.getItem(key) ?? 0) < 60_000) return; // tried: show the error
  sessionStorage.setItem(key, String(Date.now()));
  event.preventDefault();
  window.location.reload();
});

const root = document.getElementById("root");
if (!root) throw new Error("#root missing");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
