import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createOrganization, unique, userClient } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
});
afterAll(() => t.close());

const office = (extra: Record<string, unknown> = {}) => ({
  name: unique("Office"),
  timezone: "Europe/Berlin",
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "17:00" })),
  holidays: [{ date: "2000-12-25", name: "Christmas", yearly: true }],
  ...extra,
});

async function create(body: Record<string, unknown> = office()): Promise<{ id: string; version: number }> {
  const res = await admin.post("/api/v1/calendars", body);
  if (res.statusCode !== 201) throw new Error(`calendar: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function count(table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.deps.db);
  return Number(rows[0]?.n);
}

/** A write that must fail with `status`, name `field`, and change nothing. */
async function refused(label: string, send: () => Promise<LightMyRequestResponse>, status: number, field: string) {
  const before = [await count("calendars"), await count("audit_log"), await count("outbox")];
  const res = await send();
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(status);
  expect(res.headers["content-type"], label).toMatch(/^application\/problem\+json/);
  expect(
    res.json().errors?.map((e: { field: string }) => e.field),
    label,
  ).toContain(field);
  expect([await count("calendars"), await count("audit_log"), await count("outbox")], label).toEqual(before);
  return res.json();
}

describe("calendars", () => {
  it("creates a calendar: zone spelled canonically, hours sorted, audit row and outbox event written", async () => {
    const body = office({
      timezone: "europe/berlin",
      hours: [
        { day: 2, start: "13:00", end: "17:00" },
        { day: 1, start: "09:00", end: "24:00" },
        { day: 2, start: "08:00", end: "12:00" },
      ],
      holidays: [
        { date: "2024-05-01", name: "Labour Day" },
        { date: "2000-01-01", name: "New Year", yearly: true },
      ],
    });
    const res = await admin.post("/api/v1/calendars", body);
    expect(res.statusCode).toBe(201);
    const cal = res.json();
    expect(cal).toMatchObject({ name: body.name, timezone: "Europe/Berlin", version: 1, abilities: { update: true } });
    expect(cal.hours).toEqual([
      { day: 1, start: "09:00", end: "24:00" },
      { day: 2, start: "08:00", end: "12:00" },
      { day: 2, start: "13:00", end: "17:00" },
    ]);
    expect(cal.holidays).toEqual([
      { date: "2000-01-01", name: "New Year", yearly: true },
      { date: "2024-05-01", name: "Labour Day", yearly: false },
    ]);
    expect((await admin.get(`/api/v1/calendars/${cal.id}`)).json()).toEqual(cal);
    const audit = (await admin.get(`/api/v1/audit?entityType=calendar&entityId=${cal.id}`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(["calendar.created"]);
    expect(audit[0].changes.timezone).toEqual([null, "Europe/Berlin"]);
    const events = await t.deps.db.selectFrom("outbox").select("type").where("entity_id", "=", cal.id).execute();
    expect(events.map((e) => e.type)).toEqual(["calendar.created"]);
  });

  it("lists calendars by name with a cursor and a search", async () => {
    const tag = unique("List");
    for (let i = 0; i < 5; i++) await create(office({ name: `${tag} ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/calendars?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page: { items: { name: string }[]; nextCursor: string | null } = (await admin.get(url)).json();
      seen.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `${tag} ${i}`));
  });

  it("refuses broken calendars with 400 naming the field, and writes nothing", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["unknown zone", { timezone: "Mars/Olympus_Mons" }, "body.timezone"],
      ["offset as zone", { timezone: "+01:00" }, "body.timezone"],
      [
        "overlap",
        {
          hours: [
            { day: 1, start: "09:00", end: "12:00" },
            { day: 1, start: "11:30", end: "13:00" },
          ],
        },
        "body.hours.1.start",
      ],
      ["inverted", { hours: [{ day: 1, start: "17:00", end: "09:00" }] }, "body.hours.0.end"],
      ["empty interval", { hours: [{ day: 1, start: "09:00", end: "09:00" }] }, "body.hours.0.end"],
      ["bad HH:MM", { hours: [{ day: 1, start: "9:00", end: "17:00" }] }, "body.hours.0.start"],
      ["24:00 as a start", { hours: [{ day: 1, start: "24:00", end: "24:00" }] }, "body.hours.0.start"],
      ["minutes 60", { hours: [{ day: 1, start: "09:60", end: "17:00" }] }, "body.hours.0.start"],
      ["day 0", { hours: [{ day: 0, start: "09:00", end: "17:00" }] }, "body.hours.0.day"],
      ["day 8", { hours: [{ day: 8, start: "09:00", end: "17:00" }] }, "body.hours.0.day"],
      ["no such date", { holidays: [{ date: "2023-02-29", name: "x" }] }, "body.holidays.0.date"],
      ["not a date", { holidays: [{ date: "25.12.2024", name: "x" }] }, "body.holidays.0.date"],
      [
        "duplicate date",
        {
          holidays: [
            { date: "2024-12-24", name: "a" },
            { date: "2024-12-24", name: "b" },
          ],
        },
        "body.holidays.1.date",
      ],
      [
        "fixed date on a yearly one",
        {
          holidays: [
            { date: "2000-12-25", name: "a", yearly: true },
            { date: "2024-12-25", name: "b" },
          ],
        },
        "body.holidays.1.date",
      ],
      [
        "no working time at all",
        {
          holidays: Array.from({ length: 366 }, (_, i) => ({
            date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
            name: "Off",
            yearly: true,
          })),
        },
        "body.holidays",
      ],
      ["unknown field", { colour: "red" }, "body.colour"],
      ["missing hours", { hours: undefined }, "body.hours"],
    ];
    for (const [label, patch, field] of cases) {
      await refused(label, () => admin.post("/api/v1/calendars", office(patch)), 400, field);
    }
    const taken = await create();
    const name = ((await admin.get(`/api/v1/calendars/${taken.id}`)).json().name as string).toUpperCase();
    await refused("duplicate name", () => admin.post("/api/v1/calendars", office({ name })), 409, "body.name");
  });

  it("accepts 24:00 as an end and an empty week (24×7)", async () => {
    const night = await admin.post("/api/v1/calendars", office({ hours: [{ day: 5, start: "22:00", end: "24:00" }] }));
    expect(night.statusCode).toBe(201);
    const always = await admin.post("/api/v1/calendars", office({ hours: [], holidays: [] }));
    expect(always.statusCode).toBe(201);
    const due = await admin.post(`/api/v1/calendars/${always.json().id}/add`, {
      start: "2024-03-30T23:00:00Z",
      minutes: 180,
    });
    expect(due.json()).toEqual({ dueAt: "2024-03-31T02:00:00.000Z" });
  });
});

