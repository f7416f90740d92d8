export { type CalendarException, WorkingCalendar } from "./calendar.ts";
export { dueDateOf, type Period, periodsOf } from "./due.ts";
export {
  type DeadlineOptions,
  type FoundDeadline,
  findDeadlines,
  isOngoingWording,
  parseDeadlinePhrase,
  parseDeadlinePhrases,
  shiftFound,
  toParsedDeadline,
} from "./phrases.ts";
export * from "./types.ts";
