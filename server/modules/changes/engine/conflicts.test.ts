import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BlackoutWindow,
  type ChangeUnderTest,
  type Conflict,
  type ConflictInput,
  findConflicts,
  type MaintenanceWindow,
  type OtherChange,
  relatedWithin,
} from "./conflicts.ts";
import { overlaps } from "./time.ts";

const change: ChangeUnderTest = {
  id: "c-self",
  start: "2025-01-15T10:00:00Z",
  end: "2025-01-15T12:00:00Z",
  ciIds: ["db"],
  serviceIds: [],
  assigneeId: "alice",
};

const other = (patch: Partial<OtherChange> & { id: string }): OtherChange => ({
  number: `CHG-${patch.id}`,
  start: "2025-01-15T11:00:00Z",
  end: "2025-01-15T13:00:00Z",
  ciIds: [],
  assigneeId: null,
  ...patch,
});

const names = new Map([
  ["db", "db-01"],
  ["app", "app-01"],
  ["lb", "lb-01"],
  ["web", "web-01"],
  ["payroll", "Payroll"],
  ["crm", "CRM"],
]);

function check(patch: Partial<ConflictInput>): Conflict[] {
  return findConflicts({
    change,
    otherChanges: [],
    relatedWithin2Hops: new Map(),
    maintenanceWindows: [],
    blackoutWindows: [],
    ciNames: names,
    ...patch,
  });
}

const rules = (list: Conflict[]) => list.map((c) => c.rule);

describe("same_ci", () => {
  it("reports another change on the same CI in an overlapping window", () => {
    const found = check({ otherChanges: [other({ id: "1", title: "Patch DB", ciIds: ["db", "web"] })] });
    expect(found).toEqual([
      {
        rule: "same_ci",
        ciId: "db",
        otherChangeId: "1",
        message:
          'CHG-1 "Patch DB" also changes db-01 at an overlapping time (2025-01-15 11:00 – 2025-01-15 12:00 UTC).',
      },
    ]);
  });

  it("does not report another CI, or a window that does not overlap", () => {
    expect(check({ otherChanges: [other({ id: "1", ciIds: ["web"] })] })).toEqual([]);
    expect(
      check({
        otherChanges: [other({ id: "1", ciIds: ["db"], start: "2025-01-15T13:00:00Z", end: "2025-01-15T14:00:00Z" })],
      }),
    ).toEqual([]);
  });

  it("is half-open: back-to-back changes do not conflict, one millisecond of overlap does", () => {
    const before = other({ id: "b", ciIds: ["db"], start: "2025-01-15T08:00:00Z", end: "2025-01-15T10:00:00Z" });
    const after = other({ id: "a", ciIds: ["db"], start: "2025-01-15T12:00:00Z", end: "2025-01-15T14:00:00Z" });
    expect(check({ otherChanges: [before, after] })).toEqual([]);
    const touching = other({ id: "t", ciIds: ["db"], start: "2025-01-15T08:00:00Z", end: "2025-01-15T10:00:00.001Z" });
    expect(rules(check({ otherChanges: [touching] }))).toEqual(["same_ci"]);
    // Offsets count: 11:00+01:00 is 10:00 UTC, exactly the change's start.
    const offset = other({
      id: "o",
      ciIds: ["db"],
      start: "2025-01-15T09:00:00+01:00",
      end: "2025-01-15T11:00:00+01:00",
    });
    expect(check({ otherChanges: [offset] })).toEqual([]);
  });

  it("catches changes spanning midnight", () => {
    const overnight: ChangeUnderTest = { ...change, start: "2025-01-15T23:00:00Z", end: "2025-01-16T01:00:00Z" };
    const nextMorning = other({ id: "n", ciIds: ["db"], start: "2025-01-16T00:30:00Z", end: "2025-01-16T02:00:00Z" });
    const evening = other({ id: "e", ciIds: ["db"], start: "2025-01-15T21:00:00Z", end: "2025-01-15T23:00:00Z" });
    const found = findConflicts({
      change: overnight,
      otherChanges: [nextMorning, evening],
      relatedWithin2Hops: new Map(),
      maintenanceWindows: [],
      blackoutWindows: [],
    });
    expect(found.map((c) => [c.rule, c.otherChangeId])).toEqual([["same_ci", "n"]]);
  });

  it("reports one conflict per shared CI", () => {
    const multi: ChangeUnderTest = { ...change, ciIds: ["web", "db", "app"] };
    const found = findConflicts({
      change: multi,
      otherChanges: [other({ id: "1", ciIds: ["app", "db"] })],
      relatedWithin2Hops: new Map(),
      maintenanceWindows: [],
      blackoutWindows: [],
    });
    expect(found.map((c) => c.ciId)).toEqual(["app", "db"]);
  });
});

