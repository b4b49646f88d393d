import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, createOrganization, createUser, signIn, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let agent: Client;
let codes: Record<string, string>;
let critical: string;

async function ci(code: string, name: string, extra: Record<string, unknown> = {}) {
  const attributes = code === "business_service" ? { criticality: critical } : {};
  const res = await admin.post("/api/v1/cmdb/cis", { classId: codes[code], name: unique(name), attributes, ...extra });
  if (res.statusCode !== 201) throw new Error(`ci: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; name: string; number: string };
}

async function relate(sourceId: string, type: string, targetId: string) {
  return admin.post("/api/v1/cmdb/relations", { sourceId, targetId, type });
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const a = await createUser(admin, { kind: "agent" });
  agent = await signIn(t, a.email);
  const classes = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  codes = Object.fromEntries(classes.map((c) => [c.code, c.id]));
  critical = (await admin.get("/api/v1/cmdb/catalog/criticality")).json().items[0].id;
});
afterAll(() => t.close());

describe("relations", () => {
  it("are typed and directed; duplicates, self-relations, unknown CIs and part-of cycles are refused", async () => {
    const rack = await ci("location", "Rack 12");
    const room = await ci("location", "Server room");
    const site = await ci("location", "Berlin");
    expect((await relate(rack.id, "part_of", room.id)).statusCode).toBe(201);
    expect((await relate(room.id, "part_of", site.id)).statusCode).toBe(201);
    const dup = await relate(rack.id, "part_of", room.id);
    expect(dup.statusCode).toBe(409);
    const cycle = await relate(site.id, "part_of", rack.id);
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().errors[0]).toMatchObject({
      field: "body.targetId",
      message: "that would make a CI part of itself",
    });
    expect((await relate(rack.id, "part_of", rack.id)).statusCode).toBe(422);
    const missing = await relate(rack.id, "part_of", "00000000-0000-4000-8000-000000000000");
    expect(missing.json().errors[0].field).toBe("body.targetId");
    expect((await relate(rack.id, "hugs", room.id)).json().errors[0].field).toBe("body.type");
    // Both ends list it; the agent can read but not change relations.
    const listed = (await agent.get(`/api/v1/cmdb/cis/${room.id}/relations`)).json().items;
    expect(listed.map((r: { type: string; source: { id: string } }) => `${r.type}:${r.source.id}`).sort()).toEqual(
      [`part_of:${rack.id}`, `part_of:${room.id}`].sort(),
    );
    expect(
      (await agent.post("/api/v1/cmdb/relations", { sourceId: site.id, targetId: rack.id, type: "relevant_to" }))
        .statusCode,
    ).toBe(403);
    const id = listed[0].id;
    expect((await admin.delete(`/api/v1/cmdb/relations/${id}`)).statusCode).toBe(204);
    const audit = (await admin.get(`/api/v1/audit?entityType=ci_relation&entityId=${id}`)).json().items;
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual([
      "ci_relation.created",
      "ci_relation.deleted",
    ]);
  });

  it("administrators add relation types that say which way impact travels", async () => {
    const res = await admin.post("/api/v1/cmdb/relation-types", {
      key: "backs_up",
      label: "backs up",
      reverseLabel: "is backed up by",
      impact: "none",
    });
    expect(res.statusCode).toBe(201);
    const types = (await agent.get("/api/v1/cmdb/relation-types")).json().items;
    expect(types.find((x: { key: string }) => x.key === "depends_on")).toMatchObject({ impact: "reverse" });
    expect(types.find((x: { key: string }) => x.key === "backs_up")).toMatchObject({ impact: "none", builtin: false });
    expect(
      (await agent.post("/api/v1/cmdb/relation-types", { key: "x", label: "x", reverseLabel: "x", impact: "none" }))
        .statusCode,
    ).toBe(403);
  });
});

describe("impact", () => {
  it("downstream: a switch failing hits the server, the application on it and the service, its customers and tickets", async () => {
    const sw = await ci("network_device", "core-sw-1");
    const srv = await ci("server", "app-srv-1");
    const app = await ci("application", "CRM");
    const backup = await ci("application", "Backup agent");
    const org = await createOrganization(admin, unique("Acme"));
    const svc = await ci("business_service", "Sales CRM", { serviceOrganizationIds: [org.id] });
    expect((await relate(srv.id, "depends_on", sw.id)).statusCode).toBe(201);
    expect((await relate(app.id, "runs_on", srv.id)).statusCode).toBe(201);
    expect((await relate(svc.id, "depends_on", app.id)).statusCode).toBe(201);
    expect((await relate(backup.id, "relevant_to", srv.id)).statusCode).toBe(201);
    // A cycle back to the switch must not loop.
    expect((await relate(sw.id, "depends_on", svc.id)).statusCode).toBe(201);
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "CRM is slow", impact: 2, urgency: 2 })
    ).json();
    expect((await admin.call("PUT", `/api/v1/tickets/${inc.id}/cis`, { ciIds: [app.id] })).statusCode).toBe(200);

    const res = await agent.get(`/api/v1/cmdb/cis/${sw.id}/impact`);
    expect(res.statusCode, res.body).toBe(200);
    const impact = res.json();
    const depth = Object.fromEntries(impact.nodes.map((n: { ciId: string; depth: number }) => [n.ciId, n.depth]));
    expect(depth).toEqual({ [sw.id]: 0, [srv.id]: 1, [app.id]: 2, [svc.id]: 3 });
    expect(impact.nodes.find((n: { ciId: string }) => n.ciId === svc.id).path).toEqual([sw.id, srv.id, app.id, svc.id]);
    expect(impact.services.map((s: { id: string }) => s.id)).toEqual([svc.id]);
    expect(impact.organizations).toEqual([{ id: org.id, name: org.name }]);
    // The agent cannot read the admin's ticket (not in its groups): it is not listed for them.
    expect(impact.tickets).toEqual([]);
    const asAdmin = (await admin.get(`/api/v1/cmdb/cis/${sw.id}/impact`)).json();
    expect(asAdmin.tickets.map((x: { id: string }) => x.id)).toEqual([inc.id]);
    const shallow = (await agent.get(`/api/v1/cmdb/cis/${sw.id}/impact?depth=1`)).json();
    expect(shallow.nodes.map((n: { ciId: string }) => n.ciId).sort()).toEqual([sw.id, srv.id].sort());

    // Upstream: what the service needs.
    const up = (await agent.get(`/api/v1/cmdb/cis/${svc.id}/impact?direction=upstream`)).json();
    const upDepth = Object.fromEntries(up.nodes.map((n: { ciId: string; depth: number }) => [n.ciId, n.depth]));
    expect(upDepth).toEqual({ [svc.id]: 0, [app.id]: 1, [srv.id]: 2, [sw.id]: 3 });
    expect((await agent.get(`/api/v1/cmdb/cis/${svc.id}/impact?depth=11`)).statusCode).toBe(400);

    const graph = (await agent.get(`/api/v1/cmdb/cis/${srv.id}/graph?depth=1`)).json();
    expect(graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual([srv.id, sw.id, app.id, backup.id].sort());
    expect(graph.edges).toHaveLength(3);
    expect(graph.edges.find((e: { type: string }) => e.type === "runs_on")).toMatchObject({
      sourceId: app.id,
      targetId: srv.id,
    });
    const wide = (await agent.get(`/api/v1/cmdb/cis/${srv.id}/graph?depth=3`)).json();
    expect(wide.nodes).toHaveLength(5);
    expect(wide.edges).toHaveLength(5);
    const linked = (await agent.get(`/api/v1/tickets/${inc.id}/cis`)).statusCode;
    expect(linked).toBe(404);
    const onTicket = (await admin.get(`/api/v1/tickets/${inc.id}/cis`)).json().items;
    expect(onTicket.map((c: { id: string }) => c.id)).toEqual([app.id]);
  });

  it("simulation honours redundancy: one of two clustered servers failing leaves the service up", async () => {
    const a = await ci("server", "web-a");
    const b = await ci("server", "web-b");
    const svc = await ci("business_service", "Web shop");
    await relate(svc.id, "depends_on", a.id);
    await relate(svc.id, "depends_on", b.id);
    const group = await admin.post("/api/v1/cmdb/redundancy-groups", {
      ciId: svc.id,
      name: "Web cluster",
      memberIds: [a.id, b.id],
      minUp: 1,
    });
    expect(group.statusCode, group.body).toBe(201);
    const one = (await agent.post("/api/v1/cmdb/impact-simulation", { ciIds: [a.id] })).json();
    expect(one.services).toEqual([]);
    const both = (await agent.post("/api/v1/cmdb/impact-simulation", { ciIds: [a.id, b.id] })).json();
    expect(both.services.map((s: { id: string }) => s.id)).toEqual([svc.id]);
    // The single-CI view honours it too, and nothing changed state.
    expect((await agent.get(`/api/v1/cmdb/cis/${a.id}/impact`)).json().services).toEqual([]);
    expect((await agent.get(`/api/v1/cmdb/cis/${svc.id}`)).json().incidentState).toBe("operational");
    const bad = await agent.post("/api/v1/cmdb/impact-simulation", { ciIds: ["00000000-0000-4000-8000-000000000000"] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("body.ciIds.0");
    const tooMany = await admin.post("/api/v1/cmdb/redundancy-groups", {
      ciId: svc.id,
      name: "x",
      memberIds: [a.id, b.id],
      minUp: 3,
    });
    expect(tooMany.json().errors[0].field).toBe("body.minUp");
  });
});