describe("working time through the API", () => {
  let id: string;
  beforeAll(async () => {
    id = (await create()).id;
  });

  it("/add: Friday 17:00 Berlin + 60 working minutes is Monday 10:00; a yearly holiday is skipped", async () => {
    const friday = await admin.post(`/api/v1/calendars/${id}/add`, { start: "2024-03-01T17:00:00+01:00", minutes: 60 });
    expect(friday.statusCode).toBe(200);
    expect(friday.json()).toEqual({ dueAt: "2024-03-04T09:00:00.000Z" });
    const christmas = await admin.post(`/api/v1/calendars/${id}/add`, { start: "2030-12-24T15:30:00Z", minutes: 60 });
    expect(christmas.json()).toEqual({ dueAt: "2030-12-26T08:30:00.000Z" });
    const zero = await admin.post(`/api/v1/calendars/${id}/add`, { start: "2024-03-02T10:00:00Z", minutes: 0 });
    expect(zero.json()).toEqual({ dueAt: "2024-03-02T10:00:00.000Z" });
  });

  it("/elapsed: working minutes, negative backwards, fractional on seconds", async () => {
    const post = (from: string, to: string) => admin.post(`/api/v1/calendars/${id}/elapsed`, { from, to });
    expect((await post("2024-03-01T16:00:00Z", "2024-03-04T09:00:00Z")).json()).toEqual({ minutes: 60 });
    expect((await post("2024-03-04T09:00:00Z", "2024-03-01T16:00:00Z")).json()).toEqual({ minutes: -60 });
    expect((await post("2024-03-04T08:00:00Z", "2024-03-04T08:00:30Z")).json()).toEqual({ minutes: 0.5 });
  });

  it("refuses bad minutes and instants with 400 naming the field", async () => {
    const add = (body: unknown) => () => admin.post(`/api/v1/calendars/${id}/add`, body);
    const start = "2024-03-01T16:00:00Z";
    await refused("negative", add({ start, minutes: -1 }), 400, "body.minutes");
    await refused("fraction", add({ start, minutes: 1.5 }), 400, "body.minutes");
    await refused("over ten years", add({ start, minutes: 5_259_601 }), 400, "body.minutes");
    await refused("text", add({ start, minutes: "60" }), 400, "body.minutes");
    await refused("no offset", add({ start: "2024-03-01T16:00:00", minutes: 1 }), 400, "body.start");
    await refused("month 13", add({ start: "2024-13-01T16:00:00Z", minutes: 1 }), 400, "body.start");
    await refused("year 1800", add({ start: "1800-01-01T00:00:00Z", minutes: 1 }), 400, "body.start");
    const elapsed = (body: unknown) => () => admin.post(`/api/v1/calendars/${id}/elapsed`, body);
    await refused("span", elapsed({ from: "1900-01-01T00:00:00Z", to: "2024-01-01T00:00:00Z" }), 400, "body.to");
    await refused("missing to", elapsed({ from: start }), 400, "body.to");
  });

  it("/add answers 422 when no working time lies within 100 years", async () => {
    const yearly = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10))
      .filter((d) => !d.endsWith("02-29"))
      .map((date) => ({ date, name: "Off", yearly: true }));
    const leapMondays = [2044, 2072, 2112, 2140].map((y) => ({ date: `${y}-02-29`, name: "Off" }));
    const never = await create(
      office({ hours: [{ day: 1, start: "09:00", end: "10:00" }], holidays: [...yearly, ...leapMondays] }),
    );
    const body = { start: "2025-01-01T00:00:00Z", minutes: 1 };
    await refused("horizon", () => admin.post(`/api/v1/calendars/${never.id}/add`, body), 422, "body.minutes");
  });

  it("unknown or malformed calendar ids are 404", async () => {
    const body = { start: "2024-03-01T16:00:00Z", minutes: 1 };
    expect((await admin.post("/api/v1/calendars/00000000-0000-4000-8000-000000000000/add", body)).statusCode).toBe(404);
    expect((await admin.post("/api/v1/calendars/nope/add", body)).statusCode).toBe(404);
    expect((await admin.get("/api/v1/calendars/00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
  });
});

describe("editing", () => {
  it("PATCH replaces hours, bumps the version, and /add follows at once; a stale version is 409", async () => {
    const cal = await create();
    const start = { start: "2024-03-01T16:00:00Z", minutes: 60 };
    expect((await admin.post(`/api/v1/calendars/${cal.id}/add`, start)).json().dueAt).toBe("2024-03-04T09:00:00.000Z");
    const saturday = [{ day: 6, start: "10:00", end: "12:00" }];
    const a = await admin.patch(`/api/v1/calendars/${cal.id}`, { version: 1, hours: saturday });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ version: 2, hours: saturday });
    expect(a.headers.etag).toBe('"2"');
    expect((await admin.post(`/api/v1/calendars/${cal.id}/add`, start)).json().dueAt).toBe("2024-03-02T10:00:00.000Z");
    await refused(
      "stale",
      () => admin.patch(`/api/v1/calendars/${cal.id}`, { version: 1, name: unique("Stale") }),
      409,
      "body.version",
    );
    const c = await admin.patch(`/api/v1/calendars/${cal.id}`, { timezone: "UTC" }, { "if-match": '"2"' });
    expect(c.json()).toMatchObject({ version: 3, timezone: "UTC" });
    const same = await admin.patch(`/api/v1/calendars/${cal.id}`, { version: 3, hours: saturday, timezone: "utc" });
    expect(same.json().version).toBe(3);
    const audit = (await admin.get(`/api/v1/audit?entityType=calendar&entityId=${cal.id}`)).json().items;
    expect(audit.map((x: { action: string }) => x.action)).toEqual([
      "calendar.updated",
      "calendar.updated",
      "calendar.created",
    ]);
    await refused(
      "bad hours",
      () =>
        admin.patch(`/api/v1/calendars/${cal.id}`, { version: 3, hours: [{ day: 1, start: "12:00", end: "11:00" }] }),
      400,
      "body.hours.0.end",
    );
    await refused("no version", () => admin.patch(`/api/v1/calendars/${cal.id}`, { name: "x" }), 422, "body.version");
    const other = await create();
    const otherName = (await admin.get(`/api/v1/calendars/${other.id}`)).json().name;
    await refused(
      "name taken",
      () => admin.patch(`/api/v1/calendars/${cal.id}`, { version: 3, name: otherName }),
      409,
      "body.name",
    );
  });
});