describe("related_ci", () => {
  // web → lb → app → db (any types, mixed directions): db–app 1 hop, db–lb 2 hops, db–web 3 hops.
  const relations = [
    { from: "web", to: "lb" },
    { from: "app", to: "lb" },
    { from: "db", to: "app" },
  ];
  const related = relatedWithin(relations, ["db"]);

  it("builds the 2-hop neighbourhood in both directions", () => {
    expect([...(related.get("db") ?? [])].sort()).toEqual(["app", "lb"]);
    expect([...(relatedWithin(relations, ["db"], 3).get("db") ?? [])].sort()).toEqual(["app", "lb", "web"]);
    expect(relatedWithin([], ["x"]).get("x")).toEqual(new Set());
  });

  it("reports a change on a CI 1 or 2 hops away, not 3", () => {
    const found = check({
      relatedWithin2Hops: related,
      otherChanges: [
        other({ id: "1", ciIds: ["app"] }),
        other({ id: "2", ciIds: ["lb"], start: "2025-01-15T11:30:00Z" }),
        other({ id: "3", ciIds: ["web"] }),
      ],
    });
    expect(found).toEqual([
      {
        rule: "related_ci",
        ciId: "db",
        relatedCiId: "app",
        otherChangeId: "1",
        message:
          "CHG-1 changes app-01, related to db-01 (within 2 hops), at an overlapping time (2025-01-15 11:00 – 2025-01-15 12:00 UTC).",
      },
      {
        rule: "related_ci",
        ciId: "db",
        relatedCiId: "lb",
        otherChangeId: "2",
        message:
          "CHG-2 changes lb-01, related to db-01 (within 2 hops), at an overlapping time (2025-01-15 11:30 – 2025-01-15 12:00 UTC).",
      },
    ]);
  });

  it("does not report a related change whose window does not overlap", () => {
    expect(
      check({
        relatedWithin2Hops: related,
        otherChanges: [other({ id: "1", ciIds: ["app"], start: "2025-01-15T12:00:00Z", end: "2025-01-15T13:00:00Z" })],
      }),
    ).toEqual([]);
  });

  it("uses the neighbourhood from either side", () => {
    const onlyTheirs = new Map([["app", new Set(["db"])]]);
    expect(
      rules(check({ relatedWithin2Hops: onlyTheirs, otherChanges: [other({ id: "1", ciIds: ["app"] })] })),
    ).toEqual(["related_ci"]);
  });

  it("leaves pairs to same_ci when a CI is in both changes", () => {
    // Both change db; app is related to db. Only same_ci.
    const found = check({ relatedWithin2Hops: related, otherChanges: [other({ id: "1", ciIds: ["db", "app"] })] });
    expect(rules(found)).toEqual(["same_ci"]);
    // We change db and app; they change app only: same_ci on app, nothing about db–app.
    const both: ChangeUnderTest = { ...change, ciIds: ["db", "app"] };
    const found2 = findConflicts({
      change: both,
      otherChanges: [other({ id: "1", ciIds: ["app"] })],
      relatedWithin2Hops: relatedWithin(relations, both.ciIds),
      maintenanceWindows: [],
      blackoutWindows: [],
    });
    expect(found2.map((c) => [c.rule, c.ciId])).toEqual([["same_ci", "app"]]);
  });
});

