import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, type Client, unique } from "../../../test/helpers/api.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/test-app.ts";

let t: TestApp;
let admin: Client;
let key: string;

const fixture = (...p: string[]) => fs.readFileSync(path.join(import.meta.dirname, "inventory/fixtures", ...p));
const basic = (password: string, user = "agent") => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function send(
  payload: Buffer,
  opts: { type?: string; agent?: string; auth?: string | null; compress?: boolean } = {},
) {
  const body = opts.compress === false ? payload : zlib.deflateSync(payload);
  return t.request({
    method: "POST",
    url: "/api/v1/inventory",
    headers: {
      "content-type": opts.type ?? "application/x-compress-zlib",
      "user-agent": opts.agent ?? "GLPI-Agent_v1.12-dev",
      ...(opts.auth === null ? {} : { authorization: opts.auth ?? basic(key) }),
    },
    payload: body,
  });
}

async function lastLog() {
  return (await admin.get("/api/v1/cmdb/discovery-log?limit=1")).json().items[0];
}

async function computers(q: string) {
  const cls = (await admin.get("/api/v1/cmdb/classes"))
    .json()
    .items.find((c: { code: string }) => c.code === "computer");
  return (await admin.get(`/api/v1/cmdb/cis?classId=${cls.id}&q=${encodeURIComponent(q)}`)).json().items;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await adminClient(t);
});
afterAll(() => t.close());

