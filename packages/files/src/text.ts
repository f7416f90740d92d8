/**
 * Bytes of a text file → text. In order:
 * - a BOM (UTF-8, UTF-16 LE/BE) — unless what follows it is not that encoding: editors put a UTF-8
 *   BOM before GBK bytes, and a UTF-16 BOM before GBK text reads as Hangul and Arabic forms; then
 *   the BOM is dropped and the bytes are read as below;
 * - UTF-16 without a BOM (every other byte zero);
 * - valid UTF-8;
 * - else the legacy Chinese encoding chardet finds likelier: Big5 (Taiwan, Hong Kong, and
 *   Traditional mirrors) or GB18030 (which contains GBK and GB2312, the usual encodings of
 *   government files). GB18030 decodes any byte sequence, so Big5 text read as GB18030 gives
 *   plausible-looking nonsense with no error: the statistics decide, not decoding errors. Short
 *   texts that chardet cannot tell apart stay GB18030.
 * A file with NUL or other control bytes in it is binary (see binaryShare).
 */
import chardet from "chardet";
import iconv from "iconv-lite";

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030" | "big5";
export type Decoded = { text: string; encoding: Encoding };

function looksUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  // ASCII-heavy UTF-16 has a zero in every other byte; CJK-heavy text has few zeros, but no
  // real 8-bit text has zeros in a third of its odd or even bytes.
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return "utf-16le";
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return "utf-16be";
  return null;
}

/**
 * Share of characters a Chinese text is made of: CJK ideographs, ASCII, CJK and full-width
 * punctuation, whitespace. Near 1 for real text; GBK bytes read as UTF-16 land mostly elsewhere.
 */
export function plausibleShare(text: string): number {
  const n = Math.min(text.length, 4000);
  if (n === 0) return 1;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (
      (c >= 0x20 && c < 0x7f) ||
      c === 9 ||
      c === 10 ||
      c === 13 ||
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0x3000 && c <= 0x303f) ||
      (c >= 0xff00 && c <= 0xffef) ||
      (c >= 0x2000 && c <= 0x206f) ||
      c === 0xa0 ||
      c === 0xb7 ||
      c === 0xfeff
    )
      ok++;
  }
  return ok / n;
}

function legacy(bytes: Uint8Array): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scores = new Map<string, number>();
  for (const m of chardet.analyse(buf)) scores.set(m.name, m.confidence);
  const big5 = scores.get("Big5") ?? 0;
  const gb = scores.get("GB18030") ?? 0;
  if (big5 > gb && big5 >= 50) return { text: iconv.decode(buf, "big5"), encoding: "big5" };
  return { text: iconv.decode(buf, "gb18030"), encoding: "gb18030" };
}

function withoutBom(bytes: Uint8Array): Decoded {
  const wide = looksUtf16(bytes);
  if (wide === "utf-16le") return { text: new TextDecoder("utf-16le").decode(bytes), encoding: wide };
  if (wide === "utf-16be") return { text: iconv.decode(Buffer.from(bytes), "utf-16be"), encoding: wide };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return legacy(bytes);
  }
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const rest = bytes.subarray(3);
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(rest), encoding: "utf-8" };
    } catch {
      return withoutBom(rest);
    }
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const le = bytes[0] === 0xff;
    const rest = bytes.subarray(2);
    const text = le ? new TextDecoder("utf-16le").decode(rest) : iconv.decode(Buffer.from(rest), "utf-16be");
    if (plausibleShare(text) >= 0.9) return { text, encoding: le ? "utf-16le" : "utf-16be" };
    const other = withoutBom(rest);
    return plausibleShare(other.text) > plausibleShare(text)
      ? other
      : { text, encoding: le ? "utf-16le" : "utf-16be" };
  }
  return withoutBom(bytes);
}

/** Bytes in a named encoding (an HTML page's declared charset), or null when it is not one iconv knows. */
export function decodeAs(bytes: Uint8Array, charset: string): Decoded | null {
  const name = charset.toLowerCase();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (name === "utf-8" || name === "utf8") {
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(buf), encoding: "utf-8" };
    } catch {
      return null;
    }
  }
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn)$/.test(name)) {
    return { text: iconv.decode(buf, "gb18030"), encoding: "gb18030" };
  }
  if (/^(big5|big5-hkscs|x-x-big5|cp950)$/.test(name))
    return { text: iconv.decode(buf, "big5"), encoding: "big5" };
  return null;
}

/** Share of characters that no text file has: NUL, other C0 controls, U+FFFD. */
export function binaryShare(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  const n = Math.min(text.length, 20_000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return bad / n;
}

/**
 * CSV (RFC 4180: quoted fields, "" inside quotes, line breaks inside quotes). The delimiter is
 * the one of , ; tab that the first line uses most.
 */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"));
  const count = (c: string) => firstLine.split(c).length - 1;
  const delimiter = [",", "\t", ";", "，"].reduce((best, c) => (count(c) > count(best) ? c : best), ",");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.map((r) => r.map((f) => f.trim()));
}
