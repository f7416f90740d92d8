import {
  CameraOutlined,
  DeleteOutlined,
  FileOutlined,
  PlusOutlined,
  UploadOutlined,
} from "@ant-design/icons";
import { App, Button, Form, Input, Space, Typography, Upload, type UploadProps } from "antd";
import { useRef, useState } from "react";
import { useIsPhone } from "../../lib/useIsPhone.ts";
import { fileUrl, fmtBytes } from "./shared.tsx";

export type UploadedFile = { fileId: number; fileName: string; sizeBytes: number; mimeType: string };
export type LinkValue = { url: string; title: string };

const maxBytes = 20 * 1024 * 1024;
/** The types the server keeps (it checks the bytes); the MIME types let a phone offer its photos. */
export const evidenceAccept = ".pdf,.ofd,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,image/jpeg,image/png";

/** Posts one file to /api/files; resolves with the stored file or rejects with the server's message. */
export async function uploadEvidence(file: File): Promise<UploadedFile> {
  const body = new FormData();
  body.append("file", file);
  let res: Response;
  try {
    res = await fetch("/api/files", { method: "POST", body, credentials: "same-origin" });
  } catch {
    throw new Error("网络连接中断,文件没有上传成功,请重试。");
  }
  const json = (await res.json().catch(() => null)) as
    | { id: number; fileName: string; mimeType: string; sizeBytes: number; error?: undefined }
    | { error: { message: string } }
    | null;
  if (!res.ok || !json || json.error) {
    throw new Error(json?.error?.message ?? `上传失败(HTTP ${res.status}),请稍后重试。`);
  }
  return { fileId: json.id, fileName: json.fileName, sizeBytes: json.sizeBytes, mimeType: json.mimeType };
}

/**
 * Uploaded evidence files as a form control: upload, list with size and download link, remove.
 * On a phone, 拍照 opens the camera (capture) and 选择文件 the phone's files and photos.
 */
export function FilesField({
  value = [],
  onChange,
  disabled,
}: {
  value?: UploadedFile[];
  onChange?: (v: UploadedFile[]) => void;
  disabled?: boolean;
}) {
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const [uploading, setUploading] = useState(0);
  // The latest list, for uploads finishing one after another.
  const latest = useRef(value);
  latest.current = value;
  const upload: UploadProps = {
    showUploadList: false,
    beforeUpload: (file) => {
      if (file.size > maxBytes) {
        message.error(`「${file.name}」超过 20 MB,请压缩或拆分后再上传。`);
        return Upload.LIST_IGNORE;
      }
      if (file.size === 0) {
        message.error(`「${file.name}」是空文件,请选择有内容的文件。`);
        return Upload.LIST_IGNORE;
      }
      return true;
    },
    customRequest: ({ file, onSuccess, onError }) => {
      setUploading((n) => n + 1);
      uploadEvidence(file as File)
        .then((stored) => {
          latest.current = [...latest.current.filter((x) => x.fileId !== stored.fileId), stored];
          onChange?.(latest.current);
          onSuccess?.(stored);
        })
        .catch((e: Error) => {
          message.error(e.message, 6);
          onError?.(e);
        })
        .finally(() => setUploading((n) => n - 1));
    },
  };
  return (
    <div>
      {value.length > 0 && (
        <Space orientation="vertical" size={4} style={{ width: "100%", marginBottom: 8 }}>
          {value.map((f) => (
            <div
              key={f.fileId}
              data-testid="evidence-file"
              style={{
                display: "flex",
                alignItems: "center",
                gap: 8,
                padding: "4px 8px",
                background: "#fafafa",
                border: "1px solid #f0f0f0",
                borderRadius: 4,
              }}
            >
              <FileOutlined />
              <a
                href={fileUrl(f.fileId)}
                download={f.fileName}
                style={{
                  flex: 1,
                  minWidth: 0,
                  overflow: "hidden",
                  textOverflow: "ellipsis",
                  whiteSpace: "nowrap",
                }}
                title={f.fileName}
              >
                {f.fileName}
              </a>
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: "nowrap" }}>
                {fmtBytes(f.sizeBytes)}
              </Typography.Text>
              {!disabled && (
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`移除 ${f.fileName}`}
                  onClick={() => onChange?.(value.filter((x) => x.fileId !== f.fileId))}
                />
              )}
            </div>
          ))}
        </Space>
      )}
      {!disabled &&
        (isPhone ? (
          <Space wrap>
            <Upload {...upload} accept="image/*" capture="environment" data-testid="evidence-camera-input">
              <Button icon={<CameraOutlined />} loading={uploading > 0} data-testid="evidence-camera">
                拍照
              </Button>
            </Upload>
            <Upload {...upload} accept={evidenceAccept} multiple data-testid="evidence-file-input">
              <Button icon={<UploadOutlined />} loading={uploading > 0} data-testid="evidence-upload">
                {uploading > 0 ? "正在上传…" : "选择文件"}
              </Button>
            </Upload>
          </Space>
        ) : (
          <Upload {...upload} accept={evidenceAccept} multiple data-testid="evidence-file-input">
            <Button icon={<UploadOutlined />} loading={uploading > 0} data-testid="evidence-upload">
              {uploading > 0 ? "正在上传…" : "上传文件"}
            </Button>
          </Upload>
        ))}
      {!disabled && (
        <Typography.Text type="secondary" style={{ display: "block", fontSize: 12, marginTop: 4 }}>
          支持 PDF、OFD、Word、Excel、JPG、PNG,单个文件不超过 20 MB;系统按文件内容核验类型。
        </Typography.Text>
      )}
    </div>
  );
}

const httpUrl = /^https?:\/\/[^\s/]+\.[^\s/]+/i;

/** Links to published pages: url (http/https) and a title, as a Form.List named `links`. */
export function LinksField({ disabled }: { disabled?: boolean }) {
  const isPhone = useIsPhone();
  return (
    <Form.List name="links">
      {(fields, { add, remove }) => (
        <div>
          {fields.map((field) => {
            const url = (
              <Form.Item
                name={[field.name, "url"]}
                noStyle
                rules={[
                  { required: true, whitespace: true, message: "请填写链接地址,或删除此行" },
                  {
                    validator: (_, v: string | undefined) =>
                      !v || httpUrl.test(v.trim())
                        ? Promise.resolve()
                        : Promise.reject(new Error("链接应以 http:// 或 https:// 开头")),
                  },
                ]}
              >
                <Input
                  placeholder="https://www.example.gov.cn/col/1.html"
                  style={{ width: isPhone ? "100%" : "58%" }}
                  inputMode="url"
                  data-testid="evidence-link-url"
                />
              </Form.Item>
            );
            const rest = (
              <>
                <Form.Item name={[field.name, "title"]} noStyle>
                  <Input placeholder="链接标题(如:目录公开页面)" data-testid="evidence-link-title" />
                </Form.Item>
                {!disabled && (
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label="删除链接"
                  />
                )}
              </>
            );
            // On a phone the address takes a line of its own, the title and 删除 the next.
            return isPhone ? (
              <div key={field.key} style={{ display: "grid", gap: 4, marginBottom: 8 }}>
                {url}
                <Space.Compact block>{rest}</Space.Compact>
              </div>
            ) : (
              <Space.Compact key={field.key} block style={{ marginBottom: 8 }}>
                {url}
                {rest}
              </Space.Compact>
            );
          })}
          {!disabled && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ url: "", title: "" })}
              data-testid="evidence-add-link"
            >
              添加公开页面链接
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}
