/**
 * What each agent expects back, checked against the agents' own code (Debian
 * 12 packages fusioninventory-agent 2.6 and ocsinventory-agent 2.10; GLPI
 * agent 1.12) and against the real agents (agents.test.ts):
 *
 * - FusionInventory (and the GLPI agent's XML PROLOG client) find the reply's
 *   format by sniffing its first bytes for `78 9C` (zlib at the default
 *   level, nothing else), `1F 8B 08` (gzip) or plain `<…>`; the Content-Type
 *   is not looked at. The PROLOG reply must say `<RESPONSE>SEND</RESPONSE>`
 *   or the inventory task does not run (unless the agent runs with --force).
 * - OCS passes the reply straight to Compress::Zlib::uncompress: it must be
 *   zlib, a plain reply fails ("Deflating problem") and the agent exits 1.
 *   `ACCOUNT_UPDATE` would make it rewrite its account-info file from
 *   `<ACCOUNTINFO>`; we have none to give, so it gets `NO_ACCOUNT_UPDATE`.
 * - The GLPI agent's JSON client decodes by Content-Type, exactly:
 *   `application/x-compress-zlib`, `application/x-compress-gzip`, or an
 *   uncompressed type such as `application/json`; any other `application/x-…`
 *   (`application/x-compress`, or x-compress-zlib with a `; charset` added)
 *   is refused. It needs `status` and an `expiration` > 0 (hours).
 */
import zlib from "node:zlib";
import type { BodyEncoding, InventoryMessage } from "./types.ts";

export interface InventoryReply {
  /** Send exactly this, with no `; charset=…` appended. */
  contentType: string;
  body: Buffer;
}

export interface ReplyOptions {
  /** How the request body was compressed (from `parseInventoryRequest`); GLPI replies travel the same way. */
  encoding?: BodyEncoding;
  /** Hours until the agent's next contact (PROLOG_FREQ, GLPI `expiration`). Default 24. */
  frequencyHours?: number;
  /** FusionInventory INVENTORY: ACCOUNT_UPDATE rather than NO_ACCOUNT_UPDATE. */
  accountUpdate?: boolean;
}

export const DEFAULT_FREQUENCY_HOURS = 24;

/**
 * zlib at level 6: its header is `78 9C`, the only one FusionInventory and the
 * GLPI agent's XML client recognise (level 9's `78 DA` is taken for plain text).
 */
export function zlibCompress(data: Buffer | string): Buffer {
  return zlib.deflateSync(data, { level: 6 });
}

function xmlReply(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<REPLY>${body}</REPLY>\n`;
}

function frequency(options: ReplyOptions): number {
  const hours = options.frequencyHours ?? DEFAULT_FREQUENCY_HOURS;
  if (!Number.isInteger(hours) || hours < 1) throw new RangeError("frequencyHours must be a whole number ≥ 1");
  return hours;
}

/** FusionInventory PROLOG: send the inventory; come back in `frequencyHours`. */
export function fusionPrologReply(options: ReplyOptions = {}): InventoryReply {
  return {
    contentType: "application/x-compress-zlib",
    body: zlibCompress(xmlReply({ RESPONSE: "SEND", PROLOG_FREQ: frequency(options) })),
  };
}

export function fusionInventoryReply(options: ReplyOptions = {}): InventoryReply {
  return {
    contentType: "application/x-compress-zlib",
    body: zlibCompress(xmlReply({ RESPONSE: options.accountUpdate ? "ACCOUNT_UPDATE" : "NO_ACCOUNT_UPDATE" })),
  };
}

/** OCS PROLOG: always zlib (the agent does not look for anything else). */
export function ocsPrologReply(options: ReplyOptions = {}): InventoryReply {
  return {
    contentType: "application/x-compressed",
    body: zlibCompress(xmlReply({ RESPONSE: "SEND", PROLOG_FREQ: frequency(options) })),
  };
}

export function ocsInventoryReply(): InventoryReply {
  return {
    contentType: "application/x-compressed",
    body: zlibCompress(xmlReply({ RESPONSE: "NO_ACCOUNT_UPDATE" })),
  };
}

/** A GLPI agent JSON answer, encoded the way the request came. */
export function glpiReply(answer: Record<string, unknown>, encoding: BodyEncoding = "none"): InventoryReply {
  const json = Buffer.from(JSON.stringify(answer), "utf8");
  switch (encoding) {
    case "zlib":
      return { contentType: "application/x-compress-zlib", body: zlibCompress(json) };
    case "gzip":
      return { contentType: "application/x-compress-gzip", body: zlib.gzipSync(json) };
    case "none":
      return { contentType: "application/json", body: json };
  }
}

/** `{"status":"ok","expiration":24}`: to the GLPI agent's PROLOG, CONTACT and inventories. */
export function glpiOkReply(options: ReplyOptions = {}): InventoryReply {
  return glpiReply({ status: "ok", expiration: frequency(options) }, options.encoding);
}

/** `{"status":"error","message":…}`: the GLPI agent logs the message ("server error: …"). */
export function glpiErrorReply(message: string, encoding: BodyEncoding = "none"): InventoryReply {
  return glpiReply({ status: "error", message }, encoding);
}

/** The reply the agent that sent `message` expects. */
export function replyTo(message: InventoryMessage, options: ReplyOptions = {}): InventoryReply {
  if (message.protocol === "glpi") return glpiOkReply(options);
  if (message.protocol === "ocs") return message.kind === "prolog" ? ocsPrologReply(options) : ocsInventoryReply();
  return message.kind === "prolog" ? fusionPrologReply(options) : fusionInventoryReply(options);
}
