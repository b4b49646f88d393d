import fc from "fast-check";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { type CalendarChange, calendarFeed, escapeText, type FeedOptions, foldLine } from "./ical.ts";

const host = "steward.example.com";
const opts: FeedOptions = { host, name: "Change calendar", refreshMinutes: 30, timezone: "Europe/Berlin" };

const base: CalendarChange = {
  id: "3f2b8c1e-7d4a-4b9e-9a51-0c6d2e8f1a11",
  number: "CHG-000042",
  title: "Upgrade PostgreSQL; then reindex, carefully",
  start: "2025-03-30T01:00:00Z",
  end: "2025-03-30T03:30:00+02:00",
  status: "confirmed",
  sequence: 3,
  updatedAt: "2025-03-20T09:15:42.789Z",
  createdAt: "2025-03-01T08:00:00Z",
  description: "Plan:\n1. stop app\\workers; 2. upgrade, 3. start\r\nRollback: restore snapshot",
  url: "https://steward.example.com/changes/3f2b8c1e-7d4a-4b9e-9a51-0c6d2e8f1a11?tab=plan&x=1,2",
};

/** The feed through ical.js: the calendar and its events. */
function parse(feed: string) {
  const calendar = new ICAL.Component(ICAL.parse(feed));
  const events = calendar.getAllSubcomponents("vevent");
  return { calendar, events };
}

const value = (c: InstanceType<typeof ICAL.Component>, name: string) => c.getFirstPropertyValue(name);
const instant = (c: InstanceType<typeof ICAL.Component>, name: string) =>
  (value(c, name) as InstanceType<typeof ICAL.Time>).toJSDate().toISOString();

