import { createHash, createHmac } from "node:crypto";
import { type NotificationKind, notificationKindLabels } from "@gongkai/core";
import { DeliveryError, postJson, type Sender } from "./delivery.ts";
import { smsParams } from "./render.ts";

/**
 * An SMS provider: one templated message to one mainland number. Providers send only templates
 * their console approved (with the sender's 签名), so a message is a template id and its parameters.
 */
export interface SmsProvider {
  readonly name: string;
  send(message: { phone: string; params: string[] }, now: Date): Promise<void>;
}

const sha256Hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s, "utf8").digest();

/**
 * TencentCloud API 3.0 signature v3 (TC3-HMAC-SHA256), as 签名方法 v3 states it
 * (https://cloud.tencent.com/document/api/382/52072 for SMS; the same steps, with a worked example,
 * at https://cloud.tencent.com/document/api/213/30654):
 *   1. CanonicalRequest = "POST\n/\n\n" + CanonicalHeaders + "\n" + SignedHeaders + "\n" + hex(sha256(payload)),
 *      CanonicalHeaders being `content-type:…\nhost:…\n` (and `x-tc-action:<action lower-cased>\n`
 *      when signed), keys lower-case and sorted;
 *   2. StringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date/service/tc3_request + "\n"
 *      + hex(sha256(CanonicalRequest)), `date` the UTC day of the timestamp;
 *   3. SecretSigning = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request"),
 *      Signature = hex(HMAC(SecretSigning, StringToSign));
 *   4. Authorization = "TC3-HMAC-SHA256 Credential=" + SecretId + "/" + scope + ", SignedHeaders=" + … + ", Signature=" + ….
 */
export function tc3Authorization(p: {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  contentType: string;
  /** Signed as the `x-tc-action` header when given (the documentation's current examples do). */
  action?: string;
  timestamp: number;
  payload: string;
}): string {
  const headers: [string, string][] = [
    ["content-type", p.contentType],
    ["host", p.host],
    ...(p.action ? ([["x-tc-action", p.action.toLowerCase()]] as [string, string][]) : []),
  ];
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v.trim().toLowerCase()}\n`).join("");
  const signedHeaders = headers.map(([k]) => k).join(";");
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, sha256Hex(p.payload)].join(
    "\n",
  );
  const date = new Date(p.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${p.service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(p.timestamp), scope, sha256Hex(canonicalRequest)].join(
    "\n",
  );
  const signing = hmac(hmac(hmac(`TC3${p.secretKey}`, date), p.service), "tc3_request");
  const signature = createHmac("sha256", signing).update(stringToSign, "utf8").digest("hex");
  return `TC3-HMAC-SHA256 Credential=${p.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

export type TencentSmsConfig = {
  secretId: string;
  secretKey: string;
  /** 短信应用 SDK AppID (1400…). */
  sdkAppId: string;
  /** The approved 签名 (sender's name), e.g. 徐泾镇人民政府. */
  signName: string;
  /** The approved template, with two parameters: `{1}:{2}` (see README). */
  templateId: string;
  region: string;
  /** https://sms.tencentcloudapi.com; another address only to test against a stand-in. */
  endpoint: string;
};

/**
 * Tencent Cloud SMS, SendSms of API version 2021-01-11 (https://cloud.tencent.com/document/api/382/55981):
 * POST JSON `{ PhoneNumberSet: ["+86…"], SmsSdkAppId, SignName, TemplateId, TemplateParamSet }` with
 * the headers X-TC-Action: SendSms, X-TC-Version: 2021-01-11, X-TC-Timestamp, X-TC-Region and the
 * TC3 Authorization. The answer's `Response.Error`, or a `SendStatusSet` entry whose Code is not
 * "Ok", is a failure.
 */
export function tencentSms(config: TencentSmsConfig): SmsProvider {
  const endpoint = new URL(config.endpoint);
  return {
    name: "腾讯云短信",
    async send({ phone, params }, now) {
      const payload = JSON.stringify({
        PhoneNumberSet: [phone.startsWith("+") ? phone : `+86${phone}`],
        SmsSdkAppId: config.sdkAppId,
        SignName: config.signName,
        TemplateId: config.templateId,
        TemplateParamSet: params,
      });
      const timestamp = Math.floor(now.getTime() / 1000);
      const contentType = "application/json; charset=utf-8";
      const authorization = tc3Authorization({
        secretId: config.secretId,
        secretKey: config.secretKey,
        service: "sms",
        host: endpoint.host,
        contentType,
        action: "SendSms",
        timestamp,
        payload,
      });
      const res = await postJson(endpoint.toString(), payload, {
        authorization,
        "content-type": contentType,
        "x-tc-action": "SendSms",
        "x-tc-version": "2021-01-11",
        "x-tc-timestamp": String(timestamp),
        "x-tc-region": config.region,
      });
      let answer: {
        Response?: {
          Error?: { Code: string; Message: string };
          SendStatusSet?: { Code: string; Message: string }[];
        };
      };
      try {
        answer = JSON.parse(res.text) as typeof answer;
      } catch {
        throw new DeliveryError(`腾讯云短信返回了无法识别的内容:${res.text.slice(0, 200)}`);
      }
      const error = answer.Response?.Error;
      if (error) throw new DeliveryError(`腾讯云短信:${error.Code} ${error.Message}`);
      const status = answer.Response?.SendStatusSet?.[0];
      if (!status) throw new DeliveryError("腾讯云短信没有返回发送结果");
      if (status.Code !== "Ok") throw new DeliveryError(`腾讯云短信:${status.Code} ${status.Message}`);
    },
  };
}

/** SMS through a provider, the template's parameters made from the message. */
export function smsSender(provider: SmsProvider): Sender {
  return async (m, now) => {
    if (!m.address) throw new DeliveryError("没有手机号码", true);
    const label = notificationKindLabels[m.kind as NotificationKind] ?? "工作提醒";
    await provider.send({ phone: m.address, params: smsParams(m, label) }, now);
  };
}
