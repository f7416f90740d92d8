import { DownloadOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import { useState } from "react";
import { downloadBytes } from "../lib/download.ts";
import { errorMessage } from "../lib/trpc.ts";
import { buildWorkbook, type ExportColumn, exportFileName, localToday } from "../lib/xlsx-export.ts";

/**
 * 导出 Excel: the list as the page shows it (after its filters and sorting) as
 * `<名称>-<YYYY-MM-DD>.xlsx`. exceljs (a quarter of a megabyte) is fetched on the first click,
 * never with the page.
 */
export function ExportButton<T>({
  name,
  columns,
  rows,
  size,
}: {
  /** The file's and the sheet's name, e.g. 报告审核-待审核. */
  name: string;
  columns: ExportColumn<T>[];
  rows: readonly T[];
  size?: "small" | "middle";
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const { default: Excel } = await import("exceljs");
      const wb = buildWorkbook(Excel, name, columns, rows);
      downloadBytes(exportFileName(name, localToday()), await wb.xlsx.writeBuffer());
    } catch (e) {
      message.error(`导出失败:${errorMessage(e)}。请刷新页面后重试。`, 6);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      icon={<DownloadOutlined />}
      onClick={run}
      loading={busy}
      disabled={rows.length === 0}
      size={size}
      data-testid="export-excel"
      title={rows.length === 0 ? "列表为空,没有可导出的内容" : `导出当前列表的 ${rows.length} 行`}
    >
      导出 Excel
    </Button>
  );
}
