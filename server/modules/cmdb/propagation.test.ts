import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";
import { inTransaction } from "../../db/database.ts";
import { incidentPropagationConsumer, propagateIncidentStates } from "./propagation.ts";

let t: TestApp;
let admin: Client;
let codes: Record<string, string>;
let critical: string;
let retired: string;

async function ci(code: string, name: string, extra: Record<string, unknown> = {}) {
  const attributes = code === "business_service" ? { criticality: critical } : {};
  const res = await admin.post("/api/v1/cmdb/cis", { classId: codes[code], name: unique(name), attributes, ...extra });
  if (res.statusCode !== 201) throw new Error(`ci: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number };
}

const relate = (sourceId: string, type: string, targetId: string) =>
  admin.post("/api/v1/cmdb/relations", { sourceId, targetId, type });

const propagate = () => inTransaction(t.deps.db, (tx) => propagateIncidentStates(tx));

async function states(...ids: string[]) {
  const out: string[] = [];
  for (const id of ids) out.push((await admin.get(`/api/v1/cmdb/cis/${id}`)).json().incidentState);
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const classes = (await admin.get("/api/v1/cmdb/classes")).json().items as { id: string; code: string }[];
  codes = Object.fromEntries(classes.map((c) => [c.code, c.id]));
  critical = (await admin.get("/api/v1/cmdb/catalog/criticality")).json().items[0].id;
  retired = (await admin.get("/api/v1/cmdb/catalog/deployment_state"))
    .json()
    .items.find((s: { name: string }) => s.name === "Retired").id;
});
afterAll(() => t.close());

describe("incident-state propagation", () => {
  it("a CI in incident by hand puts what depends on it in warning, and its end brings them back", async () => {
    const sw = await ci("network_device", "sw");
    const srv = await ci("server", "srv");
    const svc = await ci("business_service", "svc");
    const old = await ci("server", "old-srv", { deploymentStateId: retired });
    await relate(srv.id, "depends_on", sw.id);
    await relate(svc.id, "depends_on", srv.id);
    await relate(old.id, "depends_on", sw.id);
    const down = await admin.patch(`/api/v1/cmdb/cis/${sw.id}`, { version: sw.version, incidentState: "incident" });
    expect(down.json()).toMatchObject({ incidentState: "incident", incidentManual: true });
    expect((await propagate()).changed).toBe(2);
    // The retired server is not productive: it takes no warning.
    expect(await states(sw.id, srv.id, svc.id, old.id)).toEqual(["incident", "warning", "warning", "operational"]);
    const events = await sql<{
      n: string;
    }>`select count(*) as n from outbox where type = 'ci.incident_state_changed' and entity_id = ${svc.id}`.execute(
      t.deps.db,
    );
    expect(Number(events.rows[0]?.n)).toBe(1);
    expect((await propagate()).changed).toBe(0);
    await admin.patch(`/api/v1/cmdb/cis/${sw.id}`, { version: down.json().version, incidentState: "operational" });
    await propagate();
    expect(await states(sw.id, srv.id, svc.id)).toEqual(["operational", "operational", "operational"]);
    // Versions record what a person set, not the derived warnings.
    const history = (await admin.get(`/api/v1/cmdb/cis/${sw.id}/versions`)).json().items;
    expect(history[0].diff).toEqual({ incidentManual: [true, false] });
    expect((await admin.get(`/api/v1/cmdb/cis/${svc.id}/versions`)).json().items).toHaveLength(1);
  });

  it("an open incident ticket on a productive CI puts it in incident until the ticket is resolved", async () => {
    const db = await ci("database", "orders-db");
    const app = await ci("application", "orders");
    await relate(app.id, "depends_on", db.id);
    const inc = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "Orders DB down", impact: 1, urgency: 1 })
    ).json();
    await admin.call("PUT", `/api/v1/tickets/${inc.id}/cis`, { ciIds: [db.id] });
    await propagate();
    expect(await states(db.id, app.id)).toEqual(["incident", "warning"]);
    expect((await admin.get(`/api/v1/cmdb/cis/${db.id}`)).json().incidentManual).toBe(false);
    await admin.post(`/api/v1/tickets/${inc.id}/transitions`, {
      to: "resolved",
      resolutionCode: "solved",
      resolution: "Failed over",
    });
    await propagate();
    expect(await states(db.id, app.id)).toEqual(["operational", "operational"]);
  });

  it("redundancy keeps a service out of warning while enough members are up", async () => {
    const a = await ci("server", "node-a");
    const b = await ci("server", "node-b");
    const svc = await ci("business_service", "clustered");
    await relate(svc.id, "depends_on", a.id);
    await relate(svc.id, "depends_on", b.id);
    await admin.post("/api/v1/cmdb/redundancy-groups", {
      ciId: svc.id,
      name: "pair",
      memberIds: [a.id, b.id],
      minUp: 1,
    });
    await admin.patch(`/api/v1/cmdb/cis/${a.id}`, { version: a.version, incidentState: "incident" });
    await propagate();
    expect(await states(a.id, b.id, svc.id)).toEqual(["incident", "operational", "operational"]);
    await admin.patch(`/api/v1/cmdb/cis/${b.id}`, { version: b.version, incidentState: "incident" });
    await propagate();
    expect(await states(svc.id)).toEqual(["warning"]);
  });

  it("runs as a consumer of the events that can change a state, and skips the others", async () => {
    const sw = await ci("network_device", "edge");
    const srv = await ci("server", "behind-edge");
    await relate(srv.id, "depends_on", sw.id);
    await t.deps.db.updateTable("cis").set({ incident_manual: true }).where("id", "=", sw.id).execute();
    const consumer = incidentPropagationConsumer(t.deps);
    const event = (type: string, changes: Record<string, [unknown, unknown]>) => ({
      id: "00000000-0000-4000-8000-000000000000",
      type,
      entityType: "ci",
      entityId: sw.id,
      payload: { changes },
      actorId: null,
      requestId: null,
      source: "api",
      createdAt: new Date(),
    });
    await inTransaction(t.deps.db, (tx) => consumer.handle(tx, event("ci.updated", { name: ["a", "b"] })));
    expect(await states(srv.id)).toEqual(["operational"]);
    // A ticket that names no CI cannot move an incident state: its state changes are skipped.
    const plain = (
      await admin.post("/api/v1/tickets", { type: "incident", title: "No CI", impact: 3, urgency: 3 })
    ).json();
    await inTransaction(t.deps.db, (tx) =>
      consumer.handle(tx, {
        ...event("ticket.updated", { state: ["new", "in_progress"] }),
        entityType: "ticket",
        entityId: plain.id,
      }),
    );
    expect(await states(srv.id)).toEqual(["operational"]);
    await inTransaction(t.deps.db, (tx) => consumer.handle(tx, event("ci.updated", { incidentManual: [false, true] })));
    expect(await states(sw.id, srv.id)).toEqual(["incident", "warning"]);
    expect(consumer.events).toContain("ticket.cis_changed");
  });
});
