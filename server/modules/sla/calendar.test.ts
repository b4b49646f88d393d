/**
 * Properties of the business-calendar engine over random calendars (zones
 * with 1-hour, 30-minute and 12:45-offset DST, midnight changes, no DST),
 * random intervals and holidays, and instants crowded around DST changes;
 * plus agreement with the slow reference model in calendar-oracle.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CalendarDefinitionInput } from "../../../common/calendars.ts";
import { compileCalendar } from "./calendar.ts";
import { CalendarOracle } from "./calendar-oracle.ts";

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "Pacific/Chatham",
  "UTC",
  "America/Santiago",
  "America/Havana",
];
const MIN = 60_000;
const DAY = 86_400_000;

const hhmm = (quarter: number) =>
  quarter === 96
    ? "24:00"
    : `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`;

/** Per weekday, up to three disjoint intervals on quarter hours, often between 00:00 and 04:00 where DST changes happen. */
const hoursArb = fc
  .tuple(
    ...[1, 2, 3, 4, 5, 6, 7].map((day) =>
      fc
        .uniqueArray(fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 16 })), { maxLength: 6 })
        .map((qs) => qs.sort((a, b) => a - b))
        .map((qs) => {
          const out: { day: number; start: string; end: string }[] = [];
          for (let i = 0; i + 1 < qs.length; i += 2)
            out.push({ day, start: hhmm(qs[i] as number), end: hhmm(qs[i + 1] as number) });
          return out;
        }),
    ),
  )
  .map((days) => days.flat())
  .filter((hours) => hours.length > 0);

const dateArb = fc
  .record({
    y: fc.integer({ min: 2019, max: 2031 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);

const holidaysArb = fc.array(fc.record({ date: dateArb, yearly: fc.boolean() }), { maxLength: 25 }).map((list) => {
  const yearly = new Set(list.filter((h) => h.yearly).map((h) => h.date.slice(5)));
  const seen = new Set<string>();
  return list
    .filter((h) => {
      const key = h.yearly ? `y${h.date.slice(5)}` : h.date;
      if (seen.has(key) || (!h.yearly && yearly.has(h.date.slice(5)))) return false;
      seen.add(key);
      return true;
    })
    .map((h, i) => ({ ...h, name: `Holiday ${i}` }));
});

const calendarArb: fc.Arbitrary<CalendarDefinitionInput> = fc.record({
  timezone: fc.constantFrom(...ZONES),
  hours: hoursArb,
  holidays: holidaysArb,
});

/** Instants in 2020–2029: anywhere, or within days of the March/April and September–November changes. */
const instantArb = fc.oneof(
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fc
    .record({
      y: fc.integer({ min: 2020, max: 2029 }),
      m: fc.constantFrom(2, 3, 3, 4, 4, 9, 10, 10, 11, 11),
      d: fc.integer({ min: 1, max: 31 }),
      minute: fc.integer({ min: 0, max: 1439 }),
      ms: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MIN - 1 })),
    })
    .map(({ y, m, d, minute, ms }) => Date.UTC(y, m - 1, d) + minute * MIN + ms),
);

const minutesArb = fc.integer({ min: 0, max: 30_000 });
const date = (t: number) => new Date(t);
/** SLA_PROPERTY_RUNS=5000 npx vitest run server/modules/sla/calendar.test.ts for a long soak. */
const RUNS = { numRuns: Number(process.env.SLA_PROPERTY_RUNS ?? 300) };

