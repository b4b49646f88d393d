import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mergeInventory } from "./merge.ts";
import { parseGlpiJson } from "./protocols.ts";
import type { NormalizedInventory } from "./types.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "glpi-agent");

function inventory(file: string): NormalizedInventory {
  const message = parseGlpiJson(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
  if (message.kind !== "inventory") throw new Error("not an inventory");
  return message.inventory;
}

describe("mergeInventory", () => {
  it("applies GLPI partial inventory 05 onto full inventory 03: carried categories replaced, others kept", () => {
    const full = inventory("03-run1-inventory-full-request.json");
    const partial = inventory("05-run2-inventory-partial-request.json");
    const merged = mergeInventory(full, partial);

    // kept from the full inventory: categories the partial did not carry
    expect(merged.software).toEqual(full.software);
    expect(merged.software?.length).toBe(1007);
    expect(merged.interfaces).toEqual(full.interfaces);
    expect(merged.os).toBe("Debian GNU/Linux 12 (bookworm)");
    expect(merged.osVersion).toBe("12.11");
    expect(merged.cpus).toEqual(["AMD EPYC (2 cores)"]);
    expect(merged.disks).toEqual(["vda 275 GB"]);
    // from the partial
    expect(merged.hostname).toBe("vm");
    expect(merged.memoryMb).toBe(24105);
    expect(merged.present).toEqual(full.present);
    // the inputs are not changed, and the result shares nothing with them
    expect(full.software?.length).toBe(1007);
    merged.software?.push({ name: "x" });
    expect(full.software?.length).toBe(1007);
  });

  it("replaces, and clears, exactly the categories the partial carried", () => {
    const previous: NormalizedInventory = {
      hostname: "old",
      serial: "S1",
      memoryMb: 1024,
      software: [{ name: "a" }],
      interfaces: [{ name: "eth0", mac: "02:00:00:00:00:01" }],
      present: ["hostname", "serial", "memoryMb", "software", "interfaces"],
    };
    const partial: NormalizedInventory = {
      hostname: "new",
      memoryMb: 2048,
      // serial carried without a value (the BIOS now reports none): cleared
      present: ["hostname", "serial", "memoryMb", "uuid"],
    };
    expect(mergeInventory(previous, partial)).toEqual({
      hostname: "new",
      memoryMb: 2048,
      software: [{ name: "a" }],
      interfaces: [{ name: "eth0", mac: "02:00:00:00:00:01" }],
      present: ["hostname", "serial", "uuid", "memoryMb", "interfaces", "software"],
    });
  });

  it("a full inventory merged over anything is itself", () => {
    const full = inventory("03-run1-inventory-full-request.json");
    const stale: NormalizedInventory = { hostname: "stale", serial: "OLD", present: ["hostname", "serial"] };
    expect(mergeInventory(stale, full)).toEqual(full);
  });
});