describe("outside_maintenance", () => {
  const sunday: MaintenanceWindow = {
    id: "w-sun",
    name: "Sunday patching",
    ciIds: ["db"],
    serviceIds: [],
    rrule: "FREQ=WEEKLY;BYDAY=SU",
    dtstart: "2025-01-05T02:00",
    durationMinutes: 120,
    timezone: "Europe/Berlin",
  };
  const at = (start: string, end: string, patch: Partial<ChangeUnderTest> = {}) =>
    findConflicts({
      change: { ...change, start, end, ...patch },
      otherChanges: [],
      relatedWithin2Hops: new Map(),
      maintenanceWindows: [sunday],
      blackoutWindows: [],
      ciNames: names,
      timezone: "Europe/Berlin",
    });

  it("accepts a change inside the window and reports one outside it", () => {
    expect(at("2025-01-12T01:00:00Z", "2025-01-12T03:00:00Z")).toEqual([]);
    expect(at("2025-01-12T02:00:00Z", "2025-01-12T04:00:00Z")).toEqual([
      {
        rule: "outside_maintenance",
        ciId: "db",
        windowId: "w-sun",
        message:
          'db-01 is changed outside its maintenance window ("Sunday patching") from 2025-01-12 04:00 Europe/Berlin.',
      },
    ]);
    expect(rules(at("2025-01-15T10:00:00Z", "2025-01-15T11:00:00Z"))).toEqual(["outside_maintenance"]);
  });

  it("says nothing about CIs without maintenance windows", () => {
    expect(at("2025-01-15T10:00:00Z", "2025-01-15T11:00:00Z", { ciIds: ["web"] })).toEqual([]);
  });

  it("follows the window's local time across the Europe/Berlin DST changes", () => {
    // 2025-03-30: the window is 03:00–04:00 CEST (01:00–02:00 UTC).
    expect(at("2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z")).toEqual([]);
    expect(at("2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z")[0]?.message).toMatch(
      /from 2025-03-30 01:30 Europe\/Berlin/,
    );
    // 2025-10-26: 02:00 CEST – 04:00 CET, three hours (00:00–03:00 UTC).
    expect(at("2025-10-26T00:00:00Z", "2025-10-26T03:00:00Z")).toEqual([]);
    expect(rules(at("2025-10-19T00:00:00Z", "2025-10-19T03:00:00Z"))).toEqual(["outside_maintenance"]);
  });

  it("follows America/New_York's DST changes, for a window across midnight", () => {
    const nightly: MaintenanceWindow = {
      id: "w-ny",
      name: "Nightly",
      ciIds: ["db"],
      serviceIds: [],
      rrule: "FREQ=DAILY",
      dtstart: "2025-01-01T23:00",
      durationMinutes: 240,
      timezone: "America/New_York",
    };
    const run = (start: string, end: string) =>
      rules(
        findConflicts({
          change: { ...change, start, end },
          otherChanges: [],
          relatedWithin2Hops: new Map(),
          maintenanceWindows: [nightly],
          blackoutWindows: [],
        }),
      );
    // 2025-03-08 23:00 EST → 03:00 EDT is 04:00–07:00 UTC: a four-hour change starting then does not fit.
    expect(run("2025-03-09T04:00:00Z", "2025-03-09T07:00:00Z")).toEqual([]);
    expect(run("2025-03-09T04:00:00Z", "2025-03-09T08:00:00Z")).toEqual(["outside_maintenance"]);
    // 2025-11-01 23:00 EDT → 03:00 EST is 03:00–08:00 UTC: five hours fit.
    expect(run("2025-11-02T03:00:00Z", "2025-11-02T08:00:00Z")).toEqual([]);
    expect(run("2025-11-03T04:00:00Z", "2025-11-03T09:00:00Z")).toEqual(["outside_maintenance"]);
  });

  it("joins a CI's windows, back to back across midnight", () => {
    const saturday: MaintenanceWindow = {
      ...sunday,
      id: "w-sat",
      name: "Saturday late",
      rrule: "FREQ=WEEKLY;BYDAY=SA",
      dtstart: "2025-01-04T22:00",
    };
    const sundayEarly: MaintenanceWindow = {
      ...sunday,
      id: "w-sun0",
      name: "Sunday early",
      dtstart: "2025-01-05T00:00",
    };
    const found = (windows: MaintenanceWindow[]) =>
      findConflicts({
        change: { ...change, start: "2025-01-11T22:00:00Z", end: "2025-01-12T00:00:00Z" }, // Sat 23:00 – Sun 01:00 CET
        otherChanges: [],
        relatedWithin2Hops: new Map(),
        maintenanceWindows: windows,
        blackoutWindows: [],
        ciNames: names,
      });
    expect(found([saturday, sundayEarly])).toEqual([]);
    const [only] = found([saturday, sunday]);
    expect(only?.windowId).toBe("w-sat");
    expect(only?.message).toBe(
      'db-01 is changed outside its maintenance windows ("Saturday late", "Sunday patching") from 2025-01-11 23:00 UTC.',
    );
  });

  it("applies windows on a service to changes affecting it, and one-off windows", () => {
    const serviceWindow: MaintenanceWindow = {
      id: "w-pay",
      name: "Payroll quiet time",
      ciIds: [],
      serviceIds: ["payroll"],
      start: "2025-01-15T09:00:00+01:00",
      end: "2025-01-15T12:00:00+01:00",
    };
    const run = (patch: Partial<ChangeUnderTest>) =>
      findConflicts({
        change: { ...change, ciIds: ["web"], ...patch },
        otherChanges: [],
        relatedWithin2Hops: new Map(),
        maintenanceWindows: [serviceWindow],
        blackoutWindows: [],
        ciNames: names,
      });
    // 10:00–12:00 UTC is 11:00–13:00 +01:00: the last hour is outside.
    expect(run({ serviceIds: ["payroll"] }).map((c) => [c.rule, c.ciId, c.windowId])).toEqual([
      ["outside_maintenance", "payroll", "w-pay"],
    ]);
    expect(run({ serviceIds: ["payroll"], end: "2025-01-15T11:00:00Z" })).toEqual([]);
    expect(run({ serviceIds: ["crm"] })).toEqual([]);
  });
});