/** Structural checks ical.js is too lenient for: CRLF everywhere, ≤ 75 octets a line, one space after a fold. */
function expectWellFormed(feed: string) {
  expect(feed.endsWith("\r\n")).toBe(true);
  expect(feed.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const lines = feed.slice(0, -2).split("\r\n");
  for (const line of lines) {
    expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    // Each line is a content line (NAME[;PARAM]:value) or a continuation starting with one space.
    expect(line).toMatch(/^(?: |[A-Z][A-Z0-9-]*(?:;[^:]*)?:)/);
  }
  // Unfolding gives content lines again; BEGIN/END pair up.
  const unfolded = feed.replace(/\r\n /g, "").slice(0, -2).split("\r\n");
  const stack: string[] = [];
  for (const line of unfolded) {
    if (line.startsWith("BEGIN:")) stack.push(line.slice(6));
    if (line.startsWith("END:")) expect(stack.pop()).toBe(line.slice(4));
  }
  expect(stack).toEqual([]);
  return unfolded;
}

describe("calendarFeed", () => {
  it("round-trips every field through ical.js", () => {
    const feed = calendarFeed([base], opts);
    expectWellFormed(feed);
    const { calendar, events } = parse(feed);
    expect(value(calendar, "version")).toBe("2.0");
    expect(value(calendar, "prodid")).toBe("-//Steward//Change calendar//EN");
    expect(value(calendar, "calscale")).toBe("GREGORIAN");
    expect(value(calendar, "x-wr-calname")).toBe("Change calendar");
    expect(value(calendar, "name")).toBe("Change calendar");
    expect(value(calendar, "x-wr-timezone")).toBe("Europe/Berlin");
    expect(String(value(calendar, "refresh-interval"))).toBe("PT30M");
    // A subscribed feed is not an iTIP message: no METHOD.
    expect(calendar.getFirstProperty("method")).toBeNull();
    expect(events).toHaveLength(1);
    const [e] = events as [InstanceType<typeof ICAL.Component>];
    expect(value(e, "uid")).toBe(`change-${base.id}@${host}`);
    expect(value(e, "summary")).toBe("CHG-000042 Upgrade PostgreSQL; then reindex, carefully");
    expect(value(e, "description")).toBe(
      "Plan:\n1. stop app\\workers; 2. upgrade, 3. start\nRollback: restore snapshot",
    );
    expect(value(e, "url")).toBe(base.url);
    expect(instant(e, "dtstart")).toBe("2025-03-30T01:00:00.000Z");
    expect(instant(e, "dtend")).toBe("2025-03-30T01:30:00.000Z");
    expect(instant(e, "dtstamp")).toBe("2025-03-20T09:15:42.000Z");
    expect(instant(e, "last-modified")).toBe("2025-03-20T09:15:42.000Z");
    expect(instant(e, "created")).toBe("2025-03-01T08:00:00.000Z");
    expect(value(e, "sequence")).toBe(3);
    expect(value(e, "status")).toBe("CONFIRMED");
    expect(value(e, "transp")).toBe("TRANSPARENT");
    // Times are UTC with a Z.
    expect((value(e, "dtstart") as InstanceType<typeof ICAL.Time>).zone?.tzid).toBe("UTC");
    expect(feed).toContain("\r\nDTSTART:20250330T010000Z\r\n");
    expect(feed).toContain("\r\nDTEND:20250330T013000Z\r\n");
    const event = new ICAL.Event(e);
    expect(event.uid).toBe(`change-${base.id}@${host}`);
    expect(event.sequence).toBe(3);
    expect(event.startDate.toJSDate().toISOString()).toBe("2025-03-30T01:00:00.000Z");
  });

  it("leaves optional properties out", () => {
    const minimal: CalendarChange = {
      id: "c1",
      number: "CHG-000001",
      title: "Minimal",
      start: new Date(Date.UTC(2025, 0, 1, 10)),
      end: new Date(Date.UTC(2025, 0, 1, 11)),
      status: "tentative",
      sequence: 0,
      updatedAt: new Date(Date.UTC(2024, 11, 31)),
    };
    const feed = calendarFeed([minimal], { host });
    const [e] = parse(feed).events as [InstanceType<typeof ICAL.Component>];
    expect(value(e, "status")).toBe("TENTATIVE");
    expect(value(e, "sequence")).toBe(0);
    for (const name of ["description", "url", "created"]) expect(e.getFirstProperty(name)).toBeNull();
    expect(feed).not.toMatch(/X-WR-CALNAME|REFRESH-INTERVAL|METHOD/);
  });

  it("sends a cancelled change as a cancelled event with the same UID", () => {
    const cancelled = { ...base, status: "cancelled" as const, sequence: 4 };
    const [e] = parse(calendarFeed([cancelled], opts)).events as [InstanceType<typeof ICAL.Component>];
    expect(value(e, "status")).toBe("CANCELLED");
    expect(value(e, "uid")).toBe(`change-${base.id}@${host}`);
    expect(value(e, "sequence")).toBe(4);
  });

  it("keeps the UID and bumps SEQUENCE on a reschedule", () => {
    const before = parse(calendarFeed([base], opts)).events[0] as InstanceType<typeof ICAL.Component>;
    const moved = { ...base, start: "2025-04-06T00:00:00Z", end: "2025-04-06T02:00:00Z", sequence: base.sequence + 1 };
    const after = parse(calendarFeed([moved], opts)).events[0] as InstanceType<typeof ICAL.Component>;
    expect(value(after, "uid")).toBe(value(before, "uid"));
    expect(value(after, "sequence")).toBe(Number(value(before, "sequence")) + 1);
    expect(instant(after, "dtstart")).toBe("2025-04-06T00:00:00.000Z");
  });

  it("folds long and non-ASCII lines at 75 octets without splitting a character", () => {
    const title = `Größere Umstellung — 数据库迁移 🚀🚀🚀 ${"é".repeat(60)} ${"x".repeat(200)} 👩‍👩‍👧‍👦`;
    const description = `${"Ünïcødé ".repeat(40)}\n${"🙂".repeat(50)}`;
    const feed = calendarFeed([{ ...base, title, description }], opts);
    const unfolded = expectWellFormed(feed);
    expect(feed.split("\r\n").filter((l) => l.startsWith(" ")).length).toBeGreaterThan(10);
    const [e] = parse(feed).events as [InstanceType<typeof ICAL.Component>];
    expect(value(e, "summary")).toBe(`CHG-000042 ${title}`);
    expect(value(e, "description")).toBe(description);
    expect(unfolded.some((l) => l.startsWith("SUMMARY:") && Buffer.byteLength(l) > 300)).toBe(true);
  });

  it("gives the same bytes for the same changes in any order, sorted by start", () => {
    const a = { ...base, id: "a", number: "CHG-1", start: "2025-05-01T10:00:00Z", end: "2025-05-01T11:00:00Z" };
    const b = { ...base, id: "b", number: "CHG-2", start: "2025-04-01T10:00:00Z", end: "2025-04-01T11:00:00Z" };
    const c = { ...base, id: "c", number: "CHG-3", start: "2025-04-01T10:00:00Z", end: "2025-04-01T12:00:00Z" };
    const feed = calendarFeed([a, b, c], opts);
    expect(calendarFeed([c, a, b], opts)).toBe(feed);
    expect(parse(feed).events.map((e) => value(e, "summary"))).toEqual([
      "CHG-2 Upgrade PostgreSQL; then reindex, carefully",
      "CHG-3 Upgrade PostgreSQL; then reindex, carefully",
      "CHG-1 Upgrade PostgreSQL; then reindex, carefully",
    ]);
    expect(calendarFeed([], opts)).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
    expect(parse(calendarFeed([], opts)).events).toEqual([]);
  });

  it("refuses what would make an invalid feed", () => {
    expect(() => calendarFeed([base], { host: "bad host" })).toThrow(RangeError);
    expect(() => calendarFeed([{ ...base, id: "a b" }], opts)).toThrow(/UID/);
    expect(() => calendarFeed([{ ...base, end: base.start }], opts)).toThrow(/end must be after start/);
    expect(() => calendarFeed([{ ...base, sequence: -1 }], opts)).toThrow(/sequence/);
    expect(() => calendarFeed([{ ...base, sequence: 1.5 }], opts)).toThrow(/sequence/);
    expect(() => calendarFeed([{ ...base, url: "javascript:alert(1)" }], opts)).toThrow(/http/);
    expect(() => calendarFeed([{ ...base, url: "/relative" }], opts)).toThrow(/absolute/);
    expect(() => calendarFeed([{ ...base, start: "2025-03-30T01:00:00" }], opts)).toThrow(/offset/);
    expect(() => calendarFeed([base], { ...opts, refreshMinutes: 0 })).toThrow(/refreshMinutes/);
  });
});

describe("escapeText and foldLine", () => {
  it("escapes backslash, semicolon, comma and newlines, and drops control characters", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg\u0000h\u0007i\tj")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng" + "hi\tj");
    expect(escapeText("\uD800x")).toBe("\uFFFDx");
  });

  it("does not fold a line of exactly 75 octets, folds one of 76", () => {
    expect(foldLine("x".repeat(75))).toBe("x".repeat(75));
    expect(foldLine("x".repeat(76))).toBe(`${"x".repeat(75)}\r\n x`);
    // A 3-octet character that would straddle the 75th octet moves to the next line whole.
    expect(foldLine(`${"x".repeat(74)}€y`)).toBe(`${"x".repeat(74)}\r\n €y`);
  });

  it("round-trips any text through ical.js, within 75 octets a line", () => {
    const textArb = fc.string({
      unit: fc.oneof(
        fc.constantFrom("\\", ";", ",", "\n", "\r\n", ":", '"', " "),
        fc.string({ unit: "binary", maxLength: 3 }),
      ),
      maxLength: 120,
    });
    fc.assert(
      fc.property(textArb, textArb, (title, description) => {
        const feed = calendarFeed([{ ...base, title, description }], opts);
        expectWellFormed(feed);
        const [e] = parse(feed).events as [InstanceType<typeof ICAL.Component>];
        // What survives: control characters other than tab go, any line break becomes \n.
        const normal = (s: string) =>
          s
            .replace(/\r\n|\r/g, "\n")
            // biome-ignore lint/suspicious/noControlCharactersInRegex: the test mirrors the escaping
            .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "");
        expect(value(e, "summary")).toBe(normal(`CHG-000042 ${title}`));
        if (normal(description)) expect(value(e, "description")).toBe(normal(description));
      }),
      { numRuns: 300 },
    );
  });
});
