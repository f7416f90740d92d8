/**
 * Documents an office may feed the importer that are not plans: assessment rules and indicator
 * tables (考核办法, 评分细则, 指标体系), annual reports on openness (政府信息公开工作年度报告),
 * year summaries (工作总结) and bulletins of results (通报). They look like plans — numbered items,
 * units, tables — so the importer says what they are instead of making tasks of them.
 *
 * Evidence, on the matching mirror:
 * - a title line (short, no full stop, near the top, not an item) naming such a document;
 * - scoring: point values at item ends (`(10分)`), 满分 / 总分 / 分值 / 扣N分 / 加N分, repeatedly;
 * - an annual report's fixed parts (统计期限, 本年新制作数量, 收到和处理政府信息公开申请情况…).
 * A document with a title line of a plan (…工作要点, …实施方案) is a plan whatever it mentions:
 * plans have tasks such as 编制并公布年度报告 and 完善考核办法.
 */
import type { Line, Source } from "./text.ts";
import { mir } from "./text.ts";

const KINDS: { title: RegExp; what: string }[] = [
  { title: /年度报告|年报/, what: "政府信息公开工作年度报告" },
  { title: /(工作)?总结(汇编)?$|工作总结|自查报告|情况报告/, what: "工作总结或情况报告" },
  { title: /通报$|情况的?通报|考核结果|评估结果|排名/, what: "考核或评估结果通报" },
  {
    title: /(考核|考评|评估|评议|评分)(办法|细则|实施细则|标准|方案|制度|表)|指标体系|评分表|考核表|评估指标/,
    what: "考核办法或评分细则(指标与分值)",
  },
];
const POINTS =
  /[(（]\s*(总分|满分)?\s*\d+(\.\d+)?\s*分\s*[)）]|满分|总分|分值|得分|扣\s*\d+(\.\d+)?\s*分|加\s*\d+(\.\d+)?\s*分|权重/g;
const REPORT =
  /统计期限|本年新制作|本年新公开|收到和处理政府信息公开申请情况|主动公开政府信息情况|政府信息公开行政复议|存在的主要问题及改进情况|其他需要报告的事项/g;

/** Why this text is not a plan (in Chinese, saying what to do), or null when it may be one. */
export function notPlanReason(src: Source, lines: Line[], hasPlanTitle: boolean): string | null {
  if (hasPlanTitle) return null;
  const head = lines.slice(0, 30).map((l) => mir(src, l).trim());
  // A notice title may wrap: the first lines joined count as one title too.
  const titles = [...head.filter((t) => t.length <= 80 && !/。./.test(t)), head.slice(0, 3).join("")];
  const say = (what: string) =>
    `这是一份${what},不是工作要点或任务分工,没有可导入的任务。请导入本年度的政务公开工作要点、实施方案或任务分工表。`;
  for (const k of KINDS) {
    if (
      titles.some((t) => k.title.test(t.replace(/\s/g, "")) && !/^\(?[一二三四五六七八九十\d]+[、.)]/.test(t))
    )
      return say(k.what);
  }
  const all = src.mirror;
  if ((all.match(POINTS) ?? []).length >= 4) return say("考核办法或评分细则(指标与分值)");
  if ((all.match(REPORT) ?? []).length >= 2) return say("政府信息公开工作年度报告");
  return null;
}
