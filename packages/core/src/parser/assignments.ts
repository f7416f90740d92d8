/**
 * Unit assignments as documents write them, and the units they name:
 * - bracketed:  (牵头单位:X;配合单位:Y)  〔牽頭單位:X〕  【责任单位：X、Y】  (…;完成时限:6月底前)
 * - bare:       牵头单位:X责任单位:Y  (no separator between the parts), often on its own line
 * - prose:      (X牵头,Y配合)  (X负责)
 * Unit lists are split on 、，,；; / and spaces, outside brackets (各村(社区), 各县（市、区）…
 * stay whole). Units are reported as written, with two decisions:
 * - a bare level prefix joins the next name: 各市、縣委宣傳部 is one unit, not 各市 + 縣委宣傳部;
 * - a trailing descriptor 等…部门/单位 is cut (省通信管理局等行业主管部门 → 省通信管理局) and the
 *   task is flagged, because the list is open-ended.
 * Placeholders (—, /, 无) name no unit.
 */
import { unitShare } from "./cellFit.ts";
import type { Source } from "./text.ts";
import { trimSpan } from "./text.ts";
import type { Span } from "./types.ts";

export type Role = "lead" | "cooperating" | "responsible";
export type UnitRef = { role: Role; span: Span };

export type Assignment = {
  /** The whole assignment (brackets included), removed from the task's content. */
  block: Span;
  units: UnitRef[];
  /** Values of 完成时限-style labels: the office's own deadline wording. */
  deadlineCells: Span[];
  /** Label spans (牵头单位…), for the preview. */
  labels: Span[];
  /** Names cut at 等…: the full text as written, for a flag. */
  truncated: string[];
};

const LABELS =
  "牵头责任单位|牵头单位|牵头部门|牵头科室|牵头处室|牵头股室|配合股室|责任股室|落实科室|落实部门|主责单位|主责部门|主办单位|配合单位|配合部门|配合科室|协办单位|协助单位|参与单位|协同单位|责任单位|责任部门|责任科室|责任处室|承办单位|实施单位|落实单位|责任主体|完成时限|时限要求|完成时间|时间节点|完成期限|时限|牵头|配合|协办";
const LABEL_COLON = new RegExp(`(${LABELS})\\s*:\\s*`, "g");
/** A label opening a part: long labels may omit the colon (单位 + space); 牵头 / 配合 need one. */
const LABEL_START = new RegExp(
  `^(?:(${LABELS.replace("|牵头|配合|协办", "")})\\s*:?\\s*|(牵头|配合|协办)\\s*:\\s*)`,
);

type LabelKind = Role | "deadline";

function labelKind(label: string): LabelKind {
  if (/时限|时间|期限/.test(label)) return "deadline";
  if (/^(牵头|主责|主办)/.test(label)) return "lead";
  if (/^(配合|协办|协助|参与|协同)/.test(label)) return "cooperating";
  return "responsible";
}

const SEPARATORS = new Set([..."、,;/|"]);
const isSep = (c: string) => SEPARATORS.has(c) || /\s/.test(c);
const LEVEL_PREFIX = /^各?[省市县区乡镇州盟旗]$/;
const UNIT_END = /(政府|办公室|办公厅|委员会|局|委|办|厅|中心|部门|单位|院|镇|乡|街道|办事处|所|公司|队|站)$/;
const PLACEHOLDER = /^([—\-–_/\\·.]+|无|暂无|\/)$/;
const TRUNCATED = /等([^、,;]{0,8})$/;

