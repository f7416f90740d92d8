import { testDbKinds } from "@gongkai/db/testing";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, createFixture, type Fixture, outcome } from "./harness.ts";

/**
 * 督办通知单 (issue 15): a notice downloads as a .docx in 公文 layout — for the office that issued it
 * and for the unit it is addressed to, numbered 徐府督〔year〕n号 (徐府 from the plan's 徐府〔2023〕32号) in
 * the order the office issued them.
 */
describe.each(testDbKinds())("the printable supervision notice on %s", (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(kind);
  });
  afterAll(() => f?.database.drop());

  /** The document's text, paragraphs joined without breaks. */
  const text = async (contentBase64: string) =>
    (await mammoth.extractRawText({ buffer: Buffer.from(contentBase64, "base64") })).value.replace(
      /\s+/g,
      "",
    );

  it("downloads for the office and the unit addressed, numbered in issue order, not for others", async () => {
    const office = await callerAs(f.db, "office");
    const tasks = (await office.plans.get({ id: f.ids.planId })).tasks;
    const t17 = tasks.find((t) => t.code === "17");
    if (!t17) throw new Error("task 17 missing");
    const issue = (content: string) =>
      office.supervision.issue({ taskId: t17.id, unitId: f.ids.dangzheng, level: "supervise", content });
    const first = await issue("公文公开属性认定流程尚未完善,请于期限内报送整改情况。");
    const second = await issue("请补充整改佐证材料。");

    const file = await office.supervision.noticeDocx({ id: second.id });
    // The fixture has no notices of its own: these are the office's first and second of 2023.
    expect(file.fileName).toBe("徐府督〔2023〕2号 督办通知单(党政办公室).docx");
    expect((await office.supervision.noticeDocx({ id: first.id })).fileName).toMatch(/^徐府督〔2023〕1号 /);
    const body = await text(file.contentBase64);
    expect(body).toContain("党政办公室:");
    expect(body).toContain("请补充整改佐证材料。");
    expect(body).toContain(`(一)17.${t17.title}。完成时限:`);
    // Issued on 2023-07-01 (the fixture's today), reply in 5 working days: Fri 2023-07-07.
    expect(body).toContain("请于二〇二三年七月七日前");
    expect(body.endsWith("徐泾镇人民政府二〇二三年七月一日")).toBe(true);

    // The unit it is addressed to gets the same file; another unit and another town's office do not.
    const unit = await callerAs(f.db, "dangzheng");
    expect((await unit.supervision.noticeDocx({ id: second.id })).fileName).toBe(file.fileName);
    const otherUnit = await callerAs(f.db, "qianming");
    expect((await outcome(otherUnit.supervision.noticeDocx({ id: second.id }))).code).toBe("NOT_FOUND");
    const otherOffice = await callerAs(f.db, "baihe-office");
    expect((await outcome(otherOffice.supervision.noticeDocx({ id: second.id }))).code).toBe("NOT_FOUND");
    const evaluator = await callerAs(f.db, "evaluator");
    expect((await outcome(evaluator.supervision.noticeDocx({ id: second.id }))).code).toBe("FORBIDDEN");
  });
});
