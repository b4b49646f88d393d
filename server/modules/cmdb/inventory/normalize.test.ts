import { describe, expect, it } from "vitest";
import {
  cleanSerial,
  cleanUuid,
  formatMegabytes,
  isLoopbackIp,
  normalizeContent,
  normalizeDisks,
  normalizeInterfaces,
  normalizeMac,
  normalizeSoftware,
} from "./normalize.ts";
import { parseXmlMessage } from "./protocols.ts";

describe("serials and UUIDs", () => {
  it.each([
    "",
    "   ",
    "To be filled by O.E.M.",
    "to be filled by o.e.m.",
    "0",
    "00000000",
    "None",
    "Not Specified",
    "Default string",
    "System Serial Number",
    "N/A",
    "FFFFFFFF",
  ])("ignores the placeholder serial %j", (serial) => {
    expect(cleanSerial(serial)).toBeUndefined();
  });

  it("keeps real serials, trimmed, as text", () => {
    expect(cleanSerial(" 5CG1234XYZ ")).toBe("5CG1234XYZ");
    expect(cleanSerial("0123")).toBe("0123");
    expect(cleanSerial(12345)).toBe("12345");
    expect(cleanSerial(undefined)).toBeUndefined();
    expect(cleanSerial({ nested: 1 })).toBeUndefined();
  });

  it.each([
    "00000000-0000-0000-0000-000000000000",
    "03000200-0400-0500-0006-000700080009",
    "00020003-0004-0005-0006-000700080009",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    "Not Specified",
    "",
    "0",
  ])("ignores the placeholder UUID %j", (uuid) => {
    expect(cleanUuid(uuid)).toBeUndefined();
  });

  it("keeps real UUIDs, in lower case", () => {
    expect(cleanUuid("4C4C4544-0052-3510-8052-B4C04F564433")).toBe("4c4c4544-0052-3510-8052-b4c04f564433");
  });
});

describe("MAC addresses", () => {
  it.each([
    ["00:1A:2B:3C:4D:5E", "00:1a:2b:3c:4d:5e"],
    ["00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e"],
    ["001A.2B3C.4D5E", "00:1a:2b:3c:4d:5e"],
    ["001a2b3c4d5e", "00:1a:2b:3c:4d:5e"],
    ["0:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5e"],
    [" 02:FC:00:00:00:01 ", "02:fc:00:00:00:01"],
    ["00:00:00:00:00:00", undefined],
    ["ff:ff:ff:ff:ff:ff", undefined],
    ["not a mac", undefined],
    ["00:1a:2b:3c:4d", undefined],
    ["00:1a:2b:3c:4d:5e:6f:70", undefined], // InfiniBand/EUI-64: not a MAC-48
    [undefined, undefined],
  ])("%j → %j", (raw, mac) => {
    expect(normalizeMac(raw)).toBe(mac);
  });
});

describe("interfaces", () => {
  it("drops loopback interfaces and addresses, merges an interface's addresses", () => {
    expect(
      normalizeInterfaces([
        { DESCRIPTION: "lo", IPADDRESS: "127.0.0.1", MACADDR: "00:00:00:00:00:00", TYPE: "loopback" },
        { description: "lo0", ipaddress6: "::1" },
        { description: "Software Loopback Interface 1", ipaddress: "127.0.0.1" },
        { IPADDRESS: "127.0.1.1" },
        { DESCRIPTION: "eth0", MACADDR: "52:54:00:AB:CD:EF", IPADDRESS: "10.0.0.5" },
        { DESCRIPTION: "eth0", MACADDR: "52-54-00-ab-cd-ef", IPADDRESS6: "fe80::1" },
        { DESCRIPTION: "eth0", MACADDR: "52:54:00:ab:cd:ef", IPADDRESS: "10.0.0.5" },
        { DESCRIPTION: "docker0", MACADDR: "02:42:ac:11:00:01", IPADDRESS: "0.0.0.0" },
        { DESCRIPTION: "weird", IPADDRESS: "127.0.0.53" },
        {},
      ]),
    ).toEqual([
      { name: "eth0", mac: "52:54:00:ab:cd:ef", ip: ["10.0.0.5", "fe80::1"] },
      { name: "docker0", mac: "02:42:ac:11:00:01" },
      { name: "weird" },
    ]);
  });

  it("knows loopback addresses", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
      expect(isLoopbackIp(ip), ip).toBe(true);
    }
    for (const ip of ["10.0.0.1", "fe80::1", "::", "192.0.2.1", "2001:db8::1"]) {
      expect(isLoopbackIp(ip), ip).toBe(false);
    }
  });
});