/** Unit names in a list span (see the module comment). */
export function splitUnitList(src: Source, span: Span): { names: Span[]; truncated: string[] } {
  const { mirror } = src;
  const parts: Span[] = [];
  let depth = 0;
  let from = span.start;
  for (let i = span.start; i <= span.end; i++) {
    const c = i < span.end ? (mirror[i] as string) : "";
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    if (i === span.end || (depth === 0 && isSep(c))) {
      const p = trimSpan(src, { start: from, end: i });
      if (p.end > p.start) parts.push(p);
      from = i + 1;
    }
  }
  // Strip punctuation left at either end (。 after the last unit, quotes).
  const cleaned = parts
    .map((p) => {
      let { start, end } = p;
      while (end > start && /[。.:,;、]/.test(mirror[end - 1] as string)) end--;
      while (start < end && /[:、,;]/.test(mirror[start] as string)) start++;
      // A note in brackets after a name (含高新区…,下同) is not part of it.
      const note = /\((含|包括|下同|以下|不含)[^()]*\)$|\([^()]*(下同|以下简称)[^()]*\)$/.exec(
        mirror.slice(start, end),
      );
      if (note && note.index > 0) end = start + note.index;
      return { start, end };
    })
    .filter(
      (p) =>
        p.end > p.start &&
        !PLACEHOLDER.test(mirror.slice(p.start, p.end)) &&
        !NOTE.test(mirror.slice(p.start, p.end)),
    );
  // 省编办 (省审改办): a bracket after a space belongs to the name before it.
  for (let i = cleaned.length - 1; i > 0; i--) {
    const c = cleaned[i] as Span;
    const prev = cleaned[i - 1] as Span;
    if (
      mirror[c.start] === "(" &&
      mirror[c.end - 1] === ")" &&
      /^\s+$/.test(mirror.slice(prev.end, c.start))
    ) {
      cleaned.splice(i - 1, 2, { start: prev.start, end: c.end });
    }
  }
  // 各市、县委宣传部: a bare level prefix belongs to the next name.
  const joined: Span[] = [];
  for (let i = 0; i < cleaned.length; i++) {
    let cur = cleaned[i] as Span;
    while (LEVEL_PREFIX.test(mirror.slice(cur.start, cur.end)) && i + 1 < cleaned.length) {
      const next = cleaned[i + 1] as Span;
      if (mirror.slice(cur.end, next.start).trim() !== "、") break;
      cur = { start: cur.start, end: next.end };
      i++;
    }
    joined.push(cur);
  }
  // 市直各部门及各县（市、区）人民政府: 及 / 和 / 与 between two complete unit names.
  const split: Span[] = [];
  for (const n of joined) {
    let from = n.start;
    let d = 0;
    for (let i = n.start; i < n.end; i++) {
      const c = mirror[i] as string;
      if (c === "(") d++;
      else if (c === ")") d = Math.max(0, d - 1);
      else if (d === 0 && (c === "及" || c === "和" || c === "与") && i - from >= 3 && n.end - i > 3) {
        const left = mirror.slice(from, i);
        const right = mirror.slice(i + 1, n.end);
        if (
          UNIT_END.test(left) &&
          !/^[其所相]/.test(right) &&
          !/^各?(单位|部门|机构|组织)(等.{0,8})?$/.test(right)
        ) {
          split.push({ start: from, end: i });
          from = i + 1;
        }
      }
    }
    split.push({ start: from, end: n.end });
  }
  const truncated: string[] = [];
  const names: Span[] = [];
  for (const n of split) {
    const text = mirror.slice(n.start, n.end);
    const m = TRUNCATED.exec(text);
    if (m && m.index >= 2 && (m[1] === "" || /(部门|单位|机构|科室|处室|系统)$/.test(m[1] ?? ""))) {
      truncated.push(src.text.slice(n.start, n.end));
      names.push({ start: n.start, end: n.start + m.index });
    } else if (text !== "等") names.push(n);
  }
  return { names, truncated };
}

