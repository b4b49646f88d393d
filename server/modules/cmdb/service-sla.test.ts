import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let calendarId: string;
let codes: Record<string, string>;
let critical: string;

async function ci(code: string, name: string) {
  const attributes = code === "business_service" ? { criticality: critical } : {};
  const res = await admin.post("/api/v1/cmdb/cis", { classId: codes[code], name: unique(name), attributes });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

const policyOf = async (ticketId: string) => (await admin.get(`/api/v1/tickets/${ticketId}/sla`)).json().policyName;

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const classes = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  codes = Object.fromEntries(classes.map((c) => [c.code, c.id]));
  critical = (await admin.get("/api/v1/cmdb/catalog/criticality")).json().items[0].id;
  calendarId = (await admin.post("/api/v1/calendars", { name: unique("Always"), timezone: "UTC", hours: [] })).json()
    .id;
});
afterAll(() => t.close());

describe("SLA policies matched on business services", () => {
  it("a ticket affecting the service gets the service's policy, and loses it when unlinked", async () => {
    const payroll = await ci("business_service", "Payroll");
    const server = await ci("server", "payroll-db");
    const gold = await admin.post("/api/v1/sla-policies", {
      name: unique("Payroll gold"),
      calendarId,
      order: 1,
      match: { serviceIds: [payroll.id] },
      targets: { resolutionMinutes: 60 },
    });
    expect(gold.statusCode, gold.body).toBe(201);
    expect(gold.json().match.serviceIds).toEqual([payroll.id]);
    const standard = await admin.post("/api/v1/sla-policies", {
      name: unique("Standard"),
      calendarId,
      order: 2,
      match: { types: ["incident"] },
      targets: { resolutionMinutes: 480 },
    });
    expect(standard.statusCode).toBe(201);
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "Payslips missing", impact: 2, urgency: 2 })
    ).json();
    expect(await policyOf(inc.id)).toBe(standard.json().name);
    // Another CI does not bring the service's policy; the service does, at once.
    await admin.call("PUT", `/api/v1/tickets/${inc.id}/cis`, { ciIds: [server.id] });
    expect(await policyOf(inc.id)).toBe(standard.json().name);
    await admin.call("PUT", `/api/v1/tickets/${inc.id}/cis`, { ciIds: [server.id, payroll.id] });
    expect(await policyOf(inc.id)).toBe(gold.json().name);
    const clock = (await admin.get(`/api/v1/tickets/${inc.id}/sla`)).json().clocks[0];
    expect(clock).toMatchObject({ target: "resolution", targetMinutes: 60 });
    await admin.call("PUT", `/api/v1/tickets/${inc.id}/cis`, { ciIds: [] });
    expect(await policyOf(inc.id)).toBe(standard.json().name);
  });

  it("only business services can be named", async () => {
    const server = await ci("server", "not-a-service");
    const res = await admin.post("/api/v1/sla-policies", {
      name: unique("Wrong"),
      calendarId,
      order: 3,
      match: { serviceIds: [server.id] },
      targets: { resolutionMinutes: 60 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe("body.match.serviceIds.0");
  });
});