describe("software, disks, memory", () => {
  it("de-duplicates software by (name, version), keeping the first publisher", () => {
    expect(
      normalizeSoftware([
        { NAME: "curl", VERSION: "8.0", PUBLISHER: "Debian" },
        { NAME: "curl", VERSION: "8.0", PUBLISHER: "Other" },
        { NAME: "curl", VERSION: "8.1" },
        { NAME: " curl ", VERSION: "8.1 " },
        { NAME: "", VERSION: "1" },
        { VERSION: "2" },
        { NAME: "Firefox" },
        { NAME: "Firefox", VERSION: "" },
      ]),
    ).toEqual([
      { name: "curl", version: "8.0", publisher: "Debian" },
      { name: "curl", version: "8.1" },
      { name: "Firefox" },
    ]);
  });

  it("formats disk sizes (agents count MB of 10^6 bytes)", () => {
    expect(formatMegabytes(40_000)).toBe("40 GB");
    expect(formatMegabytes(274_877.906944)).toBe("275 GB");
    expect(formatMegabytes(1_500_000)).toBe("1.5 TB");
    expect(formatMegabytes(2_000_398)).toBe("2 TB");
    expect(formatMegabytes(512)).toBe("512 MB");
    expect(formatMegabytes(8_004)).toBe("8 GB");
    expect(
      normalizeDisks([
        { NAME: "sda", DISKSIZE: "40000", TYPE: "disk" },
        { NAME: "sr0", TYPE: "cdrom" },
        { NAME: "zram0", TYPE: "disk" },
        { NAME: "nvme0n1", DISKSIZE: 1_000_204 },
        { MODEL: "Unnamed USB", DISKSIZE: "0" },
        { TYPE: "disk" },
      ]),
    ).toEqual(["sda 40 GB", "nvme0n1 1 TB", "Unnamed USB"]);
  });

  it("takes memory from HARDWARE/MEMORY, else the sum of MEMORIES/CAPACITY", () => {
    expect(normalizeContent({ HARDWARE: { MEMORY: "2048" } }).memoryMb).toBe(2048);
    expect(
      normalizeContent({ HARDWARE: { NAME: "h" }, MEMORIES: [{ CAPACITY: "4096" }, { CAPACITY: "4096" }, {}] })
        .memoryMb,
    ).toBe(8192);
    expect(normalizeContent({ HARDWARE: { MEMORY: "0" } }).memoryMb).toBeUndefined();
  });
});

describe("a FusionInventory-style inventory with real and placeholder identifiers", () => {
  const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<REQUEST>
  <CONTENT>
    <BIOS>
      <SSN>To be filled by O.E.M.</SSN>
      <MSN>MB-1</MSN>
      <SMANUFACTURER>System manufacturer</SMANUFACTURER>
      <MMANUFACTURER>ASUSTeK COMPUTER INC.</MMANUFACTURER>
      <SMODEL>PRIME B450M-A</SMODEL>
    </BIOS>
    <HARDWARE>
      <NAME>desk-042</NAME>
      <UUID>03000200-0400-0500-0006-000700080009</UUID>
      <MEMORY>16384</MEMORY>
      <OSNAME>Microsoft Windows 10 Pro</OSNAME>
      <OSVERSION>10.0.19045</OSVERSION>
    </HARDWARE>
    <CPUS><NAME>AMD Ryzen 5 3600</NAME><CORE>6</CORE></CPUS>
    <CPUS><NAME>AMD Ryzen 5 3600</NAME><CORE>1</CORE></CPUS>
    <STORAGES><NAME>PhysicalDrive0</NAME><DISKSIZE>500107</DISKSIZE><TYPE>disk</TYPE></STORAGES>
    <NETWORKS><DESCRIPTION>Ethernet</DESCRIPTION><MACADDR>2C:F0:5D:AA:BB:CC</MACADDR><IPADDRESS>192.168.1.20</IPADDRESS></NETWORKS>
    <SOFTWARES><NAME>7-Zip 23.01 (x64)</NAME><VERSION>23.01</VERSION><PUBLISHER>Igor Pavlov</PUBLISHER></SOFTWARES>
    <SOFTWARES><NAME>7-Zip 23.01 (x64)</NAME><VERSION>23.01</VERSION><PUBLISHER>Igor Pavlov</PUBLISHER></SOFTWARES>
    <VERSIONCLIENT>FusionInventory-Agent_v2.6</VERSIONCLIENT>
  </CONTENT>
  <DEVICEID>desk-042-2024-01-01-00-00-00</DEVICEID>
  <QUERY>INVENTORY</QUERY>
</REQUEST>`;

  it("normalizes it", () => {
    const message = parseXmlMessage(xml);
    expect(message).toEqual({
      kind: "inventory",
      protocol: "fusion",
      deviceId: "desk-042-2024-01-01-00-00-00",
      partial: false,
      inventory: {
        hostname: "desk-042",
        // serial and UUID are placeholders: absent; "System manufacturer" gives way to the board's
        manufacturer: "ASUSTeK COMPUTER INC.",
        model: "PRIME B450M-A",
        os: "Microsoft Windows 10 Pro",
        osVersion: "10.0.19045",
        cpus: ["AMD Ryzen 5 3600 (6 cores)", "AMD Ryzen 5 3600 (1 core)"],
        memoryMb: 16384,
        disks: ["PhysicalDrive0 500 GB"],
        interfaces: [{ name: "Ethernet", mac: "2c:f0:5d:aa:bb:cc", ip: ["192.168.1.20"] }],
        software: [{ name: "7-Zip 23.01 (x64)", version: "23.01", publisher: "Igor Pavlov" }],
        present: [
          "hostname",
          "serial",
          "uuid",
          "manufacturer",
          "model",
          "os",
          "osVersion",
          "cpus",
          "memoryMb",
          "disks",
          "interfaces",
          "software",
        ],
      },
    });
  });

  it("keeps a real serial and UUID", () => {
    const real = xml
      .replace("To be filled by O.E.M.", "PF2ABCDE")
      .replace("03000200-0400-0500-0006-000700080009", "E3A1C2D4-1111-2222-3333-444455556666");
    const message = parseXmlMessage(real);
    expect(message.kind === "inventory" && message.inventory).toMatchObject({
      serial: "PF2ABCDE",
      uuid: "e3a1c2d4-1111-2222-3333-444455556666",
    });
  });
});
