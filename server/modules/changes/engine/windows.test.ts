import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, instantToWall, MINUTE_MS, offsetAt, overlaps, wallToInstant } from "./time.ts";
import {
  covers,
  firstUncovered,
  MAX_OCCURRENCES,
  mergedOccurrences,
  occurrences,
  type RecurringWindow,
  validateWindow,
  type WindowSpec,
} from "./windows.ts";

const iso = (d: Date) => d.toISOString().replace(".000", "");
const spans = (list: { start: Date; end: Date }[]) => list.map((o) => `${iso(o.start)}/${iso(o.end)}`);
/** The wall clock in `zone` at an instant, "YYYY-MM-DD HH:MM". */
const local = (zone: string, d: Date) => new Date(instantToWall(zone, d.getTime())).toISOString().slice(0, 16);

const sundayBerlin: RecurringWindow = {
  rrule: "FREQ=WEEKLY;BYDAY=SU",
  dtstart: "2025-01-05T02:00",
  durationMinutes: 120,
  timezone: "Europe/Berlin",
};

describe("time zone conversion", () => {
  it("maps ordinary wall times exactly", () => {
    expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 0, 5, 2))).toISOString()).toBe(
      "2025-01-05T01:00:00.000Z",
    );
    expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 6, 6, 2))).toISOString()).toBe(
      "2025-07-06T00:00:00.000Z",
    );
    expect(new Date(wallToInstant("Asia/Kolkata", Date.UTC(2025, 6, 6, 2))).toISOString()).toBe(
      "2025-07-05T20:30:00.000Z",
    );
  });

  it("sends a wall time in a spring-forward gap to the moment of the change", () => {
    // Europe/Berlin, 2025-03-30: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    for (const minute of [0, 1, 30, 59]) {
      expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 2, 30, 2, minute))).toISOString()).toBe(
        "2025-03-30T01:00:00.000Z",
      );
    }
    expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 2, 30, 3))).toISOString()).toBe(
      "2025-03-30T01:00:00.000Z",
    );
    expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 2, 30, 1, 59))).toISOString()).toBe(
      "2025-03-30T00:59:00.000Z",
    );
    // America/New_York, 2025-03-09: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(new Date(wallToInstant("America/New_York", Date.UTC(2025, 2, 9, 2, 30))).toISOString()).toBe(
      "2025-03-09T07:00:00.000Z",
    );
  });

  it("takes the first of two instants in a fall-back overlap", () => {
    // Europe/Berlin, 2025-10-26: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
    expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 9, 26, 2, 30))).toISOString()).toBe(
      "2025-10-26T00:30:00.000Z",
    );
    expect(new Date(wallToInstant("Europe/Berlin", Date.UTC(2025, 9, 26, 3))).toISOString()).toBe(
      "2025-10-26T02:00:00.000Z",
    );
    // America/New_York, 2025-11-02: 01:30 is EDT first (05:30 UTC), EST later (06:30 UTC).
    expect(new Date(wallToInstant("America/New_York", Date.UTC(2025, 10, 2, 1, 30))).toISOString()).toBe(
      "2025-11-02T05:30:00.000Z",
    );
  });
});

