/**
 * Unit names in documents → the unit directory.
 *
 * Order of trust (the first that finds exactly one entry wins):
 * 1. `exact`: the name as written equals a unit's or group's name;
 * 2. `alias`: it equals a short name or alias;
 * 3. `variant`: equal after Traditional → Simplified, width and bracket folding（）〔〕【】 → (),
 *    whitespace and quotes removed (省政府辦公廳 = 省政府办公厅, 各村（社区） = 各村(社区));
 * 4. `shortForm`: equal after reducing both to short forms (市政府办 = 市政府办公室, 市发改委 =
 *    市发展和改革委员会, see ./shortForms.ts);
 * 5. `fuzzy`: character-bigram similarity ≥ 0.8 — never `confident`.
 * Two entries sharing a key make the match not `confident` (the first, units before groups, is
 * returned). Nothing found: `none` with up to five suggestions, the closest first.
 */
import { nameKey } from "../parser/normalize.ts";
import { shortKey } from "./shortForms.ts";

export type DirectoryUnit = { id: number; name: string; shortName?: string | null; aliases: string[] };
export type DirectoryGroup = { id: number; name: string; aliases: string[] };
export type UnitDirectory = { units: readonly DirectoryUnit[]; groups: readonly DirectoryGroup[] };

export type UnitMatchHow = "exact" | "alias" | "variant" | "shortForm" | "fuzzy";
export type UnitSuggestion = { kind: "unit" | "group"; id: number; name: string };
export type UnitMatch =
  | { kind: "unit" | "group"; id: number; how: UnitMatchHow; confident: boolean }
  | { kind: "none"; suggestions: UnitSuggestion[] };

export type UnitResolver = {
  resolve(name: string): UnitMatch;
};

type Entry = { kind: "unit" | "group"; id: number; name: string; short: string; grams: Set<string> };

const FUZZY_MIN = 0.8;
const SUGGEST_MIN = 0.34;

function bigrams(s: string): Set<string> {
  const plain = s.replace(/[()]/g, "");
  const out = new Set<string>();
  if (plain.length === 1) out.add(plain);
  for (let i = 0; i + 1 < plain.length; i++) out.add(plain.slice(i, i + 2));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return (2 * common) / (a.size + b.size);
}

class Index {
  private readonly map = new Map<string, Entry[]>();
  add(key: string, e: Entry) {
    if (key === "") return;
    const list = this.map.get(key);
    if (!list) this.map.set(key, [e]);
    else if (!list.some((x) => x.kind === e.kind && x.id === e.id)) list.push(e);
  }
  get(key: string): Entry[] | undefined {
    return this.map.get(key);
  }
}

/** What a document adds around a name: 等, 由, trailing punctuation. */
function cleanQuery(name: string): string {
  return name
    .trim()
    .replace(/^(由|请|及|和)/, "")
    .replace(/(等|等部门|等单位)$/, "")
    .replace(/[。,，;；:：、.]+$/, "")
    .trim();
}

export function createUnitResolver(dir: UnitDirectory): UnitResolver {
  const exact = new Index();
  const alias = new Index();
  const variant = new Index();
  const variantAlias = new Index();
  const short = new Index();
  const entries: Entry[] = [];
  const byGram = new Map<string, Entry[]>();

  const addEntry = (kind: "unit" | "group", id: number, name: string, aliases: string[]) => {
    const key = nameKey(name);
    const e: Entry = { kind, id, name, short: shortKey(key), grams: bigrams(shortKey(key)) };
    entries.push(e);
    for (const g of e.grams) {
      const list = byGram.get(g);
      if (list) list.push(e);
      else byGram.set(g, [e]);
    }
    exact.add(name.trim(), e);
    variant.add(key, e);
    short.add(e.short, e);
    for (const a of aliases) {
      if (!a.trim()) continue;
      const ak = nameKey(a);
      alias.add(a.trim(), e);
      variantAlias.add(ak, e);
      short.add(shortKey(ak), e);
    }
  };
  for (const u of dir.units)
    addEntry("unit", u.id, u.name, [...(u.shortName ? [u.shortName] : []), ...u.aliases]);
  for (const g of dir.groups) addEntry("group", g.id, g.name, g.aliases);

  const common = Math.max(50, entries.length * 0.3);
  const cache = new Map<string, UnitMatch>();

  const hit = (list: Entry[], how: UnitMatchHow): UnitMatch => {
    const first = list[0] as Entry;
    return { kind: first.kind, id: first.id, how, confident: list.length === 1 };
  };

  function fuzzy(key: string): UnitMatch {
    const grams = bigrams(shortKey(key));
    const candidates = new Set<Entry>();
    for (const g of grams) {
      const list = byGram.get(g);
      if (list && list.length <= common) for (const e of list) candidates.add(e);
    }
    if (candidates.size === 0) {
      // Only very common bigrams (市政, 政府…): fall back to all of them.
      for (const g of grams) for (const e of byGram.get(g) ?? []) candidates.add(e);
    }
    const plain = shortKey(key).replace(/[()]/g, "");
    const scored: { e: Entry; score: number }[] = [];
    for (const e of candidates) {
      let score = dice(grams, e.grams);
      const other = e.short.replace(/[()]/g, "");
      if (plain.length >= 2 && other.length >= 2 && (other.includes(plain) || plain.includes(other))) {
        score = Math.max(
          score,
          0.5 + 0.3 * (Math.min(plain.length, other.length) / Math.max(plain.length, other.length)),
        );
      }
      if (score >= SUGGEST_MIN) scored.push({ e, score });
    }
    scored.sort((a, b) => b.score - a.score || a.e.name.length - b.e.name.length);
    const best = scored[0];
    if (best && best.score >= FUZZY_MIN && (scored[1]?.score ?? 0) < best.score) {
      return { kind: best.e.kind, id: best.e.id, how: "fuzzy", confident: false };
    }
    return {
      kind: "none",
      suggestions: scored.slice(0, 5).map(({ e }) => ({ kind: e.kind, id: e.id, name: e.name })),
    };
  }

  function resolveUncached(raw: string): UnitMatch {
    const name = cleanQuery(raw);
    if (name === "") return { kind: "none", suggestions: [] };
    let list = exact.get(name);
    if (list) return hit(list, "exact");
    list = alias.get(name);
    if (list) return hit(list, "alias");
    const key = nameKey(name);
    list = variant.get(key);
    if (list) return hit(list, "variant");
    list = variantAlias.get(key);
    if (list) return hit(list, "alias");
    list = short.get(shortKey(key));
    if (list) return hit(list, "shortForm");
    return fuzzy(key);
  }

  return {
    resolve(name: string): UnitMatch {
      const cached = cache.get(name);
      if (cached) return cached;
      const m = resolveUncached(name);
      cache.set(name, m);
      return m;
    },
  };
}

const resolvers = new WeakMap<UnitDirectory, UnitResolver>();

/** One name against a directory; the index is built once per directory object and reused. */
export function resolveUnitName(name: string, dir: UnitDirectory): UnitMatch {
  let r = resolvers.get(dir);
  if (!r) {
    r = createUnitResolver(dir);
    resolvers.set(dir, r);
  }
  return r.resolve(name);
}
