import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptTotp, characterClasses, newTotpSecret, passwordProblems, totpCode, totpUri } from "./index.ts";

describe("password policy (等保 2.0 level 3)", () => {
  const account = { username: "zhangwei", displayName: "张伟" };

  it.each([
    ["Hb7#qL2v!xP9", "random, four classes"],
    ["灯塔Qiu38号渡口", "Chinese characters count as symbols"],
    ["Cobalt-Ferry-Lantern-42", "three unrelated words and a number"],
  ])("accepts %s (%s)", (pw) => {
    expect(passwordProblems(pw, account)).toEqual([]);
  });

  it.each([
    ["Ab1!xyz", "至少 10 位"],
    ["lowercaseonly123", "至少三类"],
    ["Zhangwei#2026x", "用户名"],
    ["Admin@123456", "容易被猜到"],
    ["P@ssw0rd1234", "容易被猜到"],
    ["Woaini@1314", "容易被猜到"],
    ["Qwer1234!@#$", "容易被猜到"],
    ["Zhengwu@2026", "容易被猜到"],
    ["Aa1234567890", "容易被猜到"],
  ])("refuses %s, saying %s", (pw, says) => {
    const problems = passwordProblems(pw, account);
    expect(problems.join("")).toContain(says);
  });

  it("refuses every password shorter than 10 characters, whatever it holds", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 9 }), (pw) => {
        expect(passwordProblems(pw, account)[0]).toContain("至少 10 位");
      }),
      { numRuns: 200 },
    );
  });

  it("counts character classes", () => {
    expect(characterClasses("abc")).toBe(1);
    expect(characterClasses("aB3")).toBe(3);
    expect(characterClasses("aB3-")).toBe(4);
  });
});

describe("TOTP second factor (RFC 6238)", () => {
  // RFC 6238 Appendix B: the ASCII secret "12345678901234567890", SHA-1; the 8-digit codes there
  // end in these 6 digits.
  const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  it("gives the RFC's codes at its test times", () => {
    expect(totpCode(rfcSecret, new Date(59_000))).toBe("287082");
    expect(totpCode(rfcSecret, new Date(1_111_111_109_000))).toBe("081804");
    expect(totpCode(rfcSecret, new Date(1_234_567_890_000))).toBe("005924");
  });

  it("accepts a code one step either side of now, and each step only once", () => {
    const at = new Date(1_234_567_890_000);
    const step = acceptTotp(rfcSecret, "005924", at, null);
    expect(step).toBe(Math.floor(1_234_567_890 / 30));
    expect(acceptTotp(rfcSecret, "005924", at, step)).toBeNull();
    const previous = totpCode(rfcSecret, new Date(at.getTime() - 30_000));
    expect(acceptTotp(rfcSecret, previous, at, null)).toBe((step ?? 0) - 1);
    const tooOld = totpCode(rfcSecret, new Date(at.getTime() - 90_000));
    expect(acceptTotp(rfcSecret, tooOld, at, null)).toBeNull();
    expect(acceptTotp(rfcSecret, "12345", at, null)).toBeNull();
    expect(acceptTotp(rfcSecret, "00 59 24", at, null)).toBe(step);
  });

  it("makes a new 160-bit secret and an address an authenticator app reads", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, "office");
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
  });
});
