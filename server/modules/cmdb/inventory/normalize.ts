/**
 * From an agent's inventory content (the OCS/FusionInventory XML sections, or
 * the GLPI agent's JSON with the same sections in lower case) to a
 * {@link NormalizedInventory}: placeholders dropped, MAC addresses in one
 * form, loopback gone, software de-duplicated, sizes as numbers.
 */
import type { InventoryCategory, NormalizedInterface, NormalizedInventory, NormalizedSoftware } from "./types.ts";

export type Rec = Record<string, unknown>;

const MAX_TEXT = 1024;

export function isRecord(value: unknown): value is Rec {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field by name, in lower case (GLPI JSON) or upper case (XML); own properties only. */
export function pick(record: Rec | undefined, name: string): unknown {
  if (!record) return undefined;
  if (Object.hasOwn(record, name)) return record[name];
  const upper = name.toUpperCase();
  if (Object.hasOwn(record, upper)) return record[upper];
  return undefined;
}

/** A repeated element as a list: XML gives an object for one, an array for several. */
export function list(value: unknown): Rec[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** A single section (the first, if an agent repeated it). */
export function section(value: unknown): Rec | undefined {
  return list(value)[0];
}

/** Trimmed text; numbers and booleans as text; empty → undefined. Repeated elements: the first. */
export function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_TEXT ? trimmed.slice(0, MAX_TEXT) : trimmed;
}

export function num(value: unknown): number | undefined {
  if (Array.isArray(value)) return num(value[0]);
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/* ---------------------------------------------------------------- placeholders */

/** What firmware puts in a field it has no value for. Compared in lower case. */
const PLACEHOLDERS = new Set([
  "to be filled by o.e.m.",
  "to be filled by oem",
  "o.e.m.",
  "oem",
  "none",
  "null",
  "not specified",
  "not applicable",
  "not available",
  "not present",
  "n/a",
  "na",
  "unknown",
  "invalid",
  "default string",
  "system serial number",
  "system product name",
  "system manufacturer",
  "system version",
  "chassis serial number",
  "base board serial number",
  "serial number",
  "serial",
  "123456789",
  "1234567890",
  "0123456789",
]);

/** The UUIDs of boards that have none (SMBIOS placeholders, in both byte orders). */
const PLACEHOLDER_UUIDS = new Set([
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "03000200-0400-0500-0006-000700080009",
  "00020003-0004-0005-0006-000700080009",
]);

function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDERS.has(lower)) return true;
  // "0", "00000000", "0000-0000", "FFFFFFFF", "...", "----"
  if (/^[0\s\-:._]*$/.test(lower) || /^[f\-:]+$/.test(lower) || /^[x-]+$/.test(lower)) return true;
  return false;
}

/** A serial number, or undefined for empty and placeholder values ("To be filled by O.E.M.", "0"…). */
export function cleanSerial(value: unknown): string | undefined {
  const serial = text(value);
  return serial === undefined || isPlaceholder(serial) ? undefined : serial;
}

/** A manufacturer or model, or undefined for the firmware's placeholders. */
export function cleanLabel(value: unknown): string | undefined {
  return cleanSerial(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A system UUID in lower case, or undefined for empty and placeholder ones (all zeros, 03000200-0400-…). */
export function cleanUuid(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (UUID.test(lower)) return PLACEHOLDER_UUIDS.has(lower) || isPlaceholder(lower) ? undefined : lower;
  // Not in UUID form: keep it unless it is a placeholder.
  return isPlaceholder(raw) ? undefined : raw;
}

/* ---------------------------------------------------------------- network */

/**
 * `00-1A-2B-3C-4D-5E`, `001a.2b3c.4d5e`, `001A2B3C4D5E` → `00:1a:2b:3c:4d:5e`.
 * Undefined for anything else, and for the all-zero and broadcast addresses.
 */
export function normalizeMac(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  let hex: string;
  if (/^[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}$/i.test(raw)) {
    hex = raw
      .split(/[:-]/)
      .map((part) => part.padStart(2, "0"))
      .join("");
  } else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(raw) || /^[0-9a-f]{12}$/i.test(raw)) {
    hex = raw.replaceAll(".", "");
  } else {
    return undefined;
  }
  hex = hex.toLowerCase();
  if (hex === "000000000000" || hex === "ffffffffffff") return undefined;
  return hex.match(/../g)?.join(":");
}

/** 127.0.0.0/8, ::1 and their mapped forms. */
export function isLoopbackIp(ip: string): boolean {
  const lower = ip.toLowerCase();
  return (
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower) ||
    /^::ffff:127\./.test(lower) ||
    /^(0{0,4}:){2,7}0{0,3}1$/.test(lower) ||
    lower === "::1"
  );
}

