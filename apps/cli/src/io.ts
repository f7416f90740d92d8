export type CommandResult = { json: unknown };

/** An expected failure: its message is one line, Chinese then English. */
export class CliError extends Error {
  constructor(zh: string, en: string) {
    super(`${zh} / ${en}`);
    this.name = "CliError";
  }
}
