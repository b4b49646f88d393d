/**
 * Maintenance and blackout windows: one-off intervals, or recurrences
 * expanded in the window's own time zone.
 *
 * A recurrence is an RRULE (RFC 5545 §3.3.10), a local start (`dtstart`, wall
 * clock in `timezone`), a length in minutes and an IANA zone. The rule is
 * expanded on the wall clock, with no time zone at all (the `rrule` package in
 * its "floating" mode, which is plain UTC arithmetic and does not depend on the
 * process's TZ), and each occurrence's local start and local end (start +
 * durationMinutes, on the wall clock) are then turned into instants by
 * `wallToInstant` in time.ts. So "every Sunday 02:00 for 120 minutes,
 * Europe/Berlin" is 02:00–04:00 local all year: 01:00–03:00 UTC in winter,
 * 00:00–02:00 UTC in summer.
 *
 * Why not rrule's own `tzid`: its results depend on the process's time zone
 * (the same rule gives different instants under TZ=UTC and
 * TZ=America/New_York) and it resolves the nonexistent 02:00 of a
 * spring-forward Sunday to the hour before the gap.
 *
 * Daylight-saving days (see time.ts for the rule; a wall time means the first
 * instant the clock reads it or later):
 * - start or end in a gap moves to the moment of the change: "Sunday 02:00–04:00
 *   Europe/Berlin" on the last Sunday of March is 03:00–04:00 CEST (one hour);
 *   an occurrence lying wholly inside the gap (02:00–02:30 that night) is empty
 *   and left out;
 * - start or end in an overlap takes the first of the two instants: on the last
 *   Sunday of October the same window is 02:00 CEST – 04:00 CET (three hours).
 * An occurrence therefore keeps its local times, and its length in real time
 * differs from durationMinutes by the offset change it spans.
 */
import { createRequire } from "node:module";
import type * as RRuleModule from "rrule";
import {
  DAY_MS,
  type Instant,
  type Interval,
  instantToWall,
  isTimeZone,
  MINUTE_MS,
  toMs,
  wallMs,
  wallToInstant,
} from "./time.ts";

// rrule ships a UMD bundle as `main` and extension-less ES modules as `module`:
// Node's ESM loader finds no named exports in the first and cannot load the second.
// require() loads the bundle the same way under Node, tsx and Vitest.
const { RRule, Frequency } = createRequire(import.meta.url)("rrule") as typeof RRuleModule;

/** A one-off window [start, end). */
export interface OneOffWindow {
  start: Instant;
  end: Instant;
}

/** A recurring window: the rule expanded on `timezone`'s wall clock from `dtstart`. */
export interface RecurringWindow {
  /** The RRULE value, e.g. "FREQ=WEEKLY;BYDAY=SU" (an "RRULE:" prefix is accepted; DTSTART/TZID are not: use the fields). */
  rrule: string;
  /**
   * The first occurrence's local start, "YYYY-MM-DDTHH:MM[:SS]" on `timezone`'s wall clock.
   * With an offset or "Z" (or as a Date) it is an instant, and its wall-clock reading in `timezone` is used.
   */
  dtstart: string | Date;
  /** Length of each occurrence on the wall clock, whole minutes, 1 … 527040 (a leap year). */
  durationMinutes: number;
  /** IANA zone, e.g. "Europe/Berlin". */
  timezone: string;
}

export type WindowSpec = OneOffWindow | RecurringWindow;

export const MAX_DURATION_MINUTES = 527_040;
/** occurrences() refuses to return more than this many (a safeguard against "FREQ=HOURLY" over a century). */
export const MAX_OCCURRENCES = 50_000;

export function isRecurring(window: WindowSpec): window is RecurringWindow {
  return "rrule" in window && typeof window.rrule === "string";
}

