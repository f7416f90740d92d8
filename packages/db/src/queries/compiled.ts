/**
 * Indicator systems compiled once per distinct text. Compiling validates the whole tree (some
 * 0.6 ms for 150 indicators) and every assessment and evaluation read compiles its scheme or
 * project's system; a stored system is JSON, so its text tells whether it is the one compiled
 * before. The last few are kept; a compiled system is never changed by its readers.
 */
import { type CompiledScheme, compileScheme } from "@gongkai/core";

const cache = new Map<string, CompiledScheme>();

/** `compile()` the first time `key` is asked for, the same compiled system after that. */
export function compiledOnce(key: string, compile: () => CompiledScheme): CompiledScheme {
  const had = cache.get(key);
  if (had) return had;
  const compiled = compile();
  cache.set(key, compiled);
  if (cache.size > 16) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** `compileScheme` of a stored scheme or system (throws as it does for one it refuses). */
export const compileStored = (system: unknown): CompiledScheme =>
  compiledOnce(`system:${JSON.stringify(system)}`, () => compileScheme(system));
