import {
  DAY_MS,
  formatterOf,
  offsetAt,
  offsetTable,
  wallToInstant as tableWallToInstant,
  wallMs,
} from "../../../platform/time-zone.ts";

/**
 * Instants, half-open intervals and wall clock ↔ instant in an IANA time
 * zone, from Intl alone. Pure: no I/O, no process time zone. The zone
 * arithmetic is the platform's (server/platform/time-zone.ts).
 *
 * The wall-clock rule (the SLA engine's, from server/platform/time-zone.ts):
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
export { DAY_MS, offsetAt, wallMs };

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

/** The wall clock (as wall milliseconds) in `zone` at an instant. */
export function instantToWall(zone: string, instant: number): number {
  return instant + offsetAt(zone, instant);
}

/** The first instant at which the wall clock in `zone` reads `wall` or later (see the file comment). */
export function wallToInstant(zone: string, wall: number): number {
  return tableWallToInstant(offsetTable(zone, new Date(wall).getUTCFullYear()), wall);
}

/** "2025-03-30 03:00" in `zone`: for messages. */
export function formatWall(zone: string, instant: number): string {
  const w = new Date(instantToWall(zone, instant)).toISOString();
  return `${w.slice(0, 10)} ${w.slice(11, 16)}`;
}
