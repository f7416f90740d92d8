/** Whatever the bytes, reading a file either succeeds or refuses it with a message — never crashes. */
import { DomainError } from "@gongkai/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/index.ts";

describe("random bytes under any file name", () => {
  it("are read or refused with INVALID_INPUT", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom("a.txt", "a.csv", "a.docx", "a.xlsx", "a", "a.bin"),
        async (bytes, name) => {
          try {
            const doc = await readDocument(bytes, name);
            expect(typeof doc.text).toBe("string");
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            expect((e as DomainError).code).toBe("INVALID_INPUT");
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
