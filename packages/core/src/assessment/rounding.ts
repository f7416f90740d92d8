/**
 * Rounding totals the way a published table shows them. Edge rules:
 * - round half up on the *decimal* value, away from zero for negatives: 80.045 → 80.05 at 2
 *   decimals although the binary double nearest 80.045 is 80.04499999999999…;
 * - the number is first read at 12 significant digits, which drops the noise of weighted sums
 *   (59.989999999999995 is 59.99) and is exact for every total people write (up to 6 decimals on
 *   totals below 1,000,000);
 * - the digits are then rounded as a decimal string with integer arithmetic, never by multiplying
 *   the double by 10^d (which is where 1.005 × 100 = 100.49999999999999 goes wrong).
 */

/** Decimals a scheme may round its totals to (`precision`). */
export const MAX_PRECISION = 6;
export const DEFAULT_PRECISION = 2;

/** Plain decimal digits of a non-negative finite number (no exponent): 1e-7 → "0.0000001". */
function plainDigits(x: number): string {
  const text = String(x);
  const e = text.indexOf("e");
  if (e < 0) return text;
  const exp = Number(text.slice(e + 1));
  const [int = "", frac = ""] = text.slice(0, e).split(".");
  const digits = int + frac;
  const point = int.length + exp; // where the decimal point goes in `digits`
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * `x` rounded to `decimals` (0..6) decimal places, half up on its decimal value (see the module
 * comment). Not finite numbers are returned as they are; -0 comes back as 0.
 */
export function roundHalfUp(x: number, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_PRECISION)
    throw new RangeError(`decimals must be an integer in 0..${MAX_PRECISION}: ${decimals}`);
  if (!Number.isFinite(x)) return x;
  const clean = Number(x.toPrecision(12));
  const [int = "0", frac = ""] = plainDigits(Math.abs(clean)).split(".");
  let out: number;
  if (frac.length <= decimals) out = Math.abs(clean);
  else {
    let scaled = BigInt(int + frac.slice(0, decimals));
    if ((frac.charCodeAt(decimals) as number) >= 53 /* "5" */) scaled += 1n;
    const s = scaled.toString().padStart(decimals + 1, "0");
    out = Number(decimals === 0 ? s : `${s.slice(0, -decimals)}.${s.slice(-decimals)}`);
  }
  return clean < 0 && out !== 0 ? -out : out;
}

/**
 * The exact integer a rounded total is compared by when ranking: `roundHalfUp(x, d) × 10^d`.
 * Two totals tie exactly when their keys are equal.
 */
export const roundedKey = (rounded: number, decimals: number): number => Math.round(rounded * 10 ** decimals);