describe("permissions", () => {
  it("an agent reads and computes but cannot create or edit; a customer gets nothing", async () => {
    const cal = await create();
    const agent = await userClient(admin, t, { kind: "agent" });
    expect((await agent.get("/api/v1/calendars")).statusCode).toBe(200);
    const read = await agent.get(`/api/v1/calendars/${cal.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().abilities).toEqual({ update: false });
    const body = { start: "2024-03-01T16:00:00Z", minutes: 60 };
    expect((await agent.post(`/api/v1/calendars/${cal.id}/add`, body)).statusCode).toBe(200);
    const span = { from: "2024-03-01T16:00:00Z", to: "2024-03-04T09:00:00Z" };
    expect((await agent.post(`/api/v1/calendars/${cal.id}/elapsed`, span)).json()).toEqual({ minutes: 60 });
    expect((await agent.post("/api/v1/calendars", office())).statusCode).toBe(403);
    expect((await agent.patch(`/api/v1/calendars/${cal.id}`, { version: 1, name: unique("x") })).statusCode).toBe(403);

    const org = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    expect((await customer.get("/api/v1/calendars")).statusCode).toBe(403);
    expect((await customer.get(`/api/v1/calendars/${cal.id}`)).statusCode).toBe(403);
    expect((await customer.post(`/api/v1/calendars/${cal.id}/add`, body)).statusCode).toBe(403);
    expect((await customer.post(`/api/v1/calendars/${cal.id}/elapsed`, span)).statusCode).toBe(403);
    expect((await customer.post("/api/v1/calendars", office())).statusCode).toBe(403);
  });

  it("an agent without calendar.read (only the Auditor role) is refused", async () => {
    const roles = (await admin.get("/api/v1/roles")).json().items as {
      id: string;
      name: string;
      permissions: string[];
    }[];
    expect(roles.find((r) => r.name === "Agent")?.permissions).toContain("calendar.read");
    const auditor = roles.find((r) => r.name === "Auditor")?.id as string;
    const agent = await userClient(admin, t, { kind: "agent", roleIds: [auditor] });
    expect((await agent.get("/api/v1/calendars")).statusCode).toBe(403);
  });
});