function cleanIp(value: unknown): string | undefined {
  const ip = text(value)?.toLowerCase();
  if (!ip || ip === "0.0.0.0" || ip === "::" || isLoopbackIp(ip)) return undefined;
  // Only address-like text: IPv4, IPv6 (with an optional zone).
  if (!/^[0-9a-f:.]+(%[\w.-]+)?$/.test(ip)) return undefined;
  return ip;
}

function isLoopbackInterface(entry: Rec, name: string | undefined): boolean {
  const type = text(pick(entry, "type"))?.toLowerCase();
  if (type === "loopback" || type === "local") return true;
  if (name !== undefined && /^(lo|lo\d+|lo:.*|loopback.*|software loopback.*)$/i.test(name)) return true;
  return false;
}

/**
 * One entry per interface: agents report an interface once per address (IPv4,
 * IPv6, link-local…), so entries are grouped by (name, MAC). Loopback
 * interfaces and loopback addresses are dropped.
 */
export function normalizeInterfaces(networks: Rec[]): NormalizedInterface[] {
  const byKey = new Map<string, NormalizedInterface>();
  for (const entry of networks) {
    const name = text(pick(entry, "description")) ?? text(pick(entry, "name"));
    if (isLoopbackInterface(entry, name)) continue;
    const mac = normalizeMac(pick(entry, "macaddr") ?? pick(entry, "mac"));
    const ips = [pick(entry, "ipaddress"), pick(entry, "ipaddress6")]
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .map(cleanIp)
      .filter((ip): ip is string => ip !== undefined);
    const rawIps = [text(pick(entry, "ipaddress")), text(pick(entry, "ipaddress6"))].filter(Boolean);
    // An unnamed interface whose only addresses are loopback ones is the loopback.
    if (!name && !mac && ips.length === 0 && rawIps.length > 0) continue;
    if (!name && !mac && ips.length === 0) continue;
    const key = `${name ?? ""}\u0000${mac ?? ""}`;
    let iface = byKey.get(key);
    if (!iface) {
      iface = {};
      if (name !== undefined) iface.name = name;
      if (mac !== undefined) iface.mac = mac;
      byKey.set(key, iface);
    }
    for (const ip of ips) {
      iface.ip ??= [];
      if (!iface.ip.includes(ip)) iface.ip.push(ip);
    }
  }
  return [...byKey.values()];
}

/* ---------------------------------------------------------------- software, hardware */

