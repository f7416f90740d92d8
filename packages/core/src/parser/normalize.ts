/**
 * A same-length "matching mirror" of a text: every pattern in the parser, the deadline rules and
 * the unit resolver runs on the mirror, and every span found maps 1:1 back to the original, so
 * output (unit names, phrases, content) is always the original as written.
 *
 * The mirror: Traditional → Simplified (opencc-js, only when the text has Traditional characters,
 * and only where the conversion keeps the length), full-width ASCII → half-width, every bracket
 * style（）〔〕【】［］﹝﹞〖〗 → ( ), CR / NBSP / zero-width / BOM → plain whitespace.
 */
import OpenCC from "opencc-js/t2cn";

type Convert = (s: string) => string;
let t2s: Convert | null = null;
const toSimplified: Convert = (s) => {
  t2s ??= OpenCC.Converter({ from: "t", to: "cn" });
  return t2s(s);
};

/** Common characters that only occur in Traditional text: one is enough to run the converter. */
const TRADITIONAL =
  "們這個來時會為與後從於開關對單頭責點實務發現處應該進過還說問題當經體產業東車長門見區縣鄉鎮辦廳議規劃報導農醫衛環網絡黨國華書動權機構結總資詢訊聽號據際隊陽導學習變獎勵參樣級組織種線電話傳統計劃內個會員達遲級範圍標準層與廣臺聯繫項錄檔稅費確認於傳屬歸濟災復維護邊歷";
const traditionalSet = new Set(TRADITIONAL);

export function hasTraditional(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (traditionalSet.has(text[i] as string)) return true;
  return false;
}

const BRACKETS: Record<string, string> = {
  "〔": "(",
  "〕": ")",
  "【": "(",
  "】": ")",
  "［": "(",
  "］": ")",
  "﹝": "(",
  "﹞": ")",
  "〖": "(",
  "〗": ")",
  "[": "(",
  "]": ")",
};

function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) {
    const half = String.fromCharCode(code - 0xfee0);
    return BRACKETS[half] ?? half;
  }
  const b = BRACKETS[c];
  if (b !== undefined) return b;
  switch (c) {
    case "\r":
      return "\n";
    case "\u3000":
    case "\u00a0":
    case "\ufeff":
    case "\u200b":
    case "\u2028":
    case "\u2029":
      return c === "\u2028" || c === "\u2029" ? "\n" : " ";
    default:
      return c;
  }
}

/** Width, bracket and whitespace folding only (no script conversion); same length as `text`. */
export function foldWidth(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const f = foldChar(c);
    if (f !== c) {
      out += text.slice(from, i) + f;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Traditional → Simplified where the conversion keeps the length (line by line, else as is). */
function simplify(text: string): string {
  if (!hasTraditional(text)) return text;
  const whole = toSimplified(text);
  if (whole.length === text.length) return whole;
  return text
    .split("\n")
    .map((line) => {
      const s = toSimplified(line);
      return s.length === line.length ? s : line;
    })
    .join("\n");
}

/** The matching mirror of `text` (same length; see the module comment). */
export function matchingMirror(text: string): string {
  return foldWidth(simplify(text));
}

/** A key for comparing names: mirror, then without whitespace, lower-case ASCII. */
export function nameKey(name: string): string {
  return matchingMirror(name)
    .replace(/\s+/g, "")
    .replace(/[“”"'‘’「」]/g, "")
    .toLowerCase();
}

const TONED = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/;
const PINYIN = /(?<=[\u3400-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})[)）]/g;

/**
 * A mirror site's reading aids out of the text: `公開(kāi)工作(zuò)` → `公開工作`. Only pinyin in
 * brackets right after a Chinese character, and only in a text that has several with tone marks
 * (a bracketed `(a)` in an ordinary text stays).
 */
export function withoutPinyin(text: string, opts: { always?: boolean } = {}): string {
  if (opts.always) return text.replace(PINYIN, (m, p: string) => (TONED.test(p) ? "" : m));
  let toned = 0;
  for (const m of text.matchAll(PINYIN)) if (TONED.test(m[1] ?? "") && ++toned >= 3) break;
  if (toned < 3) return text;
  return text.replace(PINYIN, "");
}
