import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { InventoryError } from "./errors.ts";
import { parseInventoryRequest } from "./parse.ts";
import { parseGlpiJson, parseMessageText, parseXmlMessage, protocolFromAgentName } from "./protocols.ts";
import type { InventoryMessage, NormalizedInventory } from "./types.ts";
import { INVENTORY_CATEGORIES } from "./types.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

const FUSION_UA = "FusionInventory-Agent_v2.6-3";
const OCS_UA = "OCS-NG_unified_unix_agent_v2.10.0";
const GLPI_UA = "GLPI-Agent_v1.12-dev";

function inventoryOf(message: InventoryMessage): NormalizedInventory {
  if (message.kind !== "inventory") throw new Error(`expected an inventory, got ${message.kind}`);
  return message.inventory;
}

function refusal(run: () => unknown): InventoryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryError);
    return error as InventoryError;
  }
  throw new Error("expected a refusal");
}

/** What every full inventory of the test machine must show, whichever agent sent it. */
function expectTestMachine(inventory: NormalizedInventory) {
  expect(inventory.hostname).toBe("vm");
  // no BIOS serial, no system UUID on that machine: nothing made up
  expect(inventory.serial).toBeUndefined();
  expect(inventory.uuid).toBeUndefined();
  expect(inventory.memoryMb).toBe(24105);
  expect(inventory.disks).toEqual(["vda 275 GB"]);
  expect(inventory.os).toMatch(/^Debian GNU\/Linux 12/);
  // eth0 once, with its addresses merged; no loopback interface or address
  const eth0 = inventory.interfaces?.filter((i) => i.name === "eth0") ?? [];
  expect(eth0).toHaveLength(1);
  expect(eth0[0]?.mac).toBe("02:fc:00:00:00:01");
  expect(eth0[0]?.ip).toContain("192.0.2.2");
  for (const iface of inventory.interfaces ?? []) {
    expect(iface.name).not.toBe("lo");
    if (iface.mac) expect(iface.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    for (const ip of iface.ip ?? []) expect(ip).not.toMatch(/^127\.|^::1$/);
  }
  expect(inventory.software?.length).toBeGreaterThan(100);
  const keys = new Set(inventory.software?.map((s) => `${s.name}\u0000${s.version ?? ""}`));
  expect(keys.size).toBe(inventory.software?.length);
  expect(inventory.software?.find((s) => s.name === "adduser")).toMatchObject({ version: "3.134" });
  expect(inventory.present).toEqual([...INVENTORY_CATEGORIES]);
}

describe("FusionInventory agent (captured requests)", () => {
  it("PROLOG", () => {
    expect(parseXmlMessage(fixture("fusion/prolog.xml"), { userAgent: FUSION_UA })).toEqual({
      kind: "prolog",
      protocol: "fusion",
      deviceId: "vm-2026-11-23-15-03-48",
    });
  });

  it("INVENTORY", () => {
    const message = parseXmlMessage(fixture("fusion/inventory.xml"), { userAgent: FUSION_UA });
    expect(message).toMatchObject({ kind: "inventory", protocol: "fusion", partial: false });
    const inventory = inventoryOf(message);
    expectTestMachine(inventory);
    expect(inventory.os).toBe("Debian GNU/Linux 12 (bookworm)");
    expect(inventory.osVersion).toBe("12.11"); // OPERATINGSYSTEM/VERSION, not the kernel in HARDWARE/OSVERSION
    expect(inventory.cpus).toEqual(["Intel(R) Xeon(R) Processor (2 cores)"]);
    expect(inventory.interfaces).toEqual([
      { name: "ifb0", mac: "ee:bc:d0:7c:58:7b" },
      { name: "ifb1", mac: "62:26:30:5b:f5:94" },
      { name: "eth0", mac: "02:fc:00:00:00:01", ip: ["192.0.2.2", "fd00::2", "fe80::fc:ff:fe00:1"] },
    ]);
    expect(inventory.software?.find((s) => s.name === "adduser")).toEqual({
      name: "adduser",
      version: "3.134",
      publisher: "Debian",
    });
  });

  it("is recognised by VERSIONCLIENT when the User-Agent says nothing", () => {
    expect(parseXmlMessage(fixture("fusion/inventory.xml")).protocol).toBe("fusion");
  });
});

describe("OCS Inventory agent (captured requests)", () => {
  it("PROLOG", () => {
    expect(parseXmlMessage(fixture("ocs/prolog.xml"), { userAgent: OCS_UA })).toEqual({
      kind: "prolog",
      protocol: "ocs",
      deviceId: "vm-2026-11-23-15-03-46",
    });
  });

  it("INVENTORY", () => {
    const message = parseXmlMessage(fixture("ocs/inventory.xml"), { userAgent: OCS_UA });
    expect(message).toMatchObject({ kind: "inventory", protocol: "ocs", partial: false });
    const inventory = inventoryOf(message);
    expectTestMachine(inventory);
    expect(inventory.os).toBe("Debian GNU/Linux 12");
    expect(inventory.osVersion).toBe("12");
    expect(inventory.cpus).toEqual(["Intel(R) Xeon(R) Processor (2 cores)"]); // CPUS/TYPE, CORES
    expect(inventory.interfaces?.find((i) => i.name === "eth0")?.ip).toEqual(["192.0.2.2", "fe80::fc:ff:fe00:1"]);
  });

  it("is taken for OCS when nothing names the agent (the protocol's lingua franca)", () => {
    expect(parseXmlMessage(fixture("ocs/inventory.xml")).protocol).toBe("ocs");
  });
});

describe("GLPI agent (captured requests)", () => {
  it("01: the first contact is the legacy XML PROLOG", () => {
    expect(parseMessageText(fixture("glpi-agent/01-run1-prolog-request.xml"), { userAgent: GLPI_UA })).toEqual({
      kind: "prolog",
      protocol: "glpi",
      deviceId: "vm-2026-11-23-08-40-36",
    });
  });

  it("03: a full JSON inventory", () => {
    const message = parseMessageText(fixture("glpi-agent/03-run1-inventory-full-request.json"), { userAgent: GLPI_UA });
    expect(message).toMatchObject({ kind: "inventory", protocol: "glpi", partial: false });
    const inventory = inventoryOf(message);
    expectTestMachine(inventory);
    expect(inventory.os).toBe("Debian GNU/Linux 12 (bookworm)");
    expect(inventory.osVersion).toBe("12.11");
    expect(inventory.cpus).toEqual(["AMD EPYC (2 cores)"]);
    expect(inventory.interfaces).toEqual([
      { name: "ifb0", mac: "5e:89:f0:6d:6a:cb" },
      { name: "ifb1", mac: "02:cc:63:a2:c4:80" },
      { name: "eth0", mac: "02:fc:00:00:00:01", ip: ["192.0.2.2", "fd00::2", "fe80::fc:ff:fe00:1"] },
    ]);
    expect(inventory.software).toHaveLength(1007);
  });

  it("04: CONTACT with its enabled tasks", () => {
    expect(parseMessageText(fixture("glpi-agent/04-run2-contact-request.json"))).toEqual({
      kind: "contact",
      protocol: "glpi",
      deviceId: "vm-2026-11-23-08-40-36",
      tasks: ["collect", "deploy", "esx", "inventory", "netdiscovery", "netinventory", "remoteinventory", "wakeonlan"],
    });
  });

  it("05: a partial inventory carries only some categories", () => {
    const message = parseMessageText(fixture("glpi-agent/05-run2-inventory-partial-request.json"));
    expect(message).toMatchObject({ kind: "inventory", protocol: "glpi", partial: true });
    expect(inventoryOf(message)).toEqual({
      hostname: "vm",
      memoryMb: 24105,
      present: ["hostname", "serial", "uuid", "manufacturer", "model", "memoryMb"],
    });
  });
});

describe("parseInventoryRequest (bytes and headers in)", () => {
  it("decodes zlib and tells the agents apart by User-Agent", async () => {
    const prolog = zlib.deflateSync(fixture("glpi-agent/01-run1-prolog-request.xml"));
    for (const [userAgent, protocol] of [
      [GLPI_UA, "glpi"],
      [FUSION_UA, "fusion"],
      [OCS_UA, "ocs"],
      [undefined, "ocs"],
    ] as const) {
      const parsed = await parseInventoryRequest({
        body: prolog,
        contentType: "application/x-compress-zlib",
        userAgent,
      });
      expect(parsed).toEqual({
        encoding: "zlib",
        message: { kind: "prolog", protocol, deviceId: "vm-2026-11-23-08-40-36" },
      });
    }
  });

  it("takes a plain JSON body", async () => {
    const parsed = await parseInventoryRequest({
      body: Buffer.from(fixture("glpi-agent/04-run2-contact-request.json")),
      contentType: "application/json",
    });
    expect(parsed.encoding).toBe("none");
    expect(parsed.message.kind).toBe("contact");
  });

  it("passes limits down to the XML parser", async () => {
    await expect(
      parseInventoryRequest({
        body: zlib.deflateSync(fixture("fusion/inventory.xml")),
        contentType: "application/x-compress-zlib",
        limits: { maxChars: 1000 },
      }),
    ).rejects.toMatchObject({ status: 413 });
  });
});

describe("refusals", () => {
  it.each([
    ["not JSON", "{not json"],
    ["JSON but not an object", "[1,2,3]"],
    ["a JSON string", '"inventory"'],
    ["no action", '{"deviceid":"x"}'],
    ["an unknown action", '{"action":"register","deviceid":"x"}'],
    ["no device id", '{"action":"contact"}'],
    ["an empty device id", '{"action":"contact","deviceid":"  "}'],
    ["an object as device id", '{"action":"contact","deviceid":{"a":1}}'],
    ["an inventory without content", '{"action":"inventory","deviceid":"x"}'],
    ["an inventory with content not an object", '{"action":"inventory","deviceid":"x","content":[1]}'],
    ["another itemtype", '{"action":"inventory","deviceid":"x","itemtype":"NetworkEquipment","content":{}}'],
    ["a device id too long", `{"action":"contact","deviceid":"${"x".repeat(300)}"}`],
    ["deep nesting", `{"action":"inventory","deviceid":"x","content":${"[".repeat(100_000)}${"]".repeat(100_000)}}`],
  ])("GLPI JSON garbage: %s → 400", (_name, json) => {
    expect(refusal(() => parseGlpiJson(json)).status).toBe(400);
    expect(refusal(() => parseMessageText(json)).status).toBe(400);
  });

  it.each([
    ["neither XML nor JSON", "hello"],
    ["no REQUEST root", "<REPLY><RESPONSE>SEND</RESPONSE></REPLY>"],
    ["no QUERY", "<REQUEST><DEVICEID>x</DEVICEID></REQUEST>"],
    ["an unknown QUERY", "<REQUEST><DEVICEID>x</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>"],
    ["no DEVICEID", "<REQUEST><QUERY>PROLOG</QUERY></REQUEST>"],
    ["INVENTORY without CONTENT", "<REQUEST><DEVICEID>x</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"],
  ])("XML: %s → 400", (_name, body) => {
    expect(refusal(() => parseMessageText(body)).status).toBe(400);
  });

  it("a JSON inventory with malformed sections is read, the bad parts skipped", () => {
    const message = parseGlpiJson(
      JSON.stringify({
        action: "inventory",
        deviceid: "x",
        content: {
          hardware: "oops",
          networks: [1, null, "x", { description: "eth1", mac: "AA-BB-CC-DD-EE-FF" }],
          softwares: { name: "single" },
          cpus: [{ name: { nested: true } }],
        },
      }),
    );
    expect(inventoryOf(message)).toMatchObject({
      interfaces: [{ name: "eth1", mac: "aa:bb:cc:dd:ee:ff" }],
      software: [{ name: "single" }],
      cpus: [],
    });
  });
});

describe("protocolFromAgentName", () => {
  it.each([
    ["FusionInventory-Agent_v2.6-3", "fusion"],
    ["OCS-NG_unified_unix_agent_v2.10.0", "ocs"],
    ["OCS-NG_WINDOWS_AGENT_v2.9.0.0", "ocs"],
    ["GLPI-Agent_v1.12-dev", "glpi"],
    ["curl/8.0", undefined],
    [undefined, undefined],
  ] as const)("%s → %s", (name, protocol) => {
    expect(protocolFromAgentName(name)).toBe(protocol);
  });
});
