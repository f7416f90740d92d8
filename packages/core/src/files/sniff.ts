/**
 * What a file is, read from its bytes (never from its name). Evidence (佐证材料) may be pdf, ofd,
 * doc/docx, xls/xlsx, jpg or png. Office Open XML and OFD are zip archives told apart by the
 * names of their parts; .doc and .xls share the OLE compound-file header.
 */
export type SniffedType = {
  /** Canonical extension. */
  ext: "pdf" | "ofd" | "docx" | "xlsx" | "doc" | "xls" | "jpg" | "png";
  mimeType: string;
  label: string;
};

const types: Record<SniffedType["ext"], Omit<SniffedType, "ext">> = {
  pdf: { mimeType: "application/pdf", label: "PDF 文档" },
  ofd: { mimeType: "application/ofd", label: "OFD 版式文件" },
  docx: {
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "Word 文档",
  },
  xlsx: {
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "Excel 表格",
  },
  doc: { mimeType: "application/msword", label: "Word 97-2003 文档" },
  xls: { mimeType: "application/vnd.ms-excel", label: "Excel 97-2003 表格" },
  jpg: { mimeType: "image/jpeg", label: "JPEG 图片" },
  png: { mimeType: "image/png", label: "PNG 图片" },
};

export const evidenceExtensions = Object.keys(types) as SniffedType["ext"][];

const startsWith = (bytes: Uint8Array, sig: number[], offset = 0) =>
  sig.every((b, i) => bytes[offset + i] === b);

/** Latin-1 view of a slice, to look for part names inside a zip's local headers and directory. */
function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = Math.max(0, from); i < Math.min(bytes.length, to); i++)
    s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

function sniffZip(bytes: Uint8Array): SniffedType["ext"] | null {
  // Part names appear in the local file headers (start) and the central directory (end).
  const names = ascii(bytes, 0, 64 * 1024) + ascii(bytes, bytes.length - 256 * 1024, bytes.length);
  if (names.includes("OFD.xml")) return "ofd";
  if (names.includes("word/")) return "docx";
  if (names.includes("xl/")) return "xlsx";
  return null;
}

function sniffOle(bytes: Uint8Array): SniffedType["ext"] | null {
  // The stream names are UTF-16 in the directory sectors: look for "WordDocument" / "Workbook".
  const utf16 = (s: string) => [...s].flatMap((c) => [c.charCodeAt(0), 0]);
  const has = (sig: number[]) => {
    outer: for (let i = 0; i + sig.length <= bytes.length; i++) {
      for (let j = 0; j < sig.length; j++) if (bytes[i + j] !== sig[j]) continue outer;
      return true;
    }
    return false;
  };
  if (has(utf16("WordDocument"))) return "doc";
  if (has(utf16("Workbook")) || has(utf16("Book"))) return "xls";
  return null;
}

export function sniffFileType(bytes: Uint8Array): SniffedType | null {
  let ext: SniffedType["ext"] | null = null;
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]))
    ext = "pdf"; // %PDF-
  else if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ext = "png";
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) ext = "jpg";
  else if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) ext = sniffZip(bytes);
  else if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) ext = sniffOle(bytes);
  return ext ? { ext, ...types[ext] } : null;
}

/** The extension a file name claims, lower-cased (jpeg counts as jpg). */
export function claimedExtension(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName.trim());
  const ext = (m?.[1] ?? "").toLowerCase();
  return ext === "jpeg" ? "jpg" : ext;
}

/** A file name safe to show and to send in Content-Disposition: no path, no control characters. */
export function safeFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const printable = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f).join("");
  const clean = printable.replace(/^\.+/, "").trim();
  return clean.slice(0, 200) || "file";
}