describe("occurrences", () => {
  it("keeps 02:00–04:00 local in Europe/Berlin all year", () => {
    const winter = occurrences(sundayBerlin, "2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z");
    expect(spans(winter)).toEqual([
      "2025-01-05T01:00:00Z/2025-01-05T03:00:00Z",
      "2025-01-12T01:00:00Z/2025-01-12T03:00:00Z",
    ]);
    const summer = occurrences(sundayBerlin, "2025-07-01T00:00:00Z", "2025-07-10T00:00:00Z");
    expect(spans(summer)).toEqual(["2025-07-06T00:00:00Z/2025-07-06T02:00:00Z"]);
    for (const o of [...winter, ...summer]) {
      expect(local("Europe/Berlin", o.start).slice(11)).toBe("02:00");
      expect(local("Europe/Berlin", o.end).slice(11)).toBe("04:00");
    }
  });

  it("shortens the window on the last Sunday of March and lengthens it on the last Sunday of October (Europe/Berlin)", () => {
    expect(spans(occurrences(sundayBerlin, "2025-03-22T00:00:00Z", "2025-04-07T00:00:00Z"))).toEqual([
      "2025-03-23T01:00:00Z/2025-03-23T03:00:00Z",
      // 02:00 does not exist: from the change (03:00 CEST) to 04:00 CEST, one hour.
      "2025-03-30T01:00:00Z/2025-03-30T02:00:00Z",
      "2025-04-06T00:00:00Z/2025-04-06T02:00:00Z",
    ]);
    expect(spans(occurrences(sundayBerlin, "2025-10-19T00:00:00Z", "2025-11-03T00:00:00Z"))).toEqual([
      "2025-10-19T00:00:00Z/2025-10-19T02:00:00Z",
      // 02:00 CEST (the first 02:00) to 04:00 CET: three hours.
      "2025-10-26T00:00:00Z/2025-10-26T03:00:00Z",
      "2025-11-02T01:00:00Z/2025-11-02T03:00:00Z",
    ]);
  });

  it("handles windows across midnight on both DST nights (Europe/Berlin)", () => {
    const saturdayNight: RecurringWindow = {
      rrule: "FREQ=WEEKLY;BYDAY=SA",
      dtstart: "2025-01-04T23:00",
      durationMinutes: 240,
      timezone: "Europe/Berlin",
    };
    expect(spans(occurrences(saturdayNight, "2025-03-22T00:00:00Z", "2025-04-06T00:00:00Z"))).toEqual([
      "2025-03-22T22:00:00Z/2025-03-23T02:00:00Z",
      // Sat 23:00 CET → Sun 03:00 CEST: three hours.
      "2025-03-29T22:00:00Z/2025-03-30T01:00:00Z",
      "2025-04-05T21:00:00Z/2025-04-06T01:00:00Z",
    ]);
    expect(spans(occurrences(saturdayNight, "2025-10-25T00:00:00Z", "2025-10-27T00:00:00Z"))).toEqual([
      // Sat 23:00 CEST → Sun 03:00 CET: five hours.
      "2025-10-25T21:00:00Z/2025-10-26T02:00:00Z",
    ]);
  });

  it("handles America/New_York's changes, across midnight and inside the hour that repeats or vanishes", () => {
    const nightly: RecurringWindow = {
      rrule: "FREQ=DAILY",
      dtstart: "2025-01-01T23:00",
      durationMinutes: 240,
      timezone: "America/New_York",
    };
    expect(spans(occurrences(nightly, "2025-03-08T05:00:00Z", "2025-03-10T05:00:00Z"))).toEqual([
      "2025-03-08T04:00:00Z/2025-03-08T08:00:00Z",
      "2025-03-09T04:00:00Z/2025-03-09T07:00:00Z", // 23:00 EST → 03:00 EDT
      "2025-03-10T03:00:00Z/2025-03-10T07:00:00Z",
    ]);
    expect(spans(occurrences(nightly, "2025-11-02T04:00:00Z", "2025-11-02T05:00:00Z"))).toEqual([
      "2025-11-02T03:00:00Z/2025-11-02T08:00:00Z", // 23:00 EDT → 03:00 EST
    ]);
    const halfPastOne: RecurringWindow = { ...nightly, dtstart: "2025-01-01T01:30", durationMinutes: 60 };
    expect(spans(occurrences(halfPastOne, "2025-11-02T00:00:00Z", "2025-11-02T12:00:00Z"))).toEqual([
      "2025-11-02T05:30:00Z/2025-11-02T07:30:00Z", // 01:30 EDT → 02:30 EST
    ]);
    const inTheGap: RecurringWindow = { ...nightly, dtstart: "2025-01-01T02:15", durationMinutes: 30 };
    expect(spans(occurrences(inTheGap, "2025-03-08T00:00:00Z", "2025-03-11T00:00:00Z"))).toEqual([
      "2025-03-08T07:15:00Z/2025-03-08T07:45:00Z",
      // 2025-03-09 02:15–02:45 never shows on the clock: no occurrence.
      "2025-03-10T06:15:00Z/2025-03-10T06:45:00Z",
    ]);
  });

  it("returns the occurrences overlapping [from, to), half-open", () => {
    // One that started before `from` is in; one that ends exactly at `from` or starts exactly at `to` is out.
    expect(spans(occurrences(sundayBerlin, "2025-01-05T02:00:00Z", "2025-01-12T01:00:00Z"))).toEqual([
      "2025-01-05T01:00:00Z/2025-01-05T03:00:00Z",
    ]);
    expect(occurrences(sundayBerlin, "2025-01-05T03:00:00Z", "2025-01-12T01:00:00Z")).toEqual([]);
    expect(occurrences(sundayBerlin, "2025-01-12T00:00:00Z", "2025-01-12T00:00:00Z")).toEqual([]);
    expect(occurrences(sundayBerlin, "2024-12-01T00:00:00Z", "2025-01-05T01:00:00Z")).toEqual([]);
  });

  it("knows one-off windows, with offsets", () => {
    const once: WindowSpec = { start: "2025-03-30T01:30:00+01:00", end: "2025-03-30T04:00:00+02:00" };
    expect(spans(occurrences(once, "2025-03-29T00:00:00Z", "2025-03-31T00:00:00Z"))).toEqual([
      "2025-03-30T00:30:00Z/2025-03-30T02:00:00Z",
    ]);
    expect(occurrences(once, "2025-03-30T02:00:00Z", "2025-03-31T00:00:00Z")).toEqual([]);
  });

  it("reads UNTIL in UTC on the zone's wall clock, takes a date-only UNTIL as inclusive, and honours COUNT", () => {
    // The 2025-03-30 occurrence starts at 01:00 UTC (the moment of the change): UNTIL at that instant keeps it.
    const untilUtc = { ...sundayBerlin, rrule: "FREQ=WEEKLY;BYDAY=SU;UNTIL=20250330T010000Z" };
    const list = occurrences(untilUtc, "2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z");
    expect(spans(list).at(-1)).toBe("2025-03-30T01:00:00Z/2025-03-30T02:00:00Z");
    const untilDate = { ...sundayBerlin, rrule: "RRULE:FREQ=WEEKLY;BYDAY=SU;UNTIL=20250316" };
    expect(spans(occurrences(untilDate, "2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z")).at(-1)).toBe(
      "2025-03-16T01:00:00Z/2025-03-16T03:00:00Z",
    );
    const counted = { ...sundayBerlin, rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=3" };
    expect(occurrences(counted, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")).toHaveLength(3);
  });

  it("understands monthly rules (last Saturday, 22:00 Europe/Berlin, 6 hours)", () => {
    const monthly: RecurringWindow = {
      rrule: "FREQ=MONTHLY;BYDAY=-1SA",
      dtstart: "2025-01-25T22:00",
      durationMinutes: 360,
      timezone: "Europe/Berlin",
    };
    expect(spans(occurrences(monthly, "2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z"))).toEqual([
      "2025-03-29T21:00:00Z/2025-03-30T02:00:00Z", // across the spring-forward: 22:00 CET → 04:00 CEST
      "2025-04-26T20:00:00Z/2025-04-27T02:00:00Z",
    ]);
  });

  it("takes dtstart as an instant when it has an offset", () => {
    const w = { ...sundayBerlin, dtstart: "2025-01-05T01:00:00Z" };
    expect(occurrences(w, "2025-07-01T00:00:00Z", "2025-07-10T00:00:00Z")).toEqual(
      occurrences(sundayBerlin, "2025-07-01T00:00:00Z", "2025-07-10T00:00:00Z"),
    );
  });

  describe("does not depend on the process's time zone", () => {
    const saved = process.env.TZ;
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });
    it("gives the same instants under TZ=America/Los_Angeles and TZ=Asia/Kolkata", () => {
      const run = () =>
        spans([
          ...occurrences(sundayBerlin, "2025-03-01T00:00:00Z", "2025-11-30T00:00:00Z"),
          ...occurrences(
            { rrule: "FREQ=DAILY", dtstart: "2025-01-01T23:00", durationMinutes: 240, timezone: "America/New_York" },
            "2025-03-01T00:00:00Z",
            "2025-11-30T00:00:00Z",
          ),
        ]);
      process.env.TZ = "UTC";
      const utc = run();
      process.env.TZ = "America/Los_Angeles";
      expect(new Date(2025, 0, 1).getTimezoneOffset()).toBe(480); // the switch took effect
      expect(run()).toEqual(utc);
      process.env.TZ = "Asia/Kolkata";
      expect(run()).toEqual(utc);
    });
  });

  it("refuses to expand without bound", () => {
    const hourly: RecurringWindow = {
      rrule: "FREQ=HOURLY",
      dtstart: "2000-01-01T00:00",
      durationMinutes: 30,
      timezone: "UTC",
    };
    expect(() => occurrences(hourly, "2000-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).toThrow(
      new RegExp(`more than ${MAX_OCCURRENCES}`),
    );
    expect(occurrences(hourly, "2029-01-01T00:00:00Z", "2029-01-02T00:00:00Z")).toHaveLength(24);
  });
});

describe("validateWindow", () => {
  const ok: RecurringWindow = sundayBerlin;
  it.each([
    [{ ...ok, timezone: "Mars/Olympus" }, /timezone/],
    [{ ...ok, timezone: "+01:00" }, /timezone/],
    [{ ...ok, rrule: "FREQ=SOMETIMES" }, /FREQ must be/],
    [{ ...ok, rrule: "FREQ=MINUTELY" }, /FREQ must be/],
    [{ ...ok, rrule: "BYDAY=SU" }, /FREQ must be/],
    [{ ...ok, rrule: "FREQ=WEEKLY;COLOR=red" }, /rrule/],
    [{ ...ok, rrule: "DTSTART;TZID=Europe/Berlin:20250105T020000\nRRULE:FREQ=WEEKLY" }, /only the RRULE value/],
    [{ ...ok, durationMinutes: 0 }, /durationMinutes/],
    [{ ...ok, durationMinutes: 1.5 }, /durationMinutes/],
    [{ ...ok, dtstart: "2025-02-30T02:00" }, /dtstart/],
    [{ ...ok, dtstart: "2025-02-03T24:00" }, /dtstart/],
    [{ ...ok, dtstart: "next Sunday" }, /dtstart/],
    [{ start: "2025-01-01T02:00:00Z", end: "2025-01-01T02:00:00Z" }, /end must be after start/],
    [{ start: "2025-01-01T02:00:00", end: "2025-01-01T03:00:00Z" }, /offset/],
  ] as [WindowSpec, RegExp][])("refuses %j", (window, problem) => {
    const problems = validateWindow(window);
    expect(problems.join("\n")).toMatch(problem);
    expect(() => occurrences(window, "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z")).toThrow(RangeError);
  });
  it("lists every problem at once", () => {
    expect(validateWindow({ ...ok, timezone: "Nowhere", durationMinutes: 0, rrule: "FREQ=SECONDLY" })).toHaveLength(3);
    expect(validateWindow({ ...ok, dtstart: "2025-13-01T00:00", durationMinutes: -5 })).toHaveLength(2);
  });
  it("accepts valid windows", () => {
    expect(validateWindow(ok)).toEqual([]);
    expect(validateWindow({ ...ok, rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;INTERVAL=2" })).toEqual([]);
    expect(validateWindow({ start: new Date(0), end: "1970-01-01T01:00:00+01:00" })).toEqual([
      "end must be after start",
    ]);
    expect(validateWindow({ start: new Date(0), end: "1970-01-01T02:00:00+01:00" })).toEqual([]);
  });
});

describe("covers", () => {
  it("is true inside one occurrence, boundaries included, and false past either end", () => {
    expect(covers([sundayBerlin], "2025-01-05T01:00:00Z", "2025-01-05T03:00:00Z")).toBe(true);
    expect(covers([sundayBerlin], "2025-01-05T01:30:00Z", "2025-01-05T02:00:00Z")).toBe(true);
    expect(covers([sundayBerlin], "2025-01-05T00:59:00Z", "2025-01-05T02:00:00Z")).toBe(false);
    expect(covers([sundayBerlin], "2025-01-05T02:00:00Z", "2025-01-05T03:00:01Z")).toBe(false);
    expect(firstUncovered([sundayBerlin], "2025-01-05T02:00:00Z", "2025-01-05T04:00:00Z")?.toISOString()).toBe(
      "2025-01-05T03:00:00.000Z",
    );
    expect(covers([], "2025-01-05T01:00:00Z", "2025-01-05T02:00:00Z")).toBe(false);
  });

  it("follows the window across the DST changes in Europe/Berlin", () => {
    // 2025-03-30: only 03:00–04:00 CEST (01:00–02:00 UTC).
    expect(covers([sundayBerlin], "2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z")).toBe(true);
    expect(covers([sundayBerlin], "2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z")).toBe(false);
    // 2025-10-26: three hours, 00:00–03:00 UTC; the same three hours a week earlier are not covered.
    expect(covers([sundayBerlin], "2025-10-26T00:00:00Z", "2025-10-26T03:00:00Z")).toBe(true);
    expect(covers([sundayBerlin], "2025-10-19T00:00:00Z", "2025-10-19T03:00:00Z")).toBe(false);
  });

  it("joins back-to-back and overlapping occurrences, also across midnight and of different windows", () => {
    const lateSaturday: RecurringWindow = {
      rrule: "FREQ=WEEKLY;BYDAY=SA",
      dtstart: "2025-01-04T22:00",
      durationMinutes: 120,
      timezone: "Europe/Berlin",
    };
    const earlySunday: RecurringWindow = {
      ...lateSaturday,
      rrule: "FREQ=WEEKLY;BYDAY=SU",
      dtstart: "2025-01-05T00:00",
    };
    // Sat 23:00 – Sun 01:00 local.
    expect(covers([lateSaturday, earlySunday], "2025-01-11T22:00:00Z", "2025-01-12T00:00:00Z")).toBe(true);
    expect(covers([lateSaturday], "2025-01-11T22:00:00Z", "2025-01-12T00:00:00Z")).toBe(false);
    expect(
      spans(mergedOccurrences([earlySunday, lateSaturday], "2025-01-11T00:00:00Z", "2025-01-12T12:00:00Z")),
    ).toEqual(["2025-01-11T21:00:00Z/2025-01-12T01:00:00Z"]);
    // A one-minute hole between them: not covered.
    const sundayLate = { ...earlySunday, dtstart: "2025-01-05T00:01" };
    expect(
      firstUncovered([lateSaturday, sundayLate], "2025-01-11T22:00:00Z", "2025-01-12T00:00:00Z")?.toISOString(),
    ).toBe("2025-01-11T23:00:00.000Z");
    // Daily 25-hour occurrences overlap each other: one long covered stretch.
    const daily: RecurringWindow = {
      rrule: "FREQ=DAILY",
      dtstart: "2025-01-01T00:00",
      durationMinutes: 1500,
      timezone: "UTC",
    };
    expect(covers([daily], "2025-01-02T12:00:00Z", "2025-01-09T12:00:00Z")).toBe(true);
    expect(mergedOccurrences([daily], "2025-01-02T12:00:00Z", "2025-01-09T12:00:00Z")).toHaveLength(1);
  });

  it("treats an empty interval as covered", () => {
    expect(covers([], "2025-01-05T01:00:00Z", "2025-01-05T01:00:00Z")).toBe(true);
  });
});

// ---- properties ----

const ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Havana", "Asia/Kolkata", "UTC"];
const pad = (n: number) => String(n).padStart(2, "0");
const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** Daily, weekly or monthly rules starting at random local times, often in the small hours where DST changes happen. */
const recurringArb: fc.Arbitrary<RecurringWindow> = fc
  .record({
    rule: fc.oneof(
      fc.integer({ min: 1, max: 3 }).map((n) => `FREQ=DAILY;INTERVAL=${n}`),
      fc
        .uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 7 })
        .map((d) => `FREQ=WEEKLY;BYDAY=${d.join(",")}`),
      fc.constantFrom("FREQ=MONTHLY;BYDAY=-1SU", "FREQ=MONTHLY;BYDAY=2SU", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
    ),
    year: fc.integer({ min: 2019, max: 2029 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 23 })),
    minute: fc.constantFrom(0, 15, 30, 45, 59),
    durationMinutes: fc.oneof(fc.integer({ min: 1, max: 1440 }), fc.constantFrom(30, 60, 90, 120, 180, 240)),
    timezone: fc.constantFrom(...ZONES),
  })
  .map((r) => ({
    rrule: r.rule,
    dtstart: `${r.year}-${pad(r.month)}-${pad(r.day)}T${pad(r.hour)}:${pad(r.minute)}`,
    durationMinutes: r.durationMinutes,
    timezone: r.timezone,
  }));

/** A range of 1 … 60 days somewhere in 2019–2030, starting often near a DST change. */
const rangeArb = fc
  .record({
    base: fc.oneof(
      fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2030, 0, 1) }),
      fc
        .tuple(
          fc.integer({ min: 2019, max: 2029 }),
          fc.constantFrom([2, 20], [3, 20], [9, 20], [10, 20]),
          fc.integer({ min: 0, max: 14 }),
        )
        .map(([y, [m, d], k]) => Date.UTC(y, m as number, (d as number) + k)),
    ),
    days: fc.integer({ min: 1, max: 60 }),
  })
  .map(({ base, days }) => ({ from: new Date(base), to: new Date(base + days * DAY_MS) }));

