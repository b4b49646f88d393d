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

let t: TestApp;
let admin: Client;
let agent: Client;
let agentId: string;
let classes: Record<string, { id: string; version: number; attributes: { key: string }[] }>;

async function classesByCode(client: Client) {
  const items = (await client.get("/api/v1/cmdb/classes")).json().items as {
    id: string;
    code: string | null;
    version: number;
    attributes: { key: string }[];
  }[];
  return Object.fromEntries(items.filter((c) => c.code).map((c) => [c.code as string, c]));
}

async function ci(client: Client, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/cmdb/cis", { name: unique("ci"), ...body });
  if (res.statusCode !== 201) throw new Error(`ci: ${res.statusCode} ${res.body}`);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
  const a = await createUser(admin, { kind: "agent" });
  agentId = a.id;
  agent = await signIn(t, a.email);
  classes = await classesByCode(admin);
});
afterAll(() => t.close());

describe("general catalog", () => {
  it("is seeded with grouped deployment and incident states; administrators extend it", async () => {
    const states = (await agent.get("/api/v1/cmdb/catalog/deployment_state")).json().items;
    expect(states.map((s: { name: string }) => s.name)).toEqual([
      "Planned",
      "Test",
      "Pilot",
      "Production",
      "Maintenance",
      "Repair",
      "Retired",
      "Inactive",
    ]);
    expect(states.find((s: { name: string }) => s.name === "Retired").properties.group).toBe("postproductive");
    const added = await admin.post("/api/v1/cmdb/catalog/manufacturer", { name: "Juniper" });
    expect(added.statusCode).toBe(201);
    expect((await admin.post("/api/v1/cmdb/catalog/manufacturer", { name: "juniper" })).statusCode).toBe(409);
    expect((await agent.post("/api/v1/cmdb/catalog/manufacturer", { name: "Arista" })).statusCode).toBe(403);
    const ungrouped = await admin.post("/api/v1/cmdb/catalog/deployment_state", { name: "Staging" });
    expect(ungrouped.statusCode).toBe(422);
    expect(ungrouped.json().errors[0].field).toBe("body.properties.group");
    const renamed = await admin.patch(`/api/v1/cmdb/catalog/manufacturer/${added.json().id}`, {
      version: 1,
      name: "Juniper Networks",
    });
    expect(renamed.json()).toMatchObject({ name: "Juniper Networks", version: 2 });
    expect((await admin.get("/api/v1/cmdb/catalog/Bad-Name")).statusCode).toBe(404);
    const lists = (await agent.get("/api/v1/cmdb/catalog")).json().items;
    expect(lists.find((l: { list: string }) => l.list === "deployment_state")).toEqual({
      list: "deployment_state",
      count: 8,
      active: 8,
    });
    expect(lists.map((l: { list: string }) => l.list)).toContain("manufacturer");
  });
});

