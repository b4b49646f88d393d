import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { escalateDue } from "./escalations.ts";
import { slaRecomputeConsumer } from "./sla-consumer.ts";

let t: TestApp;
let admin: Client;
let policyId: string;
const MIN = 60_000;

async function events(ticketId: string, type: string): Promise<number> {
  const r = await sql<{
    n: string;
  }>`select count(*) as n from outbox where entity_id = ${ticketId} and type = ${type}`.execute(t.deps.db);
  return Number(r.rows[0]?.n);
}

const clock = async (ticketId: string, target: string) => {
  const res = await admin.get(`/api/v1/tickets/${ticketId}/sla`);
  expect(res.statusCode).toBe(200);
  return res.json().clocks.find((c: { target: string }) => c.target === target);
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const cal = await admin.post("/api/v1/calendars", { name: unique("24x7"), timezone: "UTC", hours: [], holidays: [] });
  expect(cal.statusCode).toBe(201);
  const policy = await admin.post("/api/v1/sla-policies", {
    name: unique("Incidents"),
    calendarId: cal.json().id,
    order: 10,
    match: { types: ["incident"] },
    targets: { firstResponseMinutes: 60, resolutionMinutes: 240 },
    warningPercent: 50,
  });
  expect(policy.statusCode).toBe(201);
  policyId = policy.json().id;
});
afterAll(() => t.close());

