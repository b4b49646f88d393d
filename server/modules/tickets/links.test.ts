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
    const word = unique("jamming").replace("-", "");
    await admin.post(`/api/v1/tickets/${source.id}/articles`, { kind: "reply", body: `Printer on floor 3 ${word}` });
    await admin.post(`/api/v1/tickets/${target.id}/articles`, { kind: "note", body: `Internal ${word}x` });
    const found = async (q: string) =>
      (await admin.get(`/api/v1/tickets?q=${q}`)).json().items.map((x: { id: string }) => x.id);
    expect(await found(word)).toEqual([source.id]);
    // Internal notes are not searched.
    expect(await found(`${word}x`)).toEqual([]);
    const res = await admin.post(`/api/v1/tickets/${source.id}/merge`, { targetId: target.id });
    expect(res.statusCode).toBe(200);
    // The target is found by the words of the replies it took over.
    expect(await found(word)).toContain(target.id);
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
    const fromTarget = (await admin.get(`/api/v1/tickets/${target.id}/links`)).json().items[0];
    expect(fromTarget).toMatchObject({ kind: "duplicated_by", ticket: { id: source.id, mergedIntoId: target.id } });
  });

  it("closes the source in the merged state, moves its files, names the target on its timeline", async () => {
    const source = await ticket();
    const target = await ticket();
    const file = await admin.post(`/api/v1/tickets/${source.id}/attachments`, {
      filename: "trace.txt",
      contentBase64: Buffer.from("trace").toString("base64"),
    });
    expect(file.statusCode).toBe(201);
    const open = async () =>
      (await admin.get("/api/v1/tickets?stateType=new,open,pending&limit=200"))
        .json()
        .items.map((x: { id: string }) => x.id);
    expect(await open()).toContain(source.id);
    const merged = (await admin.post(`/api/v1/tickets/${source.id}/merge`, { targetId: target.id })).json();
    expect(merged).toMatchObject({ state: "merged", stateType: "closed", abilities: { transitions: [] } });
    expect(merged.closedAt).not.toBeNull();
    expect(await open()).not.toContain(source.id);
    const files = (await admin.get(`/api/v1/tickets/${target.id}/attachments`)).json().items;
    expect(files.map((f: { filename: string }) => f.filename)).toEqual(["trace.txt"]);
    expect((await admin.get(`/api/v1/tickets/${source.id}/attachments`)).json().items).toEqual([]);
    const sourceTimeline = (await admin.get(`/api/v1/tickets/${source.id}/articles`)).json().items;
    expect(sourceTimeline.at(-1).event).toMatchObject({ mergedInto: { id: target.id, number: target.number } });
    const targetTimeline = (await admin.get(`/api/v1/tickets/${target.id}/articles`)).json().items;
    expect(targetTimeline.at(-1).event.merged).toMatchObject({ number: source.number, attachments: 1 });
    // No clock keeps counting on the merged ticket.
    const sla = (await admin.get(`/api/v1/tickets/${source.id}/sla`)).json();
    expect(sla.clocks.filter((c: { status: string }) => c.status === "running")).toEqual([]);
  });

  it("a duplicate link can be removed from either side", async () => {
    const dup = await ticket();
    const original = await ticket();
    await admin.post(`/api/v1/tickets/${dup.id}/links`, { targetId: original.id, kind: "duplicate_of" });
    const links = async (id: string) => (await admin.get(`/api/v1/tickets/${id}/links`)).json().items;
    expect((await links(original.id))[0].kind).toBe("duplicated_by");
    const gone = await admin.delete(`/api/v1/tickets/${original.id}/links/${dup.id}?kind=duplicated_by`);
    expect(gone.statusCode).toBe(204);
    expect(await links(dup.id)).toEqual([]);
  });
});

describe("watchers", () => {
  it("a deactivated watcher stays listed and does not block adding others", async () => {
    const w1 = await createUser(admin, { kind: "agent" });
    const w2 = await createUser(admin, { kind: "agent" });
    const inc = await ticket({ watcherIds: [w1.id] });
    const user = (await admin.get(`/api/v1/users/${w1.id}`)).json();
    expect((await admin.patch(`/api/v1/users/${w1.id}`, { version: user.version, active: false })).statusCode).toBe(
      200,
    );
    const res = await admin.patch(`/api/v1/tickets/${inc.id}`, { version: inc.version, watcherIds: [w1.id, w2.id] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().watcherIds.sort()).toEqual([w1.id, w2.id].sort());
    // A deactivated person cannot be added anew.
    const other = await ticket();
    const refused = await admin.patch(`/api/v1/tickets/${other.id}`, { version: other.version, watcherIds: [w1.id] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].field).toBe("body.watcherIds");
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