describe("classes", () => {
  it("are seeded; a new class validates its attribute definitions", async () => {
    expect(Object.keys(classes).sort()).toEqual(
      [
        "application",
        "business_service",
        "computer",
        "database",
        "location",
        "network_device",
        "server",
        "software",
        "virtual_machine",
      ].sort(),
    );
    const bad = await admin.post("/api/v1/cmdb/classes", {
      name: unique("Printer"),
      attributes: [{ key: "vendor", label: "Vendor", type: "catalog" }],
    });
    expect(bad.statusCode).toBe(400);
    const unknownList = await admin.post("/api/v1/cmdb/classes", {
      name: unique("Printer"),
      attributes: [{ key: "vendor", label: "Vendor", type: "catalog", catalog: "no_such_list" }],
    });
    expect(unknownList.statusCode).toBe(422);
    expect(unknownList.json().errors[0].field).toBe("body.attributes.0.catalog");
    expect((await agent.post("/api/v1/cmdb/classes", { name: unique("Printer") })).statusCode).toBe(403);
  });

  it("a changed definition is a new class version; CIs keep theirs until edited", async () => {
    const cls = (
      await admin.post("/api/v1/cmdb/classes", {
        name: unique("Printer"),
        attributes: [{ key: "pages", label: "Pages printed", type: "number" }],
      })
    ).json();
    const printer = await ci(admin, { classId: cls.id, attributes: { pages: 10 } });
    expect(printer.classVersion).toBe(1);
    const v2 = await admin.patch(`/api/v1/cmdb/classes/${cls.id}`, {
      version: 1,
      attributes: [
        { key: "pages", label: "Pages printed", type: "number" },
        { key: "toner", label: "Toner", type: "text", required: true },
      ],
    });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json().version).toBe(2);
    // The stored CI still reads under version 1 of the definition.
    expect((await admin.get(`/api/v1/cmdb/cis/${printer.id}`)).json()).toMatchObject({ classVersion: 1 });
    const old = (await admin.get(`/api/v1/cmdb/classes/${cls.id}/versions/1`)).json();
    expect(old.attributes.map((a: { key: string }) => a.key)).toEqual(["pages"]);
    // Its next edit moves it to version 2, whose rules apply then.
    const missing = await admin.patch(`/api/v1/cmdb/cis/${printer.id}`, { version: 1, name: "Floor 2" });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe("body.attributes.toner");
    const edited = await admin.patch(`/api/v1/cmdb/cis/${printer.id}`, { version: 1, attributes: { toner: "Black" } });
    expect(edited.json()).toMatchObject({ classVersion: 2, attributes: { pages: 10, toner: "Black" } });
    const retype = await admin.patch(`/api/v1/cmdb/classes/${cls.id}`, {
      version: 2,
      attributes: [{ key: "pages", label: "Pages", type: "text" }],
    });
    expect(retype.statusCode).toBe(422);
    expect(retype.json().errors[0].field).toBe("body.attributes.0.type");
  });

  it("a class limited to groups is invisible to other agents, in lists and single reads", async () => {
    const team = (await admin.post("/api/v1/groups", { name: unique("Secops") })).json();
    const cls = (await admin.post("/api/v1/cmdb/classes", { name: unique("HSM"), groupIds: [team.id] })).json();
    const secret = await ci(admin, { classId: cls.id, name: unique("hsm-01") });
    expect((await agent.get(`/api/v1/cmdb/classes/${cls.id}`)).statusCode).toBe(404);
    expect((await agent.get(`/api/v1/cmdb/cis/${secret.id}`)).statusCode).toBe(404);
    const listed = (await agent.get(`/api/v1/cmdb/cis?q=${secret.name}`)).json().items;
    expect(listed).toEqual([]);
    const classList = (await agent.get("/api/v1/cmdb/classes?limit=200")).json().items;
    expect(classList.map((c: { id: string }) => c.id)).not.toContain(cls.id);
    // A member of the group sees it.
    const member = await createUser(admin, { kind: "agent" });
    await admin.patch(`/api/v1/groups/${team.id}`, { version: team.version, memberIds: [member.id] });
    const insider = await signIn(t, member.email);
    expect((await insider.get(`/api/v1/cmdb/cis/${secret.id}`)).statusCode).toBe(200);
    expect((await insider.get(`/api/v1/cmdb/cis?q=${secret.name}`)).json().items).toHaveLength(1);
  });
});

