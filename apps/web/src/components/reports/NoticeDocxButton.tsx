import { FileWordOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import { useState } from "react";
import { downloadBase64 } from "../../lib/download.ts";
import { errorMessage, useTRPCClient } from "../../lib/trpc.ts";

/** 督办通知单: the notice as a Word document in 公文 layout, to print, sign and file. */
export function NoticeDocxButton({ noticeId }: { noticeId: number }) {
  const client = useTRPCClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const file = await client.supervision.noticeDocx.query({ id: noticeId });
      downloadBase64(file.fileName, file.contentBase64);
    } catch (e) {
      message.error(errorMessage(e), 6);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      type="link"
      icon={<FileWordOutlined />}
      loading={busy}
      onClick={download}
      data-testid={`notice-docx-${noticeId}`}
      style={{ paddingInline: 0 }}
    >
      通知单
    </Button>
  );
}
