import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createOrganization, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { noRisk } from "../../../test/helpers/changes.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let owner: { id: string; client: Client };
let approver: { id: string; client: Client };
let classes: Record<string, string>;
const HOUR = 3_600_000;

async function ci(code: string, name: string, extra: Record<string, unknown> = {}) {
  const attributes =
    code === "server" || code === "business_service"
      ? { criticality: (await admin.get("/api/v1/cmdb/catalog/criticality")).json().items[0].id }
      : {};
  const res = await admin.post("/api/v1/cmdb/cis", {
    classId: classes[code],
    name: unique(name),
    attributes,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; number: string };
}

const relate = (sourceId: string, type: string, targetId: string) =>
  admin.post("/api/v1/cmdb/relations", { sourceId, targetId, type });

let slot = 0;
/** A normal change on these CIs in its own future slot. */
async function draft(ciIds: string[], extra: Record<string, unknown> = {}) {
  slot += 1;
  const start = Date.parse("2031-01-05T10:00:00Z") + slot * 10 * HOUR;
  const res = await owner.client.post("/api/v1/changes", {
    type: "normal",
    title: unique("Change"),
    description: "What",
    justification: "Why",
    ownerId: owner.id,
    ciIds,
    rollbackPlan: "Undo",
    plannedStart: new Date(start).toISOString(),
    plannedEnd: new Date(start + 2 * HOUR).toISOString(),
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const move = async (client: Client, id: string, to: string, reason?: string) =>
  client.post(`/api/v1/changes/${id}/transitions`, { to, ...(reason ? { reason } : {}) });

let db: { id: string };
let svc: { id: string; name: string };
let org: { id: string; name: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const o = await createUser(admin, { kind: "agent", name: "Rita Owner" });
  owner = { id: o.id, client: await signIn(t, o.email) };
  const a = await createUser(admin, { kind: "agent", name: "Sam Approver" });
  approver = { id: a.id, client: await signIn(t, a.email) };
  const list = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  classes = Object.fromEntries(list.map((c) => [c.code, c.id]));
  db = await ci("database", "billing-db");
  org = await createOrganization(admin, unique("Acme"));
  svc = await ci("business_service", "Billing", { serviceOrganizationIds: [org.id] });
  expect((await relate(svc.id, "depends_on", db.id)).statusCode).toBe(201);
  await admin.post("/api/v1/change-approver-sets", { name: "CAB", userIds: [approver.id], rule: "any" });
});
afterAll(() => t.close());

describe("risk and impact", () => {
  it("assesses a plan before it is saved: the services and customers it hits, the score, the level and why", async () => {
    const res = await owner.client.post("/api/v1/changes/assess", {
      ciIds: [db.id],
      riskAnswers: { first_time: true, untested: false },
      outage: { kind: "full", minutes: 30 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a.impact.services).toEqual([expect.objectContaining({ id: svc.id, name: svc.name })]);
    expect(a.impact.organizations).toEqual([{ id: org.id, name: org.name }]);
    expect(a.impact.cisReached).toBe(2);
    // 15 (first time) + 8 (one service) + 4 (one customer) + 15 (full outage)
    expect(a.risk.score).toBe(42);
    expect(a.risk.level).toBe("high");
    expect(a.risk.reasons.map((r: { points: number }) => r.points)).toEqual([15, 8, 4, 15]);
    expect(a.risk.unanswered).toEqual(["rollback_untested", "business_hours", "many_users", "third_party"]);
    const bad = await owner.client.post("/api/v1/changes/assess", { ciIds: [crypto.randomUUID()] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ field: "body.ciIds.0", message: "no such configuration item" }]);
  });

  it("stores the risk on the change, asks every question before the CAB, and matches CAB rules on the level", async () => {
    const high = await admin.post("/api/v1/change-approver-sets", {
      name: "High-risk board",
      riskLevels: ["high", "very_high"],
      userIds: [approver.id],
      rule: "all",
    });
    expect(high.statusCode, high.body).toBe(201);
    const c = await draft([db.id], { riskAnswers: { first_time: true } });
    expect(c.risk).toMatchObject({ score: 27, level: "medium" });
    expect(c.serviceIds).toEqual([svc.id]);
    expect((await move(owner.client, c.id, "assessment")).statusCode).toBe(200);
    const unanswered = await move(owner.client, c.id, "authorization");
    expect(unanswered.statusCode).toBe(422);
    expect(unanswered.json().errors.map((e: { field: string }) => e.field)).toContain(
      "change.riskAnswers.business_hours",
    );
    const unknown = await owner.client.patch(`/api/v1/changes/${c.id}`, {
      version: c.version + 1,
      riskAnswers: { nonsense: true },
    });
    expect(unknown.json().errors).toEqual([{ field: "body.riskAnswers.nonsense", message: "no such risk question" }]);
    const answered = await owner.client.patch(`/api/v1/changes/${c.id}`, {
      version: c.version + 1,
      riskAnswers: { ...(await noRisk(admin)), first_time: true, untested: true },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().risk).toMatchObject({ score: 42, level: "high", unanswered: [] });
    expect((await move(owner.client, c.id, "authorization")).statusCode).toBe(200);
    const sets = (await admin.get(`/api/v1/changes/${c.id}/approvals`)).json().sets;
    expect(sets.map((s: { name: string }) => s.name).sort()).toEqual(["CAB", "High-risk board"]);
    // A low-risk change does not go to the high-risk board.
    const low = await draft([db.id], { riskAnswers: await noRisk(admin), outage: { kind: "none" } });
    expect(low.risk.level).toBe("low");
    await move(owner.client, low.id, "assessment");
    expect((await move(owner.client, low.id, "authorization")).statusCode).toBe(200);
    const lowSets = (await admin.get(`/api/v1/changes/${low.id}/approvals`)).json().sets;
    expect(lowSets.map((s: { name: string }) => s.name)).toEqual(["CAB"]);
    const off = await admin.patch(`/api/v1/change-approver-sets/${high.json().id}`, { version: 1, active: false });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    const stale = await admin.patch(`/api/v1/change-approver-sets/${high.json().id}`, { version: 1, name: "x" });
    expect(stale.statusCode).toBe(409);
  });

  it("settings: managers only, with a version; thresholds must rise", async () => {
    const s = (await admin.get("/api/v1/change-settings")).json();
    const body = { ...s, reviewWindowHours: 48 };
    expect((await owner.client.put("/api/v1/change-settings", body)).statusCode).toBe(403);
    const bad = await admin.put("/api/v1/change-settings", {
      ...body,
      riskThresholds: { medium: 50, high: 40, veryHigh: 70 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("body.riskThresholds.high");
    const ok = await admin.put("/api/v1/change-settings", body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: s.version + 1, reviewWindowHours: 48 });
    expect((await admin.put("/api/v1/change-settings", body)).statusCode).toBe(409);
    await admin.put("/api/v1/change-settings", { ...body, version: s.version + 1, reviewWindowHours: 72 });
  });
});

describe("standard change templates", () => {
  it("only managers write templates; a standard change comes from an approved one and keeps its plans", async () => {
    const input = {
      name: unique("Restart billing"),
      title: "Restart the billing service",
      durationMinutes: 30,
      ciIds: [db.id],
      implementationPlan: "systemctl restart billing",
      rollbackPlan: "Start the previous unit",
      workOrders: [
        { kind: "implementation", title: "Restart" },
        { kind: "test", title: "Open an invoice" },
      ],
    };
    expect((await owner.client.post("/api/v1/change-templates", input)).statusCode).toBe(403);
    const created = await admin.post("/api/v1/change-templates", input);
    expect(created.statusCode, created.body).toBe(201);
    const tpl = created.json();
    expect(tpl.approved).toBe(false);
    // Not approved yet: agents do not see it, and no change is made from it.
    expect(
      (await owner.client.get("/api/v1/change-templates")).json().items.map((x: { id: string }) => x.id),
    ).not.toContain(tpl.id);
    const early = await owner.client.post("/api/v1/changes", {
      type: "standard",
      templateId: tpl.id,
      title: "Restart",
      ownerId: owner.id,
      plannedStart: "2031-02-01T20:00:00Z",
    });
    expect(early.json().errors).toEqual([{ field: "body.templateId", message: "no such approved template" }]);
    expect((await owner.client.post(`/api/v1/change-templates/${tpl.id}/approve`)).statusCode).toBe(403);
    const approved = (await admin.post(`/api/v1/change-templates/${tpl.id}/approve`)).json();
    expect(approved).toMatchObject({ approved: true, approvedById: expect.any(String) });

    const res = await owner.client.post("/api/v1/changes", {
      type: "standard",
      templateId: tpl.id,
      title: "Restart billing tonight",
      description: "Memory leak",
      justification: "Invoices are slow",
      ownerId: owner.id,
      plannedStart: "2031-02-01T20:00:00Z",
      rollbackPlan: "Ignored: the template's plan counts",
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      templateId: tpl.id,
      ciIds: [db.id],
      plannedEnd: "2031-02-01T20:30:00.000Z",
      implementationPlan: "systemctl restart billing",
      rollbackPlan: "Start the previous unit",
    });
    const orders = (await owner.client.get(`/api/v1/changes/${c.id}/work-orders`)).json().items;
    expect(orders.map((w: { title: string; plannedStart: string }) => [w.title, w.plannedStart])).toEqual([
      ["Restart", c.plannedStart],
      ["Open an invoice", c.plannedStart],
    ]);
    const edit = await owner.client.patch(`/api/v1/changes/${c.id}`, { version: c.version, rollbackPlan: "Other" });
    expect(edit.json().errors).toEqual([
      { field: "body.rollbackPlan", message: "comes from the standard change's template" },
    ]);
    // Pre-approved: straight to the schedule, no CAB.
    expect((await move(owner.client, c.id, "scheduled")).json().state).toBe("scheduled");

    // Editing the template's content withdraws its approval; renaming does not.
    expect(
      (await owner.client.patch(`/api/v1/change-templates/${tpl.id}`, { version: 2, title: "x" })).statusCode,
    ).toBe(403);
    const renamed = (
      await admin.patch(`/api/v1/change-templates/${tpl.id}`, { version: 2, name: unique("Renamed") })
    ).json();
    expect(renamed.approved).toBe(true);
    const edited = (
      await admin.patch(`/api/v1/change-templates/${tpl.id}`, { version: renamed.version, durationMinutes: 45 })
    ).json();
    expect(edited).toMatchObject({ approved: false, approvedAt: null, durationMinutes: 45 });
    const normal = await owner.client.post("/api/v1/changes", { type: "normal", templateId: tpl.id, title: "x" });
    expect(normal.json().errors).toEqual([
      { field: "body.templateId", message: "only standard changes are made from templates" },
    ]);
  });

  it("a standard change without a template is refused", async () => {
    const res = await owner.client.post("/api/v1/changes", { type: "standard", title: "Anything goes" });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: "body.templateId", message: "a standard change is made from an approved template" },
    ]);
  });
});

describe("links, CAB templates and approval-time conflicts", () => {
  it("links incidents and problems, not requests", async () => {
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "Billing down", impact: 2, urgency: 2 })
    ).json();
    const req = (
      await admin.post("/api/v1/tickets", { type: "service_request", title: "New laptop", impact: 3, urgency: 3 })
    ).json();
    // The owner may not read these tickets (not in their group): they cannot link them.
    const hidden = await owner.client.post("/api/v1/changes", { type: "normal", title: "x", ticketIds: [inc.id] });
    expect(hidden.json().errors).toEqual([{ field: "body.ticketIds.0", message: "no such ticket" }]);
    const res = await admin.post("/api/v1/changes", {
      type: "normal",
      title: unique("Fix billing"),
      ticketIds: [inc.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.ticketIds).toEqual([inc.id]);
    // The ticket's side: its changes, for those who may read the ticket.
    const linked = (await admin.get(`/api/v1/changes?ticketId=${inc.id}`)).json().items;
    expect(linked.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await owner.client.get(`/api/v1/changes?ticketId=${inc.id}`)).json().items).toEqual([]);
    // Links the reader may not see are left out of what they read.
    expect((await owner.client.get(`/api/v1/changes/${c.id}`)).json().ticketIds).toEqual([]);
    const bad = await admin.patch(`/api/v1/changes/${c.id}`, {
      version: c.version,
      ticketIds: [inc.id, req.id],
    });
    expect(bad.json().errors).toEqual([{ field: "body.ticketIds.1", message: "link incidents and problems" }]);
    const none = await admin.patch(`/api/v1/changes/${c.id}`, { version: c.version, ticketIds: [] });
    expect(none.json().ticketIds).toEqual([]);
  });

  it("adds a board from a CAB template to one change; its approval is then needed too", async () => {
    const board = await admin.post("/api/v1/cab-templates", {
      name: unique("Database board"),
      userIds: [approver.id, owner.id],
      rule: "all",
    });
    expect(board.statusCode, board.body).toBe(201);
    expect(
      (await owner.client.post("/api/v1/cab-templates", { name: "x", userIds: [owner.id], rule: "any" })).statusCode,
    ).toBe(403);
    const c = await draft([db.id], { riskAnswers: await noRisk(admin) });
    const added = await owner.client.post(`/api/v1/changes/${c.id}/cab`, { templateId: board.json().id });
    expect(added.statusCode, added.body).toBe(200);
    const boardSet = added.json().sets.find((s: { changeOnly: boolean }) => s.changeOnly);
    // The owner is in the board but never decides on their own change.
    expect(boardSet).toMatchObject({ name: board.json().name, rule: "all", eligible: 1 });
    expect((await owner.client.post(`/api/v1/changes/${c.id}/cab`, { templateId: board.json().id })).statusCode).toBe(
      409,
    );
    // Other changes do not get it.
    const other = await draft([db.id]);
    const otherSets = (await admin.get(`/api/v1/changes/${other.id}/approvals`)).json().sets;
    expect(otherSets.some((s: { changeOnly: boolean }) => s.changeOnly)).toBe(false);
    // Nor does the rules list.
    expect(
      (await admin.get("/api/v1/change-approver-sets")).json().items.map((s: { name: string }) => s.name),
    ).not.toContain(board.json().name);
    await move(owner.client, c.id, "assessment");
    await move(owner.client, c.id, "authorization");
    const decided = await approver.client.post(`/api/v1/changes/${c.id}/approvals`, {
      decision: "approve",
      comment: "OK",
    });
    expect(decided.json().sets.every((s: { status: string }) => s.status === "approved")).toBe(true);
    expect((await admin.get(`/api/v1/changes/${c.id}`)).json().state).toBe("scheduled");
    const late = await owner.client.delete(`/api/v1/changes/${c.id}/cab/${boardSet.id}`);
    expect(late.statusCode).toBe(409);
  });

  it("an approval is refused (and audited) when the schedule filled up after the change was submitted", async () => {
    const cache = await ci("database", "cache-db");
    const at = { plannedStart: "2031-06-01T22:00:00Z", plannedEnd: "2031-06-02T01:00:00Z" };
    const a = await draft([cache.id], { ...at, riskAnswers: await noRisk(admin) });
    await move(owner.client, a.id, "assessment");
    expect((await move(owner.client, a.id, "authorization")).statusCode).toBe(200);
    const b = await draft([cache.id], { plannedStart: "2031-06-02T00:00:00Z", plannedEnd: "2031-06-02T02:00:00Z" });
    await move(owner.client, b.id, "assessment");
    const refused = await approver.client.post(`/api/v1/changes/${a.id}/approvals`, {
      decision: "approve",
      comment: "OK",
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain(b.number);
    const audit = (await admin.get(`/api/v1/audit?entityType=change&entityId=${a.id}`)).json().items;
    expect(audit.some((e: { action: string }) => e.action === "change.approval_refused")).toBe(true);
    // The owner accepts the overlap; then the CAB may approve.
    await owner.client.post(`/api/v1/changes/${a.id}/conflicts/override`, { reason: "Same DBA does both" });
    const ok = await approver.client.post(`/api/v1/changes/${a.id}/approvals`, { decision: "approve", comment: "OK" });
    expect(ok.statusCode, ok.body).toBe(200);

    // The calendar shows both, with their conflicts, and refuses ranges over 62 days.
    const cal = await admin.get(
      `/api/v1/changes/calendar?from=2031-06-01T00:00:00Z&to=2031-06-03T00:00:00Z&ciId=${cache.id}`,
    );
    expect(cal.statusCode, cal.body).toBe(200);
    const byId = new Map(cal.json().changes.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(a.id)).toMatchObject({
      state: "scheduled",
      overridden: true,
      conflicts: [expect.objectContaining({ rule: "same_ci", otherChangeId: b.id })],
    });
    expect(byId.get(b.id)).toMatchObject({
      overridden: false,
      conflicts: [expect.objectContaining({ otherChangeId: a.id })],
    });
    const wide = await admin.get("/api/v1/changes/calendar?from=2031-01-01T00:00:00Z&to=2031-04-01T00:00:00Z");
    expect(wide.statusCode).toBe(400);
    expect(wide.json().errors[0]).toEqual({ field: "query.to", message: "at most 62 days" });
  });
});

describe("post-implementation review and the change report", () => {
  it("finds the incidents on the change's CIs after it, records the outcome, and reports the figures", async () => {
    const web = await ci("database", "web-db");
    // Implemented now (the test clock's now), reviewed, closed.
    const now = t.clock.now().getTime();
    const c = await draft([web.id], {
      type: "emergency",
      plannedStart: new Date(now - HOUR).toISOString(),
      plannedEnd: new Date(now + HOUR).toISOString(),
    });
    expect((await admin.put(`/api/v1/changes/${c.id}/review`, { outcome: "failed" })).statusCode).toBe(409);
    await admin.post("/api/v1/change-approver-sets", {
      name: unique("ECAB"),
      types: ["emergency"],
      userIds: [approver.id],
      rule: "any",
    });
    expect((await move(owner.client, c.id, "authorization")).statusCode).toBe(200);
    await approver.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "approve", comment: "Go" });
    expect((await move(owner.client, c.id, "implementing")).statusCode).toBe(200);
    const before = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "Unrelated", impact: 3, urgency: 3 })
    ).json();
    t.clock.advance(HOUR);
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "Web DB errors", impact: 2, urgency: 2 })
    ).json();
    await admin.call("PUT", `/api/v1/tickets/${inc.id}/cis`, { ciIds: [web.id] });
    await admin.call("PUT", `/api/v1/tickets/${before.id}/cis`, { ciIds: [db.id] });
    expect((await move(owner.client, c.id, "review")).statusCode).toBe(200);
    const review = await owner.client.put(`/api/v1/changes/${c.id}/review`, { outcome: "failed", notes: "Lock storm" });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({
      outcome: "failed",
      notes: "Lock storm",
      reviewedById: owner.id,
      windowHours: 72,
    });
    // Found automatically: the incident on the change's CI after it started, listed for those who may read it.
    expect(review.json().incidents).toEqual([]);
    const seen = (await admin.get(`/api/v1/changes/${c.id}/review`)).json();
    expect(seen.incidents.map((i: { id: string }) => i.id)).toEqual([inc.id]);
    expect((await move(owner.client, c.id, "closed")).json()).toMatchObject({
      state: "closed",
      reviewOutcome: "failed",
    });

    const from = new Date(now - 2 * HOUR).toISOString();
    const to = new Date(now + 2 * HOUR).toISOString();
    const report = await admin.get(`/api/v1/changes/report?from=${from}&to=${to}`);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({
      total: 1,
      byType: { standard: 0, normal: 0, emergency: 1 },
      emergencyShare: 1,
      reviewed: 1,
      byOutcome: { successful: 0, partially_successful: 0, failed: 1, rolled_back: 0 },
      successRate: 0,
      followedByIncidents: 1,
    });
    // Every month of the range is listed; the change counts in the month it was planned to start.
    const months = report.json().months as { month: string; total: number }[];
    expect(months.map((m) => m.month)).toEqual([...new Set([from.slice(0, 7), to.slice(0, 7)])]);
    expect(months.find((m) => m.month === new Date(now - HOUR).toISOString().slice(0, 7))).toEqual({
      month: new Date(now - HOUR).toISOString().slice(0, 7),
      total: 1,
      emergency: 1,
      successful: 0,
      failed: 1,
      followedByIncidents: 1,
    });
  });
});
