import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { noRisk } from "../../../test/helpers/changes.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let owner: { id: string; client: Client };
let approver: { id: string; client: Client };
let classes: Record<string, string>;
const HOUR = 3_600_000;

async function ci(code: string, name: string) {
  const attributes =
    code === "business_service"
      ? { criticality: (await admin.get("/api/v1/cmdb/catalog/criticality")).json().items[0].id }
      : {};
  const res = await admin.post("/api/v1/cmdb/cis", { classId: classes[code], name: unique(name), attributes });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; number: string };
}

/** A change in assessment on these CIs, in [start, end) given as ISO instants. */
async function change(ciIds: string[], start: string, end: string, extra: Record<string, unknown> = {}) {
  const res = await owner.client.post("/api/v1/changes", {
    type: "normal",
    title: unique("Change"),
    description: "What",
    justification: "Why",
    ownerId: owner.id,
    ciIds,
    rollbackPlan: "Undo",
    plannedStart: start,
    plannedEnd: end,
    riskAnswers: await noRisk(admin),
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json();
  expect((await owner.client.post(`/api/v1/changes/${c.id}/transitions`, { to: "assessment" })).statusCode).toBe(200);
  return c as { id: string; number: string; version: number };
}

const conflicts = async (id: string) => (await admin.get(`/api/v1/changes/${id}/conflicts`)).json();
const rules = async (id: string) => (await conflicts(id)).conflicts.map((c: { rule: string }) => c.rule).sort();

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const o = await createUser(admin, { kind: "agent", name: "Owen Owner" });
  owner = { id: o.id, client: await signIn(t, o.email) };
  const a = await createUser(admin, { kind: "agent", name: "Abby Approver" });
  approver = { id: a.id, client: await signIn(t, a.email) };
  const list = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  classes = Object.fromEntries(list.map((c) => [c.code, c.id]));
  await admin.post("/api/v1/change-approver-sets", { name: "CAB", userIds: [approver.id], rule: "any" });
});
afterAll(() => t.close());