/** Parses labelled parts in `body` (inside brackets or a bare block). */
function labelled(src: Source, body: Span, block: Span): Assignment | null {
  const { mirror } = src;
  const text = mirror.slice(body.start, body.end);
  const found: { kind: LabelKind; label: Span; value: number }[] = [];
  const first = LABEL_START.exec(text);
  if (!first) return null;
  const firstLabel = first[1] ?? first[2] ?? "";
  found.push({
    kind: labelKind(firstLabel),
    label: { start: body.start, end: body.start + firstLabel.length },
    value: body.start + first[0].length,
  });
  LABEL_COLON.lastIndex = first[0].length;
  for (let m = LABEL_COLON.exec(text); m; m = LABEL_COLON.exec(text)) {
    const at = body.start + m.index;
    // Inside a bracket of a unit name (各村(社区)) there are no labels.
    found.push({
      kind: labelKind(m[1] ?? ""),
      label: { start: at, end: at + (m[1] ?? "").length },
      value: at + m[0].length,
    });
  }
  const out: Assignment = { block, units: [], deadlineCells: [], labels: [], truncated: [] };
  found.forEach((f, i) => {
    const end = i + 1 < found.length ? (found[i + 1] as (typeof found)[number]).label.start : body.end;
    let value = trimSpan(src, { start: f.value, end });
    while (value.end > value.start && /[;,。.、]/.test(mirror[value.end - 1] as string)) value.end--;
    out.labels.push(f.label);
    if (f.kind === "deadline") {
      if (value.end > value.start) out.deadlineCells.push(value);
      return;
    }
    value = trimSpan(src, value);
    const { names, truncated } = splitUnitList(src, value);
    for (const n of names) out.units.push({ role: f.kind, span: n });
    for (const t of truncated) out.truncated.push(t);
  });
  return out;
}

/** Role words that end a part of a unit phrase (longest first), and the role each gives. */
const ROLE_SUFFIX =
  /((?:分别|共同|具体)?(?:牵头负责|牵头落实|牵头抓总|分别牵头|牵头|主办|主责|配合落实|共同配合|配合|参与|协助|协办|分别负责落实|负责落实|按职责分工负责|按职责分工落实|按职责负责|按职责落实|具体负责|分别负责|负责|分别落实|承办))$/;
const roleOfWord = (w: string): Role =>
  /牵头|主办|主责/.test(w) ? "lead" : /配合|参与|协助|协办/.test(w) ? "cooperating" : "responsible";
/** Notes written inside a unit list that name no unit. */
const NOTE =
  /^(以下|以上|上述|下列).{0,12}(落实|负责|执行)$|不再(逐一|一一)?列出|^(按职责(分工)?|分工)(负责|落实)?$|^各司其职$|^(下同|同上)$/;

type RolePart = { role: Role | null; list: Span; word: Span | null };

/**
 * The parts of a unit phrase: `区财政局牵头,各街道负责落实`, `此项工作由X负责,Y配合`,
 * `X、Y分别负责落实`, `X会同Y`. Parts split on , and ; outside brackets; a part's role is the word
 * it ends with (null when none). `X负责, Y配合`: X leads (a cooperating unit supports a lead).
 */
function roleParts(src: Source, body: Span): RolePart[] {
  const { mirror } = src;
  const parts: Span[] = [];
  let depth = 0;
  let from = body.start;
  for (let i = body.start; i <= body.end; i++) {
    const c = i < body.end ? (mirror[i] as string) : ";";
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === "," || c === ";" || c === "。")) {
      const p = trimSpan(src, { start: from, end: i });
      if (p.end > p.start) parts.push(p);
      from = i + 1;
    }
  }
  const out: RolePart[] = [];
  for (let p of parts) {
    const text = mirror.slice(p.start, p.end);
    if (NOTE.test(text)) continue;
    // 此项工作由X负责 / 由X牵头: the subject after 由.
    const by = /^(此项工作|该项工作|这项工作|以上工作|上述工作|以上各项工作|此项|该项)?由/.exec(text);
    if (by) p = { start: p.start + by[0].length, end: p.end };
    const t = mirror.slice(p.start, p.end);
    // X会同Y(负责): X leads, Y cooperates.
    // 会 alone is 会同 written short (宣传处会办公室) when both sides are units.
    const with_ = /^(.+?)会同?(.+?)(负责|落实|负责落实)?$/.exec(t);
    const short = with_ && !/会同/.test(t);
    if (with_ && (!short || (unitShare(with_[1] ?? "") >= 0.99 && unitShare(with_[2] ?? "") >= 0.99))) {
      const left = { start: p.start, end: p.start + (with_[1] ?? "").length };
      const rightStart = left.end + (short ? 1 : 2);
      out.push({ role: "lead", list: left, word: null });
      out.push({
        role: "cooperating",
        list: { start: rightStart, end: rightStart + (with_[2] ?? "").length },
        word: null,
      });
      continue;
    }
    const m = ROLE_SUFFIX.exec(t);
    if (m && m.index > 0) {
      out.push({
        role: roleOfWord(m[1] ?? ""),
        list: trimSpan(src, { start: p.start, end: p.start + m.index }),
        word: { start: p.start + m.index, end: p.end },
      });
    } else out.push({ role: null, list: p, word: null });
  }
  // X牵头,Y、Z,W配合: a list cut by commas takes the role word that ends it.
  for (let i = out.length - 2; i >= 0; i--) {
    const x = out[i] as RolePart;
    const next = out[i + 1] as RolePart;
    if (x.role === null && next.role !== null) x.role = next.role;
  }
  if (out.some((x) => x.role === "cooperating") && !out.some((x) => x.role === "lead")) {
    for (const x of out)
      if (
        x.role === "responsible" &&
        x.word &&
        /^(负责|具体负责)$/.test(mirror.slice(x.word.start, x.word.end))
      )
        x.role = "lead";
  }
  return out;
}

