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
import { approvedTemplate, noRisk } from "../../../test/helpers/changes.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let owner: { id: string; client: Client };
let approvers: { id: string; client: Client }[];
let serverCi: string;
let cabGroup: { id: string };
const HOUR = 3_600_000;

async function agent(name: string) {
  const u = await createUser(admin, { kind: "agent", name });
  return { id: u.id, client: await signIn(t, u.email) };
}

function window(hoursFromNow: number, hours = 2) {
  const start = new Date(t.clock.now().getTime() + hoursFromNow * HOUR);
  return { plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + hours * HOUR).toISOString() };
}

// Each change gets its own slot, so they do not conflict with one another on the shared CI.
let slot = 0;

async function ready(client: Client, extra: Record<string, unknown> = {}) {
  slot += 1;
  const res = await client.post("/api/v1/changes", {
    type: "normal",
    title: unique("Upgrade the core switch firmware"),
    description: "Firmware 17.3 on core-sw-1",
    justification: "Security advisory",
    ownerId: owner.id,
    ciIds: [serverCi],
    rollbackPlan: "Boot the previous image from flash",
    riskAnswers: await noRisk(admin),
    ...window(48 + slot * 10),
    ...(extra.type === "standard" ? { templateId: await approvedTemplate(admin) } : {}),
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const move = async (client: Client, id: string, to: string, reason?: string) =>
  client.post(`/api/v1/changes/${id}/transitions`, { to, ...(reason ? { reason } : {}) });

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  owner = await agent("Olivia Owner");
  approvers = [await agent("Ann Approver"), await agent("Ben Approver"), await agent("Cleo Approver")];
  cabGroup = (
    await admin.post("/api/v1/groups", { name: unique("CAB"), memberIds: approvers.map((a) => a.id) })
  ).json();
  const classes = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  serverCi = (
    await admin.post("/api/v1/cmdb/cis", { classId: classes.find((c) => c.code === "server")?.id, name: unique("srv") })
  ).json().id;
  const set = await admin.post("/api/v1/change-approver-sets", {
    name: "Change advisory board",
    groupIds: [cabGroup.id],
    rule: "majority",
  });
  expect(set.statusCode, set.body).toBe(201);
  const emergency = await admin.post("/api/v1/change-approver-sets", {
    name: "Emergency CAB",
    types: ["emergency"],
    userIds: [approvers[0]?.id],
    rule: "any",
  });
  expect(emergency.statusCode).toBe(201);
});
afterAll(() => t.close());

describe("requests for change", () => {
  it("a draft may be incomplete; leaving draft needs the eight questions answered, each named", async () => {
    const draft = await admin.post("/api/v1/changes", { type: "normal", title: "Replace the UPS batteries" });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({
      state: "draft",
      number: expect.stringMatching(/^CHG-\d{6}$/),
      planRevision: 1,
    });
    const res = await move(admin, draft.json().id, "assessment");
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(
      [
        "change.ciIds",
        "change.description",
        "change.justification",
        "change.ownerId",
        "change.plannedEnd",
        "change.plannedStart",
        "change.rollbackPlan",
      ].sort(),
    );
    const backwards = await admin.post("/api/v1/changes", { type: "normal", title: "x", ...window(5, -1) });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe("body.plannedEnd");
    const skip = await move(admin, draft.json().id, "implementing");
    expect(skip.json().errors[0]).toMatchObject({
      field: "body.to",
      message: expect.stringMatching(/allowed: assessment/),
    });
  });

  it("a normal change goes to its CAB; a majority approves it into the schedule", async () => {
    const c = await ready(admin);
    expect((await move(admin, c.id, "assessment")).statusCode).toBe(200);
    // Nobody schedules it by hand: only the CAB's decisions do.
    expect((await move(admin, c.id, "authorization")).json().state).toBe("authorization");
    expect((await move(admin, c.id, "scheduled")).json().errors[0].message).toMatch(/CAB/);
    const status = (await admin.get(`/api/v1/changes/${c.id}/approvals`)).json();
    expect(status.sets).toEqual([
      expect.objectContaining({ name: "Change advisory board", rule: "majority", eligible: 3, status: "waiting" }),
    ]);
    const mine = (await approvers[0]?.client.get("/api/v1/me/approvals"))?.json().items;
    expect(mine.map((x: { id: string }) => x.id)).toContain(c.id);
    const first = await approvers[0]?.client.post(`/api/v1/changes/${c.id}/approvals`, {
      decision: "approve",
      comment: "Tested in the lab",
    });
    expect(first?.statusCode, first?.body).toBe(200);
    expect(
      (await approvers[0]?.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "approve", comment: "again" }))
        ?.statusCode,
    ).toBe(409);
    expect(
      (await approvers[0]?.client.get("/api/v1/me/approvals"))?.json().items.map((x: { id: string }) => x.id),
    ).not.toContain(c.id);
    expect((await admin.get(`/api/v1/changes/${c.id}`)).json().state).toBe("authorization");
    await approvers[1]?.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "approve", comment: "Fine" });
    const scheduled = (await admin.get(`/api/v1/changes/${c.id}`)).json();
    expect(scheduled.state).toBe("scheduled");
    const audit = (await admin.get(`/api/v1/audit?entityType=change_approval`)).json().items;
    expect(audit.some((a: { changes: { planRevision?: [null, number] } }) => a.changes.planRevision?.[1] === 1)).toBe(
      true,
    );

    // Work it through to closed.
    expect((await move(admin, c.id, "implementing")).json()).toMatchObject({
      state: "implementing",
      actualStart: expect.any(String),
    });
    expect((await move(admin, c.id, "review")).json().actualEnd).not.toBeNull();
    // The review comes before closing.
    const unreviewed = await move(admin, c.id, "closed");
    expect(unreviewed.json().errors).toEqual([
      { field: "change.reviewOutcome", message: "record the review's outcome first" },
    ]);
    const review = await admin.put(`/api/v1/changes/${c.id}/review`, { outcome: "successful", notes: "Clean" });
    expect(review.statusCode, review.body).toBe(200);
    expect((await move(admin, c.id, "closed")).json().state).toBe("closed");
    expect((await admin.patch(`/api/v1/changes/${c.id}`, { version: 99, title: "x" })).statusCode).toBe(403);
  });

  it("nobody approves their own change: the refusal is a 403 and is audited", async () => {
    const c = await ready(approvers[1]?.client as Client, { ownerId: approvers[2]?.id });
    await move(admin, c.id, "assessment");
    await move(admin, c.id, "authorization");
    for (const who of [approvers[1], approvers[2]]) {
      const res = await who?.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "approve", comment: "mine" });
      expect(res?.statusCode).toBe(403);
      expect(res?.json().detail).toBe("Nobody approves their own change");
    }
    // The requester and the owner are not counted among the eligible approvers.
    const status = (await admin.get(`/api/v1/changes/${c.id}/approvals`)).json();
    expect(status.sets[0].eligible).toBe(1);
    const refused = (await admin.get(`/api/v1/audit?entityType=change&entityId=${c.id}`))
      .json()
      .items.filter((a: { action: string }) => a.action === "change.approval_refused");
    expect(refused).toHaveLength(2);
    const outsider = await agent("Oscar Outsider");
    const res = await outsider.client.post(`/api/v1/changes/${c.id}/approvals`, {
      decision: "approve",
      comment: "me?",
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe("You are not an approver of this change");
  });

  it("a new window after approval withdraws the approvals and sends the change back to its CAB", async () => {
    const c = await ready(admin);
    await move(admin, c.id, "assessment");
    await move(admin, c.id, "authorization");
    for (const a of approvers.slice(0, 2)) {
      await a.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "approve", comment: "ok" });
    }
    const scheduled = (await admin.get(`/api/v1/changes/${c.id}`)).json();
    expect(scheduled.state).toBe("scheduled");
    // A title is not the plan: nothing lapses.
    const renamed = (
      await admin.patch(`/api/v1/changes/${c.id}`, { version: scheduled.version, title: "Clearer title" })
    ).json();
    expect(renamed).toMatchObject({ state: "scheduled", planRevision: 1 });
    const moved = await admin.patch(`/api/v1/changes/${c.id}`, { version: renamed.version, ...window(1000) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ state: "authorization", planRevision: 2 });
    const status = (await admin.get(`/api/v1/changes/${c.id}/approvals`)).json();
    expect(status.sets[0]).toMatchObject({ approvals: 0, status: "waiting" });
    expect(status.decisions.every((d: { withdrawn: boolean }) => d.withdrawn)).toBe(true);
    // The same approvers decide again on the new plan.
    await approvers[0]?.client.post(`/api/v1/changes/${c.id}/approvals`, {
      decision: "reject",
      comment: "Clashes with the audit",
    });
    await approvers[1]?.client.post(`/api/v1/changes/${c.id}/approvals`, { decision: "reject", comment: "Agree" });
    expect((await admin.get(`/api/v1/changes/${c.id}`)).json().state).toBe("rejected");
  });

  it("emergency changes go to the emergency CAB only; standard changes need none", async () => {
    const e = await ready(admin, { type: "emergency" });
    expect((await move(admin, e.id, "authorization")).statusCode).toBe(200);
    const status = (await admin.get(`/api/v1/changes/${e.id}/approvals`)).json();
    expect(status.sets.map((s: { name: string }) => s.name)).toEqual(["Emergency CAB"]);
    await approvers[0]?.client.post(`/api/v1/changes/${e.id}/approvals`, { decision: "approve", comment: "Go" });
    expect((await admin.get(`/api/v1/changes/${e.id}`)).json().state).toBe("scheduled");
    const s = await ready(admin, { type: "standard" });
    expect((await move(admin, s.id, "scheduled")).json().state).toBe("scheduled");
    expect((await move(admin, s.id, "canceled")).statusCode).toBe(422);
    expect((await move(admin, s.id, "canceled", "Not needed after all")).json().state).toBe("canceled");
  });

  it("lists by state and CI; customers have no access; approver sets are for managers", async () => {
    const listed = (await admin.get(`/api/v1/changes?ciId=${serverCi}&state=closed,rejected`)).json().items;
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(listed.every((c: { state: string }) => ["closed", "rejected"].includes(c.state))).toBe(true);
    const org = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    expect((await customer.get("/api/v1/changes")).statusCode).toBe(403);
    expect(
      (await owner.client.post("/api/v1/change-approver-sets", { name: "x", userIds: [owner.id], rule: "any" }))
        .statusCode,
    ).toBe(403);
    const bad = await admin.post("/api/v1/change-approver-sets", { name: "y", userIds: [owner.id], rule: "at_least" });
    expect(bad.statusCode).toBe(400);
  });

  it("work orders follow their flow, move with the change's window, and an open one keeps the change from closing", async () => {
    const c = await ready(admin, { type: "standard" });
    const wo = async (body: Record<string, unknown>) => {
      const res = await admin.post(`/api/v1/changes/${c.id}/work-orders`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const implement = await wo({ kind: "implementation", title: "Flash the new image", assigneeId: approvers[0]?.id });
    const test = await wo({ kind: "test", title: "Ping every VLAN" });
    expect(implement.plannedStart).toBe(c.plannedStart);
    expect(test.position).toBeGreaterThan(implement.position);
    const list = (await admin.get(`/api/v1/changes/${c.id}/work-orders`)).json().items;
    expect(list.map((w: { title: string }) => w.title)).toEqual(["Flash the new image", "Ping every VLAN"]);
    // Three hours later: the work orders move with the change.
    const later = await admin.patch(`/api/v1/changes/${c.id}`, {
      version: c.version,
      plannedStart: new Date(Date.parse(c.plannedStart) + 3 * HOUR).toISOString(),
      plannedEnd: new Date(Date.parse(c.plannedEnd) + 3 * HOUR).toISOString(),
    });
    expect(later.statusCode, later.body).toBe(200);
    const moved = (await admin.get(`/api/v1/changes/${c.id}/work-orders`)).json().items[0];
    expect(Date.parse(moved.plannedStart) - Date.parse(c.plannedStart)).toBe(3 * HOUR);
    // Work starts only once the change is implementing, and follows created → ready → in_progress → done.
    const early = await admin.patch(`/api/v1/changes/${c.id}/work-orders/${implement.id}`, {
      version: moved.version,
      state: "in_progress",
    });
    expect(early.statusCode).toBe(422);
    await move(admin, c.id, "scheduled");
    await move(admin, c.id, "implementing");
    const skip = await admin.patch(`/api/v1/changes/${c.id}/work-orders/${implement.id}`, {
      version: moved.version,
      state: "done",
    });
    expect(skip.json().errors[0]).toMatchObject({
      field: "body.state",
      message: expect.stringMatching(/allowed: ready/),
    });
    let v = moved.version;
    for (const state of ["ready", "in_progress", "done"]) {
      const res = await admin.patch(`/api/v1/changes/${c.id}/work-orders/${implement.id}`, { version: v, state });
      expect(res.statusCode, res.body).toBe(200);
      v = res.json().version;
    }
    await move(admin, c.id, "review");
    const blocked = await move(admin, c.id, "closed");
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().errors[0].message).toBe("1 work order is still open");
    const t2 = (await admin.get(`/api/v1/changes/${c.id}/work-orders`)).json().items[1];
    await admin.patch(`/api/v1/changes/${c.id}/work-orders/${test.id}`, { version: t2.version, state: "canceled" });
    await admin.put(`/api/v1/changes/${c.id}/review`, { outcome: "partially_successful" });
    expect((await move(admin, c.id, "closed")).json().state).toBe("closed");
    expect(
      (await admin.post(`/api/v1/changes/${c.id}/work-orders`, { kind: "review", title: "late" })).statusCode,
    ).toBe(403);
  });
});
