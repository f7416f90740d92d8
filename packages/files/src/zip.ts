/**
 * A look inside a .docx / .xlsx before any library unpacks it, so that a small file that unpacks
 * to hundreds of megabytes (a "zip bomb") or a sheet stretched to XFD1048576 is refused in
 * milliseconds instead of taking the server's memory.
 *
 * - The central directory is read from the end of the file: entry count, names, declared sizes.
 * - Every entry is then inflated with a cap at its declared size and at what is left of the
 *   budget, so an archive whose directory lies about its sizes is caught too (zlib stops at the
 *   cap instead of producing the rest).
 * - Worksheets: the used range (`<dimension ref="A1:XFD1048576"/>`) and the cells actually
 *   present are counted on the unpacked XML.
 * ZIP64 archives and compression methods other than stored / deflate are refused: Word, WPS and
 * Excel never write them for documents of this size.
 */
import { inflateRawSync } from "node:zlib";

export type ZipLimits = {
  /** Bytes all entries may unpack to together. */
  maxUnpacked: number;
  maxEntries: number;
  /** Rows and columns a worksheet's used range may span, and cells it may hold. */
  maxRows: number;
  maxColumns: number;
  maxCells: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUnpacked: 64 * 1024 * 1024,
  maxEntries: 2_000,
  maxRows: 100_000,
  maxColumns: 1_000,
  maxCells: 1_000_000,
};

export type ZipProblem =
  | { kind: "damaged" }
  | { kind: "tooManyEntries"; entries: number }
  | { kind: "tooLarge"; unpacked: number }
  | { kind: "sheetTooLarge"; sheet: string; rows: number; columns: number; cells: number };

export type ZipSummary = { entries: number; unpacked: number; names: string[] };

export type ZipInspection = { ok: true; summary: ZipSummary } | { ok: false; problem: ZipProblem };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

type Entry = { name: string; method: number; compressed: number; size: number; local: number };

function centralDirectory(b: Buffer): Entry[] | null {
  // The end record is in the last 22 + 65,535 bytes (a comment may follow it).
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = b.readUInt16LE(end + 10);
  const size = b.readUInt32LE(end + 12);
  const offset = b.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null; // ZIP64
  if (offset + size > b.length) return null;
  const out: Entry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== CENTRAL) return null;
    const method = b.readUInt16LE(at + 10);
    const compressed = b.readUInt32LE(at + 20);
    const uncompressed = b.readUInt32LE(at + 24);
    const nameLength = b.readUInt16LE(at + 28);
    const extra = b.readUInt16LE(at + 30);
    const comment = b.readUInt16LE(at + 32);
    const local = b.readUInt32LE(at + 42);
    if (compressed === 0xffffffff || uncompressed === 0xffffffff || local === 0xffffffff) return null;
    const name = b.toString("utf8", at + 46, at + 46 + nameLength);
    out.push({ name, method, compressed, size: uncompressed, local });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

function entryData(b: Buffer, e: Entry): Buffer | null {
  if (e.local + 30 > b.length || b.readUInt32LE(e.local) !== LOCAL) return null;
  const from = e.local + 30 + b.readUInt16LE(e.local + 26) + b.readUInt16LE(e.local + 28);
  if (from + e.compressed > b.length) return null;
  return b.subarray(from, from + e.compressed);
}

/** Column letters → number (A → 1, XFD → 16384). */
function columnNumber(letters: string): number {
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

function cellRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref);
  return m ? { col: columnNumber(m[1] as string), row: Number(m[2]) } : null;
}

/** A worksheet's used range and cell count, from its XML. */
function sheetSize(xml: Buffer): { rows: number; columns: number; cells: number } {
  const head = xml.toString("latin1", 0, Math.min(xml.length, 4096));
  let rows = 0;
  let columns = 0;
  const dim = /<(?:\w+:)?dimension\s+ref="([^"]+)"/.exec(head);
  if (dim) {
    const last = (dim[1] as string).split(":").pop() as string;
    const ref = cellRef(last);
    if (ref) {
      rows = ref.row;
      columns = ref.col;
    }
  }
  // Cells present: every <c …> element (bounded scan over bytes already held).
  let cells = 0;
  for (let i = xml.indexOf("<c ", 0, "latin1"); i >= 0; i = xml.indexOf("<c ", i + 3, "latin1")) cells++;
  return { rows, columns, cells };
}

export function inspectZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipInspection {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 22) return { ok: false, problem: { kind: "damaged" } };
  const entries = centralDirectory(b);
  if (!entries) return { ok: false, problem: { kind: "damaged" } };
  if (entries.length > limits.maxEntries) {
    return { ok: false, problem: { kind: "tooManyEntries", entries: entries.length } };
  }
  const declared = entries.reduce((s, e) => s + e.size, 0);
  if (declared > limits.maxUnpacked) return { ok: false, problem: { kind: "tooLarge", unpacked: declared } };
  let unpacked = 0;
  for (const e of entries) {
    const data = entryData(b, e);
    if (!data) return { ok: false, problem: { kind: "damaged" } };
    let out: Buffer;
    if (e.method === 0) {
      out = data;
    } else if (e.method === 8) {
      // Never more than the entry says, nor more than the budget left: a lying directory stops here.
      const cap = Math.max(1, Math.min(e.size, limits.maxUnpacked - unpacked) + 1);
      try {
        out = inflateRawSync(data, { maxOutputLength: cap });
      } catch (err) {
        if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
          return { ok: false, problem: { kind: "tooLarge", unpacked: unpacked + cap } };
        }
        return { ok: false, problem: { kind: "damaged" } };
      }
    } else {
      return { ok: false, problem: { kind: "damaged" } };
    }
    if (out.length !== e.size) return { ok: false, problem: { kind: "damaged" } };
    unpacked += out.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(e.name)) {
      const s = sheetSize(out);
      if (s.rows > limits.maxRows || s.columns > limits.maxColumns || s.cells > limits.maxCells) {
        const sheet = e.name.replace(/^xl\/worksheets\//, "").replace(/\.xml$/, "");
        return { ok: false, problem: { kind: "sheetTooLarge", sheet, ...s } };
      }
    }
  }
  return { ok: true, summary: { entries: entries.length, unpacked, names: entries.map((e) => e.name) } };
}