describe("blackout", () => {
  const freeze: BlackoutWindow = {
    id: "b-freeze",
    name: "Year-end freeze",
    serviceIds: [],
    start: "2025-12-15T00:00:00+01:00",
    end: "2026-01-05T00:00:00+01:00",
  };
  const payrollRun: BlackoutWindow = {
    id: "b-pay",
    name: "Payroll run",
    serviceIds: ["payroll", "crm"],
    start: "2025-01-15T11:00:00Z",
    end: "2025-01-15T15:00:00Z",
  };
  const run = (patch: Partial<ChangeUnderTest>, blackouts: BlackoutWindow[]) =>
    findConflicts({
      change: { ...change, ...patch },
      otherChanges: [],
      relatedWithin2Hops: new Map(),
      maintenanceWindows: [],
      blackoutWindows: blackouts,
      ciNames: names,
    });

  it("reports any overlap with a global blackout, without a CI", () => {
    expect(run({ start: "2026-01-04T22:00:00Z", end: "2026-01-05T02:00:00Z" }, [freeze])).toEqual([
      {
        rule: "blackout",
        windowId: "b-freeze",
        message: 'The change falls in the blackout "Year-end freeze" (2025-12-14 23:00 – 2026-01-04 23:00 UTC).',
      },
    ]);
  });

  it("is half-open at both ends", () => {
    expect(run({ start: "2025-12-14T22:00:00Z", end: "2025-12-14T23:00:00Z" }, [freeze])).toEqual([]);
    expect(run({ start: "2026-01-04T23:00:00Z", end: "2026-01-05T01:00:00Z" }, [freeze])).toEqual([]);
    expect(rules(run({ start: "2025-12-14T22:00:00Z", end: "2025-12-14T23:00:01Z" }, [freeze]))).toEqual(["blackout"]);
  });

  it("applies a service blackout only to changes on that service", () => {
    expect(run({ serviceIds: ["payroll"] }, [payrollRun])).toEqual([
      {
        rule: "blackout",
        ciId: "payroll",
        windowId: "b-pay",
        message: 'The change falls in the blackout "Payroll run" on Payroll (2025-01-15 11:00 – 2025-01-15 15:00 UTC).',
      },
    ]);
    expect(run({ serviceIds: ["web-shop"] }, [payrollRun])).toEqual([]);
    expect(run({ serviceIds: [] }, [payrollRun])).toEqual([]);
  });

  it("knows recurring blackouts (month-end close, last day of the month, Europe/Berlin)", () => {
    const monthEnd: BlackoutWindow = {
      id: "b-close",
      name: "Month-end close",
      serviceIds: [],
      rrule: "FREQ=MONTHLY;BYMONTHDAY=-1",
      dtstart: "2025-01-31T00:00",
      durationMinutes: 1440,
      timezone: "Europe/Berlin",
    };
    expect(rules(run({ start: "2025-03-31T08:00:00Z", end: "2025-03-31T09:00:00Z" }, [monthEnd]))).toEqual([
      "blackout",
    ]);
    expect(run({ start: "2025-03-30T08:00:00Z", end: "2025-03-30T09:00:00Z" }, [monthEnd])).toEqual([]);
  });
});

