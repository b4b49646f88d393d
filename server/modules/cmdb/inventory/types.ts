/**
 * The normalized shape every inventory agent's message is turned into, whatever
 * the protocol: FusionInventory (XML), OCS Inventory (XML) or the GLPI agent
 * (JSON, and its legacy XML PROLOG).
 */

export type InventoryProtocol = "fusion" | "ocs" | "glpi";

/** How a request body travelled; a GLPI agent's reply must travel the same way. */
export type BodyEncoding = "zlib" | "gzip" | "none";

/** The categories of a {@link NormalizedInventory}, as listed in its `present`. */
export const INVENTORY_CATEGORIES = [
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
] as const;

export type InventoryCategory = (typeof INVENTORY_CATEGORIES)[number];

export interface NormalizedInterface {
  name?: string;
  /** Lower-case, colon-separated: `02:fc:00:00:00:01`. */
  mac?: string;
  /** No loopback addresses. */
  ip?: string[];
}

export interface NormalizedSoftware {
  name: string;
  version?: string;
  publisher?: string;
}

export interface NormalizedInventory {
  hostname?: string;
  /** Absent when the machine reports none or a placeholder ("To be filled by O.E.M."). */
  serial?: string;
  /** Lower-case when it is a UUID; absent when none or a placeholder (all zeros…). */
  uuid?: string;
  manufacturer?: string;
  model?: string;
  os?: string;
  osVersion?: string;
  cpus?: string[];
  memoryMb?: number;
  /** Human-readable: "sda 40 GB". */
  disks?: string[];
  /** Loopback interfaces dropped. */
  interfaces?: NormalizedInterface[];
  /** De-duplicated by (name, version). */
  software?: NormalizedSoftware[];
  /**
   * The categories this message carried (its sections were in the payload),
   * whether or not they had a usable value: a partial inventory replaces exactly
   * these when merged (see `mergeInventory`).
   */
  present: InventoryCategory[];
}

export type InventoryMessage =
  | { kind: "prolog"; protocol: InventoryProtocol; deviceId: string }
  | { kind: "contact"; protocol: "glpi"; deviceId: string; tasks: string[] }
  | {
      kind: "inventory";
      protocol: InventoryProtocol;
      deviceId: string;
      partial: boolean;
      inventory: NormalizedInventory;
    };
