import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "./delivery.ts";
import { smsSender, tc3Authorization, tencentSms } from "./sms.ts";

/**
 * Tencent Cloud's signature v3, first against the worked example of its documentation
 * (https://cloud.tencent.com/document/api/213/30654: SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE,
 * timestamp 1551113065, POST to cvm.tencentcloudapi.com, signature 72e494ea…), then SendSms against
 * a local server that checks the request as Tencent would: recomputing the signature here, step by
 * step as the documentation states it.
 */
describe("TC3-HMAC-SHA256", () => {
  it("gives the documentation's worked example", () => {
    const authorization = tc3Authorization({
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
      service: "cvm",
      host: "cvm.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      timestamp: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });
});

type Received = { headers: IncomingHttpHeaders; body: string };

describe("Tencent Cloud SMS (SendSms 2021-01-11) against a local stand-in", () => {
  const secretId = "AKIDgongkaiTEST0000000000000000000000";
  const secretKey = "gongkaiTestSecretKey000000000000";
  const received: Received[] = [];
  let answer = "";
  let endpoint = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** What Tencent computes from the request it got (签名方法 v3, steps 1–4). */
  function expectedAuthorization(r: Received) {
    const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
    const hmac = (key: string | Buffer, msg: string) => createHmac("sha256", key).update(msg).digest();
    const timestamp = Number(r.headers["x-tc-timestamp"]);
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const canonicalRequest =
      "POST\n/\n\n" +
      `content-type:${String(r.headers["content-type"]).toLowerCase()}\n` +
      `host:${String(r.headers.host).toLowerCase()}\n` +
      `x-tc-action:${String(r.headers["x-tc-action"]).toLowerCase()}\n` +
      "\ncontent-type;host;x-tc-action\n" +
      sha256(r.body);
    const scope = `${date}/sms/tc3_request`;
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonicalRequest)}`;
    const signing = hmac(hmac(hmac(`TC3${secretKey}`, date), "sms"), "tc3_request");
    const signature = createHmac("sha256", signing).update(stringToSign).digest("hex");
    return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host;x-tc-action, Signature=${signature}`;
  }

  const provider = () =>
    tencentSms({
      secretId,
      secretKey,
      sdkAppId: "1400000001",
      signName: "徐泾镇人民政府",
      templateId: "2000001",
      region: "ap-guangzhou",
      endpoint,
    });

  it("sends the template and its parameters, signed as Tencent checks it", async () => {
    answer = JSON.stringify({
      Response: {
        SendStatusSet: [
          { SerialNo: "2640:1", PhoneNumber: "+8613800138000", Code: "Ok", Message: "send success" },
        ],
        RequestId: "a0aabda6-cf91-4f3e-a1e8-4d3f12e2c5f1",
      },
    });
    const now = new Date("2026-03-02T00:30:00Z"); // 08:30 China time
    const send = smsSender(provider());
    await send(
      {
        id: 7,
        channel: "sms",
        kind: "task.overdue",
        title: "任务已逾期:建立健全政务公开工作机制",
        body: "",
        link: "/my-tasks?task=1",
        address: "13800138000",
        meta: null,
      } as Parameters<typeof send>[0],
      now,
    );
    const r = received.at(-1);
    if (!r) throw new Error("nothing arrived");
    expect(JSON.parse(r.body)).toEqual({
      PhoneNumberSet: ["+8613800138000"],
      SmsSdkAppId: "1400000001",
      SignName: "徐泾镇人民政府",
      TemplateId: "2000001",
      TemplateParamSet: ["任务逾期提醒", "建立健全政务公开工作机制"],
    });
    expect(r.headers["x-tc-action"]).toBe("SendSms");
    expect(r.headers["x-tc-version"]).toBe("2021-01-11");
    expect(r.headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(r.headers["x-tc-timestamp"]).toBe(String(now.getTime() / 1000));
    expect(r.headers.authorization).toBe(expectedAuthorization(r));
  });

  it("fails with Tencent's error code, for the 发送记录", async () => {
    answer = JSON.stringify({
      Response: {
        Error: {
          Code: "AuthFailure.SignatureFailure",
          Message: "The provided credentials could not be validated.",
        },
        RequestId: "b1",
      },
    });
    await expect(provider().send({ phone: "13800138000", params: ["a", "b"] }, new Date())).rejects.toThrow(
      new DeliveryError(
        "腾讯云短信:AuthFailure.SignatureFailure The provided credentials could not be validated.",
      ),
    );
    answer = JSON.stringify({
      Response: {
        SendStatusSet: [
          { Code: "LimitExceeded.PhoneNumberDailyLimit", Message: "单个手机号日下发条数超过设定的上限" },
        ],
        RequestId: "b2",
      },
    });
    await expect(provider().send({ phone: "13800138000", params: ["a", "b"] }, new Date())).rejects.toThrow(
      /LimitExceeded\.PhoneNumberDailyLimit/,
    );
  });
});
