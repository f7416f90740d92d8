/**
 * A task's title: its short heading, up to the first 。 of its first line (trailing punctuation
 * dropped). One exception: text flattened from a web page runs the heading into the body with no
 * punctuation (一、推进政府信息公开规范化建设健全完善…). When the first sentence is long and its
 * first clause starts with a heading verb, the title is cut where a heading-final word
 * (…公开, …建设, …机制) meets a sentence-opening word (健全, 按照, 依法…) — or, failing that, after
 * the first …公开 — and the task is flagged so a person checks the cut.
 */
const HEADING_VERB =
  /^(全面|积极|继续|进一步|大力|着力|切实|严格|扎实|持续|不断|深入|统筹|加快|认真|重点|主动|狠抓|依法)?(推进|加强|强化|深化|梳理|规范|完善|健全|建立|推动|做好|抓好|落实|提升|提高|扩大|创新|优化|拓展|探索|实施|实行|开展|打造|构建|夯实|统筹|明确|聚焦|突出|坚持|用好|丰富|发挥|保障|巩固|加大)/;
const HEADING_END =
  /(公开|建设|权力|机制|制度|工作|管理|平台|服务|体系|能力|水平|解读|关切|参与|监督|清单|目录|网站|改革|标准化|规范化|信息化|落实|保障)$/;
const OPENERS =
  /^(健全|完善|依法|继续|按照|根据|深化|扩大|所有|在|要|各|加强|加快|坚持|围绕|紧紧|以|进一步|积极|大力|全面|建立|推进|推动|着力|认真|严格|切实|对|把|将|通过|结合|充分|制定|落实|开展|做好|强化|明确|探索|鼓励|引导|凡|由|同时|重点|主动|及时|定期|构建|实行|实施|编制|组织|利用|依托|本着|针对|提升|提高|统筹|优化)/;

export type TitleCut = { length: number; guessed: boolean };

/** Where the title ends in `first` (the task's first line, as the mirror). */
/** A full stop: 。, or a . between Chinese characters (text read from a PDF or a scan). */
const FULL_STOP = /。|(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff《“(])/;

export function titleCut(first: string): TitleCut {
  const stop = first.search(FULL_STOP);
  const sentence = stop < 0 ? first : first.slice(0, stop);
  let length = sentence.length;
  while (length > 0 && /[。;,:、\s]/.test(sentence[length - 1] as string)) length--;
  if (sentence.length <= 30) return { length, guessed: false };
  const clauseEnd = sentence.search(/[,;:、(]/);
  // Only the head of the sentence can be a heading (and this keeps the scan short on huge lines).
  const clause = (clauseEnd < 0 ? sentence : sentence.slice(0, clauseEnd)).slice(0, 60);
  if (clause.length < 12 || !HEADING_VERB.test(clause)) return { length, guessed: false };
  for (let i = 4; i <= clause.length - 2; i++) {
    if (HEADING_END.test(clause.slice(0, i)) && OPENERS.test(clause.slice(i)))
      return { length: i, guessed: true };
  }
  const pub = clause.indexOf("公开", 4);
  const rest = pub < 0 ? "" : clause.slice(pub + 2);
  if (
    sentence.length > 50 &&
    pub >= 0 &&
    pub + 2 <= 20 &&
    rest.length >= 4 &&
    /^[\u4e00-\u9fff]/.test(rest) &&
    !/^[的之和与及等中]/.test(rest)
  ) {
    return { length: pub + 2, guessed: true };
  }
  return { length, guessed: false };
}
