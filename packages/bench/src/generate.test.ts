import { compileScheme, WorkingCalendar } from "@gongkai/core";
import { describe, expect, it } from "vitest";
import { generate, indicatorSystem, scales } from "./generate.ts";
import { CountingSink, copyField, MemorySink, sqlLiteral } from "./sinks.ts";

const opts = { passwordHash: "$argon2id$test", calendar: new WorkingCalendar([]) };

describe("the synthetic province generator", () => {
  it("gives the same rows for the same seed, and other rows for another seed", () => {
    const a = new CountingSink();
    const b = new CountingSink();
    const c = new CountingSink();
    generate(scales.tiny, a, opts);
    generate(scales.tiny, b, opts);
    generate(scales.tiny, c, { ...opts, seed: 7 });
    const digest = a.digest();
    expect(b.digest()).toBe(digest);
    expect(c.digest()).not.toBe(digest);
  });

  it("builds the tiny county: one county, its departments, two towns with offices and villages", () => {
    const sink = new MemorySink();
    const summary = generate(scales.tiny, sink, opts);
    expect(summary.unitsByLevel).toEqual({
      government: 1,
      department: 3 + 2 * 2,
      town: 2,
      village: 2,
      community: 4,
    });
    // One plan per government (the county and its two towns), 6 + 2 × 4 tasks.
    expect(summary.rows.plans).toBe(3);
    expect(summary.rows.tasks).toBe(14);
    // Two groups per government (departments, the level below) and the assessment group.
    expect(summary.rows.unit_groups).toBe(7);
    expect(summary.rows.assessment_scores).toBe(5 * 152);
    expect(summary.rows.evaluation_scores).toBe(5 * 150 * 2);
    const units = sink.rows.get("units") ?? [];
    // Paths are materialised from the root, region codes extend the parent's.
    for (const u of units) {
      const [id, parentId, path, , , , regionCode] = u as [
        number,
        number | null,
        string,
        string,
        string,
        string,
        string,
      ];
      expect(path.endsWith(`/${id}/`)).toBe(true);
      if (parentId !== null) {
        const parent = units.find((p) => p[0] === parentId) as unknown[];
        expect(path.startsWith(parent[2] as string)).toBe(true);
        expect(regionCode.startsWith(parent[6] as string)).toBe(true);
      }
    }
  });

  it("keeps one report per task, unit and period, and every report's task and unit exist", () => {
    const sink = new MemorySink();
    generate(scales.tiny, sink, opts);
    const taskIds = new Set((sink.rows.get("tasks") ?? []).map((t) => t[0]));
    const unitIds = new Set((sink.rows.get("units") ?? []).map((u) => u[0]));
    const keys = new Set<string>();
    for (const r of sink.rows.get("progress_reports") ?? []) {
      expect(taskIds.has(r[1])).toBe(true);
      expect(unitIds.has(r[2])).toBe(true);
      const key = `${r[1]}:${r[2]}:${r[4]}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
    }
    expect(keys.size).toBeGreaterThan(100);
  });

  it("writes indicator systems the core compiles (150 leaves, plus a veto and a bonus for the assessment)", () => {
    expect(
      compileScheme(indicatorSystem("评估", false)).nodes.filter((n) => n.children.length === 0),
    ).toHaveLength(150);
    expect(
      compileScheme(indicatorSystem("考核", true)).nodes.filter((n) => n.children.length === 0),
    ).toHaveLength(152);
  });

  it("escapes COPY text and SQL literals", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField("a\tb\\c\nd")).toBe("a\\tb\\\\c\\nd");
    expect(copyField(true)).toBe("t");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral(null)).toBe("NULL");
  });
});
