/**
 * `pnpm --silent cli <command> …` — command-line tools other programs depend on.
 * Contract: stdout carries only the JSON result; errors are one line on stderr (Chinese and
 * English) with exit code 2.
 */
import { parseCommand } from "./commands/parse.ts";
import { scoreCommand } from "./commands/score.ts";
import { CliError, type CommandResult } from "./io.ts";

const commands: Record<string, (args: string[]) => Promise<CommandResult>> = {
  parse: parseCommand,
  score: scoreCommand,
};

const usage =
  "用法 / usage: pnpm --silent cli parse <file> [--year YYYY] | pnpm --silent cli score <scheme.json|scheme.xlsx> <scores.csv>";

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`未知命令 / unknown command: ${name ?? "(none)"}. ${usage}\n`);
    return 2;
  }
  try {
    const result = await command(args);
    process.stdout.write(`${JSON.stringify(result.json)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`处理失败 / failed: ${message.replace(/\s+/g, " ")}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
