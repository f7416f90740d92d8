/**
 * Hostile uploads: files small on the wire that unpack to hundreds of megabytes, sheets stretched
 * to XFD1048576, archives whose directory lies about sizes, and files that would take a reader
 * minutes. Each is refused with a Chinese message before a library unpacks it, or, where only
 * reading shows it, stopped in the worker thread (./isolated.ts) while the caller goes on.
 * Files are made with real libraries (docx, JSZip, ExcelJS); no time bound is asserted here
 * (speed lives in `pnpm bench`), only that the refusal comes and says what to do.
 */
import { DomainError } from "@gongkai/core";
import { Document, Packer, Paragraph } from "docx";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readDocument, readDocumentIsolated } from "../../src/index.ts";
import { inspectZip } from "../../src/zip.ts";

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("the file was read");
}

const smallDocx = async () =>
  new Uint8Array(
    await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("一、公开决策。")] }] })),
  );

/** A real .docx whose document.xml is replaced by `size` bytes of repeated XML (a zip bomb). */
async function docxBomb(size: number): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(await smallDocx());
  const unit = "<w:p><w:r><w:t>一、公开决策。</w:t></w:r></w:p>";
  const body = Buffer.alloc(size, unit);
  zip.file("word/document.xml", body);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
}

/** The zip's central directory (and local header) claiming `claimed` bytes for `name`. */
function lieAboutSize(bytes: Uint8Array, name: string, claimed: number): Uint8Array {
  const b = Buffer.from(bytes);
  const nameBytes = Buffer.from(name);
  for (let i = 0; i + 46 < b.length; i++) {
    const sig = b.readUInt32LE(i);
    if (sig === 0x02014b50 && b.subarray(i + 46, i + 46 + nameBytes.length).equals(nameBytes))
      b.writeUInt32LE(claimed, i + 24);
    if (sig === 0x04034b50 && b.subarray(i + 30, i + 30 + nameBytes.length).equals(nameBytes))
      b.writeUInt32LE(claimed, i + 22);
  }
  return new Uint8Array(b);
}

describe("zip bombs are refused before anything unpacks them", { timeout: 60_000 }, () => {
  it("a small .docx whose document unpacks to 80 MB", async () => {
    const bomb = await docxBomb(80 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const e = await refusal(readDocument(bomb, "要点.docx"));
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e.message).toMatch(/解压后超过.*未予读取/);
  });

  it("a .docx whose directory says its document is 100 bytes while it unpacks to 20 MB", async () => {
    const liar = lieAboutSize(await docxBomb(20 * 1024 * 1024), "word/document.xml", 100);
    const r = inspectZip(liar);
    expect(r.ok).toBe(false);
    const e = await refusal(readDocument(liar, "要点.docx"));
    expect(["PAYLOAD_TOO_LARGE", "INVALID_INPUT"]).toContain(e.code);
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("a 6 KB .xlsx with one cell at XFD1048576", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("任务").getCell("XFD1048576").value = "x";
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(bytes.length).toBeLessThan(16 * 1024);
    const e = await refusal(readDocument(bytes, "分工.xlsx"));
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e.message).toContain("1048576 行");
  });

  it("an .xlsx of 120,000 rows", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("单位");
    for (let r = 1; r <= 120_000; r++) ws.getCell(r, 1).value = r;
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const e = await refusal(readDocument(bytes, "单位.xlsx"));
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e.message).toMatch(/工作表.*行/);
  });

  it("reads an ordinary .docx as before (the checks cost nothing to a real file)", async () => {
    const doc = await readDocument(await smallDocx(), "要点.docx");
    expect(doc.kind === "text" && doc.text).toBe("一、公开决策。");
  });
});

describe("uploads read in a worker thread", { timeout: 120_000 }, () => {
  it("reads a file there and returns what the calling thread would read", async () => {
    const bytes = await smallDocx();
    expect(await readDocumentIsolated(bytes, "要点.docx")).toEqual(await readDocument(bytes, "要点.docx"));
  });

  it("stops a reader that runs past its memory cap, and the caller goes on", async () => {
    // 60,000 rows pass the size checks, but ExcelJS needs far more than 24 MB of heap for them.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("任务");
    for (let r = 1; r <= 60_000; r++) ws.addRow([r, `第${r}项任务的内容`, "县政府办", "6月底前"]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const e = await refusal(readDocumentIsolated(bytes, "分工.xlsx", { memoryMb: 24 }));
    clearInterval(timer);
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e.message).toContain("内存");
    // The calling thread kept running its own timers while the worker worked.
    expect(ticks).toBeGreaterThan(0);
  });

  it("stops a reader that runs past its time limit", async () => {
    const e = await refusal(readDocumentIsolated(await smallDocx(), "要点.docx", { timeoutMs: 1 }));
    expect(e.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e.message).toMatch(/秒内未能读完/);
  });

  it("refuses more uploads than it has room to queue, in Chinese, instead of piling them up", async () => {
    const bytes = await smallDocx();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => readDocumentIsolated(bytes, "要点.docx", { concurrency: 1, queue: 2 })),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      const e = (r as PromiseRejectedResult).reason as DomainError;
      expect(e.code).toBe("TOO_MANY_REQUESTS");
      expect(e.message).toContain("请稍候");
    }
  });
});