/** (市发改委牵头,市财政局配合) / (县政府办负责落实): every part must end with a role word. */
function prose(src: Source, body: Span, block: Span): Assignment | null {
  const { mirror } = src;
  if (body.end - body.start > 160 || body.end - body.start < 3) return null;
  const parts = roleParts(src, body);
  if (parts.length === 0 || parts.some((p) => p.role === null)) return null;
  const out: Assignment = { block, units: [], deadlineCells: [], labels: [], truncated: [] };
  for (const p of parts) {
    if (/[。]/.test(mirror.slice(p.list.start, p.list.end))) return null;
    const { names, truncated } = splitUnitList(src, p.list);
    if (names.length === 0) return null;
    for (const n of names) out.units.push({ role: p.role as Role, span: n });
    for (const t of truncated) out.truncated.push(t);
    if (p.word) out.labels.push(p.word);
  }
  return out.units.length > 0 ? out : null;
}

/**
 * A unit cell of a table column (责任单位 …): its units in the column's role, unless the cell
 * says otherwise (`办公室牵头,各科室配合` in a 责任单位 column: lead and cooperating).
 */
export function unitCell(src: Source, cell: Span, role: Role): { units: UnitRef[]; truncated: string[] } {
  const units: UnitRef[] = [];
  const truncated: string[] = [];
  for (const p of roleParts(src, cell)) {
    const { names, truncated: t } = splitUnitList(src, p.list);
    for (const n of names) units.push({ role: p.role ?? role, span: n });
    truncated.push(...t);
  }
  return { units, truncated };
}

/** Assignments in a paragraph (bracketed anywhere, or a bare block starting at a label). */
export function findAssignments(src: Source, seg: Span): Assignment[] {
  const { mirror } = src;
  const out: Assignment[] = [];
  let depth = 0;
  let open = -1;
  let bareFrom = -1;
  for (let i = seg.start; i < seg.end; i++) {
    const c = mirror[i] as string;
    if (c === "(") {
      if (depth === 0) open = i;
      depth++;
      continue;
    }
    if (c === ")" && depth > 0) {
      depth--;
      if (depth === 0 && open >= 0) {
        const body = trimSpan(src, { start: open + 1, end: i });
        let blockEnd = i + 1;
        // (…)。 after a sentence that already ended: the 。 closes the bracket.
        if (mirror[blockEnd] === "。" && mirror[open - 1] === "。") blockEnd++;
        const block = { start: open, end: blockEnd };
        const a = labelled(src, body, block) ?? prose(src, body, block) ?? bareList(src, body, block);
        if (a) out.push(a);
        open = -1;
      }
      continue;
    }
    if (depth === 0 && bareFrom < 0) {
      const prev = i === seg.start ? "" : (mirror[i - 1] as string);
      if (i === seg.start || /[。;!?\s)]/.test(prev)) {
        const m = LABEL_START.exec(mirror.slice(i, Math.min(seg.end, i + 12)));
        if (m && (/:/.test(m[0]) || (i === seg.start && /\s$/.test(m[0])))) bareFrom = i;
      }
    }
  }
  if (depth > 0 && open >= 0) {
    // An unclosed bracket: a labelled one runs to the end of the paragraph.
    const body = trimSpan(src, { start: open + 1, end: seg.end });
    const a = labelled(src, body, { start: open, end: seg.end });
    if (a) out.push(a);
  }
  if (bareFrom >= 0 && !out.some((a) => a.block.start <= bareFrom && bareFrom < a.block.end)) {
    const end = out.find((a) => a.block.start > bareFrom)?.block.start ?? seg.end;
    const block = { start: bareFrom, end };
    const a = labelled(src, trimSpan(src, block), block);
    if (a && (a.units.length > 0 || a.deadlineCells.length > 0)) out.push(a);
  }
  for (const a of roleSentences(src, seg, out)) out.push(a);
  return out.sort((a, b) => a.block.start - b.block.start);
}

