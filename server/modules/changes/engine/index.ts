/**
 * Change management's pure engines: maintenance/blackout windows, schedule
 * conflicts and the iCalendar feed. No database, no clock, no I/O.
 */
export {
  type BlackoutWindow,
  type ChangeUnderTest,
  CONFLICT_RULES,
  type Conflict,
  type ConflictInput,
  type ConflictRule,
  findConflicts,
  type MaintenanceWindow,
  type OtherChange,
  relatedWithin,
} from "./conflicts.ts";
export {
  type CalendarChange,
  type CalendarStatus,
  calendarFeed,
  escapeText,
  eventUid,
  type FeedOptions,
  foldLine,
} from "./ical.ts";
export { assessRisk, type RiskInput, type RiskLevel, type RiskModel, type RiskResult, riskLevel } from "./risk.ts";
export { type Instant, type Interval, isTimeZone, overlaps, toMs, wallToInstant } from "./time.ts";
export {
  covers,
  firstUncovered,
  isRecurring,
  MAX_DURATION_MINUTES,
  MAX_OCCURRENCES,
  mergedOccurrences,
  type OneOffWindow,
  occurrences,
  type RecurringWindow,
  validateWindow,
  type WindowSpec,
} from "./windows.ts";
