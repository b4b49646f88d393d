/** The business-calendar engine on pinned instants: weekends, holidays, and the DST days of several zones. */
import { describe, expect, it } from "vitest";
import type { CalendarDefinitionInput } from "../../../common/calendars.ts";
import { compileCalendar, InvalidCalendarError, NoWorkingTimeError } from "./calendar.ts";

const at = (iso: string) => new Date(iso);
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const cal = (
  timezone: string,
  hours: CalendarDefinitionInput["hours"],
  holidays: CalendarDefinitionInput["holidays"] = [],
) => compileCalendar({ timezone, hours, holidays });
const add = (c: ReturnType<typeof cal>, start: string, minutes: number) =>
  c.addWorkingMinutes(at(start), minutes).toISOString();
const elapsed = (c: ReturnType<typeof cal>, from: string, to: string) => c.workingMinutesBetween(at(from), at(to));

describe("office hours in Berlin (Mon–Fri 09:00–17:00)", () => {
  const berlin = cal("Europe/Berlin", weekdays("09:00", "17:00"));

  it("Friday 17:00 + 60 minutes is Monday 10:00", () => {
    expect(add(berlin, "2024-03-01T16:00:00Z", 60)).toBe("2024-03-04T09:00:00.000Z");
    expect(add(berlin, "2024-03-01T15:30:00Z", 60)).toBe("2024-03-04T08:30:00.000Z");
    expect(elapsed(berlin, "2024-03-01T16:00:00Z", "2024-03-04T09:00:00Z")).toBe(60);
  });

  it("a start in the weekend counts from Monday 09:00; a result may sit at an interval's end", () => {
    expect(add(berlin, "2024-03-02T10:00:00Z", 30)).toBe("2024-03-04T08:30:00.000Z");
    expect(add(berlin, "2024-03-04T08:00:00Z", 480)).toBe("2024-03-04T16:00:00.000Z");
    expect(berlin.isWorking(at("2024-03-04T16:00:00Z"))).toBe(false);
    expect(berlin.isWorking(at("2024-03-04T08:00:00Z"))).toBe(true);
    expect(berlin.nextWorkingInstant(at("2024-03-02T10:00:00Z")).toISOString()).toBe("2024-03-04T08:00:00.000Z");
  });

  it("add(s, 0) is s, even outside working time; elapsed is negative backwards and fractional on seconds", () => {
    expect(add(berlin, "2024-03-02T10:00:00.123Z", 0)).toBe("2024-03-02T10:00:00.123Z");
    expect(elapsed(berlin, "2024-03-04T09:00:00Z", "2024-03-01T16:00:00Z")).toBe(-60);
    expect(elapsed(berlin, "2024-03-04T08:00:00Z", "2024-03-04T08:01:30Z")).toBe(1.5);
  });

  it("skips a fixed holiday and yearly ones, in any year", () => {
    const closed = cal("Europe/Berlin", weekdays("09:00", "17:00"), [
      { date: "2024-03-04", name: "Closed" },
      { date: "2000-12-25", name: "Christmas", yearly: true },
      { date: "2000-12-26", name: "Boxing Day", yearly: true },
    ]);
    expect(add(closed, "2024-03-01T16:00:00Z", 60)).toBe("2024-03-05T09:00:00.000Z");
    expect(add(closed, "2024-12-24T15:30:00Z", 60)).toBe("2024-12-27T08:30:00.000Z");
    expect(add(closed, "2030-12-24T15:30:00Z", 60)).toBe("2030-12-27T08:30:00.000Z");
    expect(elapsed(closed, "2031-12-24T23:00:00Z", "2031-12-26T23:00:00Z")).toBe(0);
  });

  it("a yearly 29 February is a holiday in leap years only", () => {
    const c = cal("UTC", [], [{ date: "2024-02-29", name: "Leap day", yearly: true }]);
    expect(elapsed(c, "2028-02-28T00:00:00Z", "2028-03-01T00:00:00Z")).toBe(1440);
    expect(elapsed(c, "2027-02-28T00:00:00Z", "2027-03-01T00:00:00Z")).toBe(1440);
  });
});

