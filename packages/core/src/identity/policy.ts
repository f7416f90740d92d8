/**
 * The shape a password must have (length, character classes): shared by the forms and the server.
 * The server also refuses easy guesses (`passwordProblems`, with dictionaries kept out of the web bundle).
 */
export const passwordPolicy = { minLength: 10, maxLength: 128, minClasses: 3, minScore: 3 } as const;

/** How many of: lower case, upper case, digits, anything else (symbols, Chinese characters). */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
}
