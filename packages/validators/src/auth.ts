import { roles } from "@gongkai/core/domain";
import { characterClasses, passwordPolicy } from "@gongkai/core/password-policy";
import { z } from "zod";
import { id, requiredText } from "./common.ts";

const otp = z
  .string()
  .trim()
  .regex(/^\d{3}\s?\d{3}$/, "动态验证码是 6 位数字,请按验证器应用上显示的输入。");

export const signInInput = z.object({
  username: requiredText(64),
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(256, "密码过长"),
  /** The second factor's code, for accounts that have one. */
  otp: otp.optional(),
});

/**
 * A new password's shape (length and character classes); whether it is easy to guess is checked on
 * the server (`passwordProblems` in core, with its dictionaries).
 */
const password = z
  .string({ error: "请填写密码" })
  .min(passwordPolicy.minLength, `密码至少 ${passwordPolicy.minLength} 位`)
  .max(passwordPolicy.maxLength, `密码不能超过 ${passwordPolicy.maxLength} 位`)
  .refine(
    (p) => characterClasses(p) >= passwordPolicy.minClasses,
    "密码需包含大写字母、小写字母、数字、符号中的至少三类",
  );

export const changePasswordInput = z.object({
  currentPassword: z.string({ error: "请填写当前密码" }).min(1, "请填写当前密码").max(256, "密码过长"),
  newPassword: password,
});

export const totpEnableInput = z.object({
  secret: z.string().regex(/^[A-Z2-7]{16,64}$/, "密钥格式不对,请重新开始设置两步验证。"),
  code: otp,
});

export const totpDisableInput = z.object({
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(256, "密码过长"),
});

export const userInput = z.object({
  username: z
    .string({ error: "请填写用户名" })
    .trim()
    .min(2, "用户名至少 2 个字符")
    .max(64, "用户名不能超过 64 个字符")
    .regex(/^[A-Za-z0-9_.-]+$/, "用户名只能包含字母、数字、下划线、点和连字符"),
  displayName: requiredText(64),
  role: z.enum(roles, { error: "请选择角色:系统管理员、政务公开办、责任单位或评估人员" }),
  unitId: id.nullable(),
  active: z.boolean().optional(),
});

export const createUserInput = userInput.extend({ password });
export const updateUserInput = userInput.extend({ id, password: password.optional() });
