import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  type Client,
  createOrganization,
  createUser,
  signIn,
  unique,
  userClient,
} from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { autoClose } from "./auto-close.ts";

let t: TestApp;
let admin: Client;
let group: { id: string };
let agent: Client;
let agentId: string;
let outsider: Client;

async function ticket(client: Client, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/tickets", {
    type: "incident",
    title: unique("Printer"),
    impact: 2,
    urgency: 2,
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`ticket: ${res.statusCode} ${res.body}`);
  return res.json();
}

const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((x) => x.id);

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const a = await createUser(admin, { kind: "agent", name: "Grace Agent" });
  agentId = a.id;
  group = (await admin.post("/api/v1/groups", { name: unique("Network"), memberIds: [a.id] })).json();
  agent = await signIn(t, a.email);
  outsider = await userClient(admin, t, { kind: "agent", name: "Otto Outsider" });
});
afterAll(() => t.close());

describe("creating tickets", () => {
  it("numbers per type, derives priority from impact × urgency, lands in the default group", async () => {
    const inc = await ticket(agent, { impact: 1, urgency: 2, groupId: group.id });
    expect(inc.number).toMatch(/^INC-\d{6}$/);
    expect(inc).toMatchObject({ state: "new", stateType: "new", priority: "P2", groupId: group.id });
    const req = await ticket(admin, { type: "service_request", impact: 3, urgency: 3 });
    expect(req.number).toMatch(/^REQ-\d{6}$/);
    expect(req.priority).toBe("P4");
    const groups = (await admin.get("/api/v1/groups?q=Service%20Desk")).json().items;
    expect(req.groupId).toBe(groups[0].id);
    const prb = await ticket(admin, { type: "problem" });
    expect(prb.number).toBe("PRB-000001");
  });

  it("sanitizes the description", async () => {
    const inc = await ticket(agent, {
      groupId: group.id,
      description: '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(2)">x</a><b>bold</b></p>',
    });
    expect(inc.description).not.toMatch(/script|onclick|javascript/);
    expect(inc.description).toContain("<b>bold</b>");
  });

  it("a customer raises tickets for themselves only", async () => {
    const org = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    const own = await ticket(customer, {});
    expect(own).toMatchObject({ requesterId: customer.userId, organizationId: org.id });
    const pushy = await customer.post("/api/v1/tickets", {
      type: "incident",
      title: "x",
      impact: 1,
      urgency: 1,
      groupId: group.id,
    });
    expect(pushy.statusCode).toBe(422);
    expect(pushy.json().errors).toEqual([{ field: "body.groupId", message: "set by the service desk" }]);
    const problem = await customer.post("/api/v1/tickets", { type: "problem", title: "x", impact: 1, urgency: 1 });
    expect(problem.statusCode).toBe(403);
  });

  it("refuses unknown references and custom fields, naming each", async () => {
    const res = await agent.post("/api/v1/tickets", {
      type: "incident",
      title: "x",
      impact: 1,
      urgency: 1,
      groupId: "00000000-0000-4000-8000-000000000000",
      customFields: { colour: "red" },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["body.customFields.colour", "body.groupId"]);
  });
});

describe("who sees what", () => {
  it("agents see their groups', their assigned and their watched tickets; lists agree with reads", async () => {
    const inGroup = await ticket(admin, { groupId: group.id });
    const other = (await admin.post("/api/v1/groups", { name: unique("Other") })).json();
    const elsewhere = await ticket(admin, { groupId: other.id });
    const assigned = await ticket(admin, { groupId: other.id, assigneeId: outsider.userId });
    const watched = await ticket(admin, { groupId: other.id, watcherIds: [outsider.userId] });
    for (const [who, sees, hidden] of [
      [agent, [inGroup.id], [elsewhere.id, assigned.id, watched.id]],
      [outsider, [assigned.id, watched.id], [inGroup.id, elsewhere.id]],
    ] as const) {
      const listed = ids(await who.get("/api/v1/tickets?limit=200"));
      for (const id of sees) {
        expect(listed).toContain(id);
        expect((await who.get(`/api/v1/tickets/${id}`)).statusCode).toBe(200);
      }
      for (const id of hidden) {
        expect(listed).not.toContain(id);
        expect((await who.get(`/api/v1/tickets/${id}`)).statusCode).toBe(404);
      }
    }
  });

  it("customers see their own, and their organization's only when it shares tickets", async () => {
    const org = await createOrganization(admin);
    const alice = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    const bob = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    const mine = await ticket(alice, {});
    expect((await bob.get(`/api/v1/tickets/${mine.id}`)).statusCode).toBe(404);
    expect(ids(await bob.get("/api/v1/tickets"))).not.toContain(mine.id);
    const orgRow = (await admin.get(`/api/v1/organizations/${org.id}`)).json();
    await admin.patch(`/api/v1/organizations/${org.id}`, { version: orgRow.version, ticketsShared: true });
    expect((await bob.get(`/api/v1/tickets/${mine.id}`)).statusCode).toBe(200);
    expect(ids(await bob.get("/api/v1/tickets"))).toContain(mine.id);
  });
});

describe("workflow", () => {
  it("on hold needs a reason, resolving needs a code and text, closed is final", async () => {
    const inc = await ticket(agent, { groupId: group.id });
    const go = (body: Record<string, unknown>) => agent.post(`/api/v1/tickets/${inc.id}/transitions`, body);
    const bad = await go({ to: "closed" });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ field: "body.to" });
    const noReason = await go({ to: "on_hold" });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors).toEqual([{ field: "body.reason", message: "say why the ticket is on hold" }]);
    expect((await agent.get(`/api/v1/tickets/${inc.id}`)).json().state).toBe("new");
    const held = await go({ to: "on_hold", reason: "awaiting_vendor" });
    expect(held.json()).toMatchObject({ state: "on_hold", stateType: "pending", holdReason: "awaiting_vendor" });
    const noCode = await go({ to: "resolved" });
    expect(noCode.json().errors.map((e: { field: string }) => e.field)).toEqual([
      "body.resolutionCode",
      "body.resolution",
    ]);
    const resolved = await go({ to: "resolved", resolutionCode: "solved", resolution: "Replaced the toner" });
    expect(resolved.json()).toMatchObject({ state: "resolved", holdReason: null, resolution: "Replaced the toner" });
    expect(resolved.json().resolvedAt).not.toBeNull();
    const closed = await go({ to: "closed" });
    expect(closed.json()).toMatchObject({
      state: "closed",
      stateType: "closed",
      abilities: { update: false, transitions: [] },
    });
    expect((await go({ to: "in_progress" })).statusCode).toBe(403);
    const timeline = (await agent.get(`/api/v1/tickets/${inc.id}/articles`)).json().items;
    expect(
      timeline
        .filter((a: { kind: string }) => a.kind === "system")
        .map((a: { event: { changes: { state: string[] } } }) => a.event.changes.state),
    ).toEqual([
      ["new", "on_hold"],
      ["on_hold", "resolved"],
      ["resolved", "closed"],
    ]);
  });

  it("a known error needs a root cause and a workaround", async () => {
    const prb = await ticket(agent, { type: "problem", groupId: group.id });
    await agent.post(`/api/v1/tickets/${prb.id}/transitions`, { to: "investigating" });
    const missing = await agent.post(`/api/v1/tickets/${prb.id}/transitions`, { to: "known_error" });
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(["body.rootCause", "body.workaround"]);
    const ok = await agent.post(`/api/v1/tickets/${prb.id}/transitions`, {
      to: "known_error",
      rootCause: "Firmware bug",
      workaround: "Power-cycle the switch",
    });
    expect(ok.json()).toMatchObject({ state: "known_error", workaround: "Power-cycle the switch" });
    const inc = await ticket(agent, { groupId: group.id });
    const linked = await agent.patch(`/api/v1/tickets/${inc.id}`, { version: inc.version, problemId: prb.id });
    expect(linked.json().problemId).toBe(prb.id);
  });

  it("two agents editing one ticket: the stale write gets 409", async () => {
    const inc = await ticket(agent, { groupId: group.id });
    expect((await agent.patch(`/api/v1/tickets/${inc.id}`, { version: 1, urgency: 1 })).json().priority).toBe("P2");
    const stale = await admin.patch(`/api/v1/tickets/${inc.id}`, { version: 1, title: "Other" });
    expect(stale.statusCode).toBe(409);
    expect((await agent.get(`/api/v1/tickets/${inc.id}`)).json().title).toBe(inc.title);
  });
});

