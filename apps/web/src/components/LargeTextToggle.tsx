import { Button } from "antd";
import { useLargeText } from "../lib/largeText.ts";

/**
 * 大字模式 on or off, in the red header (AppLayout, the public rankings): white on red when off,
 * red on white when on; a screen reader hears the state (aria-pressed).
 */
export function LargeTextToggle({ short }: { short?: boolean }) {
  const [large, setLarge] = useLargeText();
  return (
    <Button
      size="small"
      ghost={!large}
      aria-pressed={large}
      data-testid="large-text-toggle"
      title={large ? "恢复标准字号" : "放大字号、加深文字颜色"}
      onClick={() => setLarge(!large)}
      style={{
        flex: "none",
        ...(large ? { background: "#fff", color: "#b7242a", borderColor: "#fff" } : {}),
      }}
    >
      {short ? "大字" : "大字模式"}
    </Button>
  );
}