describe("inventory endpoint", () => {
  it("is closed until a key exists, then asks for it with a Basic challenge", async () => {
    expect((await send(fixture("glpi-agent", "01-run1-prolog-request.xml"), { auth: null })).statusCode).toBe(404);
    const created = await admin.post("/api/v1/cmdb/inventory-keys", { name: "Office agents" });
    expect(created.statusCode).toBe(201);
    key = created.json().key;
    expect(key).toMatch(/^inv_[0-9a-f]{40}$/);
    expect((await admin.get("/api/v1/cmdb/inventory-keys")).json().items[0]).not.toHaveProperty("key");
    const anonymous = await send(fixture("glpi-agent", "01-run1-prolog-request.xml"), { auth: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe('Basic realm="Steward inventory"');
    expect(
      (await send(fixture("glpi-agent", "01-run1-prolog-request.xml"), { auth: basic("inv_wrong") })).statusCode,
    ).toBe(401);
  });

  it("a GLPI agent: PROLOG, full inventory, then CONTACT and a partial inventory update the same CI", async () => {
    const prolog = await send(fixture("glpi-agent", "01-run1-prolog-request.xml"));
    expect(prolog.statusCode, prolog.body).toBe(200);
    expect(prolog.headers["content-type"]).toBe("application/x-compress-zlib");
    expect(JSON.parse(zlib.inflateSync(prolog.rawPayload).toString())).toMatchObject({ status: "ok" });
    const full = await send(fixture("glpi-agent", "03-run1-inventory-full-request.json"));
    expect(full.statusCode, full.body).toBe(200);
    const first = await lastLog();
    expect(first).toMatchObject({ outcome: "created", protocol: "glpi" });
    const ci = (await admin.get(`/api/v1/cmdb/cis/${first.ciId}`)).json();
    expect(ci.className).toBe("Computer");
    expect(ci.attributes.macAddresses.length).toBeGreaterThan(0);
    expect(ci.attributes.memoryMb).toBeGreaterThan(0);
    const relations = (await admin.get(`/api/v1/cmdb/cis/${ci.id}/relations`)).json().items;
    const installed = relations.filter((r: { type: string }) => r.type === "installed_on");
    expect(installed.length).toBeGreaterThan(10);
    const package1 = installed[0].source.id;
    const pkg = (await admin.get(`/api/v1/cmdb/cis/${package1}`)).json();
    expect(pkg.className).toBe("Software");
    const pkgVersions = (await admin.get(`/api/v1/cmdb/cis/${package1}/versions`)).json().items;
    expect(pkgVersions).toMatchObject([{ version: 1, source: "discovery" }]);
    const audit = (await admin.get(`/api/v1/audit?entityType=ci&entityId=${package1}`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(["ci.created"]);
    const versions = (await admin.get(`/api/v1/cmdb/cis/${ci.id}/versions`)).json().items;
    expect(versions[0].source).toBe("discovery");

    expect((await send(fixture("glpi-agent", "04-run2-contact-request.json"))).statusCode).toBe(200);
    const partial = await send(fixture("glpi-agent", "05-run2-inventory-partial-request.json"));
    expect(partial.statusCode, partial.body).toBe(200);
    const second = await lastLog();
    expect(second.ciId).toBe(ci.id);
    expect(second.detail).toMatch(/partial inventory/);
    // The partial inventory merged: what it did not carry is still there.
    const after = (await admin.get(`/api/v1/cmdb/cis/${ci.id}`)).json();
    expect(after.attributes.macAddresses).toEqual(ci.attributes.macAddresses);
    expect(after.attributes.memoryMb).toBe(ci.attributes.memoryMb);
    expect(await computers(ci.name)).toHaveLength(1);
  });

  it("FusionInventory and OCS inventories land as CIs; a re-run updates instead of duplicating and keeps locks", async () => {
    for (const [dir, agent] of [
      ["fusion", "FusionInventory-Agent_v2.6"],
      ["ocs", "OCS-NG_unified_unix_agent_v2.10.0"],
    ] as const) {
      const prolog = await send(fixture(dir, "prolog.xml"), { agent, type: "application/x-compress" });
      expect(prolog.statusCode, prolog.body).toBe(200);
      expect(zlib.inflateSync(prolog.rawPayload).toString()).toContain("SEND");
      const inventory = await send(fixture(dir, "inventory.xml"), { agent, type: "application/x-compress" });
      expect(inventory.statusCode, inventory.body).toBe(200);
      const log = await lastLog();
      expect(log.outcome, log.detail).toMatch(/created|updated/);
      const ci = (await admin.get(`/api/v1/cmdb/cis/${log.ciId}`)).json();
      // A person corrects the OS name and locks it; the next run must not undo it.
      const locked = await admin.patch(`/api/v1/cmdb/cis/${ci.id}`, {
        version: ci.version,
        attributes: { os: `Corrected ${dir}` },
        locks: ["os"],
      });
      expect(locked.statusCode, locked.body).toBe(200);
      await send(fixture(dir, "inventory.xml"), { agent, type: "application/x-compress" });
      const again = await lastLog();
      expect(again.ciId).toBe(ci.id);
      expect(again.outcome).toBe("unchanged");
      expect((await admin.get(`/api/v1/cmdb/cis/${ci.id}`)).json().attributes.os).toBe(`Corrected ${dir}`);
    }
  });

  it("two CIs claiming the same serial number are a conflict for an administrator, not a merge", async () => {
    const cls = (await admin.get("/api/v1/cmdb/classes"))
      .json()
      .items.find((c: { code: string }) => c.code === "computer");
    for (const name of ["twin-a", "twin-b"]) {
      await admin.post("/api/v1/cmdb/cis", {
        classId: cls.id,
        name: unique(name),
        attributes: { serial: "SER-TWIN", manufacturer: "Dell Inc." },
      });
    }
    const xml = `<?xml version="1.0" encoding="UTF-8"?><REQUEST><DEVICEID>twin-2026-01-01-00-00-00</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT>
      <BIOS><SSN>SER-TWIN</SSN><SMANUFACTURER>Dell Inc.</SMANUFACTURER><SMODEL>OptiPlex</SMODEL></BIOS>
      <HARDWARE><NAME>twin</NAME><MEMORY>8192</MEMORY></HARDWARE></CONTENT></REQUEST>`;
    const res = await send(Buffer.from(xml), {
      agent: "FusionInventory-Agent_v2.6",
      type: "application/x-compress-zlib",
    });
    expect(res.statusCode, res.body).toBe(200);
    const log = await lastLog();
    expect(log).toMatchObject({ outcome: "conflict", ciId: null });
    expect(log.candidateIds).toHaveLength(2);
    expect(log.candidates.map((c: { name: string }) => c.name.replace(/-[0-9a-f]+$/, "")).sort()).toEqual([
      "twin-a",
      "twin-b",
    ]);
    expect(log.detail).toMatch(/serial number/);
    expect(await computers("twin")).toHaveLength(2);
    const conflicts = (await admin.get("/api/v1/cmdb/discovery-log?outcome=conflict")).json().items;
    expect(conflicts).toHaveLength(1);
  });

  it("refuses bombs and garbage with a 4xx, and writes nothing", async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(100 * 1024 * 1024));
    const big = await send(bomb, { compress: false });
    expect(big.statusCode).toBe(413);
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><REQUEST><DEVICEID>&lol2;</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>`;
    expect((await send(Buffer.from(laughs), { agent: "FusionInventory-Agent_v2.6" })).statusCode).toBe(400);
    expect((await send(Buffer.from("not zlib at all"), { compress: false })).statusCode).toBe(400);
    expect((await send(Buffer.from("{}"), { type: "application/json", compress: false })).statusCode).toBe(400);
    expect((await send(Buffer.from("x"), { type: "image/png", compress: false })).statusCode).toBe(415);
    // Authenticated but unreadable: logged as rejected with the reason, nothing else written.
    const rejected = (await admin.get("/api/v1/cmdb/discovery-log?outcome=rejected")).json().items;
    expect(rejected.map((r: { detail: string }) => r.detail.slice(0, 3)).sort()).toEqual(["400", "400", "400", "413"]);
    // Readable, but a value the Computer class refuses: a 422 for the agent, and a rejected run in the log.
    const long = `<?xml version="1.0" encoding="UTF-8"?><REQUEST><DEVICEID>long-2027-01-01-00-00-00</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT>
      <HARDWARE><NAME>host</NAME><OSNAME>${"x".repeat(1500)}</OSNAME></HARDWARE></CONTENT></REQUEST>`;
    const refused = await send(Buffer.from(long), { agent: "FusionInventory-Agent_v2.6" });
    expect(refused.statusCode).toBe(422);
    const last = await lastLog();
    expect(last).toMatchObject({ outcome: "rejected", deviceId: "long-2027-01-01-00-00-00" });
    expect(last.detail).toMatch(/attributes\.os/);
    expect(rejected.every((r: { ciId: string | null }) => r.ciId === null)).toBe(true);
    expect(await computers("(unreadable)")).toEqual([]);
  });

  it("a revoked key is refused", async () => {
    const k = (await admin.post("/api/v1/cmdb/inventory-keys", { name: unique("temp") })).json();
    expect((await send(fixture("glpi-agent", "04-run2-contact-request.json"), { auth: basic(k.key) })).statusCode).toBe(
      200,
    );
    expect((await admin.delete(`/api/v1/cmdb/inventory-keys/${k.id}`)).statusCode).toBe(204);
    expect((await send(fixture("glpi-agent", "04-run2-contact-request.json"), { auth: basic(k.key) })).statusCode).toBe(
      401,
    );
  });
});
