import { taskAssignments, units } from "@gongkai/db/schema";
import { testDbKinds } from "@gongkai/db/testing";
import { eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";

async function xlsxBase64(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("单位目录");
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}
const unitCount = async (f: Fixture) =>
  (await f.db.select({ n: sql<number>`count(*)::int` }).from(units))[0]?.n ?? 0;

describe.each(testDbKinds())("unit directory on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  it("lists only the office's own government and what lies below it", async () => {
    const office = await callerAs(f.db, "office");
    const list = await office.units.list();
    expect(list[0]?.name).toBe("徐泾镇人民政府");
    expect(list).toHaveLength(1 + 12 + 3 + 8 + 6);
    expect(list.map((u) => u.name)).not.toContain("白鹤镇人民政府");
    const admin = await callerAs(f.db, "admin");
    expect((await admin.units.list()).map((u) => u.name)).toContain("白鹤镇人民政府");
  });

  it("creates, renames, moves and deletes units; refuses duplicates, cycles and units in use", async () => {
    const office = await callerAs(f.db, "office");
    const a = await office.units.create({
      parentId: f.ids.gov,
      name: "测试科",
      kind: "department",
      aliases: ["测科"],
    });
    const b = await office.units.create({ parentId: a.id, name: "测试组", kind: "other", aliases: [] });
    expect(b.path).toBe(`${a.path}${b.id}/`);
    const dup = await outcome(
      office.units.create({ parentId: f.ids.gov, name: "测试科", kind: "department", aliases: [] }),
    );
    expect(dup.code).toBe("CONFLICT");
    const cycle = await outcome(
      office.units.update({ id: a.id, parentId: b.id, name: "测试科", kind: "department", aliases: [] }),
    );
    expect(cycle.code).toBe("BAD_REQUEST");
    expect(cycle.message).toContain("下级单位");
    // Moving a unit moves its subtree.
    const c = await office.units.create({
      parentId: f.ids.gov,
      name: "新上级",
      kind: "department",
      aliases: [],
    });
    await office.units.update({
      id: a.id,
      parentId: c.id,
      name: "测试科(已迁移)",
      kind: "department",
      aliases: [],
    });
    const [moved] = await f.db.select().from(units).where(eq(units.id, b.id));
    expect(moved?.path).toBe(`${c.path}${a.id}/${b.id}/`);
    expect((await outcome(office.units.delete({ id: a.id }))).code).toBe("CONFLICT");
    await office.units.delete({ id: b.id });
    await office.units.delete({ id: a.id });
    expect((await outcome(office.units.delete({ id: f.ids.dangzheng }))).code).toBe("CONFLICT");
    // Another town's unit is invisible.
    expect((await outcome(office.units.delete({ id: f.ids.otherDept }))).code).toBe("NOT_FOUND");
  });

  it("changing a group's members changes the tasks assigned to the group as a whole", async () => {
    const office = await callerAs(f.db, "office");
    const groups = await office.units.groups.list();
    const g = groups.find((x) => x.name === "各村(居)");
    if (!g) throw new Error("group missing");
    const assigned = async (unitId: number) =>
      (await f.db.select().from(taskAssignments).where(eq(taskAssignments.unitId, unitId))).filter(
        (a) => a.viaGroupId === g.id,
      ).length;
    expect(await assigned(f.ids.qianming)).toBe(1);
    const newVillage = await office.units.create({
      parentId: f.ids.gov,
      name: "新建村村民委员会",
      kind: "village",
      aliases: [],
    });
    await office.units.groups.update({
      ...g,
      memberIds: [...g.memberIds.filter((m) => m !== f.ids.qianming), newVillage.id],
    });
    expect(await assigned(f.ids.qianming)).toBe(0);
    expect(await assigned(newVillage.id)).toBe(1);
    const created = await office.units.groups.create({
      ownerUnitId: f.ids.gov,
      name: "试点村",
      aliases: ["试点村居"],
      memberIds: [newVillage.id],
    });
    expect(created.memberIds).toEqual([newVillage.id]);
    expect(
      (await outcome(office.units.groups.create({ ...created, memberIds: [f.ids.otherDept] }))).code,
    ).toBe("BAD_REQUEST");
    await office.units.groups.delete({ id: created.id });
    expect((await office.units.groups.list()).map((x) => x.name)).not.toContain("试点村");
  });

  it("imports a directory from a real .xlsx: parents within the file, kinds by Chinese label, groups", async () => {
    const office = await callerAs(f.db, "office");
    const contentBase64 = await xlsxBase64([
      ["单位名称", "上级单位", "单位类型", "简称", "别名", "所属分组"],
      ["徐泾镇市场监督管理所", "徐泾镇人民政府", "部门/科室", "市场所", "市场监管所", "镇直各单位"],
      ["蟠中村村民委员会", "徐泾镇人民政府", "村", "蟠中村", "", "各村(居)、新村组"],
      ["蟠中村第一村民小组", "蟠中村村民委员会", "其他", "", "", ""],
    ]);
    const r = await office.units.import({ fileName: "目录.xlsx", contentBase64 });
    expect(r).toEqual({ created: 3, updated: 0, groupsCreated: 1, memberships: 3 });
    const list = await office.units.list();
    const group = list.find((u) => u.name === "蟠中村第一村民小组");
    const village = list.find((u) => u.name === "蟠中村村民委员会");
    expect(group?.parentId).toBe(village?.id);
    expect(list.find((u) => u.name === "徐泾镇市场监督管理所")).toMatchObject({
      kind: "department",
      shortName: "市场所",
      aliases: ["市场监管所"],
    });
    const groups = await office.units.groups.list();
    expect(groups.find((g) => g.name === "新村组")?.memberIds).toEqual([village?.id]);
  });

  it("imports a .csv, and refuses a file with a bad row without importing any of it", async () => {
    const office = await callerAs(f.db, "office");
    const csv = "单位名称,上级单位,单位类型\n徐泾镇退役军人服务站,徐泾镇人民政府,部门\n";
    const ok = await office.units.import({
      fileName: "a.csv",
      contentBase64: Buffer.from(csv).toString("base64"),
    });
    expect(ok.created).toBe(1);
    const before = await unitCount(f);
    const bad =
      "单位名称,上级单位,单位类型\n好单位,徐泾镇人民政府,部门\n坏单位,不存在的单位,部门\n怪单位,徐泾镇人民政府,火星\n";
    const r = await outcome(
      office.units.import({ fileName: "b.csv", contentBase64: Buffer.from(bad).toString("base64") }),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toContain("第3行");
    expect(r.message).toContain("不存在的单位");
    expect(r.message).toContain("第4行");
    expect(await unitCount(f)).toBe(before);
  });

  it("refuses a file that is not a table, and a corrupt .xlsx, with a clear message", async () => {
    const office = await callerAs(f.db, "office");
    const corrupt = await outcome(
      office.units.import({
        fileName: "坏文件.xlsx",
        contentBase64: Buffer.from("PK\u0003\u0004 not really").toString("base64"),
      }),
    );
    expect(corrupt.code).toBe("BAD_REQUEST");
    expect(corrupt.message).toMatch(/[\u4e00-\u9fff]/);
    const noHeader = await outcome(
      office.units.import({
        fileName: "x.csv",
        contentBase64: Buffer.from("甲,乙\n丙,丁\n").toString("base64"),
      }),
    );
    expect(noHeader.message).toContain("单位名称");
  });
});