describe("business calendar properties", () => {
  it("add(add(s, a), b) = add(s, a + b)", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (def, s, a, b) => {
        const cal = compileCalendar(def);
        const once = cal.addWorkingMinutes(date(s), a + b).getTime();
        expect(cal.addWorkingMinutes(cal.addWorkingMinutes(date(s), a), b).getTime()).toBe(once);
      }),
      RUNS,
    );
  });

  it("elapsed(s, add(s, m)) = m, exactly", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (def, s, m) => {
        const cal = compileCalendar(def);
        const due = cal.addWorkingMinutes(date(s), m);
        expect(cal.workingMinutesBetween(date(s), due)).toBe(m);
        expect(cal.workingMillisBetween(date(s), due)).toBe(m * MIN);
      }),
      RUNS,
    );
  });

  it("add lands inside a working interval or at its end, and as early as possible; add(s, 0) = s", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (def, s, m) => {
        const cal = compileCalendar(def);
        const due = cal.addWorkingMinutes(date(s), m).getTime();
        if (m === 0) {
          expect(due).toBe(s);
          return;
        }
        expect(due).toBeGreaterThan(s);
        expect(cal.isWorking(date(due - 1))).toBe(true);
        expect(cal.workingMillisBetween(date(s), date(due - 1))).toBe(m * MIN - 1);
      }),
      RUNS,
    );
  });

  it("add is strictly monotonic in the minutes", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (def, s, a, b) => {
        const cal = compileCalendar(def);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = cal.addWorkingMinutes(date(s), lo).getTime();
        const y = cal.addWorkingMinutes(date(s), hi).getTime();
        if (lo === hi) expect(x).toBe(y);
        else expect(x).toBeLessThan(y);
      }),
      RUNS,
    );
  });

  it("elapsed is additive over any split point and antisymmetric", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (def, a, b, c) => {
        const cal = compileCalendar(def);
        const ms = (x: number, y: number) => cal.workingMillisBetween(date(x), date(y));
        expect(ms(a, c)).toBe(ms(a, b) + ms(b, c));
        expect(ms(b, a)).toBe(0 - ms(a, b));
        expect(cal.workingMinutesBetween(date(a), date(c))).toBeCloseTo(
          cal.workingMinutesBetween(date(a), date(b)) + cal.workingMinutesBetween(date(b), date(c)),
          9,
        );
        if (a <= b) expect(ms(a, b)).toBeLessThanOrEqual(b - a);
      }),
      RUNS,
    );
  });

  it("nextWorkingInstant is working time, with no working time before it", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (def, t) => {
        const cal = compileCalendar(def);
        const next = cal.nextWorkingInstant(date(t));
        expect(next.getTime()).toBeGreaterThanOrEqual(t);
        expect(cal.isWorking(next)).toBe(true);
        expect(cal.workingMillisBetween(date(t), next)).toBe(0);
        expect(cal.isWorking(date(t))).toBe(next.getTime() === t);
      }),
      RUNS,
    );
  });

  it("24×7 (empty hours, no holidays) is plain time in every zone", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, instantArb, minutesArb, (timezone, s, t, m) => {
        const cal = compileCalendar({ timezone, hours: [], holidays: [] });
        expect(cal.addWorkingMinutes(date(s), m).getTime()).toBe(s + m * MIN);
        expect(cal.workingMillisBetween(date(s), date(t))).toBe(t - s);
        expect(cal.isWorking(date(s))).toBe(true);
      }),
      RUNS,
    );
  });

  it("agrees with the reference model on working time, elapsed and add", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 0, max: 12 * DAY }),
        fc.integer({ min: 0, max: 2_000 }),
        (def, s, span, m) => {
          const cal = compileCalendar(def);
          const oracle = new CalendarOracle(cal.definition);
          expect(cal.isWorking(date(s))).toBe(oracle.isWorking(s));
          expect(cal.workingMillisBetween(date(s), date(s + span))).toBe(oracle.elapsedMs(s, s + span));
          expect(cal.addWorkingMinutes(date(s), m).getTime()).toBe(oracle.add(s, m));
        },
      ),
      RUNS,
    );
  });

  it("a calendar gives the same answers whatever it computed before (its year cache is invisible)", () => {
    fc.assert(
      fc.property(
        calendarArb,
        fc.array(fc.tuple(instantArb, minutesArb), { minLength: 2, maxLength: 6 }),
        (def, qs) => {
          const warm = compileCalendar(def);
          const answers = qs.map(([s, m]) => warm.addWorkingMinutes(date(s), m).getTime());
          qs.forEach(([s, m], i) => {
            expect(compileCalendar(def).addWorkingMinutes(date(s), m).getTime()).toBe(answers[i]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
