import { describe, expect, it } from "vitest";
import { createUnitResolver, resolveUnitName, type UnitDirectory } from "../../src/index.ts";

const dir: UnitDirectory = {
  units: [
    { id: 1, name: "市政府办公室", shortName: "市政府办", aliases: [] },
    { id: 2, name: "市发展和改革委员会", shortName: null, aliases: [] },
    { id: 3, name: "市经济和信息化委员会", shortName: "市经信委", aliases: [] },
    { id: 4, name: "市住房和城乡规划建设局", aliases: [] },
    { id: 5, name: "市监察局", aliases: [] },
    { id: 6, name: "市信访局", aliases: [] },
    { id: 7, name: "省政府办公厅", aliases: [] },
    { id: 8, name: "镇人民政府", aliases: ["镇政府"] },
    { id: 9, name: "市人力资源和社会保障局", aliases: [] },
    { id: 10, name: "党政办", aliases: [] },
    { id: 11, name: "党政办", aliases: [] },
    { id: 12, name: "新华路街道办事处", aliases: [] },
    { id: 13, name: "县人民政府办公室", aliases: [] },
  ],
  groups: [
    { id: 101, name: "各村(社区)", aliases: ["各村（居）"] },
    { id: 102, name: "镇直各单位", aliases: [] },
    { id: 103, name: "市政府各部门", aliases: ["市直各部门"] },
    { id: 104, name: "各区县政府", aliases: ["各区、县人民政府", "各区县人民政府"] },
  ],
};

describe("unit names as documents write them → the directory", () => {
  it.each([
    ["市政府办公室", { kind: "unit", id: 1, how: "exact", confident: true }],
    ["市政府办", { kind: "unit", id: 1, how: "alias", confident: true }],
    ["镇政府", { kind: "unit", id: 8, how: "alias", confident: true }],
    ["省政府辦公廳", { kind: "unit", id: 7, how: "variant", confident: true }],
    ["市 监察局", { kind: "unit", id: 5, how: "variant", confident: true }],
    ["各村（社区）", { kind: "group", id: 101, how: "variant", confident: true }],
    ["各村〔社区〕", { kind: "group", id: 101, how: "variant", confident: true }],
    ["各村【社區】", { kind: "group", id: 101, how: "variant", confident: true }],
    ["镇直各单位", { kind: "group", id: 102, how: "exact", confident: true }],
    ["市直各部门", { kind: "group", id: 103, how: "alias", confident: true }],
    ["各区县政府", { kind: "group", id: 104, how: "exact", confident: true }],
    ["各區縣政府", { kind: "group", id: 104, how: "variant", confident: true }],
    ["市发改委", { kind: "unit", id: 2, how: "shortForm", confident: true }],
    ["市发展改革委", { kind: "unit", id: 2, how: "shortForm", confident: true }],
    ["市发展和改革委", { kind: "unit", id: 2, how: "shortForm", confident: true }],
    ["市人民政府办公室", { kind: "unit", id: 1, how: "shortForm", confident: true }],
    ["市经济和信息化委", { kind: "unit", id: 3, how: "shortForm", confident: true }],
    ["市人社局", { kind: "unit", id: 9, how: "shortForm", confident: true }],
    ["新华路街道", { kind: "unit", id: 12, how: "shortForm", confident: true }],
    ["县政府办", { kind: "unit", id: 13, how: "shortForm", confident: true }],
    ["县政府办公室", { kind: "unit", id: 13, how: "shortForm", confident: true }],
    ["市住房城乡规划建设局", { kind: "unit", id: 4, how: "fuzzy", confident: false }],
  ])("%s", (name, match) => {
    expect(resolveUnitName(name, dir)).toEqual(match);
  });

  it("a name two units share is matched, but not confidently", () => {
    expect(resolveUnitName("党政办", dir)).toEqual({ kind: "unit", id: 10, how: "exact", confident: false });
  });

  it("an unknown name is offered with the closest names", () => {
    const m = resolveUnitName("市信访办", dir);
    expect(m.kind).toBe("none");
    if (m.kind === "none") expect(m.suggestions[0]).toEqual({ kind: "unit", id: 6, name: "市信访局" });
    expect(resolveUnitName("", dir)).toEqual({ kind: "none", suggestions: [] });
    const far = resolveUnitName("县气象局", dir);
    expect(far.kind === "none" && far.suggestions.every((s) => s.name !== "市政府办公室")).toBe(true);
  });

  it("resolves 10,000 names against 2,000 units quickly with one index", () => {
    const units = Array.from({ length: 2000 }, (_, i) => ({
      id: i + 1,
      name: `第${i + 1}镇人民政府办公室`,
      shortName: `第${i + 1}镇政府办`,
      aliases: [],
    }));
    const resolver = createUnitResolver({ units, groups: dir.groups });
    const names = Array.from({ length: 10_000 }, (_, i) =>
      i % 3 === 0
        ? `第${(i % 2000) + 1}镇人民政府办公室`
        : i % 3 === 1
          ? `第${(i % 2000) + 1}镇政府办`
          : `第${i}镇信访办`,
    );
    const t0 = performance.now();
    const found = names.map((n) => resolver.resolve(n));
    const ms = performance.now() - t0;
    expect(found.filter((m) => m.kind === "unit").length).toBeGreaterThanOrEqual(6666);
    // A generous safety limit; the speed itself is reported by the benchmark.
    expect(ms).toBeLessThan(5000);
  });
});
