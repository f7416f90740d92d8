import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { noticeTitle, writeNoticeDocx } from "../../src/notice.ts";

const notice = {
  docNumber: "徐泾镇督〔2026〕3号",
  level: "supervise" as const,
  issuer: "徐泾镇人民政府",
  unitName: "党政办公室",
  planTitle: "关于徐泾镇2023年政务公开工作要点",
  tasks: [
    {
      code: "10",
      title: "做好政策文件公开",
      deadlines: [{ phrase: "3月31日前", dueDate: "2023-03-31" }],
    },
  ],
  content: "该任务已逾期,请抓紧落实。\n落实后及时报送佐证材料。",
  replyDueDate: "2026-12-14",
  issuedOn: "2026-12-07",
};

async function documentXml(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")?.async("string");
  if (!xml) throw new Error("no word/document.xml");
  return xml;
}

describe("the 督办通知单 .docx", () => {
  it("is a Word document in 公文 layout: 文号, 主送, fonts, 28 pt lines, the date in Chinese", async () => {
    const xml = await documentXml(await writeNoticeDocx(notice));
    const text = xml.replace(/<[^>]+>/g, "");
    expect(text).toContain("徐泾镇督〔2026〕3号");
    expect(text).toContain("关于“做好政策文件公开”任务的督办通知");
    expect(text).toContain("党政办公室:");
    expect(text).toContain("该任务已逾期,请抓紧落实。");
    expect(text).toContain("10. 做好政策文件公开。完成时限:3月31日前(二〇二三年三月三十一日)。");
    expect(text).toContain("请于二〇二六年十二月十四日前");
    // 落款 and 成文日期, right-aligned, last.
    expect(text.endsWith("徐泾镇人民政府二〇二六年十二月七日")).toBe(true);
    expect(xml).toMatch(/<w:jc w:val="right"\/>(?:(?!<w:p>).)*二〇二六年十二月七日/);
    // Body 仿宋_GB2312 三号 (32 half-points), headings 黑体, title 方正小标宋简体 22 pt (44).
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toMatch(/w:eastAsia="黑体"(?:(?!<\/w:r>).)*一、督办事项/);
    expect(xml).toMatch(/w:eastAsia="方正小标宋简体"(?:(?!<\/w:r>).)*<w:sz w:val="44"\/>/);
    expect(xml).toContain('<w:spacing w:line="560" w:lineRule="exact"');
    // A4 (11906 × 16838 twips) with margins 37 / 35 / 28 / 26 mm.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
  });

  it("names the first task and says 等 when there are several", () => {
    const two = { ...notice, tasks: [...notice.tasks, { code: "12", title: "其他", deadlines: [] }] };
    expect(noticeTitle(two)).toBe("关于“做好政策文件公开”等任务的督办通知");
    expect(noticeTitle({ level: "remind", tasks: [] })).toBe("关于有关任务的提醒通知");
  });
});
