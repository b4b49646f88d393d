/**
 * Instants, half-open intervals and wall clock ↔ instant in an IANA time
 * zone, from Intl alone. Pure: no I/O, no process time zone; the only state is
 * a memo of Intl formatters.
 *
 * The wall-clock rule (the same as the SLA engine's, server/modules/sla/time-zone.ts):
 * a local date and time stands for the FIRST instant at which the zone's wall
 * clock reads that time or later. So
 * - in an overlap (clocks turned back) it is the first of the two instants
 *   (02:30 on the last Sunday of October in Europe/Berlin is 02:30 CEST);
 * - in a gap (clocks turned forward) it is the moment of the change, the first
 *   instant after the gap (02:30 on the last Sunday of March in Europe/Berlin
 *   is 03:00 CEST, 01:00 UTC).
 * The mapping never decreases: a later wall time never maps to an earlier
 * instant, so an interval of wall times never turns into an inverted one.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const SECOND_MS = 1000;

/** An instant: a Date, or an ISO-8601 date-time string WITH an offset or `Z` ("2025-03-30T02:00:00+02:00"). */
export type Instant = Date | string;

/** A half-open interval of time [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds since the epoch of an Instant; throws RangeError on anything else (a string without an offset too). */
export function toMs(value: Instant, what = "instant"): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "string" && ISO_WITH_OFFSET.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `${what}: expected a Date or an ISO-8601 date-time with an offset, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** Half-open overlap: [aStart, aEnd) and [bStart, bEnd) overlap iff aStart < bEnd && bStart < aEnd. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Is `zone` an IANA zone name Intl knows? (Bare offsets such as "+01:00" are refused.) */
export function isTimeZone(zone: string): boolean {
  if (typeof zone !== "string" || !/^[A-Za-z]/.test(zone)) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds of a proleptic-Gregorian date and time read as if it were UTC ("wall milliseconds"). */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** The zone's UTC offset (ms, east positive) at an instant; second precision. */
export function offsetAt(zone: string, instant: number): number {
  const t = Math.floor(instant / SECOND_MS) * SECOND_MS;
  const p: Record<string, string> = {};
  for (const part of formatterOf(zone).formatToParts(t)) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === "BC" || p.era === "B") year = 1 - year;
  return wallMs(year, Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - t;
}

/** The wall clock (as wall milliseconds) in `zone` at an instant. */
export function instantToWall(zone: string, instant: number): number {
  return instant + offsetAt(zone, instant);
}

/**
 * The first instant at which the wall clock in `zone` reads `wall` or later
 * (see the file comment). Assumes, as every zone does, that no two offset
 * changes happen within a day of each other.
 */
export function wallToInstant(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  // The usual case: the same offset a day either side, so no change near this wall time (|offset| < 1 day).
  if (before === after) return wall - before;
  const offsets = new Set([before, offsetAt(zone, wall), after]);
  let best = Number.POSITIVE_INFINITY;
  for (const o of offsets) {
    const u = wall - o;
    if (offsetAt(zone, u) === o && u < best) best = u;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // A gap: the wall time never shows. Find the first instant whose wall clock is past it.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const o of offsets) {
    lo = Math.min(lo, wall - o);
    hi = Math.max(hi, wall - o);
  }
  // Invariant: instantToWall(lo) < wall <= instantToWall(hi), on whole seconds.
  let a = Math.floor(lo / SECOND_MS);
  let b = Math.ceil(hi / SECOND_MS);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (instantToWall(zone, mid * SECOND_MS) >= wall) b = mid;
    else a = mid;
  }
  return b * SECOND_MS;
}

/** "2025-03-30 03:00" in `zone`: for messages. */
export function formatWall(zone: string, instant: number): string {
  const w = new Date(instantToWall(zone, instant)).toISOString();
  return `${w.slice(0, 10)} ${w.slice(11, 16)}`;
}
