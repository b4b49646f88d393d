/**
 * The business-calendar engine: working time in an IANA time zone, exact to
 * the millisecond. Pure: no database, no I/O, no clock. The SLA clocks use it
 * through the module's index.ts.
 *
 * Model. Each local date that is not a holiday works the intervals of its
 * weekday (empty `hours`: 00:00–24:00 every day). An interval is the span of
 * real time between the instants its two wall-clock ends happen:
 * - a wall time inside a spring-forward gap happens at the change itself
 *   (Berlin 02:30 on the last Sunday of March → 03:00 CEST), so an interval
 *   inside the gap is empty and 01:30–02:30 is 30 real minutes;
 * - a wall time inside a fall-back overlap happens at its first occurrence,
 *   so 01:00–04:00 on that night is four real hours.
 * Intervals are half-open [start, end): working at `start`, not at `end`.
 *
 * Speed. A local year is compiled once into sorted UTC intervals with prefix
 * sums of working time; add and elapsed are then binary searches, with no
 * Intl call. Years are compiled lazily and kept (bounded) per calendar.
 */
import {
  type CalendarDefinition,
  type CalendarDefinitionInput,
  CalendarDefinitionSchema,
  minutesOfDay,
} from "../../../common/calendars.ts";
import { DAY_MS, offsetTable, wallMs, wallToInstant } from "../../platform/time-zone.ts";

const MINUTE_MS = 60_000;
const YEAR_MS = 365.2425 * DAY_MS;
/** add and nextWorkingInstant look this far ahead for working time, then give up. */
export const HORIZON_YEARS = 100;
/** Instants the engine handles: years 1800 to 9999. */
const MIN_INSTANT = wallMs(1800, 1, 1);
const MAX_INSTANT = wallMs(10_000, 1, 1);
const MAX_CHUNKS = 256;

export interface BusinessCalendar {
  readonly definition: CalendarDefinition;
  /** The instant when `minutes` (an integer ≥ 0) working minutes after `start` have passed. add(s, 0) = s. */
  addWorkingMinutes(start: Date, minutes: number): Date;
  /** Working minutes in [from, to); negative when to < from; fractional when the instants are not whole minutes. */
  workingMinutesBetween(from: Date, to: Date): number;
  /** The same, in whole milliseconds: exact, and additive over any split point. */
  workingMillisBetween(from: Date, to: Date): number;
  /** Is `at` inside a working interval (start included, end excluded)? */
  isWorking(at: Date): boolean;
  /** `at` when it is working time, else the start of the next working interval. */
  nextWorkingInstant(at: Date): Date;
}

/** A definition that breaks a rule of common/calendars.ts. */
export class InvalidCalendarError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid calendar: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    this.name = "InvalidCalendarError";
  }
}

/** No working time within HORIZON_YEARS of the start (a calendar of holidays only, or a huge amount). */
export class NoWorkingTimeError extends RangeError {
  constructor(readonly start: Date) {
    super(`no working time found within ${HORIZON_YEARS} years after ${start.toISOString()}`);
    this.name = "NoWorkingTimeError";
  }
}

/** One local year: sorted, disjoint working intervals as UTC ms, and working ms before each. */
interface Chunk {
  year: number;
  start: number;
  end: number;
  starts: Float64Array;
  ends: Float64Array;
  /** cum[i] = working ms in the chunk before interval i; cum[n] = the chunk's total. */
  cum: Float64Array;
}