/**
 * A bracket that only lists units, right after a sentence (`…公开。（区金融办、区财政局。）`): the
 * units responsible for it.
 */
function bareList(src: Source, body: Span, block: Span): Assignment | null {
  const { mirror } = src;
  const text = mirror.slice(body.start, body.end);
  const afterSentence = mirror[block.start - 1] === "。" || /。$/.test(text);
  if (!afterSentence || text.length > 120 || unitShare(text) < 0.99) return null;
  const { names, truncated } = splitUnitList(src, body);
  if (names.length === 0) return null;
  return {
    block,
    units: names.map((span) => ({ role: "responsible" as const, span })),
    deadlineCells: [],
    labels: [],
    truncated,
  };
}

const RUN_IN_END = /(信息|工作|情况|制度|机制|事项|内容|清单|目录|平台|公开|解读|落实)$/;

/**
 * A whole sentence that assigns the task: `此项工作由省法制办负责,省府办公厅配合。`,
 * `市发改委牵头,各县区政府负责落实。` — every part ends in a role word and names units.
 */
function roleSentences(src: Source, seg: Span, found: Assignment[]): Assignment[] {
  const { mirror } = src;
  const out: Assignment[] = [];
  let from = seg.start;
  let depth = 0;
  for (let i = seg.start; i <= seg.end; i++) {
    const c = i < seg.end ? (mirror[i] as string) : "。";
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    if (c !== "。" || depth > 0) continue;
    const sentence = trimSpan(src, { start: from, end: i });
    const block = { start: sentence.start, end: Math.min(seg.end, i + 1) };
    from = i + 1;
    const text = mirror.slice(sentence.start, sentence.end);
    if (text.length < 4 || text.length > 160 || !/(牵头|负责|配合|落实|主办|协办)/.test(text)) continue;
    if (found.some((a) => a.block.start < block.end && block.start < a.block.end)) continue;
    // The whole sentence, else its end (…等信息审批处牵头,各有关处室配合: a phrase run into the text).
    let parts: RolePart[] = [];
    let at = sentence.start;
    for (let p = sentence.start; p < sentence.end - 3; p++) {
      // Run into the text: only after the noun that ends a task's wording (…等信息|审批处牵头).
      if (p > sentence.start && !RUN_IN_END.test(mirror.slice(Math.max(sentence.start, p - 4), p))) continue;
      const tail = roleParts(src, { start: p, end: sentence.end });
      if (tail.length === 0 || tail.some((x) => x.role === null)) continue;
      if (!tail.every((x) => unitShare(mirror.slice(x.list.start, x.list.end)) >= 0.99)) continue;
      // The first name must start where the run-in text ends: a unit suffix right before it is not ours.
      parts = tail;
      at = p;
      break;
    }
    if (parts.length === 0) continue;
    const runIn = at > sentence.start;
    if (runIn && sentence.end - at > 80) continue;
    block.start = runIn ? at : block.start;
    const a: Assignment = { block, units: [], deadlineCells: [], labels: [], truncated: [] };
    for (const p of parts) {
      const { names, truncated } = splitUnitList(src, p.list);
      for (const n of names) a.units.push({ role: p.role as Role, span: n });
      a.truncated.push(...truncated);
      if (p.word) a.labels.push(p.word);
    }
    if (a.units.length > 0) out.push(a);
  }
  return out;
}