const SECOND = 1000;

/** Is `instant` the moment a zone's clocks jump forward, and does `wall` fall in the skipped part? */
function isGapMoment(zone: string, instant: number, wall: number): boolean {
  const before = offsetAt(zone, instant - SECOND);
  const after = offsetAt(zone, instant);
  return after > before && wall >= instant + before && wall < instant + after;
}

describe("properties of occurrences", () => {
  it("are sorted, non-overlapping, overlap the range and keep their local times (the ends moved only by a DST gap)", () => {
    fc.assert(
      fc.property(recurringArb, rangeArb, (w, { from, to }) => {
        const list = occurrences(w, from, to);
        const [, hh, mm] = /T(\d\d):(\d\d)$/.exec(w.dtstart as string)?.map(Number) ?? [];
        const startOfDay = ((hh as number) * 60 + (mm as number)) * MINUTE_MS;
        let previousEnd = Number.NEGATIVE_INFINITY;
        for (const o of list) {
          const s = o.start.getTime();
          const e = o.end.getTime();
          expect(s).toBeLessThan(e);
          expect(overlaps(s, e, from.getTime(), to.getTime())).toBe(true);
          expect(s).toBeGreaterThanOrEqual(previousEnd); // sorted and non-overlapping
          previousEnd = e;
          // The intended local start: the local date of the start at the rule's time of day.
          const wallStart = instantToWall(w.timezone, s);
          const intendedStart = Math.floor(wallStart / DAY_MS) * DAY_MS + startOfDay;
          const intendedEnd = intendedStart + w.durationMinutes * MINUTE_MS;
          if (wallStart !== intendedStart) expect(isGapMoment(w.timezone, s, intendedStart)).toBe(true);
          const wallEnd = instantToWall(w.timezone, e);
          if (wallEnd !== intendedEnd) expect(isGapMoment(w.timezone, e, intendedEnd)).toBe(true);
          // The length in real time is off by at most the DST shift (an hour in these zones).
          expect(Math.abs(e - s - w.durationMinutes * MINUTE_MS)).toBeLessThanOrEqual(HOUR_MS);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("do not depend on the range asked for", () => {
    fc.assert(
      fc.property(recurringArb, rangeArb, fc.double({ min: 0, max: 1, noNaN: true }), (w, { from, to }, cut) => {
        const middle = new Date(from.getTime() + Math.floor((to.getTime() - from.getTime()) * cut));
        const whole = spans(occurrences(w, from, to));
        const left = spans(occurrences(w, from, middle));
        const right = spans(occurrences(w, middle, to));
        expect([...new Set([...left, ...right])]).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });
});

describe("properties of covers", () => {
  const oneOffArb: fc.Arbitrary<WindowSpec> = fc
    .tuple(fc.integer({ min: 0, max: 59 * 24 * 60 }), fc.integer({ min: 1, max: 5 * 24 * 60 }))
    .map(([m, len]) => ({
      start: new Date(Date.UTC(2025, 0, 1) + m * MINUTE_MS),
      end: new Date(Date.UTC(2025, 0, 1) + (m + len) * MINUTE_MS),
    }));
  const windowsArb = fc.array(fc.oneof(recurringArb, oneOffArb), { minLength: 1, maxLength: 3 });
  const FROM = new Date(Date.UTC(2025, 0, 1));
  const TO = new Date(Date.UTC(2025, 3, 1));

  it("is monotonic: every sub-interval of a covered interval is covered", () => {
    fc.assert(
      fc.property(
        windowsArb,
        fc.nat(),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        (windows, pick, outer, inner) => {
          const merged = mergedOccurrences(windows, FROM, TO);
          fc.pre(merged.length > 0);
          const iv = merged[pick % merged.length] as { start: Date; end: Date };
          const at = (a: number, b: number, f: number) => a + Math.floor((b - a) * f);
          const [o1, o2] = [...outer].sort((x, y) => x - y) as [number, number];
          const s = at(iv.start.getTime(), iv.end.getTime(), o1);
          const e = at(iv.start.getTime(), iv.end.getTime(), o2);
          const [i1, i2] = [...inner].sort((x, y) => x - y) as [number, number];
          const s2 = at(s, e, i1);
          const e2 = at(s, e, i2);
          expect(covers(windows, new Date(s), new Date(e))).toBe(true);
          expect(covers(windows, new Date(s2), new Date(e2))).toBe(true);
          // Merged stretches are maximal: a millisecond past either end is not covered.
          if (iv.start.getTime() > FROM.getTime()) {
            expect(covers(windows, new Date(iv.start.getTime() - 1), iv.end)).toBe(false);
          }
          if (iv.end.getTime() < TO.getTime())
            expect(covers(windows, iv.start, new Date(iv.end.getTime() + 1))).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("agrees with a brute-force check on a minute grid", () => {
    fc.assert(
      fc.property(
        windowsArb,
        fc.integer({ min: 0, max: 80 * 24 * 60 }),
        fc.integer({ min: 1, max: 600 }),
        (windows, m, len) => {
          const s = FROM.getTime() + m * MINUTE_MS;
          const e = s + len * MINUTE_MS;
          const occ = windows.flatMap((w) => occurrences(w, new Date(s), new Date(e)));
          let all = true;
          for (let t = s; t < e; t += MINUTE_MS) {
            // Occurrence bounds are on whole minutes here: checking each minute's start is exact.
            if (!occ.some((o) => o.start.getTime() <= t && t < o.end.getTime())) all = false;
          }
          expect(covers(windows, new Date(s), new Date(e))).toBe(all);
        },
      ),
      { numRuns: 150 },
    );
  });
});