describe("timeline", () => {
  it("internal notes never reach customers; a customer reply reopens a resolved incident", async () => {
    const org = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    const inc = await ticket(customer, {});
    await admin.patch(`/api/v1/tickets/${inc.id}`, { version: 1, groupId: group.id });
    const note = await agent.post(`/api/v1/tickets/${inc.id}/articles`, {
      kind: "note",
      body: "Secret: root password is hunter2",
    });
    expect(note.statusCode).toBe(201);
    const reply = await agent.post(`/api/v1/tickets/${inc.id}/articles`, {
      kind: "reply",
      body: "<p>On it</p>",
      timeSpentMinutes: 5,
    });
    expect(reply.statusCode).toBe(201);
    expect((await agent.get(`/api/v1/tickets/${inc.id}`)).json().firstResponseAt).not.toBeNull();
    const seen = await customer.get(`/api/v1/tickets/${inc.id}/articles`);
    expect(seen.body).not.toContain("hunter2");
    expect(seen.json().items.map((a: { kind: string }) => a.kind)).toEqual(["reply"]);
    expect(seen.json().items[0].author).toMatchObject({ name: "Grace Agent", kind: "agent" });
    expect(ids(await customer.get("/api/v1/tickets?requesterId=me"))).toEqual([inc.id]);
    expect((await customer.post(`/api/v1/tickets/${inc.id}/articles`, { kind: "note", body: "x" })).statusCode).toBe(
      403,
    );

    await agent.post(`/api/v1/tickets/${inc.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Done",
    });
    const back = await customer.post(`/api/v1/tickets/${inc.id}/articles`, { kind: "reply", body: "Still broken" });
    expect(back.statusCode).toBe(201);
    expect((await agent.get(`/api/v1/tickets/${inc.id}`)).json()).toMatchObject({
      state: "in_progress",
      resolvedAt: null,
    });
  });
});

describe("work list", () => {
  it("finds tickets by words in title and replies, and by number; filters and pages", async () => {
    const word = unique("zebra").replace("-", "");
    const a = await ticket(agent, { groupId: group.id, title: `VPN ${word} drops` });
    const b = await ticket(agent, { groupId: group.id, title: "Mail is slow" });
    await agent.post(`/api/v1/tickets/${b.id}/articles`, { kind: "reply", body: `Seen with ${word}2 too` });
    expect(ids(await agent.get(`/api/v1/tickets?q=${word}`))).toEqual([a.id]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${word}2`))).toEqual([b.id]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${a.number}`))).toEqual([a.id]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${word.slice(0, 6)}`))).toEqual([a.id]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${a.number.replace(/-0+/, "")}`))).toEqual([a.id]);
    const p1 = await ticket(agent, { groupId: group.id, impact: 1, urgency: 1 });
    expect(ids(await agent.get(`/api/v1/tickets?priority=P1&groupId=${group.id}`))).toEqual([p1.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await agent.get(`/api/v1/tickets?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const body: { items: { id: string }[]; nextCursor: string | null } = res.json();
      seen.push(...body.items.map((x) => x.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(ids(await agent.get("/api/v1/tickets?limit=200")).length);
    expect((await agent.get("/api/v1/tickets?sort=title")).statusCode).toBe(400);
  });

  it("filters on watchers, impact and urgency, update and resolution times; finds requester and organization names", async () => {
    const org = await createOrganization(admin, unique("Quokka Logistics"));
    const requester = await createUser(admin, {
      kind: "customer",
      name: "Wilhelmina Quartermain",
      organizationId: org.id,
    });
    const watched = await ticket(admin, { watcherIds: [agentId] });
    const byRequester = await ticket(agent, { groupId: group.id, requesterId: requester.id, impact: 1, urgency: 3 });
    expect(ids(await agent.get("/api/v1/tickets?watcherId=me"))).toEqual([watched.id]);
    const lowUrgency = ids(await agent.get(`/api/v1/tickets?groupId=${group.id}&impact=1&urgency=3`));
    expect(lowUrgency).toEqual([byRequester.id]);
    expect(ids(await agent.get("/api/v1/tickets?q=Quartermain"))).toEqual([byRequester.id]);
    expect(ids(await agent.get("/api/v1/tickets?q=quokka%20log"))).toEqual([byRequester.id]);
    // Update and resolution times, as half-open ranges.
    t.clock.advance(60_000);
    const mark = new Date(t.clock.now()).toISOString();
    t.clock.advance(60_000);
    await agent.post(`/api/v1/tickets/${byRequester.id}/transitions`, { to: "in_progress" });
    await agent.post(`/api/v1/tickets/${byRequester.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Reset the account",
    });
    expect(ids(await agent.get(`/api/v1/tickets?updatedFrom=${mark}`))).toEqual([byRequester.id]);
    expect(ids(await agent.get(`/api/v1/tickets?resolvedFrom=${mark}`))).toEqual([byRequester.id]);
    expect(ids(await agent.get(`/api/v1/tickets?resolvedTo=${mark}`))).not.toContain(byRequester.id);
    expect(ids(await agent.get(`/api/v1/tickets?closedFrom=${mark}`))).toEqual([]);
    expect((await agent.get("/api/v1/tickets?impact=4")).statusCode).toBe(400);
    expect((await agent.get("/api/v1/tickets?watcherId=someone")).statusCode).toBe(400);
  });
});

describe("priority matrix", () => {
  it("admins change it; new tickets follow; customers cannot", async () => {
    const matrix = (await admin.get("/api/v1/priority-matrix")).json();
    expect(matrix.cells).toHaveLength(9);
    const cells = matrix.cells.map((c: { impact: number; urgency: number; priority: string }) =>
      c.impact === 3 && c.urgency === 3 ? { ...c, priority: "P3" } : c,
    );
    const saved = await admin.call("PUT", "/api/v1/priority-matrix", { version: matrix.version, cells });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(matrix.version + 1);
    expect(saved.headers.etag).toBe(`"${matrix.version + 1}"`);
    expect((await ticket(agent, { groupId: group.id, impact: 3, urgency: 3 })).priority).toBe("P3");
    expect(
      (await agent.call("PUT", "/api/v1/priority-matrix", { version: matrix.version + 1, cells })).statusCode,
    ).toBe(403);
    const broken = await admin.call("PUT", "/api/v1/priority-matrix", {
      version: matrix.version + 1,
      cells: cells.slice(1),
    });
    expect(broken.statusCode).toBe(400);
    // Without a version, and with the one another admin has already replaced, nothing is written.
    const unversioned = await admin.call("PUT", "/api/v1/priority-matrix", { cells: matrix.cells });
    expect(unversioned.statusCode).toBe(422);
    expect(unversioned.json().errors[0].field).toBe("body.version");
    const stale = await admin.call("PUT", "/api/v1/priority-matrix", { version: matrix.version, cells: matrix.cells });
    expect(stale.statusCode).toBe(409);
    const after = (await admin.get("/api/v1/priority-matrix")).json();
    expect(after.version).toBe(matrix.version + 1);
    expect(
      after.cells.find((c: { impact: number; urgency: number }) => c.impact === 3 && c.urgency === 3).priority,
    ).toBe("P3");
    // If-Match carries the version as well
    const viaHeader = await admin.call(
      "PUT",
      "/api/v1/priority-matrix",
      { cells: matrix.cells },
      { "if-match": `"${after.version}"` },
    );
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json().version).toBe(after.version + 1);
  });
});

describe("auto-close", () => {
  it("closes tickets resolved for longer than the setting, through the workflow", async () => {
    const fresh = await adminClient(t);
    const inc = await ticket(fresh, {});
    await fresh.post(`/api/v1/tickets/${inc.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "ok",
    });
    expect(await autoClose(t.deps)).toBe(0);
    t.clock.advance(8 * 86_400_000);
    expect(await autoClose(t.deps)).toBeGreaterThanOrEqual(1);
    const again = await adminClient(t);
    expect((await again.get(`/api/v1/tickets/${inc.id}`)).json()).toMatchObject({
      state: "closed",
      stateType: "closed",
    });
    const audit = (await again.get(`/api/v1/audit?entityType=ticket&entityId=${inc.id}`)).json().items;
    expect(audit[0]).toMatchObject({ source: "automation", changes: { state: ["resolved", "closed"] } });
  });
});