describe("schedule conflicts", () => {
  it("same CI: overlapping windows conflict, back-to-back ones do not; conflicts block authorization until overridden", async () => {
    const db = await ci("database", "orders-db");
    const a = await change([db.id], "2027-03-01T22:00:00Z", "2027-03-02T02:00:00Z");
    const b = await change([db.id], "2027-03-02T01:00:00Z", "2027-03-02T03:00:00Z");
    const next = await change([db.id], "2027-03-02T03:00:00Z", "2027-03-02T04:00:00Z");
    expect(await rules(a.id)).toEqual(["same_ci"]);
    const found = (await conflicts(a.id)).conflicts[0];
    expect(found).toMatchObject({ ciId: db.id, otherChangeId: b.id });
    expect(found.message).toContain(b.number);
    expect(await rules(next.id)).toEqual([]);
    const blocked = await owner.client.post(`/api/v1/changes/${a.id}/transitions`, { to: "authorization" });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().errors[0].field).toBe("conflicts.same_ci");
    // Only the owner overrides, with a reason; then the CAB may look at it.
    expect((await admin.post(`/api/v1/changes/${a.id}/conflicts/override`, { reason: "x" })).statusCode).toBe(403);
    const overridden = await owner.client.post(`/api/v1/changes/${a.id}/conflicts/override`, {
      reason: "Both touch read replicas only",
    });
    expect(overridden.json().override).toMatchObject({ reason: "Both touch read replicas only", byId: owner.id });
    expect((await owner.client.post(`/api/v1/changes/${a.id}/transitions`, { to: "authorization" })).statusCode).toBe(
      200,
    );
    // A new plan needs a new override.
    const current = (await admin.get(`/api/v1/changes/${a.id}`)).json();
    await owner.client.patch(`/api/v1/changes/${a.id}`, {
      version: current.version,
      rollbackPlan: "Restore the snapshot",
    });
    expect((await conflicts(a.id)).override).toBeNull();
  });

  it("related CI within two hops conflicts; three hops away does not", async () => {
    const sw = await ci("network_device", "sw");
    const srv = await ci("server", "srv");
    const vm = await ci("virtual_machine", "vm");
    const app = await ci("application", "app");
    await admin.post("/api/v1/cmdb/relations", { sourceId: srv.id, targetId: sw.id, type: "depends_on" });
    await admin.post("/api/v1/cmdb/relations", { sourceId: vm.id, targetId: srv.id, type: "runs_on" });
    await admin.post("/api/v1/cmdb/relations", { sourceId: app.id, targetId: vm.id, type: "relevant_to" });
    const onSwitch = await change([sw.id], "2027-04-01T10:00:00Z", "2027-04-01T12:00:00Z");
    const onVm = await change([vm.id], "2027-04-01T11:00:00Z", "2027-04-01T13:00:00Z");
    const onApp = await change([app.id], "2027-04-01T11:00:00Z", "2027-04-01T13:00:00Z");
    const found = (await conflicts(onSwitch.id)).conflicts;
    expect(found.map((c: { rule: string; otherChangeId: string }) => [c.rule, c.otherChangeId])).toEqual([
      ["related_ci", onVm.id],
    ]);
    expect(found[0]).toMatchObject({ ciId: sw.id, relatedCiId: vm.id });
    expect((await conflicts(onApp.id)).conflicts.map((c: { otherChangeId: string }) => c.otherChangeId)).toEqual([
      onVm.id,
    ]);
  });

  it("outside a CI's maintenance window (recurring, local time across DST) and inside a blackout", async () => {
    const fw = await ci("network_device", "fw");
    const win = await admin.post("/api/v1/maintenance-windows", {
      name: "Sunday night",
      ciIds: [fw.id],
      rrule: "FREQ=WEEKLY;BYDAY=SU",
      dtstart: "2027-01-03T02:00",
      durationMinutes: 120,
      timezone: "Europe/Berlin",
    });
    expect(win.statusCode, win.body).toBe(201);
    // 28 March 2027 is the spring switch in Berlin: 02:00 local does not exist that night; 4 April is CEST.
    const inside = await change([fw.id], "2027-04-04T00:15:00Z", "2027-04-04T01:45:00Z");
    const outside = await change([fw.id], "2027-04-05T10:00:00Z", "2027-04-05T11:00:00Z");
    expect(await rules(inside.id)).toEqual([]);
    expect(await rules(outside.id)).toEqual(["outside_maintenance"]);
    const freeze = await admin.post("/api/v1/blackout-windows", {
      name: "Year-end freeze",
      start: "2027-12-20T00:00:00Z",
      end: "2028-01-03T00:00:00Z",
    });
    expect(freeze.statusCode).toBe(201);
    const frozen = await change([], "2027-12-31T22:00:00+01:00", "2028-01-01T02:00:00+01:00", {
      ciIds: [(await ci("server", "x")).id],
    });
    const blackout = (await conflicts(frozen.id)).conflicts.find((c: { rule: string }) => c.rule === "blackout");
    expect(blackout).toMatchObject({ windowId: freeze.json().id });
    const bad = await admin.post("/api/v1/maintenance-windows", {
      name: "x",
      ciIds: [fw.id],
      start: "2027-01-02T00:00:00Z",
      end: "2027-01-01T00:00:00Z",
    });
    expect(bad.statusCode).toBe(400);
    const badZone = await admin.post("/api/v1/maintenance-windows", {
      name: "x",
      ciIds: [fw.id],
      rrule: "FREQ=DAILY",
      dtstart: "2027-01-01T01:00",
      durationMinutes: 60,
      timezone: "Mars/Olympus",
    });
    expect(badZone.json().errors[0].field).toBe("body.timezone");
    const badRule = await admin.post("/api/v1/maintenance-windows", {
      name: "x",
      serviceIds: [(await ci("business_service", "svc")).id],
      rrule: "FREQ=SOMETIMES",
      dtstart: "2027-01-01T01:00",
      durationMinutes: 60,
      timezone: "UTC",
    });
    expect(badRule.statusCode).toBe(422);
    expect(badRule.json().errors[0].field).toBe("body.rrule");
    expect(
      (
        await owner.client.post("/api/v1/blackout-windows", {
          name: "x",
          start: "2027-01-01T00:00:00Z",
          end: "2027-01-02T00:00:00Z",
        })
      ).statusCode,
    ).toBe(403);
  });

  it("the assignee booked on another change at the same time", async () => {
    const a = await ci("server", "a");
    const b = await ci("server", "b");
    const one = await change([a.id], "2027-05-01T08:00:00Z", "2027-05-01T10:00:00Z", { assigneeId: approver.id });
    await change([b.id], "2027-05-01T09:00:00Z", "2027-05-01T11:00:00Z", { assigneeId: approver.id });
    expect(await rules(one.id)).toEqual(["assignee_busy"]);
  });
});

describe("deployment gate", () => {
  it("allows a deployment only inside an authorized change's window on that CI", async () => {
    const app = await ci("application", "shop");
    const start = new Date(t.clock.now().getTime() + HOUR);
    const end = new Date(start.getTime() + 2 * HOUR);
    const c = await change([app.id], start.toISOString(), end.toISOString());
    const at = new Date(start.getTime() + 30 * 60_000).toISOString();
    const before = (await admin.get(`/api/v1/changes/gate?ci=${app.number}&at=${at}`)).json();
    expect(before).toMatchObject({ allowed: false, changeId: null });
    await owner.client.post(`/api/v1/changes/${c.id}/transitions`, { to: "authorization" });
    await approver.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "approve", comment: "Go" });
    const during = (await admin.get(`/api/v1/changes/gate?ci=${encodeURIComponent(app.name)}&at=${at}`)).json();
    expect(during).toMatchObject({ allowed: true, changeId: c.id });
    expect(during.reason).toContain(c.number);
    const after = (await admin.get(`/api/v1/changes/gate?ci=${app.id}&at=${end.toISOString()}`)).json();
    expect(after.allowed).toBe(false);
    const unknown = await admin.get("/api/v1/changes/gate?ci=no-such-ci");
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe("query.ci");
  });
});
