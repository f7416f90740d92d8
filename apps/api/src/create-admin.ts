/**
 * Creates an administrator account on the database the environment names:
 *   DATABASE_URL=postgres://… pnpm create-admin --username admin --password '…' [--name 管理员]
 */
import { parseArgs } from "node:util";
import { passwordProblems } from "@gongkai/core/identity";
import { countUsers, createUser, systemActor } from "@gongkai/db";
import { createUserInput } from "@gongkai/validators";
import { env } from "./env.ts";
import { openDatabase } from "./server.ts";

const { values } = parseArgs({
  options: { username: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
});
const input = createUserInput.safeParse({
  username: values.username,
  password: values.password,
  displayName: values.name ?? "系统管理员",
  role: "admin",
  unitId: null,
});
if (!input.success) {
  console.error(`参数有误:${input.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join(";")}`);
  console.error(
    "用法:pnpm create-admin --username <用户名> --password <至少10位,含大小写字母、数字、符号中的三类> [--name <姓名>]",
  );
  process.exit(2);
}
const problems = passwordProblems(input.data.password, input.data);
if (problems.length > 0) {
  console.error(`密码不符合要求:${problems.join("")}`);
  process.exit(2);
}
const database = await openDatabase(env);
try {
  await database.migrate();
  const user = await createUser(database.db, systemActor, input.data);
  console.log(`已创建管理员「${user.username}」(共 ${await countUsers(database.db)} 个账号)。`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
} finally {
  await database.close();
}