async function incident() {
  const res = await admin.post("/api/v1/tickets", { type: "incident", title: unique("Outage"), impact: 1, urgency: 1 });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe("SLA on tickets", () => {
  it("starts the clocks at creation and explains them", async () => {
    const inc = await incident();
    const created = Date.parse(inc.createdAt);
    const fr = await clock(inc.id, "first_response");
    expect(fr).toMatchObject({ status: "running", targetMinutes: 60 });
    expect(Date.parse(fr.dueAt) - created).toBe(60 * MIN);
    const res = await clock(inc.id, "resolution");
    expect(Date.parse(res.dueAt) - created).toBe(240 * MIN);
    expect(res.events[0]).toMatchObject({ kind: "start" });
    const sla = (await admin.get(`/api/v1/tickets/${inc.id}/sla`)).json();
    expect(sla.policyName).toMatch(/Incidents/);
    expect(sla.calendar).toMatchObject({ timezone: "UTC", always: true });
  });

  it("on hold awaiting the customer pauses resolution; resuming moves the due time by the pause", async () => {
    const inc = await incident();
    const created = Date.parse(inc.createdAt);
    t.clock.advance(30 * MIN);
    await admin.post(`/api/v1/tickets/${inc.id}/transitions`, { to: "on_hold", reason: "awaiting_customer" });
    expect(await clock(inc.id, "resolution")).toMatchObject({ status: "paused", dueAt: null });
    t.clock.advance(100 * MIN);
    await admin.post(`/api/v1/tickets/${inc.id}/transitions`, { to: "in_progress" });
    const res = await clock(inc.id, "resolution");
    expect(res.status).toBe("running");
    // 240 working minutes, of which the 100 on hold did not count (to the minute).
    expect(Math.abs(Date.parse(res.dueAt) - (created + 340 * MIN))).toBeLessThan(MIN);
    expect(res.events.map((e: { kind: string }) => e.kind)).toEqual(["start", "pause", "resume"]);
  });

  it("a reply meets the first-response clock", async () => {
    const inc = await incident();
    t.clock.advance(10 * MIN);
    await admin.post(`/api/v1/tickets/${inc.id}/articles`, { kind: "reply", body: "Looking into it" });
    expect(await clock(inc.id, "first_response")).toMatchObject({ status: "met" });
  });

  it("warning and breach fire once, at their time, through the escalation scan", async () => {
    const inc = await incident();
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_warning")).toBe(0);
    t.clock.advance(31 * MIN); // past 50 % of the first response
    expect(await escalateDue(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await events(inc.id, "ticket.sla_warning")).toBe(1);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(0);
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_warning")).toBe(1);
    t.clock.advance(30 * MIN); // past the first-response due time
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(1);
    expect(await clock(inc.id, "first_response")).toMatchObject({ status: "breached" });
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(1);
    const timeline = (await admin.get(`/api/v1/tickets/${inc.id}/articles`)).json().items;
    expect(timeline.some((a: { event: { sla?: unknown } | null }) => a.event?.sla)).toBe(true);
  });

  it("a resolved ticket stops escalating", async () => {
    const inc = await incident();
    await admin.post(`/api/v1/tickets/${inc.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Fixed",
    });
    await admin.post(`/api/v1/tickets/${inc.id}/transitions`, { to: "closed" });
    const row = await t.deps.db
      .selectFrom("tickets")
      .select("escalation_at")
      .where("id", "=", inc.id)
      .executeTakeFirstOrThrow();
    expect(row.escalation_at).toBeNull();
    t.clock.advance(1000 * MIN);
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(0);
  });

  it("a policy change recomputes open tickets: a shortened target fires its breach", async () => {
    admin = await adminClient(t);
    const inc = await incident();
    t.clock.advance(90 * 60_000);
    await admin.post(`/api/v1/tickets/${inc.id}/articles`, { kind: "reply", body: "On it" });
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(1); // first response was 60 min
    const policy = (await admin.get(`/api/v1/sla-policies/${policyId}`)).json();
    const res = await admin.patch(`/api/v1/sla-policies/${policyId}`, {
      version: policy.version,
      targets: { firstResponseMinutes: 60, resolutionMinutes: 80 },
    });
    expect(res.statusCode).toBe(200);
    // Nothing fires until the change reaches the tickets…
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(1);
    const event = await t.deps.db
      .selectFrom("outbox")
      .select("id")
      .where("type", "=", "sla_policy.updated")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(await t.deps.jobs.deliver(slaRecomputeConsumer(t.deps), String(event.id))).toBe(true);
    await escalateDue(t.deps);
    expect(await events(inc.id, "ticket.sla_breached")).toBe(2); // resolution, now 80 min, is past
    expect(await clock(inc.id, "resolution")).toMatchObject({ status: "breached" });
  });

  it("a breach raises the priority and reassigns when the policy says so", async () => {
    admin = await adminClient(t);
    const cal = (await admin.get("/api/v1/calendars")).json().items[0];
    const escalation = (await admin.post("/api/v1/groups", { name: unique("Escalation") })).json();
    const bad = await admin.post("/api/v1/sla-policies", {
      name: unique("Low"),
      calendarId: cal.id,
      order: 1,
      targets: { firstResponseMinutes: 15 },
      breachActions: { first_response: { groupId: "00000000-0000-4000-8000-000000000000" } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("body.breachActions.first_response.groupId");
    const low = await admin.post("/api/v1/sla-policies", {
      name: unique("Low"),
      calendarId: cal.id,
      order: 1,
      match: { types: ["incident"], priorities: ["P4"] },
      targets: { firstResponseMinutes: 15 },
      breachActions: { first_response: { raisePriority: true, groupId: escalation.id } },
    });
    expect(low.statusCode).toBe(201);
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "Slow", impact: 3, urgency: 3 })
    ).json();
    expect(inc.priority).toBe("P4");
    t.clock.advance(16 * 60_000);
    await escalateDue(t.deps);
    expect((await admin.get(`/api/v1/tickets/${inc.id}`)).json()).toMatchObject({
      priority: "P3",
      groupId: escalation.id,
    });
    expect(await events(inc.id, "ticket.sla_breached")).toBe(1);
  });

  it("service requests match no policy and carry no clocks", async () => {
    admin = await adminClient(t); // the clock moved past the session's lifetime
    const req = await admin.post("/api/v1/tickets", {
      type: "service_request",
      title: "Laptop",
      impact: 3,
      urgency: 3,
    });
    const sla = (await admin.get(`/api/v1/tickets/${req.json().id}/sla`)).json();
    expect(sla).toEqual({ policyId: null, policyName: null, calendar: null, clocks: [] });
  });
});
