import { DeliveryError, postJson, type Sender } from "./delivery.ts";
import { robotMarkdown } from "./render.ts";

/**
 * 企业微信 group robot (群机器人): POST `{"msgtype":"markdown","markdown":{"content":…}}` to the robot's
 * webhook address (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…, or a 政务微信 private
 * deployment's); the answer `{"errcode":0,"errmsg":"ok"}` means sent. At most 20 messages a minute
 * per robot, markdown up to 4096 bytes.
 * https://developer.work.weixin.qq.com/document/path/91770
 */
export function wecomSender(opts: { baseUrl: string }): Sender {
  return async (m) => {
    if (!m.target) throw new DeliveryError("群机器人已被删除", true);
    if (!m.target.active) throw new DeliveryError("群机器人已停用", true);
    const { text } = robotMarkdown(m, opts.baseUrl);
    const res = await postJson(
      m.target.url,
      JSON.stringify({ msgtype: "markdown", markdown: { content: text } }),
    );
    robotAnswer(res.text, "企业微信");
  };
}

/** 企业微信 and 钉钉 both answer `{"errcode":0,"errmsg":"ok"}`; anything else is a failure to name. */
export function robotAnswer(text: string, who: string) {
  let answer: { errcode?: number; errmsg?: string };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new DeliveryError(`${who}返回了无法识别的内容:${text.slice(0, 200)}`);
  }
  if (answer.errcode !== 0)
    throw new DeliveryError(`${who}返回错误 ${answer.errcode}:${answer.errmsg ?? ""}`);
}
