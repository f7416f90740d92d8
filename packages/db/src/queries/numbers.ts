/** A score as people read it: at most ten significant digits, no float noise (0.1 + 0.2 → "0.3"). */
export const fmt = (x: number) => String(Number(x.toPrecision(10)));