interface CompiledRecurrence {
  rule: RRuleModule.RRule;
  durationMinutes: number;
  timezone: string;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const ALLOWED_FREQ = new Set<number>([
  Frequency.YEARLY,
  Frequency.MONTHLY,
  Frequency.WEEKLY,
  Frequency.DAILY,
  Frequency.HOURLY,
]);

/** Wall milliseconds of a recurring window's dtstart, or a problem. */
function dtstartWall(window: RecurringWindow): number | string {
  const { dtstart, timezone } = window;
  if (typeof dtstart === "string") {
    const m = LOCAL_DATE_TIME.exec(dtstart);
    if (m) {
      const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const wall = wallMs(y, mo, d, h, mi, s);
      const back = new Date(wall);
      // Reject 2025-02-30 and 24:00 rather than let Date roll them over.
      if (back.getUTCMonth() + 1 !== mo || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
        return `dtstart ${JSON.stringify(dtstart)} is not a valid local date and time`;
      }
      return wall;
    }
  }
  try {
    return instantToWall(timezone, toMs(dtstart));
  } catch {
    return `dtstart ${JSON.stringify(dtstart)}: expected "YYYY-MM-DDTHH:MM[:SS]" (local time) or an ISO instant`;
  }
}

function compile(window: RecurringWindow): CompiledRecurrence | string[] {
  const problems: string[] = [];
  if (!isTimeZone(window.timezone))
    problems.push(`timezone ${JSON.stringify(window.timezone)} is not an IANA time zone`);
  const d = window.durationMinutes;
  if (!Number.isInteger(d) || d < 1 || d > MAX_DURATION_MINUTES) {
    problems.push(`durationMinutes must be a whole number from 1 to ${MAX_DURATION_MINUTES}`);
  }
  const text = String(window.rrule)
    .trim()
    .replace(/^RRULE:/i, "");
  let options: Partial<RRuleModule.Options> | undefined;
  if (/[\r\n]|DTSTART|TZID/i.test(text)) {
    problems.push("rrule: give only the RRULE value (DTSTART and the zone are fields of their own)");
  } else {
    try {
      options = RRule.parseString(text);
    } catch (e) {
      problems.push(`rrule: ${(e as Error).message}`);
    }
    if (options && (options.freq === undefined || options.freq === null || !ALLOWED_FREQ.has(options.freq))) {
      problems.push("rrule: FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY");
      options = undefined;
    }
  }
  const start = isTimeZone(window.timezone) ? dtstartWall(window) : undefined;
  if (typeof start === "string") problems.push(start);
  if (problems.length === 0 && options && typeof start === "number") {
    if (options.until) {
      // UNTIL in UTC ("…Z", what RFC 5545 requires with a zoned DTSTART) is an instant: read it on the zone's
      // wall clock. A date alone bounds the recurrence through the end of that local day; a local date-time is
      // a wall time already.
      const raw = /UNTIL=([0-9TZ]+)/i.exec(text)?.[1] ?? "";
      const untilMs = options.until.getTime();
      if (/Z$/i.test(raw)) options.until = new Date(instantToWall(window.timezone, untilMs));
      else if (/^\d{8}$/.test(raw)) options.until = new Date(untilMs + DAY_MS - 1000);
    }
    try {
      const rule = new RRule({ ...options, dtstart: new Date(start), tzid: null }, true);
      return { rule, durationMinutes: d, timezone: window.timezone };
    } catch (e) {
      return [`rrule: ${(e as Error).message}`];
    }
  }
  return problems;
}

/** What is wrong with a window definition (empty when it is valid). Routes can show these as 400 details. */
export function validateWindow(window: WindowSpec): string[] {
  if (isRecurring(window)) {
    const c = compile(window);
    return Array.isArray(c) ? c : [];
  }
  try {
    const start = toMs(window.start, "start");
    const end = toMs(window.end, "end");
    return start < end ? [] : ["end must be after start"];
  } catch (e) {
    return [(e as Error).message];
  }
}

const compiled = new WeakMap<RecurringWindow, CompiledRecurrence>();

function compiledOf(window: RecurringWindow): CompiledRecurrence {
  let c = compiled.get(window);
  if (!c) {
    const r = compile(window);
    if (Array.isArray(r)) throw new RangeError(`invalid maintenance window: ${r.join("; ")}`);
    c = r;
    compiled.set(window, c);
  }
  return c;
}

/**
 * The occurrences of `window` that overlap [from, to), sorted by start.
 * Each is half-open; empty ones (a recurrence wholly inside a DST gap) are left out.
 * Occurrences of one rule do not overlap as long as durationMinutes does not exceed the
 * rule's spacing; when it does they are returned as they are (covers() merges them).
 * Throws RangeError on an invalid window (see validateWindow).
 */
export function occurrences(window: WindowSpec, from: Instant, to: Instant): Interval[] {
  const lo = toMs(from, "from");
  const hi = toMs(to, "to");
  if (!(lo < hi)) return [];
  if (!isRecurring(window)) {
    const problems = validateWindow(window);
    if (problems.length) throw new RangeError(`invalid window: ${problems.join("; ")}`);
    const start = toMs(window.start);
    const end = toMs(window.end);
    return start < hi && lo < end ? [{ start: new Date(start), end: new Date(end) }] : [];
  }
  const { rule, durationMinutes, timezone } = compiledOf(window);
  const durationMs = durationMinutes * MINUTE_MS;
  // Local starts that could give an occurrence overlapping [lo, hi): a wall clock is within 26 hours of UTC,
  // and the occurrence may have started up to its duration before `lo`.
  const wallFrom = new Date(lo - durationMs - 2 * DAY_MS);
  const wallTo = new Date(hi + 2 * DAY_MS);
  const out: Interval[] = [];
  let count = 0;
  rule.between(wallFrom, wallTo, true, (local) => {
    if (++count > MAX_OCCURRENCES) {
      throw new RangeError(
        `more than ${MAX_OCCURRENCES} occurrences between ${new Date(lo).toISOString()} and ${new Date(hi).toISOString()}`,
      );
    }
    const start = wallToInstant(timezone, local.getTime());
    const end = wallToInstant(timezone, local.getTime() + durationMs);
    if (start < end && start < hi && lo < end) out.push({ start: new Date(start), end: new Date(end) });
    return true;
  });
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
}

/** The union of the windows' occurrences overlapping [from, to), merged: sorted, disjoint, non-adjacent intervals. */
export function mergedOccurrences(windows: readonly WindowSpec[], from: Instant, to: Instant): Interval[] {
  const all = windows.flatMap((w) => occurrences(w, from, to));
  all.sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const iv of all) {
    const last = merged[merged.length - 1];
    // Half-open: [a, b) and [b, c) together are [a, c).
    if (last && iv.start.getTime() <= last.end.getTime()) {
      if (iv.end.getTime() > last.end.getTime()) last.end = new Date(iv.end.getTime());
    } else merged.push({ start: new Date(iv.start.getTime()), end: new Date(iv.end.getTime()) });
  }
  return merged;
}

/**
 * The first instant of [start, end) that no occurrence of the windows covers, or null when
 * [start, end) is entirely inside them (see covers).
 */
export function firstUncovered(windows: readonly WindowSpec[], start: Instant, end: Instant): Date | null {
  const lo = toMs(start, "start");
  const hi = toMs(end, "end");
  if (!(lo < hi)) return null;
  let reached = lo;
  for (const iv of mergedOccurrences(windows, new Date(lo), new Date(hi))) {
    if (iv.start.getTime() > reached) return new Date(reached);
    reached = Math.max(reached, iv.end.getTime());
    if (reached >= hi) return null;
  }
  return new Date(reached);
}

/**
 * Is [start, end) entirely inside the windows: inside one occurrence, or inside a union of
 * overlapping or back-to-back occurrences (of one window or several)? An empty interval
 * (start >= end) is covered; no windows cover nothing else.
 */
export function covers(windows: readonly WindowSpec[], start: Instant, end: Instant): boolean {
  return firstUncovered(windows, start, end) === null;
}
