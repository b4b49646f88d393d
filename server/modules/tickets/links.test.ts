import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, signIn, unique, userClient } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;

async function ticket(body: Record<string, unknown> = {}, client: Client = admin) {
  const res = await client.post("/api/v1/tickets", {
    type: "incident",
    title: unique("Issue"),
    impact: 2,
    urgency: 2,
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`ticket: ${res.statusCode} ${res.body}`);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
});
afterAll(() => t.close());

describe("links", () => {
  it("parent/child shows from both sides; cycles are refused", async () => {
    const parent = await ticket();
    const child = await ticket();
    const res = await admin.post(`/api/v1/tickets/${parent.id}/links`, { targetId: child.id, kind: "parent_of" });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ kind: "parent_of", ticket: expect.objectContaining({ id: child.id }) }),
    ]);
    expect((await admin.get(`/api/v1/tickets/${child.id}/links`)).json().items[0]).toMatchObject({ kind: "child_of" });
    const cycle = await admin.post(`/api/v1/tickets/${child.id}/links`, { targetId: parent.id, kind: "parent_of" });
    expect(cycle.statusCode).toBe(409);
    const self = await admin.post(`/api/v1/tickets/${child.id}/links`, { targetId: child.id, kind: "related" });
    expect(self.statusCode).toBe(422);
    expect((await admin.delete(`/api/v1/tickets/${parent.id}/links/${child.id}?kind=parent_of`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/tickets/${child.id}/links`)).json().items).toEqual([]);
  });

  it("links to tickets the caller cannot open are not shown", async () => {
    const a = await createUser(admin, { kind: "agent" });
    const group = (await admin.post("/api/v1/groups", { name: unique("Team"), memberIds: [a.id] })).json();
    const agent = await signIn(t, a.email);
    const mine = await ticket({ groupId: group.id });
    const hidden = await ticket();
    await admin.post(`/api/v1/tickets/${mine.id}/links`, { targetId: hidden.id, kind: "related" });
    expect((await agent.get(`/api/v1/tickets/${mine.id}/links`)).json().items).toEqual([]);
    const probe = await agent.post(`/api/v1/tickets/${mine.id}/links`, { targetId: hidden.id, kind: "related" });
    expect(probe.statusCode).toBe(422);
  });

  it("closing a parent with cascade closes its children", async () => {
    const parent = await ticket();
    const child = await ticket();
    await admin.post(`/api/v1/tickets/${parent.id}/links`, { targetId: child.id, kind: "parent_of" });
    const res = await admin.post(`/api/v1/tickets/${parent.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Core switch replaced",
      cascade: true,
    });
    expect(res.statusCode).toBe(200);
    expect((await admin.get(`/api/v1/tickets/${child.id}`)).json()).toMatchObject({
      state: "resolved",
      resolution: "Core switch replaced",
    });
  });

  it("resolving a problem with cascade resolves its open incidents", async () => {
    const problem = await ticket({ type: "problem" });
    const inc = await ticket();
    await admin.patch(`/api/v1/tickets/${inc.id}`, { version: inc.version, problemId: problem.id });
    const linked = (await admin.get(`/api/v1/tickets?problemId=${problem.id}`)).json().items;
    expect(linked.map((x: { id: string }) => x.id)).toEqual([inc.id]);
    await admin.post(`/api/v1/tickets/${problem.id}/transitions`, { to: "investigating" });
    await admin.post(`/api/v1/tickets/${problem.id}/transitions`, {
      to: "resolved",
      resolution: "Patched firmware",
      cascade: true,
    });
    expect((await admin.get(`/api/v1/tickets/${inc.id}`)).json()).toMatchObject({
      state: "resolved",
      resolutionCode: "solved",
      resolution: "Patched firmware",
    });
  });
});

describe("merge", () => {
  it("moves replies to the target; the source becomes read-only and points to it", async () => {
    const source = await ticket();
    const target = await ticket();
    await admin.post(`/api/v1/tickets/${source.id}/articles`, { kind: "reply", body: "Printer on floor 3 jams" });
    const res = await admin.post(`/api/v1/tickets/${source.id}/merge`, { targetId: target.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mergedIntoId: target.id, abilities: { update: false, reply: false } });
    const moved = (await admin.get(`/api/v1/tickets/${target.id}/articles`)).json().items;
    expect(moved.some((a: { body: string }) => a.body.includes("floor 3"))).toBe(true);
    expect(
      (await admin.patch(`/api/v1/tickets/${source.id}`, { version: res.json().version, title: "x" })).statusCode,
    ).toBe(403);
    expect((await admin.post(`/api/v1/tickets/${source.id}/articles`, { kind: "reply", body: "x" })).statusCode).toBe(
      403,
    );
    expect((await admin.get(`/api/v1/tickets/${source.id}/links`)).json().items[0]).toMatchObject({
      kind: "duplicate_of",
    });
  });
});

describe("bulk", () => {
  it("applies to each ticket the caller may change and reports the others", async () => {
    const a = await createUser(admin, { kind: "agent" });
    const group = (await admin.post("/api/v1/groups", { name: unique("Bulk"), memberIds: [a.id] })).json();
    const agent = await signIn(t, a.email);
    const mine1 = await ticket({ groupId: group.id });
    const mine2 = await ticket({ groupId: group.id });
    const foreign = await ticket();
    const res = await agent.post("/api/v1/tickets/bulk", {
      ids: [mine1.id, mine2.id, foreign.id],
      update: { assigneeId: a.id, urgency: 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results.map((r: { status: number }) => r.status)).toEqual([200, 200, 404]);
    expect((await agent.get(`/api/v1/tickets/${mine1.id}`)).json()).toMatchObject({ assigneeId: a.id, priority: "P2" });
    expect((await admin.get(`/api/v1/tickets/${foreign.id}`)).json().assigneeId).toBeNull();
    const bad = await agent.post("/api/v1/tickets/bulk", { ids: [mine1.id], transition: { to: "on_hold" } });
    expect(bad.json().results[0]).toMatchObject({ status: 422 });
    const two = await agent.post("/api/v1/tickets/bulk", {
      ids: [mine1.id],
      update: { urgency: 1 },
      mergeInto: mine2.id,
    });
    expect(two.statusCode).toBe(400);
    const customer = await userClient(admin, t, { kind: "customer" });
    expect((await customer.post("/api/v1/tickets/bulk", { ids: [mine1.id], update: { urgency: 3 } })).statusCode).toBe(
      403,
    );
  });
});