describe("assignee_busy", () => {
  it("reports the assignee booked on another overlapping change", () => {
    const found = findConflicts({
      change,
      otherChanges: [other({ id: "1", assigneeId: "alice", ciIds: ["web"] })],
      relatedWithin2Hops: new Map(),
      maintenanceWindows: [],
      blackoutWindows: [],
      userNames: new Map([["alice", "Alice Smith"]]),
    });
    expect(found).toEqual([
      {
        rule: "assignee_busy",
        otherChangeId: "1",
        message:
          "The assignee (Alice Smith) is also booked on CHG-1 at an overlapping time (2025-01-15 11:00 – 2025-01-15 12:00 UTC).",
      },
    ]);
  });

  it("says nothing for another assignee, no assignee, or back-to-back bookings", () => {
    expect(check({ otherChanges: [other({ id: "1", assigneeId: "bob" })] })).toEqual([]);
    expect(check({ otherChanges: [other({ id: "1", assigneeId: "alice", start: "2025-01-15T12:00:00Z" })] })).toEqual(
      [],
    );
    const unassigned = findConflicts({
      change: { ...change, assigneeId: null },
      otherChanges: [other({ id: "1", assigneeId: null })],
      relatedWithin2Hops: new Map(),
      maintenanceWindows: [],
      blackoutWindows: [],
    });
    expect(unassigned).toEqual([]);
  });
});

describe("findConflicts as a whole", () => {
  const everything: ConflictInput = {
    change: { ...change, serviceIds: ["payroll"] },
    otherChanges: [
      other({ id: "z", number: "CHG-000009", ciIds: ["db"], assigneeId: "alice", start: "2025-01-15T11:30:00Z" }),
      other({ id: "y", number: "CHG-000010", ciIds: ["db"], start: "2025-01-15T11:00:00Z" }),
      other({ id: "x", number: "CHG-000011", ciIds: ["app"] }),
    ],
    relatedWithin2Hops: new Map([["db", new Set(["app"])]]),
    maintenanceWindows: [
      {
        id: "w",
        name: "Never",
        ciIds: ["db"],
        serviceIds: [],
        start: "2024-01-01T00:00:00Z",
        end: "2024-01-02T00:00:00Z",
      },
    ],
    blackoutWindows: [
      { id: "b2", name: "B", serviceIds: [], start: "2025-01-15T09:00:00Z", end: "2025-01-15T10:30:00Z" },
      { id: "b1", name: "A", serviceIds: ["payroll"], start: "2025-01-15T11:00:00Z", end: "2025-01-15T11:30:00Z" },
    ],
  };

  it("orders by rule, then by the other change's start and number, or window start", () => {
    const found = findConflicts(everything);
    expect(found.map((c) => [c.rule, c.otherChangeId ?? c.windowId])).toEqual([
      ["same_ci", "y"],
      ["same_ci", "z"],
      ["related_ci", "x"],
      ["outside_maintenance", "w"],
      ["blackout", "b2"],
      ["blackout", "b1"],
      ["assignee_busy", "z"],
    ]);
  });

  it("ignores the change itself among the others", () => {
    const self = other({ id: change.id, ciIds: ["db"], assigneeId: "alice" });
    expect(check({ otherChanges: [self] })).toEqual([]);
  });

  it("refuses a change that ends before it starts, and instants without an offset", () => {
    expect(() => check({ change: { ...change, end: change.start } })).toThrow(RangeError);
    expect(() => check({ change: { ...change, start: "2025-01-15T09:00:00" } })).toThrow(/offset/);
    expect(() => check({ otherChanges: [other({ id: "1", start: "yesterday" })] })).toThrow(RangeError);
    expect(() => check({ timezone: "Nowhere/Land" })).toThrow(RangeError);
  });
});

