/**
 * Test-only reference implementation of the calendar model, written
 * independently of calendar.ts and time-zone.ts: slow and obvious, straight
 * from Intl for every conversion, no tables, no caches across calls. The
 * property tests check the fast engine against it. Years 1970–2100 only.
 */
import { type CalendarDefinition, minutesOfDay } from "../../../common/calendars.ts";

const MIN = 60_000;
const DAY = 86_400_000;

interface Local {
  y: number;
  m: number;
  d: number;
}

export class CalendarOracle {
  readonly #format: Intl.DateTimeFormat;
  readonly #memo = new Map<string, [number, number][]>();

  constructor(readonly def: CalendarDefinition) {
    this.#format = new Intl.DateTimeFormat("en-US", {
      timeZone: def.timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** The wall clock at instant t, as ms of a UTC-read date (seconds precision). */
  wallAt(t: number): number {
    const p = Object.fromEntries(this.#format.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    const n = (k: string) => Number(p[k]);
    return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  }

  localDate(t: number): Local {
    const w = new Date(this.wallAt(t));
    return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
  }

  /** When wall time `w` happens: the first occurrence, or the end of the gap it falls in. */
  instantOf(w: number): number {
    const offsets = new Set<number>();
    for (const probe of [w - 2 * DAY, w - DAY / 2, w, w + DAY / 2, w + 2 * DAY]) {
      const s = Math.floor(probe / 1000) * 1000;
      offsets.add(this.wallAt(s) - s);
    }
    const valid = [...offsets].map((o) => w - o).filter((u) => this.wallAt(u) === w);
    if (valid.length) return Math.min(...valid);
    // In a gap: the first second whose wall clock is past w.
    let lo = w - Math.max(...offsets) - 3_600_000;
    let hi = w - Math.min(...offsets) + 3_600_000;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (this.wallAt(mid) > w) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** The working intervals of one local date, as instants. */
  intervalsOn(date: Local): [number, number][] {
    const midnight = Date.UTC(date.y, date.m - 1, date.d);
    const iso = new Date(midnight).toISOString().slice(0, 10);
    const cached = this.#memo.get(iso);
    if (cached) return cached;
    const off = this.def.holidays.some((h) => (h.yearly ? h.date.slice(5) === iso.slice(5) : h.date === iso));
    const weekday = new Date(midnight).getUTCDay() || 7;
    const spans = this.def.hours.length
      ? this.def.hours.filter((h) => h.day === weekday).map((h) => [minutesOfDay(h.start), minutesOfDay(h.end)])
      : [[0, 1440]];
    const out: [number, number][] = [];
    if (!off) {
      for (const [s, e] of spans) {
        const a = this.instantOf(midnight + (s as number) * MIN);
        const b = this.instantOf(midnight + (e as number) * MIN);
        if (b > a) out.push([a, b]);
      }
    }
    this.#memo.set(iso, out);
    return out;
  }

  /** Intervals of the local dates from the one of `t` (minus two days) to the one of `until` (plus two). */
  *intervalsFrom(t: number, until: number): Generator<[number, number]> {
    const start = this.localDate(t);
    const last = this.wallAt(until) + 2 * DAY;
    for (let i = -2; ; i++) {
      const day = new Date(Date.UTC(start.y, start.m - 1, start.d + i));
      if (day.getTime() > last) return;
      yield* this.intervalsOn({ y: day.getUTCFullYear(), m: day.getUTCMonth() + 1, d: day.getUTCDate() });
    }
  }

  isWorking(t: number): boolean {
    for (const [a, b] of this.intervalsFrom(t, t)) if (a <= t && t < b) return true;
    return false;
  }

  elapsedMs(from: number, to: number): number {
    if (to < from) return -this.elapsedMs(to, from);
    let total = 0;
    for (const [a, b] of this.intervalsFrom(from, to)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
    return total;
  }

  add(start: number, minutes: number): number {
    if (minutes === 0) return start;
    let left = minutes * MIN;
    for (const [a, b] of this.intervalsFrom(start, start + 40 * 365 * DAY)) {
      if (b <= start) continue;
      const from = Math.max(a, start);
      if (left <= b - from) return from + left;
      left -= b - from;
    }
    throw new Error("no working time within 40 years");
  }
}
