import { roles } from "@gongkai/core/domain";
import { z } from "zod";
import { id, requiredText } from "./common.ts";

export const signInInput = z.object({
  username: requiredText(64),
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(256, "密码过长"),
});

const password = z
  .string({ error: "请填写密码" })
  .min(8, "密码至少 8 位")
  .max(128, "密码不能超过 128 位")
  .regex(/[A-Za-z]/, "密码需包含字母")
  .regex(/\d/, "密码需包含数字");

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