// ---- properties ----

const BASE = Date.UTC(2025, 0, 15);
const CIS = ["a", "b", "c", "d", "e", "f"];
const USERS = ["u1", "u2", "u3"];
const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 1, max: 12 }))
  .map(([s, len]) => ({ start: new Date(BASE + s * 30 * 60_000), end: new Date(BASE + (s + len) * 30 * 60_000) }));
const otherArb = fc
  .record({
    id: fc.constantFrom("o1", "o2", "o3", "o4", "self"),
    iv: intervalArb,
    ciIds: fc.subarray(CIS),
    assigneeId: fc.option(fc.constantFrom(...USERS), { nil: null }),
  })
  .map(({ id, iv, ciIds, assigneeId }) => ({ id, number: `CHG-${id}`, ...iv, ciIds, assigneeId }));
const relationsArb = fc.array(fc.record({ from: fc.constantFrom(...CIS), to: fc.constantFrom(...CIS) }), {
  maxLength: 8,
});
const selfArb = fc
  .record({ iv: intervalArb, ciIds: fc.subarray(CIS), assigneeId: fc.option(fc.constantFrom(...USERS), { nil: null }) })
  .map(({ iv, ciIds, assigneeId }) => ({ id: "self", ...iv, ciIds, serviceIds: [], assigneeId }));

describe("properties", () => {
  it("overlap is symmetric, and for non-empty intervals means a shared instant", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer(), fc.integer(), (a, b, c, d) => {
        expect(overlaps(a, b, c, d)).toBe(overlaps(c, d, a, b));
        // [a, b) and [c, d) share an integer t (a <= t < b, c <= t < d) iff max(a, c) < min(b, d).
        if (a < b && c < d) expect(overlaps(a, b, c, d)).toBe(Math.max(a, c) < Math.min(b, d));
      }),
    );
  });

  it("never reports the change against itself, and does not depend on the input order", () => {
    fc.assert(
      fc.property(
        selfArb,
        fc.array(otherArb, { maxLength: 6 }),
        relationsArb,
        fc.nat(),
        (self, others, relations, seed) => {
          const input: ConflictInput = {
            change: self,
            otherChanges: others,
            relatedWithin2Hops: relatedWithin(relations, self.ciIds),
            maintenanceWindows: [],
            blackoutWindows: [],
          };
          const found = findConflicts(input);
          for (const c of found) expect(c.otherChangeId).not.toBe("self");
          const shuffled = [...others].sort(
            (x, y) => ((x.id.charCodeAt(1) * 31 + seed) % 7) - ((y.id.charCodeAt(1) * 31 + seed) % 7),
          );
          const again = findConflicts({
            ...input,
            otherChanges: shuffled,
            change: { ...self, ciIds: [...self.ciIds].reverse() },
          });
          // Several "others" may share an id in this generator; compare as multisets of what was found.
          const key = (list: Conflict[]) => list.map((c) => JSON.stringify(c)).sort();
          expect(key(again)).toEqual(key(found));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("same_ci, related_ci and assignee_busy are symmetric between two changes", () => {
    fc.assert(
      fc.property(selfArb, otherArb, relationsArb, (a, bRaw, relations) => {
        const b = { ...bRaw, id: "b" };
        const related = relatedWithin(relations, CIS);
        const ab = findConflicts({
          change: a,
          otherChanges: [{ ...b, number: "CHG-b" }],
          relatedWithin2Hops: related,
          maintenanceWindows: [],
          blackoutWindows: [],
        });
        const ba = findConflicts({
          change: { ...b, serviceIds: [] },
          otherChanges: [{ ...a, number: "CHG-self" }],
          relatedWithin2Hops: related,
          maintenanceWindows: [],
          blackoutWindows: [],
        });
        const view = (list: Conflict[], flip: boolean) =>
          list
            .map((c) =>
              c.rule === "related_ci" && flip
                ? `${c.rule}:${c.relatedCiId}:${c.ciId}`
                : `${c.rule}:${c.ciId}:${c.relatedCiId}`,
            )
            .sort();
        expect(view(ba, true)).toEqual(view(ab, false));
        const overlap = overlaps(a.start.getTime(), a.end.getTime(), b.start.getTime(), b.end.getTime());
        if (!overlap) expect(ab).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
