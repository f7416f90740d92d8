import type { OutboxMessage } from "@gongkai/db/outbox";
import { absoluteLink } from "./delivery.ts";

/** What every message ends with: the product's name (a 钉钉 robot checking a keyword finds 政务公开 in it). */
export const signature = "政务公开工作平台";

type Message = Pick<OutboxMessage, "title" | "body" | "link" | "kind" | "meta"> & { unitName: string | null };
type DigestItem = { title: string; body: string; link: string | null; at: string };

const digestItems = (m: Message): DigestItem[] =>
  m.kind === "digest" ? ((m.meta as { items?: DigestItem[] } | null)?.items ?? []) : [];

const linkLabel = (link: string) => (link.startsWith("/my-tasks") ? "打开任务" : "查看详情");

/** An email's subject and plain text (links written out in full: every mail client opens them). */
export function emailText(m: Message, baseUrl: string) {
  const items = digestItems(m);
  const lines =
    items.length > 0
      ? items.flatMap((i, n) => [
          `${n + 1}. ${i.title}(${i.at})`,
          ...(i.body ? [`   ${i.body}`] : []),
          ...(i.link ? [`   ${absoluteLink(baseUrl, i.link)}`] : []),
          "",
        ])
      : [
          ...(m.body ? [m.body, ""] : []),
          ...(m.link ? [`${linkLabel(m.link)}:${absoluteLink(baseUrl, m.link)}`, ""] : []),
        ];
  return {
    subject: m.title,
    text: [...lines, `—— ${signature}(系统自动发送,请勿回复此邮件)`].join("\n"),
  };
}

/** The longest start of `s` within `bytes` bytes of UTF-8, never cutting a character. */
function cutToBytes(s: string, bytes: number): string {
  let used = 0;
  let out = "";
  for (const ch of s) {
    used += Buffer.byteLength(ch);
    if (used > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * A group robot's markdown (企业微信 and 钉钉 read the same subset: bold, quote, link): the unit the
 * message is about first — one group often holds many units — then the text and a link to the task.
 * 企业微信 takes at most 4096 bytes: a long text is shortened, never the link.
 */
export function robotMarkdown(m: Message, baseUrl: string, maxBytes = 4000) {
  const title = `${m.unitName ? `【${m.unitName}】` : ""}${m.title}`;
  const link = absoluteLink(baseUrl, m.link);
  const head = `**${title}**`;
  const tail = [...(link && m.link ? [`[${linkLabel(m.link)}](${link})`] : []), signature].join("\n");
  const room = maxBytes - Buffer.byteLength(`${head}\n> \n${tail}`);
  let body = m.body.replace(/\n+/g, "\n> ");
  if (Buffer.byteLength(body) > room) body = `${cutToBytes(body, room - 3)}…`;
  return { title, text: [head, ...(body ? [`> ${body}`] : []), tail].join("\n") };
}

/** The two parameters of the SMS template `{1}:{2}` (see README): what happened, and about what. */
export function smsParams(m: Message, kindLabel: string): [string, string] {
  const items = digestItems(m);
  const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  if (items.length > 0) return ["今日汇总", `${items.length}条消息`];
  return [short(kindLabel, 12), short(m.title.replace(/^[^:]*:/, ""), 20)];
}