function instantOf(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${what} is not a valid date`);
  if (t < MIN_INSTANT || t >= MAX_INSTANT) throw new RangeError(`${what} is outside the years 1800–9999`);
  return t;
}

/** Index of the first interval ending after t (n when none). */
function firstEndAfter(c: Chunk, t: number): number {
  let lo = 0;
  let hi = c.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((c.ends[mid] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Working ms in the chunk from its start to t (t inside the chunk). */
function cumAt(c: Chunk, t: number): number {
  const i = firstEndAfter(c, t);
  if (i === c.ends.length) return c.cum[i] as number;
  const s = c.starts[i] as number;
  return (c.cum[i] as number) + (t > s ? t - s : 0);
}

/** Compiles a definition (validated against the shared schema); throws InvalidCalendarError when it breaks a rule. */
export function compileCalendar(input: CalendarDefinitionInput | CalendarDefinition): BusinessCalendar {
  const parsed = CalendarDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidCalendarError(
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(calendar)", message: i.message })),
    );
  }
  const def = parsed.data;
  const zone = def.timezone;
  // Minutes of the day per ISO weekday (index 1..7), as [start, end] pairs.
  const week: number[][] = Array.from({ length: 8 }, () => []);
  for (const h of def.hours) week[h.day]?.push(minutesOfDay(h.start), minutesOfDay(h.end));
  if (def.hours.length === 0) for (let d = 1; d <= 7; d++) week[d] = [0, 1440];
  const fixed = new Set(def.holidays.filter((h) => !h.yearly).map((h) => h.date));
  const yearly = new Set(def.holidays.filter((h) => h.yearly).map((h) => h.date.slice(5)));

  const chunks = new Map<number, Chunk>();
  let last: Chunk | undefined;

  function compileYear(year: number): Chunk {
    const table = offsetTable(zone, year);
    const first = wallMs(year, 1, 1);
    const days = Math.round((wallMs(year + 1, 1, 1) - first) / DAY_MS);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < days; i++) {
      const midnight = first + i * DAY_MS;
      const date = new Date(midnight).toISOString();
      const ymd = date.slice(date.length - 24, date.length - 14);
      if (fixed.has(ymd) || yearly.has(ymd.slice(5))) continue;
      const epochDay = Math.floor(midnight / DAY_MS);
      const isoDay = ((((epochDay + 3) % 7) + 7) % 7) + 1;
      const spans = week[isoDay] as number[];
      for (let k = 0; k < spans.length; k += 2) {
        const s = wallToInstant(table, midnight + (spans[k] as number) * MINUTE_MS);
        const e = wallToInstant(table, midnight + (spans[k + 1] as number) * MINUTE_MS);
        if (e <= s) continue; // inside a spring-forward gap
        const n = ends.length;
        if (n > 0 && s <= (ends[n - 1] as number)) ends[n - 1] = Math.max(ends[n - 1] as number, e);
        else {
          starts.push(s);
          ends.push(e);
        }
      }
    }
    const cum = new Float64Array(starts.length + 1);
    for (let i = 0; i < starts.length; i++)
      cum[i + 1] = (cum[i] as number) + (ends[i] as number) - (starts[i] as number);
    return {
      year,
      start: wallToInstant(table, first),
      end: wallToInstant(table, first + days * DAY_MS),
      starts: Float64Array.from(starts),
      ends: Float64Array.from(ends),
      cum,
    };
  }

  function chunkOfYear(year: number): Chunk {
    let c = chunks.get(year);
    if (!c) {
      c = compileYear(year);
      if (chunks.size >= MAX_CHUNKS) chunks.delete(chunks.keys().next().value as number);
      chunks.set(year, c);
    }
    return c;
  }

  /** The local year holding instant t. */
  function chunkAt(t: number): Chunk {
    if (last && t >= last.start && t < last.end) return last;
    let c = chunkOfYear(Math.floor(t / YEAR_MS) + 1970);
    while (t < c.start) c = chunkOfYear(c.year - 1);
    while (t >= c.end) c = chunkOfYear(c.year + 1);
    last = c;
    return c;
  }

  function workingMillisBetween(from: Date, to: Date): number {
    const a = instantOf(from, "from");
    const b = instantOf(to, "to");
    if (b < a) return 0 - workingMillisBetween(to, from); // 0 - 0 is +0, never -0
    const ca = chunkAt(a);
    if (b < ca.end) return cumAt(ca, b) - cumAt(ca, a);
    let total = (ca.cum[ca.ends.length] as number) - cumAt(ca, a);
    let c = chunkOfYear(ca.year + 1);
    while (b >= c.end) {
      total += c.cum[c.ends.length] as number;
      c = chunkOfYear(c.year + 1);
    }
    last = c;
    return total + cumAt(c, b);
  }

  return {
    definition: def,

    addWorkingMinutes(start, minutes) {
      const t = instantOf(start, "start");
      if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError("minutes must be an integer ≥ 0");
      if (minutes === 0) return new Date(t);
      let c = chunkAt(t);
      let target = cumAt(c, t) + minutes * MINUTE_MS;
      const limit = t + HORIZON_YEARS * YEAR_MS;
      let n = c.ends.length;
      while (target > (c.cum[n] as number)) {
        target -= c.cum[n] as number;
        c = chunkOfYear(c.year + 1);
        n = c.ends.length;
        if (c.start > limit || c.end > MAX_INSTANT) throw new NoWorkingTimeError(start);
      }
      // The first interval whose end reaches the target: the result lies in (start, end].
      let lo = 1;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((c.cum[mid] as number) >= target) hi = mid;
        else lo = mid + 1;
      }
      last = c;
      return new Date((c.starts[lo - 1] as number) + target - (c.cum[lo - 1] as number));
    },

    workingMillisBetween,

    workingMinutesBetween(from, to) {
      return workingMillisBetween(from, to) / MINUTE_MS;
    },

    isWorking(at) {
      const t = instantOf(at, "at");
      const c = chunkAt(t);
      const i = firstEndAfter(c, t);
      return i < c.ends.length && (c.starts[i] as number) <= t;
    },

    nextWorkingInstant(at) {
      const t = instantOf(at, "at");
      let c = chunkAt(t);
      let i = firstEndAfter(c, t);
      while (i === c.ends.length) {
        c = chunkOfYear(c.year + 1);
        if (c.start > t + HORIZON_YEARS * YEAR_MS || c.end > MAX_INSTANT) throw new NoWorkingTimeError(at);
        i = 0;
      }
      return new Date(Math.max(t, c.starts[i] as number));
    },
  };
}
