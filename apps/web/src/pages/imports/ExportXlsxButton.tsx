import { DownloadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App, Button } from "antd";
import { useState } from "react";
import { downloadBase64 } from "../../lib/download.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";

/** 导出任务分工表: the plan as a task-division .xlsx that imports back to the same tasks. */
export function ExportXlsxButton({ planId }: { planId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const file = await queryClient.fetchQuery({
        ...trpc.imports.exportXlsx.queryOptions({ id: planId }),
        staleTime: 0,
      });
      downloadBase64(file.fileName, file.contentBase64);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} onClick={run} loading={busy} data-testid="export-xlsx">
      导出任务分工表
    </Button>
  );
}
