import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { escalateDue } from "./escalations.ts";

let t: TestApp;
let admin: Client;
let agent: Client;
let agentId: string;
let groupId: string;

const view = async (client: Client, name: string) =>
  (await client.get("/api/v1/views")).json().items.find((v: { name: string }) => v.name === name);

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const a = await createUser(admin, { kind: "agent" });
  agentId = a.id;
  groupId = (await admin.post("/api/v1/groups", { name: unique("Desk"), memberIds: [a.id] })).json().id;
  agent = await signIn(t, a.email);
});
afterAll(() => t.close());

describe("saved views", () => {
  it("shared views count what each agent may see", async () => {
    const before = (await view(agent, "Unassigned in my groups")).count;
    await admin.post("/api/v1/tickets", { type: "incident", title: "a", impact: 2, urgency: 2, groupId });
    await admin.post("/api/v1/tickets", { type: "incident", title: "b", impact: 2, urgency: 2 }); // not the agent's group
    await admin.post("/api/v1/tickets", {
      type: "incident",
      title: "c",
      impact: 2,
      urgency: 2,
      groupId,
      assigneeId: agentId,
    });
    expect((await view(agent, "Unassigned in my groups")).count).toBe(before + 1);
    expect((await view(agent, "My open tickets")).count).toBe(1);
    expect((await view(agent, "My open tickets")).shared).toBe(true);
  });

  it("personal views are the owner's; sharing is for administrators", async () => {
    const mine = await agent.post("/api/v1/views", { name: "P1 in my groups", filters: { priority: ["P1"], groupId } });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({ shared: false, count: 0, abilities: { delete: true } });
    expect(await view(admin, "P1 in my groups")).toBeUndefined();
    expect((await agent.post("/api/v1/views", { name: "x", filters: {}, shared: true })).statusCode).toBe(403);
    const bad = await agent.post("/api/v1/views", { name: "x", filters: { priority: ["P9"] } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toMatch(/^body\.filters\.priority/);
    expect((await admin.delete(`/api/v1/views/${mine.json().id}`)).statusCode).toBe(404);
    expect((await agent.delete(`/api/v1/views/${mine.json().id}`)).statusCode).toBe(204);
    const shared = await view(agent, "My open tickets");
    expect((await agent.delete(`/api/v1/views/${shared.id}`)).statusCode).toBe(403);
  });

  it("the SLA filter finds breached tickets", async () => {
    const cal = (await admin.post("/api/v1/calendars", { name: unique("24x7"), timezone: "UTC", hours: [] })).json();
    await admin.post("/api/v1/sla-policies", {
      name: unique("P1"),
      calendarId: cal.id,
      order: 1,
      match: { priorities: ["P1"] },
      targets: { firstResponseMinutes: 15 },
    });
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "down", impact: 1, urgency: 1, groupId })
    ).json();
    const ids = async (q: string) =>
      (await admin.get(`/api/v1/tickets?${q}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids("sla=running")).toContain(inc.id);
    expect(await ids("sla=breached")).not.toContain(inc.id);
    t.clock.advance(16 * 60_000);
    await escalateDue(t.deps);
    expect(await ids("sla=breached")).toContain(inc.id);
    expect((await view(admin, "SLA breached")).count).toBeGreaterThanOrEqual(1);
  });

  it("the owner renames a view and replaces its filters, sort included; others cannot", async () => {
    const created = (
      await agent.post("/api/v1/views", { name: "Network P1", filters: { priority: ["P1"], sort: "slaDue" } })
    ).json();
    expect(created.filters).toEqual({ priority: ["P1"], sort: "slaDue" });
    expect(created.abilities).toEqual({ update: true, delete: true });
    const renamed = await agent.patch(`/api/v1/views/${created.id}`, {
      name: "Network P1 and P2",
      filters: { priority: ["P1", "P2"], groupId, sort: "-priority" },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: "Network P1 and P2", filters: { sort: "-priority", groupId } });
    const bad = await agent.patch(`/api/v1/views/${created.id}`, { filters: { sort: "title" } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("body.filters.sort");
    expect((await view(agent, "Network P1 and P2")).filters.sort).toBe("-priority");
    // Another person's view is not there for them; a shared one needs the right to share.
    expect((await admin.patch(`/api/v1/views/${created.id}`, { name: "Hijacked" })).statusCode).toBe(404);
    const shared = await view(agent, "SLA at risk");
    expect(shared.abilities).toEqual({ update: false, delete: false });
    expect((await agent.patch(`/api/v1/views/${shared.id}`, { name: "Mine now" })).statusCode).toBe(403);
    const byAdmin = await admin.patch(`/api/v1/views/${shared.id}`, { name: "SLA at risk (all)" });
    expect(byAdmin.statusCode).toBe(200);
    expect((await view(agent, "SLA at risk (all)")).shared).toBe(true);
    await admin.patch(`/api/v1/views/${shared.id}`, { name: "SLA at risk" });
    const audit = (await admin.get(`/api/v1/audit?entityType=saved_view&entityId=${created.id}`)).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toContain("saved_view.updated");
  });

  it("each person orders the sidebar for themselves", async () => {
    const names = async (client: Client) =>
      (await client.get("/api/v1/views")).json().items.map((v: { name: string }) => v.name);
    const adminBefore = await names(admin);
    const items: { id: string; name: string }[] = (await agent.get("/api/v1/views")).json().items;
    const reversed = [...items].reverse();
    const res = await agent.call("PUT", "/api/v1/views/order", { ids: reversed.map((v) => v.id) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((v: { name: string }) => v.name)).toEqual(reversed.map((v) => v.name));
    expect(await names(agent)).toEqual(reversed.map((v) => v.name));
    expect(await names(admin)).toEqual(adminBefore);
    // Views placed before, then one left out: the placed ones keep their order, the rest follow.
    const fresh = (await agent.post("/api/v1/views", { name: "Zeta", filters: {} })).json();
    expect((await names(agent)).at(-1)).toBe("Zeta");
    await agent.call("PUT", "/api/v1/views/order", { ids: [fresh.id] });
    expect((await names(agent))[0]).toBe("Zeta");
    // A view the caller cannot see, and a repeated id, change nothing.
    const adminOwn = (await admin.post("/api/v1/views", { name: "Admin only", filters: {} })).json();
    expect((await agent.call("PUT", "/api/v1/views/order", { ids: [adminOwn.id] })).statusCode).toBe(404);
    expect((await agent.call("PUT", "/api/v1/views/order", { ids: [fresh.id, fresh.id] })).statusCode).toBe(400);
    expect((await names(agent))[0]).toBe("Zeta");
  });
});