describe("configuration items", () => {
  it("validates attributes against the class, naming each wrong field", async () => {
    const res = await admin.post("/api/v1/cmdb/cis", {
      classId: classes.server?.id,
      name: "db-01",
      attributes: { memoryMb: "lots", warrantyEnd: "next year", colour: "red", manufacturer: agentId },
    });
    expect(res.statusCode).toBe(422);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(["body.attributes.colour", "body.attributes.memoryMb", "body.attributes.warrantyEnd"]);
    const badRef = await admin.post("/api/v1/cmdb/cis", {
      classId: classes.server?.id,
      name: "db-01",
      attributes: { manufacturer: agentId },
    });
    expect(badRef.statusCode).toBe(422);
    expect(badRef.json().errors[0].field).toBe("body.attributes.manufacturer");
    const service = await admin.post("/api/v1/cmdb/cis", { classId: classes.business_service?.id, name: "Mail" });
    expect(service.json().errors[0]).toMatchObject({ field: "body.attributes.criticality", message: "required" });
    expect((await admin.post("/api/v1/cmdb/cis", { classId: agentId, name: "x" })).statusCode).toBe(422);
    // Nothing half-written.
    expect((await admin.get("/api/v1/cmdb/cis?q=db-01")).json().items).toEqual([]);
  });

  it("every edit is a version with its diff, actor and source; a stale edit is refused", async () => {
    const dell = (await admin.get("/api/v1/cmdb/catalog/manufacturer")).json().items[0];
    const server = await ci(admin, {
      classId: classes.server?.id,
      name: unique("srv"),
      attributes: { hostname: "srv-a.example.net", manufacturer: dell.id, ipAddresses: ["10.0.0.5", "10.0.0.5"] },
    });
    expect(server.number).toMatch(/^CI-\d{6}$/);
    expect(server.attributes.ipAddresses).toEqual(["10.0.0.5"]);
    expect(server.deploymentState.name).toBe("Production");
    const v2 = await admin.patch(`/api/v1/cmdb/cis/${server.id}`, {
      version: 1,
      attributes: { memoryMb: 65536, hostname: null },
    });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json().attributes).toEqual({ manufacturer: dell.id, ipAddresses: ["10.0.0.5"], memoryMb: 65536 });
    expect((await admin.patch(`/api/v1/cmdb/cis/${server.id}`, { version: 1, name: "late" })).statusCode).toBe(409);
    const same = await admin.patch(`/api/v1/cmdb/cis/${server.id}`, { version: 2, attributes: { memoryMb: 65536 } });
    expect(same.json().version).toBe(2);
    const versions = (await admin.get(`/api/v1/cmdb/cis/${server.id}/versions`)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0].diff).toEqual({
      attributes: [
        { hostname: "srv-a.example.net", manufacturer: dell.id, ipAddresses: ["10.0.0.5"] },
        { manufacturer: dell.id, ipAddresses: ["10.0.0.5"], memoryMb: 65536 },
      ],
    });
    expect(versions[0]).toMatchObject({
      source: "web",
      actorId: expect.any(String),
      actorName: "Test Admin",
      classVersion: 1,
    });
    expect(versions[1].snapshot.name).toBe(server.name);
  });

  it("finds CIs by number, name and searchable attributes, and by attribute value", async () => {
    const pc = await ci(admin, {
      classId: classes.computer?.id,
      name: unique("laptop"),
      attributes: { serial: "ZX-99-QQ", macAddresses: ["aa:bb:cc:00:11:22"] },
    });
    const ids = async (q: string) =>
      (await agent.get(`/api/v1/cmdb/cis?${q}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids("q=zx-99")).toEqual([pc.id]);
    const other = await ci(admin, { classId: classes.computer?.id });
    expect((await ids(`ids=${pc.id},${other.id}`)).sort()).toEqual([pc.id, other.id].sort());
    expect((await agent.get("/api/v1/cmdb/cis?ids=nope")).statusCode).toBe(400);
    expect(await ids(`q=${pc.number}`)).toEqual([pc.id]);
    expect(await ids(`q=${pc.number.replace("CI-0", "CI")}`)).toEqual([pc.id]);
    expect(await ids("attribute=macAddresses=aa:bb:cc:00:11:22")).toEqual([pc.id]);
    expect(await ids(`attribute=serial=ZX-99-QQ&classId=${classes.computer?.id}`)).toEqual([pc.id]);
    expect(await ids(`attribute=serial=ZX-99-QQ&classId=${classes.server?.id}`)).toEqual([]);
    expect((await agent.get("/api/v1/cmdb/cis?attribute=bad")).statusCode).toBe(400);
    // Text that looks like a number is found as text too.
    const sw = await ci(admin, { classId: classes.network_device?.id, attributes: { firmware: "17", ports: 17 } });
    expect(await ids(`attribute=firmware=17&classId=${classes.network_device?.id}`)).toEqual([sw.id]);
    expect(await ids(`attribute=ports=17&classId=${classes.network_device?.id}`)).toEqual([sw.id]);
  });

  it("a unique attribute refuses a second CI with the same value", async () => {
    const cls = (
      await admin.post("/api/v1/cmdb/classes", {
        name: unique("Badge reader"),
        attributes: [{ key: "assetTag", label: "Asset tag", type: "text", unique: true }],
      })
    ).json();
    await ci(admin, { classId: cls.id, attributes: { assetTag: "A-1" } });
    const dup = await admin.post("/api/v1/cmdb/cis", { classId: cls.id, name: "b", attributes: { assetTag: "A-1" } });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().errors[0].field).toBe("body.attributes.assetTag");
  });

  it("agents read; editing takes the Configuration manager role; customers see nothing", async () => {
    const pc = await ci(admin, { classId: classes.computer?.id });
    expect((await agent.get(`/api/v1/cmdb/cis/${pc.id}`)).json().abilities.update).toBe(false);
    expect((await agent.patch(`/api/v1/cmdb/cis/${pc.id}`, { version: 1, name: "x" })).statusCode).toBe(403);
    const roles = (await admin.get("/api/v1/roles")).json().items as { id: string; name: string }[];
    const manager = roles.find((r) => r.name === "Configuration manager");
    expect(manager).toBeDefined();
    const m = await createUser(admin, { kind: "agent", roleIds: [manager?.id as string] });
    const cm = await signIn(t, m.email);
    expect((await cm.patch(`/api/v1/cmdb/cis/${pc.id}`, { version: 1, name: unique("renamed") })).statusCode).toBe(200);
    const org = await createOrganization(admin);
    const customer = await userClient(admin, t, { kind: "customer", organizationId: org.id });
    expect((await customer.get(`/api/v1/cmdb/cis/${pc.id}`)).statusCode).toBe(403);
    expect((await customer.get("/api/v1/cmdb/cis")).statusCode).toBe(403);
  });

  it("a location must be a Location CI", async () => {
    const site = await ci(admin, { classId: classes.location?.id, name: unique("Berlin HQ") });
    const pc = await ci(admin, { classId: classes.computer?.id, locationId: site.id });
    expect(pc.locationId).toBe(site.id);
    const wrong = await admin.post("/api/v1/cmdb/cis", { classId: classes.computer?.id, name: "x", locationId: pc.id });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].field).toBe("body.locationId");
  });
});
