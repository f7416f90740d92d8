import { createHmac } from "node:crypto";
import { DeliveryError, postJson, type Sender } from "./delivery.ts";
import { robotMarkdown } from "./render.ts";
import { robotAnswer } from "./wecom.ts";

/**
 * 钉钉 custom robot's 加签 (signed secret): `sign` = urlencode(base64(HMAC-SHA256(key = secret,
 * message = timestamp + "\n" + secret))), with `timestamp` in milliseconds, sent as
 * `&timestamp=…&sign=…` after the robot's address; 钉钉 refuses a timestamp more than an hour off.
 * https://open.dingtalk.com/document/robots/customize-robot-security-settings
 */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
  return `${url}${url.includes("?") ? "&" : "?"}timestamp=${timestampMs}&sign=${encodeURIComponent(sign)}`;
}

/**
 * 钉钉 group robot (自定义机器人): POST `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`
 * to https://oapi.dingtalk.com/robot/send?access_token=…, signed when the robot has a secret;
 * answered `{"errcode":0,"errmsg":"ok"}`. At most 20 messages a minute per robot.
 * https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages
 */
export function dingtalkSender(opts: { baseUrl: string }): Sender {
  return async (m, now) => {
    if (!m.target) throw new DeliveryError("群机器人已被删除", true);
    if (!m.target.active) throw new DeliveryError("群机器人已停用", true);
    const { title, text } = robotMarkdown(m, opts.baseUrl);
    const url = m.target.secret
      ? dingtalkSignedUrl(m.target.url, m.target.secret, now.getTime())
      : m.target.url;
    const res = await postJson(url, JSON.stringify({ msgtype: "markdown", markdown: { title, text } }));
    robotAnswer(res.text, "钉钉");
  };
}
