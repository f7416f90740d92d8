import { Result } from "antd";

/** 下级进展汇总 (issue 17, item 4): being built. */
export function RollupPage() {
  return <Result status="info" title="下级进展汇总即将提供" />;
}
