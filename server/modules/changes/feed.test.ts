import ICAL from "ical.js";
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

async function feed(url: string) {
  const path = new URL(url).pathname + new URL(url).search;
  return t.request({ method: "GET", url: path });
}

function events(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal.getAllSubcomponents("vevent").map((e) => ({
    uid: String(e.getFirstPropertyValue("uid")),
    summary: String(e.getFirstPropertyValue("summary")),
    status: String(e.getFirstPropertyValue("status")),
    sequence: Number(e.getFirstPropertyValue("sequence")),
    start: (e.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString(),
  }));
}

describe("the change calendar feed", () => {
  it("is valid iCalendar with stable UIDs, a SEQUENCE that follows reschedules, and cancelled changes marked", async () => {
    const c = (
      await admin.post("/api/v1/changes", {
        type: "normal",
        title: unique("Patch, the hypervisors; all of them"),
        plannedStart: "2027-06-01T20:00:00Z",
        plannedEnd: "2027-06-01T23:00:00Z",
      })
    ).json();
    const rotated = await admin.post("/api/v1/me/calendar-feed");
    expect(rotated.statusCode).toBe(201);
    const url: string = rotated.json().url;
    expect(url).toMatch(/\/api\/v1\/changes\/calendar\.ics\?token=cal_[0-9a-f]{48}$/);
    const first = await feed(url);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    const [event] = events(first.body).filter((e) => e.uid.startsWith(`change-${c.id}@`));
    expect(event).toMatchObject({ status: "TENTATIVE", sequence: 1, start: "2027-06-01T20:00:00.000Z" });
    expect(event?.summary).toContain(c.title);

    const moved = await admin.patch(`/api/v1/changes/${c.id}`, {
      version: c.version,
      plannedStart: "2027-06-02T20:00:00Z",
      plannedEnd: "2027-06-02T23:00:00Z",
    });
    expect(moved.statusCode).toBe(200);
    const second = events((await feed(url)).body).find((e) => e.uid === event?.uid);
    expect(second).toMatchObject({ sequence: 2, start: "2027-06-02T20:00:00.000Z" });
    await admin.post(`/api/v1/changes/${c.id}/transitions`, { to: "canceled", reason: "Vendor withdrew the patch" });
    const third = events((await feed(url)).body).find((e) => e.uid === event?.uid);
    expect(third).toMatchObject({ status: "CANCELLED", sequence: 3 });
  });

  it("a rotated address replaces the old one; a bad token is refused; customers have no feed", async () => {
    const old: string = (await admin.post("/api/v1/me/calendar-feed")).json().url;
    const fresh: string = (await admin.post("/api/v1/me/calendar-feed")).json().url;
    expect((await feed(old)).statusCode).toBe(404);
    expect((await feed(fresh)).statusCode).toBe(200);
    expect((await t.request({ method: "GET", url: "/api/v1/changes/calendar.ics?token=nope" })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: "/api/v1/changes/calendar.ics" })).statusCode).toBe(404);
    const org = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    expect((await customer.post("/api/v1/me/calendar-feed")).statusCode).toBe(403);
  });
});