/** Software with a name, de-duplicated by (name, version), first publisher kept. */
export function normalizeSoftware(softwares: Rec[]): NormalizedSoftware[] {
  const seen = new Set<string>();
  const result: NormalizedSoftware[] = [];
  for (const entry of softwares) {
    const name = text(pick(entry, "name"));
    if (!name) continue;
    const version = text(pick(entry, "version"));
    const key = `${name}\u0000${version ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: NormalizedSoftware = { name };
    if (version !== undefined) item.version = version;
    const publisher = text(pick(entry, "publisher"));
    if (publisher !== undefined) item.publisher = publisher;
    result.push(item);
  }
  return result;
}

/** "AMD EPYC (2 cores)". */
export function normalizeCpus(cpus: Rec[]): string[] {
  return cpus.flatMap((cpu) => {
    const name =
      text(pick(cpu, "name")) ??
      text(pick(cpu, "type")) ??
      [text(pick(cpu, "manufacturer")), text(pick(cpu, "model"))].filter(Boolean).join(" ");
    if (!name) return [];
    const cores = num(pick(cpu, "core")) ?? num(pick(cpu, "cores"));
    return [cores && cores > 0 ? `${name} (${cores} ${cores === 1 ? "core" : "cores"})` : name];
  });
}

/** Megabytes (10^6 bytes, as agents count disk sizes) → "40 GB", "1.5 TB", "512 MB". */
export function formatMegabytes(mb: number): string {
  const format = (value: number, unit: string) =>
    `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${unit}`;
  if (mb >= 1_000_000) return format(mb / 1_000_000, "TB");
  if (mb >= 1000) return format(mb / 1000, "GB");
  return format(mb, "MB");
}

/** Physical disks, "sda 40 GB"; optical drives and RAM/loop devices left out. */
export function normalizeDisks(storages: Rec[]): string[] {
  const disks: string[] = [];
  for (const storage of storages) {
    const type = text(pick(storage, "type"))?.toLowerCase() ?? "";
    const name = text(pick(storage, "name")) ?? text(pick(storage, "model")) ?? text(pick(storage, "description"));
    if (/cd|dvd|rom|optical|floppy/.test(type)) continue;
    if (name && /^(loop|ram|zram|sr)\d+$/.test(name)) continue;
    const size = num(pick(storage, "disksize"));
    if (name && size && size > 0) disks.push(`${name} ${formatMegabytes(size)}`);
    else if (name) disks.push(name);
  }
  return disks;
}

function memoryMb(hardware: Rec | undefined, memories: Rec[]): number | undefined {
  const total = num(pick(hardware, "memory"));
  if (total !== undefined && total > 0) return Math.round(total);
  const sum = memories.reduce((acc, module) => acc + (num(pick(module, "capacity")) ?? 0), 0);
  return sum > 0 ? Math.round(sum) : undefined;
}

/**
 * The inventory sections (BIOS, HARDWARE, OPERATINGSYSTEM, CPUS, MEMORIES,
 * STORAGES, NETWORKS, SOFTWARES; any case) → a normalized inventory whose
 * `present` lists the categories whose sections the content carried.
 */
export function normalizeContent(content: Rec): NormalizedInventory {
  const has = (name: string) => pick(content, name) !== undefined;
  const hardware = section(pick(content, "hardware"));
  const bios = section(pick(content, "bios"));
  const os = section(pick(content, "operatingsystem"));
  const memories = list(pick(content, "memories"));

  const inventory: NormalizedInventory = { present: [] };
  const present = new Set<InventoryCategory>();
  const set = <K extends Exclude<keyof NormalizedInventory, "present">>(
    category: K & InventoryCategory,
    carried: boolean,
    value: NormalizedInventory[K] | undefined,
  ) => {
    if (!carried) return;
    present.add(category);
    if (value !== undefined) inventory[category] = value;
  };

  const hardwareCarried = has("hardware");
  const osCarried = has("operatingsystem") || pick(hardware, "osname") !== undefined;
  set("hostname", hardwareCarried, text(pick(hardware, "name")));
  set("serial", has("bios"), cleanSerial(pick(bios, "ssn")));
  set("uuid", hardwareCarried, cleanUuid(pick(hardware, "uuid")));
  set("manufacturer", has("bios"), cleanLabel(pick(bios, "smanufacturer")) ?? cleanLabel(pick(bios, "mmanufacturer")));
  set("model", has("bios"), cleanLabel(pick(bios, "smodel")) ?? cleanLabel(pick(bios, "mmodel")));
  set("os", osCarried, text(pick(os, "full_name")) ?? text(pick(hardware, "osname")) ?? text(pick(os, "name")));
  set("osVersion", osCarried, text(pick(os, "version")) ?? text(pick(hardware, "osversion")));
  set("cpus", has("cpus"), normalizeCpus(list(pick(content, "cpus"))));
  set("memoryMb", hardwareCarried || has("memories"), memoryMb(hardware, memories));
  set("disks", has("storages"), normalizeDisks(list(pick(content, "storages"))));
  set("interfaces", has("networks"), normalizeInterfaces(list(pick(content, "networks"))));
  set("software", has("softwares"), normalizeSoftware(list(pick(content, "softwares"))));

  inventory.present = [...present];
  return inventory;
}
