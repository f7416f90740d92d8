/**
 * Rankings as they were published (issue 18, item 5): each table in test/fixtures/published is
 * scored from its scheme and scores, and every unit must get the published rank and total. The
 * expectations are the published tables, copied by hand (see the README there for the sources).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assess, type IndicatorSystem, type ScoreRow } from "../../src/index.ts";

const dir = fileURLToPath(new URL("../fixtures/published/", import.meta.url));

/** The fixtures' CSV has no quoted fields: a header line, then comma-separated rows. */
const csv = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","));

function table(name: string) {
  const scheme = JSON.parse(readFileSync(`${dir}${name}.scheme.json`, "utf8")) as IndicatorSystem;
  const scores: ScoreRow[] = csv(`${dir}${name}.scores.csv`).map(([unit, indicator, value]) => ({
    unit: unit as string,
    indicator: indicator as string,
    value: Number(value),
  }));
  const published = new Map(
    csv(`${dir}${name}.published.csv`).map(([rank, unit, total]) => [
      unit as string,
      { rank: Number(rank), total: Number(total) },
    ]),
  );
  return { scheme, scores, published };
}

const ranked = (scheme: IndicatorSystem, scores: ScoreRow[]) =>
  new Map(assess(scheme, scores).units.map((u) => [u.unit, { rank: u.rank, total: u.total }]));

describe("published rankings reproduce exactly", () => {
  it.each([
    ["sichuan-land-cities-2011", "competition", 21],
    ["ministries-websites-2016", "dense", 17],
    ["ministries-websites-2014", "competition", 21],
    ["ministries-websites-2022", "dense", 17],
    ["liangshan-county-offices-2011", "competition", 5],
  ])("%s (%s, %i units): every published rank and total", (name, convention, count) => {
    const { scheme, scores, published } = table(name);
    expect(scheme.ranking).toBe(convention);
    expect(published.size).toBe(count);
    expect(ranked(scheme, scores)).toEqual(published);
  });

  it("the Sichuan totals are the sums of their published parts, e.g. 宜宾市 48 + 4.5 + 5 + 3.3 + 2 = 62.8", () => {
    const { scheme, scores } = table("sichuan-land-cities-2011");
    const yibin = assess(scheme, scores).units.find((u) => u.unit === "宜宾市");
    expect(yibin).toMatchObject({ total: 62.8, rank: 13 });
    expect(yibin?.indicators).toEqual({ G: 48, S: 4.5, P: 5, D: 3.3, R: 2 });
  });

  it("the Liangshan totals are the sums of their five published parts, e.g. 普格县 14 + 37.1 + 5 + 30 + 5 = 91.1", () => {
    const { scheme, scores } = table("liangshan-county-offices-2011");
    const puge = assess(scheme, scores).units.find((u) => u.unit === "普格县");
    expect(puge).toMatchObject({ total: 91.1, rank: 3 });
    expect(puge?.indicators).toEqual({ J: 14, Z: 37.1, Y: 5, M: 30, Q: 5 });
  });

  it("ranked by the competition convention instead, the dense 2016 table would read 6, 6, 8, 8, 10", () => {
    const { scheme, scores } = table("ministries-websites-2016");
    const competition = ranked({ ...scheme, ranking: "competition" }, scores);
    expect(
      ["水利部", "公安部", "国土资源部", "科技部", "卫生计生委"].map((u) => competition.get(u)?.rank),
    ).toEqual([6, 6, 8, 8, 10]);
  });
});
