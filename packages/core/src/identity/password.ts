import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import { characterClasses, passwordPolicy } from "./policy.ts";

/**
 * The password policy of 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 a: 口令具有复杂度要求): at least
 * 10 characters, three of the four classes (upper, lower, digits, symbols), not the user's name, and
 * not easy to guess. "Easy to guess" is zxcvbn's estimate (the strength meter most sites use) over
 * its list of 30,000 leaked passwords and common words, plus the words a Chinese office reaches for
 * first (pinyin, the product and the institution), l33t spellings and keyboard walks included:
 * "Admin@123456" and "Woaini@1314" meet the character rules and are still refused.
 */

/** Words to refuse inside a password besides zxcvbn's own lists. */
const chineseWords = [
  "woaini",
  "aini",
  "zhongguo",
  "china",
  "beijing",
  "shanghai",
  "guangzhou",
  "shenzhen",
  "zhengwu",
  "zhengfu",
  "gongkai",
  "gongban",
  "bangong",
  "xinxi",
  "xinxigongkai",
  "renmin",
  "dangzheng",
  "admin",
  "administrator",
  "office",
  "unit",
  "evaluator",
  "gongkaiban",
  "zhengwugongkai",
  "yiersan",
  "qwe",
  "asd",
  "zxc",
  "wodemima",
  "mima",
  "nihao",
  "xiexie",
  "baihe",
  "qingpu",
];

let factory: ZxcvbnFactory | undefined;
const estimator = () =>
  (factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, chinese: chineseWords },
    graphs: common.adjacencyGraphs,
  }));

/**
 * What is wrong with a new password, in Chinese, one sentence per problem; empty when it may be
 * used. `userInputs` are the account's own words (user name, display name), refused inside it too.
 */
export function passwordProblems(
  password: string,
  account: { username: string; displayName?: string },
): string[] {
  const problems: string[] = [];
  if (password.length < passwordPolicy.minLength) problems.push(`密码至少 ${passwordPolicy.minLength} 位。`);
  if (password.length > passwordPolicy.maxLength)
    problems.push(`密码不能超过 ${passwordPolicy.maxLength} 位。`);
  if (characterClasses(password) < passwordPolicy.minClasses)
    problems.push("密码需包含大写字母、小写字母、数字、符号中的至少三类。");
  const lower = password.toLowerCase();
  const name = account.username.toLowerCase();
  if (name.length >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join(""))))
    problems.push("密码不能包含用户名。");
  if (problems.length === 0 && password.length <= passwordPolicy.maxLength) {
    const inputs = [account.username, account.displayName ?? ""].filter((s) => s.length >= 3);
    const { score } = estimator().check(password, inputs);
    if (score < passwordPolicy.minScore)
      problems.push(
        "密码太常见、容易被猜到(如常用密码、单词或拼音加年份、键盘连续键),请换一个:可把两三个不相关的词与数字、符号组合起来。",
      );
  }
  return problems;
}
