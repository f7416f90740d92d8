/**
 * What a plan's header and trailer say about it: 文号, issuer, publish date, year.
 *
 * - docNumber: a line that is only a 文号 (徐府〔2023〕32号), or the value of a 文号 label — never a
 *   文号 quoted in a sentence (those are the documents the plan implements).
 * - issuer: a labelled 发布机构/发布部门/来源 (when it names a unit, not a website); else the signature
 *   (unit lines right above a date line; several are joined with 、); else the unit that opens the
 *   title (临沂市财政局政务公开工作实施方案 → 临沂市财政局).
 * - publishDate: the signature's date; else a labelled 发布日期/发布时间/成文日期; else a date line.
 * - year: the option, else the title's year, else the 文号's year, else the publish date's (flagged).
 */
import { isoDate } from "../deadlines/dates.ts";
import { numeralValue } from "./numerals.ts";
import type { Line, Source } from "./text.ts";
import { mir, orig } from "./text.ts";
import type { Span } from "./types.ts";

const UNIT_SUFFIX =
  /(人民政府|政府|办公室|办公厅|委员会|管理局|局|委|办|厅|中心|院|部|镇|乡|街道|办事处|处|科|所|公司|会|署|组)$/;
const DOC_NUMBER = /^[\u4e00-\u9fff]{1,12}\s?\(\s?(\d{4})\s?\)\s?\d{1,5}\s?号$/;
/** A 文号 anywhere in a line (on the mirror: brackets folded to ( )). */
const DOC_NUMBER_IN = /[\u4e00-\u9fff]{1,12}\s?\(\s?\d{4}\s?\)\s?\d{1,5}\s?号/;
/** A line that is a 文号 in brackets, or after a status mark: (甘办发〔2010〕67号), (失效)西政办发〔2017〕14号. */
const DOC_NUMBER_WRAPPED =
  /^(\([\u4e00-\u9fff]{1,4}\))?\(?\s*([\u4e00-\u9fff]{1,12}\s?\(\s?\d{4}\s?\)\s?\d{1,5}\s?号)\s*\)?/;
