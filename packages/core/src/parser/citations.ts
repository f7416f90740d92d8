/**
 * The documents a plan says it implements: a county's 要点 opens with
 * `围绕《山东省2017年政务公开工作要点》(鲁政办发〔2017〕39号)和《菏泽市…要点》…要求`, a town's with
 * `根据…《2023年青浦区政务公开工作要点》有关要求`. They are offered to the office as the plan's upper
 * plans. Cited: 《…》 naming a plan or policy document (要点, 方案, 意见, 通知, 计划, 分工…) or carrying
 * a 文号 right after it. Not cited: laws and regulations (…法, 条例, 规定, 办法, 细则 — rules, not
 * plans), the plan itself (关于印发《X》的通知 names X), and 《》 around anything else.
 */
import { matchingMirror } from "./normalize.ts";
import type { Source } from "./text.ts";
import type { Span } from "./types.ts";

export type Citation = { title: string; docNumber: string | null; span: Span };

const DOCUMENT_END = /(要点|方案|意见|通知|计划|规划|决定|分工|安排|纲要|任务|清单|指引|部署)$/;
const RULE_END = /(法|条例|规定|办法|细则|规则)$/;
// In the mirror every bracket is ( ): (国办发(2023)16号), 龙政办发(2019)49号.
const DOC_NUMBER_AFTER = /^\s*\(?\s*([^\s()《》,,。;;、]{1,20}\(\d{4}\)\s*\d{1,5}\s*号)/;

const key = (title: string) => title.replace(/[\s《》〈〉<>“”"]/g, "");
/** 《…规定(试行)》 is still a 规定, 《…行动计划(2021—2025年)》 a 计划: the kind is read before a trailing ( ). */
const kindPart = (title: string) => title.replace(/(\([^()]{1,14}\))+$/, "");

/** The same title but for a slip of the pen (黑龙江's notice calls its 推进 plan 推行 once). */
function sameTitle(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length || a.length < 8) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 2) return false;
  return true;
}

/**
 * The citations in `span` of the text (the plan's notice and preamble), each once, in order of first
 * mention. `own` holds the titles the document itself issues (the plan, and the other plans of the
 * same notice) and the plan's 文号: never citations, nor are their short forms (《实施意见》); a
 * document named inside the plan's own title is (《淄博市贯彻落实〈2025年山东省政务公开工作要点〉实施方案》).
 */
export function citedDocuments(
  src: Source,
  span: Span,
  own: { titles: readonly string[]; docNumber: string | null },
): Citation[] {
  const out: Citation[] = [];
  const mirror = src.mirror.slice(span.start, span.end);
  const ownKeys = own.titles.map(titleKey);
  const known: string[] = [];
  const consider = (at: number, length: number) => {
    const k = key(src.mirror.slice(at + 1, at + length - 1));
    const kind = kindPart(k);
    if (RULE_END.test(kind)) return;
    const after = DOC_NUMBER_AFTER.exec(src.mirror.slice(at + length, span.end));
    let docNumber: string | null = null;
    if (after?.[1]) {
      const from = at + length + (after.index ?? 0) + after[0].length - after[1].length;
      docNumber = src.text.slice(from, from + after[1].length).replace(/\s+/g, "");
    }
    if (!docNumber && !DOCUMENT_END.test(kind)) return;
    if (docNumber && own.docNumber && key(docNumber) === key(own.docNumber)) return;
    const earlier = known.findIndex((e) => e.includes(k));
    if (earlier >= 0) {
      (out[earlier] as Citation).docNumber ??= docNumber;
      return;
    }
    known.push(k);
    const title = src.text.slice(at + 1, at + length - 1).trim();
    out.push({ title, docNumber, span: { start: at, end: at + length } });
  };
  for (const m of mirror.matchAll(/《([^《》\n]{2,100})》/g)) {
    const at = span.start + (m.index ?? 0);
    if (isOwn(key(m[1] ?? ""), ownKeys)) {
      for (const inner of (m[1] ?? "").matchAll(/〈([^〈〉]{2,100})〉/g))
        consider(at + 1 + (inner.index ?? 0), inner[0].length);
      continue;
    }
    consider(at, m[0].length);
  }
  // The plan's own title on a line of its own, with a document named inside it.
  const titleAt = own.titles[0] ? src.text.indexOf(own.titles[0], span.start) : -1;
  if (titleAt >= 0 && titleAt < span.end) {
    for (const inner of src.mirror
      .slice(titleAt, titleAt + (own.titles[0] ?? "").length)
      .matchAll(/〈([^〈〉]{2,100})〉/g))
      consider(titleAt + (inner.index ?? 0), inner[0].length);
  }
  return out;
}

const titleKey = (title: string) => key(matchingMirror(title));
/** The title itself, or a short form of it: 《实施意见》 for the 实施意见 it issues (a dated title is no short form). */
const isOwn = (k: string, ownKeys: string[]) =>
  ownKeys.some((o) => sameTitle(o, k) || (!/\d/.test(k) && o.includes(k)));

/** The citations that are none of these titles (nor their short forms). */
export function withoutTitles(cites: Citation[], titles: readonly string[]): Citation[] {
  const keys = titles.map(titleKey);
  return cites.filter((c) => !isOwn(titleKey(c.title), keys));
}
