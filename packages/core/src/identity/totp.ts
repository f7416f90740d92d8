import { Secret, TOTP } from "otpauth";

/**
 * The second factor (RFC 6238 TOTP: 6 digits every 30 s, SHA-1), the kind every authenticator app
 * reads (微信小程序、腾讯身份验证器、Google/Microsoft Authenticator). A code is accepted one step
 * either side of now (clock drift), and each step once: `step` is kept and must grow.
 */
const period = 30;
const issuer = "政务公开工作平台";

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

const totpOf = (secret: string, label: string) =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period });

/** The otpauth:// address an authenticator app scans (shown as a QR code). */
export const totpUri = (secret: string, label: string) => totpOf(secret, label).toString();

/** The code for a moment (tests, and nothing else, need it). */
export const totpCode = (secret: string, at: Date) =>
  totpOf(secret, "").generate({ timestamp: at.getTime() });

/**
 * Checks a code at `at`. Returns the time step it belongs to when it is right and newer than
 * `lastStep` (a code seen once is refused the second time), else null.
 */
export function acceptTotp(secret: string, code: string, at: Date, lastStep: number | null): number | null {
  const token = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secret, "").validate({ token, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(at.getTime() / 1000 / period) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}