const DATE_ANY = /(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?/;
const DATE_CN =
  /([一二三四五六七八九〇○零]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日/;

/** An ISO date in `s`, if it names one. */
export function dateIn(s: string): string | null {
  const m = DATE_ANY.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const c = DATE_CN.exec(s);
  if (c) {
    const [y, mo, d] = [numeralValue(c[1] ?? ""), numeralValue(c[2] ?? ""), numeralValue(c[3] ?? "")];
    if (y !== null && mo !== null && d !== null) return isoDate(y, mo, d);
  }
  return null;
}

/** A line that is only a date (2023年6月6日, 2023.06.07, 二〇一一年四月六日 …印发). */
export function isDateLine(src: Source, line: Line): boolean {
  if (line.end - line.start > 40) return false;
  const m = mir(src, line).replace(/\s+/g, "");
  return (
    /^(\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)(印发|发布)?$/.test(
      m,
    ) && dateIn(m) !== null
  );
}

/** A short line that is only a unit name (a signature line). */
export function isUnitLine(src: Source, line: Line): boolean {
  const m = mir(src, line);
  return m.length >= 3 && m.length <= 40 && !/[,。;:!?、《》“”"0-9]/.test(m) && UNIT_SUFFIX.test(m);
}

export function isDocNumberLine(src: Source, line: Line): boolean {
  return line.end - line.start <= 40 && DOC_NUMBER.test(mir(src, line).trim());
}

export type Metadata = { docNumber: string | null; issuer: string | null; publishDate: string | null };

/** Metadata from header and trailer lines (header first). */
export function readMetadata(src: Source, lines: Line[], title: Span | null): Metadata {
  let docNumber: string | null = null;
  let labelledIssuer: string | null = null;
  let signatureIssuer: string | null = null;
  let signatureDate: string | null = null;
  let labelledDate: string | null = null;
  let lineDate: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const m = mir(src, line);
    if (docNumber === null) {
      const slice = (from: number, text: string) =>
        src.text.slice(line.start + from, line.start + from + text.length);
      if (isDocNumberLine(src, line)) docNumber = orig(src, line).trim();
      else {
        const lab = /文\s?号\s{0,3}[:\s|]{1,4}\s{0,3}(\S{1,20}\s?\(\s?\d{4}\s?\)\s?\d{1,5}\s?号)/.exec(m);
        const wrapped = m.length <= 40 ? DOC_NUMBER_WRAPPED.exec(m.trim()) : null;
        if (lab) {
          docNumber = slice(lab.index + lab[0].length - (lab[1] ?? "").length, lab[1] ?? "");
        } else if (wrapped?.[2] && (m.trim().length === wrapped[0].length || /^\(/.test(m.trim()))) {
          const at = m.indexOf(wrapped[2]);
          docNumber = slice(at, wrapped[2]);
        } else if (/(关于|印发|通知)/.test(m) && m.length <= 160) {
          // The notice's title line with its 文号 before or after it.
          const n = DOC_NUMBER_IN.exec(m);
          const before = n ? m.slice(0, n.index) : "";
          const after = n ? m.slice(n.index + n[0].length) : "";
          if (n && (/^\s*(\([\u4e00-\u9fff]{1,4}\))?\s*$/.test(before) || /^\s*\)?\s*$/.test(after))) {
            docNumber = slice(n.index, n[0]);
          }
        }
      }
    }
    if (labelledIssuer === null) {
      const lab =
        /(发布机构|发布部门|发文机关|发文单位|发布单位|信息来源|来源)\s{0,3}[:\s]\s{0,3}([^\s:]{2,40})/.exec(
          m,
        );
      if (lab && UNIT_SUFFIX.test(lab[2] ?? "") && !/网站|网$|平台$/.test(lab[2] ?? "")) {
        const at = line.start + lab.index + lab[0].length - (lab[2] ?? "").length;
        labelledIssuer = src.text.slice(at, at + (lab[2] ?? "").length);
      }
    }
    if (labelledDate === null) {
      const lab = /(发布日期|发布时间|成文日期|印发日期|发文日期)\s{0,3}[:\s]\s{0,3}(.{6,20})/.exec(m);
      if (lab) labelledDate = dateIn(lab[2] ?? "");
    }
    if (isDateLine(src, line)) {
      lineDate ??= dateIn(m);
      // A signature: unit lines right above the date line.
      let k = i - 1;
      const units: string[] = [];
      while (
        k >= 0 &&
        isUnitLine(src, lines[k] as Line) &&
        (lines[k] as Line).index === (lines[k + 1] as Line).index - 1
      ) {
        units.unshift(orig(src, lines[k] as Line).trim());
        k--;
      }
      if (units.length > 0 && signatureIssuer === null) {
        signatureIssuer = units.join("、");
        signatureDate = dateIn(m);
      }
    }
  }
  let issuer = labelledIssuer ?? signatureIssuer;
  if (issuer === null && title) {
    const t =
      /^(.{2,20}?(?:人民政府办公室|人民政府|办公室|办公厅|委员会|局|委|办|厅|中心|镇|乡|街道办事处|街道))(?=关于|\d{4}年|政务公开|政府信息公开|全面推进)/.exec(
        mir(src, title),
      );
    if (t) issuer = src.text.slice(title.start, title.start + (t[1] ?? "").length);
  }
  return { docNumber, issuer, publishDate: signatureDate ?? labelledDate ?? lineDate };
}

/** The year a title (or 文号) names: 2023年…, 2019政务公开…, 徐府〔2023〕32号. */
export function yearIn(s: string): number | null {
  const m = /(?:^|[^\d])((?:19|20)\d{2})(?!\d)/.exec(s);
  return m ? Number(m[1]) : null;
}