describe("daylight saving time", () => {
  it("Berlin, spring forward (31 March 2024, 02:00 → 03:00): the lost hour is not worked", () => {
    const night = cal("Europe/Berlin", [{ day: 7, start: "01:00", end: "04:00" }]);
    expect(elapsed(night, "2024-03-30T00:00:00Z", "2024-04-01T00:00:00Z")).toBe(120);
    expect(elapsed(night, "2024-03-23T00:00:00Z", "2024-03-25T00:00:00Z")).toBe(180);
    expect(add(night, "2024-03-30T12:00:00Z", 90)).toBe("2024-03-31T01:30:00.000Z"); // 03:30 CEST
    // An interval inside the gap does not happen; one ending in it ends when the clocks jump.
    const gap = cal("Europe/Berlin", [{ day: 7, start: "02:00", end: "02:30" }]);
    expect(elapsed(gap, "2024-03-30T00:00:00Z", "2024-04-01T00:00:00Z")).toBe(0);
    expect(elapsed(gap, "2024-03-23T00:00:00Z", "2024-03-25T00:00:00Z")).toBe(30);
    const into = cal("Europe/Berlin", [{ day: 7, start: "01:30", end: "02:30" }]);
    expect(elapsed(into, "2024-03-30T00:00:00Z", "2024-04-01T00:00:00Z")).toBe(30);
    expect(add(into, "2024-03-30T00:00:00Z", 30)).toBe("2024-03-31T01:00:00.000Z");
  });

  it("Berlin, fall back (27 October 2024, 03:00 → 02:00): wall times of the repeated hour count from their first occurrence", () => {
    const night = cal("Europe/Berlin", [{ day: 7, start: "01:00", end: "04:00" }]);
    expect(elapsed(night, "2024-10-26T00:00:00Z", "2024-10-28T00:00:00Z")).toBe(240);
    const repeated = cal("Europe/Berlin", [{ day: 7, start: "02:00", end: "03:00" }]);
    expect(elapsed(repeated, "2024-10-26T00:00:00Z", "2024-10-28T00:00:00Z")).toBe(120);
    expect(add(repeated, "2024-10-26T00:00:00Z", 1)).toBe("2024-10-27T00:01:00.000Z"); // 02:01 CEST
    const inside = cal("Europe/Berlin", [{ day: 7, start: "02:15", end: "02:45" }]);
    expect(add(inside, "2024-10-26T00:00:00Z", 30)).toBe("2024-10-27T00:45:00.000Z"); // 02:45 CEST
  });

  it("New York: the office week across both changes of 2024", () => {
    const ny = cal("America/New_York", weekdays("09:00", "17:00"));
    expect(add(ny, "2024-03-08T21:00:00Z", 120)).toBe("2024-03-11T14:00:00.000Z"); // Mon 10:00 EDT
    expect(add(ny, "2024-11-01T20:00:00Z", 120)).toBe("2024-11-04T15:00:00.000Z"); // Mon 10:00 EST
    const sunday = cal("America/New_York", [{ day: 7, start: "00:00", end: "24:00" }]);
    expect(elapsed(sunday, "2024-03-09T00:00:00Z", "2024-03-12T00:00:00Z")).toBe(23 * 60);
    expect(elapsed(sunday, "2024-11-02T00:00:00Z", "2024-11-05T00:00:00Z")).toBe(25 * 60);
  });

  it("Lord Howe (30-minute DST) and Chatham (+12:45/+13:45) have days of 23½, 24½, 23 and 25 hours", () => {
    const lordHowe = cal("Australia/Lord_Howe", [{ day: 7, start: "00:00", end: "24:00" }]);
    expect(elapsed(lordHowe, "2024-04-05T00:00:00Z", "2024-04-09T00:00:00Z")).toBe(1470);
    expect(elapsed(lordHowe, "2024-10-03T00:00:00Z", "2024-10-08T00:00:00Z")).toBe(1410);
    const chatham = cal("Pacific/Chatham", [{ day: 7, start: "00:00", end: "24:00" }]);
    expect(elapsed(chatham, "2024-04-05T00:00:00Z", "2024-04-09T00:00:00Z")).toBe(1500);
    expect(elapsed(chatham, "2024-09-27T00:00:00Z", "2024-10-01T00:00:00Z")).toBe(1380);
    // 03:00 Chatham time on the spring-forward day lies in the gap (02:45 → 03:45).
    const early = cal("Pacific/Chatham", [{ day: 7, start: "03:00", end: "04:00" }]);
    expect(add(early, "2024-09-27T00:00:00Z", 15)).toBe("2024-09-28T14:15:00.000Z"); // 04:00 +13:45
  });

  it("Santiago changes at midnight: Sunday 00:00 may not exist, or Saturday may last 25 hours", () => {
    const sunday = cal("America/Santiago", [{ day: 7, start: "00:00", end: "02:00" }]);
    expect(add(sunday, "2024-09-07T12:00:00Z", 1)).toBe("2024-09-08T04:01:00.000Z");
    expect(elapsed(sunday, "2024-09-07T00:00:00Z", "2024-09-09T00:00:00Z")).toBe(60);
    const saturday = cal("America/Santiago", [{ day: 6, start: "00:00", end: "24:00" }]);
    expect(elapsed(saturday, "2024-04-05T00:00:00Z", "2024-04-08T00:00:00Z")).toBe(25 * 60);
  });

  it("Kolkata (+05:30, no DST) and 24×7 over a DST change", () => {
    const kolkata = cal("Asia/Kolkata", weekdays("09:00", "17:00"));
    expect(add(kolkata, "2024-01-01T03:30:00Z", 480)).toBe("2024-01-01T11:30:00.000Z");
    const always = cal("Europe/Berlin", []);
    expect(add(always, "2024-03-30T23:00:00Z", 180)).toBe("2024-03-31T02:00:00.000Z");
    expect(elapsed(always, "2024-10-26T22:00:00Z", "2024-10-27T22:00:00Z")).toBe(1440);
  });

  it("intervals touching at midnight make one stretch of work", () => {
    const night = cal("UTC", [
      { day: 1, start: "22:00", end: "24:00" },
      { day: 2, start: "00:00", end: "02:00" },
    ]);
    expect(add(night, "2024-01-01T22:00:00Z", 180)).toBe("2024-01-02T01:00:00.000Z");
    expect(night.isWorking(at("2024-01-02T00:00:00Z"))).toBe(true);
  });
});

