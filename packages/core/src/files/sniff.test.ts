import { describe, expect, it } from "vitest";
import { claimedExtension, safeFileName, sniffFileType } from "./sniff.ts";

const bytes = (...xs: number[]) => new Uint8Array(xs);
const ascii = (s: string) => new TextEncoder().encode(s);
const zipWith = (part: string) =>
  new Uint8Array([...bytes(0x50, 0x4b, 0x03, 0x04), ...ascii(`....${part}....`)]);

describe("file types from bytes", () => {
  it("recognises each evidence type by its signature, not its name", () => {
    expect(sniffFileType(ascii("%PDF-1.7\n"))?.ext).toBe("pdf");
    expect(sniffFileType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))?.ext).toBe("png");
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xe0))?.ext).toBe("jpg");
    expect(sniffFileType(zipWith("word/document.xml"))?.ext).toBe("docx");
    expect(sniffFileType(zipWith("xl/workbook.xml"))?.ext).toBe("xlsx");
    expect(sniffFileType(zipWith("OFD.xml"))?.ext).toBe("ofd");
    const ole = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...[..."WordDocument"].flatMap((c) => [c.charCodeAt(0), 0]),
    ]);
    expect(sniffFileType(ole)?.ext).toBe("doc");
  });

  it("refuses executables, plain zips, text and empty files", () => {
    expect(sniffFileType(bytes(0x4d, 0x5a, 0x90, 0x00))).toBeNull();
    expect(sniffFileType(zipWith("random.bin"))).toBeNull();
    expect(sniffFileType(ascii("just text"))).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });

  it("reads the claimed extension and strips paths and control characters from names", () => {
    expect(claimedExtension("照片.JPEG")).toBe("jpg");
    expect(claimedExtension("无扩展名")).toBe("");
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName("C:\\docs\\报告\u0000.pdf")).toBe("报告.pdf");
    expect(safeFileName("...")).toBe("file");
  });
});