describe("categories", () => {
  it("form a tree that can be renamed and moved but never under itself", async () => {
    const fresh = await adminClient(t);
    const hw = (await fresh.post("/api/v1/categories", { name: unique("Hardware") })).json();
    const printers = (await fresh.post("/api/v1/categories", { name: "Printers", parentId: hw.id })).json();
    expect(printers.parentId).toBe(hw.id);
    const loop = await fresh.patch(`/api/v1/categories/${hw.id}`, { version: hw.version, parentId: printers.id });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().errors[0].field).toBe("body.parentId");
    const renamed = await fresh.patch(`/api/v1/categories/${printers.id}`, {
      version: printers.version,
      name: "Printers & scanners",
      parentId: null,
    });
    expect(renamed.json()).toMatchObject({ name: "Printers & scanners", parentId: null, version: 2 });
    const stale = await fresh.patch(`/api/v1/categories/${printers.id}`, { version: 1, active: false });
    expect(stale.statusCode).toBe(409);
    const plain = await userClient(fresh, t, { kind: "agent" }); // the clock moved past older sessions
    const denied = await plain.patch(`/api/v1/categories/${printers.id}`, { version: 2, active: false });
    expect(denied.statusCode).toBe(403);
  });
});

describe("search over many matches", () => {
  it("lists a common word's matches newest first, across pages, and in every sort, as it does a rare word's", async () => {
    // Earlier tests moved the clock past their sessions: sign in afresh.
    const fresh = await adminClient(t);
    const me = await createUser(fresh, { kind: "agent" });
    const agent = await signIn(t, me.email);
    const outsider = await userClient(fresh, t, { kind: "agent" });
    const group = (await fresh.post("/api/v1/groups", { name: unique("Search"), memberIds: [me.id] })).json();
    const word = unique("walrus").replace("-", "");
    // More matches than a search lists by id: 2,100 tickets in the agent's group, loaded with SQL.
    await sql`insert into tickets (type, number, title, description_text, state, state_type, impact, urgency, priority,
        group_id, created_at, updated_at)
      select 'incident', 900000 + g, ${`${word} `} || g, '', 'new', 'new', 2, 2, 'P3', ${group.id}::uuid,
        now() - g * interval '1 minute', now() - g * interval '1 minute'
      from generate_series(1, 2100) g`.execute(t.deps.db);
    const other = unique("narwhal").replace("-", "");
    const rare = await ticket(agent, { groupId: group.id, title: `Only here: ${other}` });
    const first = (await agent.get(`/api/v1/tickets?q=${word}&limit=50`)).json();
    expect(first.items).toHaveLength(50);
    expect(first.items[0].title).toBe(`${word} 1`);
    expect(first.items.every((x: { title: string }) => x.title.startsWith(word))).toBe(true);
    const second = (await agent.get(`/api/v1/tickets?q=${word}&limit=50&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].title).toBe(`${word} 51`);
    const byPriority = (await agent.get(`/api/v1/tickets?q=${word}&sort=priority&limit=5`)).json();
    expect(byPriority.items).toHaveLength(5);
    // A rare word (one match) among them, whole and as part of a title word.
    expect(ids(await agent.get(`/api/v1/tickets?q=${other}`))).toEqual([rare.id]);
    expect(ids(await agent.get(`/api/v1/tickets?q=${other.slice(0, 8)}`))).toEqual([rare.id]);
    // Visibility still applies to both: someone outside the group sees none of them.
    expect((await outsider.get(`/api/v1/tickets?q=${word}`)).json().items).toEqual([]);
  });
});