describe("calendars with no working time, and bad input", () => {
  const everyDay = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));

  it("a calendar whose every day is a yearly holiday is refused", () => {
    const holidays = everyDay.map((date) => ({ date, name: "Off", yearly: true }));
    expect(() => cal("UTC", weekdays("09:00", "17:00"), holidays)).toThrow(/no working time left/);
    expect(() => cal("UTC", [], holidays)).toThrow(InvalidCalendarError);
  });

  it("add and nextWorkingInstant give up after 100 years with a clear error; elapsed is 0", () => {
    // Mondays only, and every day a holiday but 29 February; the Mondays among those are holidays too.
    const leapMondays = [];
    for (let y = 2024; y <= 2200; y++) {
      const d = new Date(Date.UTC(y, 1, 29));
      if (d.getUTCMonth() === 1 && d.getUTCDay() === 1) leapMondays.push({ date: `${y}-02-29`, name: "Off" });
    }
    const yearly = everyDay.filter((d) => !d.endsWith("02-29")).map((date) => ({ date, name: "Off", yearly: true }));
    const open = cal("Europe/Berlin", [{ day: 1, start: "09:00", end: "10:00" }], yearly);
    expect(add(open, "2025-01-01T00:00:00Z", 60)).toBe("2044-02-29T09:00:00.000Z"); // the next Monday 29 February
    const never = cal("Europe/Berlin", [{ day: 1, start: "09:00", end: "10:00" }], [...yearly, ...leapMondays]);
    const started = Date.now();
    expect(() => never.addWorkingMinutes(at("2025-01-01T00:00:00Z"), 1)).toThrow(NoWorkingTimeError);
    expect(() => never.nextWorkingInstant(at("2025-01-01T00:00:00Z"))).toThrow(
      /no working time found within 100 years/,
    );
    expect(never.workingMinutesBetween(at("2025-01-01T00:00:00Z"), at("2060-01-01T00:00:00Z"))).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses broken definitions, naming the field", () => {
    const issues = (def: unknown) => {
      try {
        compileCalendar(def as CalendarDefinitionInput);
      } catch (error) {
        return (error as InvalidCalendarError).issues.map((i) => i.path);
      }
      return [];
    };
    expect(issues({ timezone: "Mars/Olympus", hours: [] })).toEqual(["timezone"]);
    expect(issues({ timezone: "+01:00", hours: [] })).toEqual(["timezone"]);
    expect(issues({ timezone: "UTC", hours: [{ day: 1, start: "17:00", end: "09:00" }] })).toEqual(["hours.0.end"]);
    expect(issues({ timezone: "UTC", hours: [{ day: 8, start: "09:00", end: "17:00" }] })).toEqual(["hours.0.day"]);
    expect(issues({ timezone: "UTC", hours: [{ day: 1, start: "24:00", end: "24:00" }] })).toEqual(["hours.0.start"]);
    expect(issues({ timezone: "UTC", hours: [{ day: 1, start: "9:00", end: "17:00" }] })).toEqual(["hours.0.start"]);
    expect(
      issues({
        timezone: "UTC",
        hours: [
          { day: 1, start: "09:00", end: "12:00" },
          { day: 1, start: "11:00", end: "13:00" },
        ],
      }),
    ).toEqual(["hours.1.start"]);
    expect(issues({ timezone: "UTC", hours: [], holidays: [{ date: "2023-02-29", name: "x" }] })).toEqual([
      "holidays.0.date",
    ]);
    const dup = [
      { date: "2024-12-25", name: "a", yearly: true },
      { date: "2030-12-25", name: "b", yearly: true },
    ];
    expect(issues({ timezone: "UTC", hours: [], holidays: dup })).toEqual(["holidays.1.date"]);
  });

  it("refuses fractional or negative minutes and invalid dates", () => {
    const c = cal("UTC", []);
    expect(() => c.addWorkingMinutes(at("2024-01-01T00:00:00Z"), 1.5)).toThrow(RangeError);
    expect(() => c.addWorkingMinutes(at("2024-01-01T00:00:00Z"), -1)).toThrow(RangeError);
    expect(() => c.addWorkingMinutes(new Date(Number.NaN), 1)).toThrow(/not a valid date/);
  });
});
