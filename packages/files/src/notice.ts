/**
 * 督办通知单 as a .docx in 公文 layout (after GB/T 9704-2012, without the red-ink seal): the issuing
 * office's name in red over its 文号 and a red rule, the title in 方正小标宋简体 22 pt centred, the
 * unit addressed (主送), the body in 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt line, headings in 黑体,
 * the tasks with their deadlines, the reply deadline, and the 落款 with the date in Chinese numerals
 * right-aligned. A4 with the 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
 */
import { chineseDate, type NoticeLevel, noticeLevelLabels } from "@gongkai/core";
import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, TextRun } from "docx";

export type NoticeFile = {
  /** 文号, e.g. 徐泾镇督〔2026〕3号. */
  docNumber: string;
  level: NoticeLevel;
  /** The issuing office (落款), e.g. 徐泾镇人民政府. */
  issuer: string;
  /** 主送: the unit the notice is addressed to. */
  unitName: string;
  planTitle: string;
  tasks: { code: string; title: string; deadlines: { phrase: string; dueDate: string | null }[] }[];
  /** What the office wrote. */
  content: string;
  /** ISO dates. */
  replyDueDate: string;
  issuedOn: string;
};

const mm = (x: number) => Math.round((x * 1440) / 25.4);
/** Half-points: 三号 is 16 pt, 二号 22 pt. */
const pt = (x: number) => x * 2;
const fonts = {
  title: "方正小标宋简体",
  body: "仿宋_GB2312",
  heading: "黑体",
  /** Digits and Latin letters in the body. */
  latin: "Times New Roman",
};
/** Twips: a fixed 28 pt line; two characters of 三号 (a paragraph's first-line indent). */
const line = { line: 28 * 20, lineRule: LineRuleType.EXACT };
const twoChars = 2 * 16 * 20;
const red = "E60012";

const run = (text: string, font: string, size = 16, opts: { color?: string; bold?: boolean } = {}) =>
  new TextRun({
    text,
    font: { ascii: fonts.latin, hAnsi: fonts.latin, eastAsia: font, cs: fonts.latin },
    size: pt(size),
    ...opts,
  });

/** A body paragraph: 仿宋, indented two characters. */
const body = (text: string) =>
  new Paragraph({ spacing: line, indent: { firstLine: twoChars }, children: [run(text, fonts.body)] });
/** 一、二、 headings: 黑体, indented as the body. */
const heading = (text: string) =>
  new Paragraph({ spacing: line, indent: { firstLine: twoChars }, children: [run(text, fonts.heading)] });
const right = (text: string, rightChars = 4) =>
  new Paragraph({
    spacing: line,
    alignment: AlignmentType.RIGHT,
    indent: { right: (rightChars / 2) * twoChars },
    children: [run(text, fonts.body)],
  });

const numbered = ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)", "(七)", "(八)", "(九)", "(十)"];

export function noticeTitle(n: Pick<NoticeFile, "level" | "tasks">): string {
  const first = n.tasks[0];
  const what = first ? `“${first.title}”${n.tasks.length > 1 ? "等" : ""}任务` : "有关任务";
  return `关于${what}的${noticeLevelLabels[n.level]}通知`;
}

export async function writeNoticeDocx(n: NoticeFile): Promise<Uint8Array> {
  const title = noticeTitle(n);
  const taskLines = n.tasks.map((t, i) => {
    const due = t.deadlines.length
      ? t.deadlines.map((d) => (d.dueDate ? `${d.phrase}(${chineseDate(d.dueDate)})` : d.phrase)).join(";")
      : "持续推进";
    return body(`${numbered[i] ?? `(${i + 1})`}${t.code ? `${t.code}. ` : ""}${t.title}。完成时限:${due}。`);
  });
  const doc = new Document({
    creator: n.issuer,
    title: `${title}(${n.docNumber})`,
    styles: { default: { document: { run: { font: fonts.body, size: pt(16) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) },
          },
        },
        children: [
          // 版头: the office's name in red, the 文号, a red rule.
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [run(`${n.issuer}督办通知单`, fonts.title, 26, { color: red })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { ...line, after: 120 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: red, space: 4 } },
            children: [run(n.docNumber, fonts.body)],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 480, after: 480, line: 36 * 20, lineRule: LineRuleType.EXACT },
            children: [run(title, fonts.title, 22)],
          }),
          new Paragraph({ spacing: line, children: [run(`${n.unitName}:`, fonts.body)] }),
          ...n.content
            .split(/\n+/)
            .map((p) => p.trim())
            .filter(Boolean)
            .map(body),
          heading("一、督办事项"),
          body(`《${n.planTitle}》中由你单位承担的以下任务:`),
          ...taskLines,
          heading("二、办理要求"),
          body(
            `请于${chineseDate(n.replyDueDate)}前将办理情况书面回复${n.issuer},并在政务公开工作平台“我的任务”中回复本通知;逾期未回复的,将按程序升级督办。`,
          ),
          new Paragraph({ spacing: { ...line, before: 560 }, children: [] }),
          right(n.issuer),
          right(chineseDate(n.issuedOn)),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
