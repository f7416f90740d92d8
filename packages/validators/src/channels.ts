import { notificationKinds, outboxStatuses, robotProviders, webhookEvents } from "@gongkai/core";
import { z } from "zod";
import { id, requiredText } from "./common.ts";

/** Text trimmed, and blank is "not given": the form's empty field, kept apart from a value that is wrong. */
const blankToNull = (v: unknown) => (typeof v === "string" ? v.trim() || null : v);

/** An address another system answers at: http(s), whole. */
const endpoint = z
  .string()
  .trim()
  .max(2000, "网址过长")
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "应为以 https:// 开头的完整网址,例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…");

const kinds = z.array(z.enum(notificationKinds, { error: "通知类型无效,请刷新页面后重试" })).max(20);

/** 账号 → 通知方式. */
export const notificationPreferencesInput = z.object({
  email: z.preprocess(
    blankToNull,
    z.email({ error: "邮箱格式不正确,例如 zhangsan@example.gov.cn" }).max(200, "邮箱过长").nullish(),
  ),
  emailKinds: kinds.default([]),
  phone: z.preprocess(
    (v) => (typeof v === "string" ? blankToNull(v.replace(/[\s-]/g, "")) : v),
    z
      .string()
      .regex(/^1[3-9]\d{9}$/, "请填写 11 位手机号码,例如 13800138000")
      .nullish(),
  ),
  smsKinds: kinds.default([]),
  digest: z.boolean().default(false),
});

/** A 企业微信 or 钉钉 group robot for one unit or one unit group; a blank URL or secret keeps what was set. */
export const robotInput = z.object({
  id: id.nullish(),
  provider: z.enum(robotProviders, { error: "请选择企业微信或钉钉" }),
  name: requiredText(50),
  url: z.preprocess(blankToNull, endpoint.nullish()),
  secret: z.preprocess(blankToNull, z.string().trim().max(200, "密钥过长").nullish()),
  clearSecret: z.boolean().optional(),
  unitId: id.nullish(),
  groupId: id.nullish(),
  kinds: kinds.min(1, "请至少选择一类要推送到群里的通知"),
  active: z.boolean().default(true),
});

/** An outbound webhook; a blank URL or secret on a change keeps what was set. */
export const webhookInput = z.object({
  id: id.nullish(),
  name: requiredText(50),
  url: z.preprocess(blankToNull, endpoint.nullish()),
  secret: z.preprocess(
    blankToNull,
    z.string().trim().min(16, "签名密钥至少 16 个字符").max(200, "签名密钥过长").nullish(),
  ),
  planId: id.nullish(),
  events: z
    .array(z.enum(webhookEvents, { error: "事件类型无效,请刷新页面后重试" }))
    .min(1, "请至少选择一个事件")
    .max(10),
  active: z.boolean().default(true),
});

/** 发送记录: newest first, of one status, 50 at a time (`beforeId`: the page after). */
export const listDeliveriesInput = z.object({
  status: z.enum(outboxStatuses).optional(),
  beforeId: id.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
