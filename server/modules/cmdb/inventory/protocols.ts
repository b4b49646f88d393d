/**
 * The three agents' messages → one {@link InventoryMessage}.
 *
 * - FusionInventory agent and OCS Inventory agent: XML
 *   `<REQUEST><DEVICEID/><QUERY>PROLOG|INVENTORY</QUERY><CONTENT>…</CONTENT></REQUEST>`;
 *   which agent it is comes from the User-Agent (`FusionInventory-Agent_v2.6`,
 *   `OCS-NG_unified_unix_agent_v2.10.0`) or, failing that, the inventory's
 *   VERSIONCLIENT.
 * - GLPI agent: its first contact is the same XML PROLOG (User-Agent
 *   `GLPI-Agent_v1.12`); then JSON `{"action":"contact"|"inventory",…}`.
 */
import { badRequest } from "./errors.ts";
import { isRecord, normalizeContent, pick, section, text } from "./normalize.ts";
import type { InventoryMessage, InventoryProtocol } from "./types.ts";
import { parseXml, type XmlLimits } from "./xml.ts";

const MAX_DEVICE_ID = 255;

/** The agent family a User-Agent or VERSIONCLIENT names, if any. */
export function protocolFromAgentName(name: string | undefined): InventoryProtocol | undefined {
  if (!name) return undefined;
  if (/^\s*OCS-NG|ocs(inventory)?[-_ ]?(ng|agent)/i.test(name)) return "ocs";
  if (/^\s*FusionInventory|fusioninventory-agent/i.test(name)) return "fusion";
  if (/^\s*GLPI-Agent|glpi-agent/i.test(name)) return "glpi";
  return undefined;
}

function deviceIdOf(value: unknown): string {
  const deviceId = text(value);
  if (!deviceId) throw badRequest("The message has no device id (DEVICEID / deviceid)");
  if (deviceId.length > MAX_DEVICE_ID) throw badRequest(`The device id is longer than ${MAX_DEVICE_ID} characters`);
  return deviceId;
}

export interface XmlMessageOptions {
  userAgent?: string | undefined;
  xmlLimits?: Partial<XmlLimits> | undefined;
}

/** An OCS-protocol XML message (FusionInventory, OCS, GLPI agent's PROLOG). */
export function parseXmlMessage(xml: string, options: XmlMessageOptions = {}): InventoryMessage {
  const document = parseXml(xml, options.xmlLimits);
  const request = section(pick(document, "REQUEST"));
  if (!request) throw badRequest("The XML document is not an inventory request (no <REQUEST> root element)");
  const query = text(pick(request, "QUERY"))?.toUpperCase();
  const deviceId = deviceIdOf(pick(request, "DEVICEID"));
  const content = section(pick(request, "CONTENT"));
  const protocol =
    protocolFromAgentName(options.userAgent) ??
    protocolFromAgentName(text(pick(content, "VERSIONCLIENT"))) ??
    // The OCS protocol is what every agent of the family speaks.
    "ocs";

  switch (query) {
    case "PROLOG":
      return { kind: "prolog", protocol, deviceId };
    case "INVENTORY": {
      if (!content) throw badRequest("The INVENTORY request has no <CONTENT>");
      return { kind: "inventory", protocol, deviceId, partial: false, inventory: normalizeContent(content) };
    }
    case undefined:
      throw badRequest("The request has no <QUERY>");
    default:
      throw badRequest(`Unsupported query ${query.slice(0, 40)}: only PROLOG and INVENTORY are handled`);
  }
}

/** A GLPI agent JSON message: CONTACT or (full or partial) INVENTORY. */
export function parseGlpiJson(json: string): InventoryMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw badRequest("The JSON message is not an object");
  const action = text(parsed.action)?.toLowerCase();
  const deviceId = deviceIdOf(parsed.deviceid);

  switch (action) {
    case "contact": {
      const tasks = [parsed["enabled-tasks"], parsed["installed-tasks"]]
        .find((value) => Array.isArray(value))
        ?.map((task: unknown) => text(task))
        .filter((task: string | undefined): task is string => task !== undefined);
      return { kind: "contact", protocol: "glpi", deviceId, tasks: [...new Set(tasks ?? [])] };
    }
    case "inventory": {
      const content = parsed.content;
      if (!isRecord(content)) throw badRequest("The inventory message has no content object");
      const itemtype = text(parsed.itemtype);
      if (itemtype !== undefined && itemtype.toLowerCase() !== "computer") {
        throw badRequest(`Unsupported itemtype ${itemtype.slice(0, 40)}: only computers are inventoried`);
      }
      const partial = parsed.partial === true || parsed.partial === "true" || parsed.partial === 1;
      return { kind: "inventory", protocol: "glpi", deviceId, partial, inventory: normalizeContent(content) };
    }
    case undefined:
      throw badRequest("The JSON message has no action");
    default:
      throw badRequest(`Unsupported action ${action.slice(0, 40)}: only contact and inventory are handled`);
  }
}

/**
 * A decoded message, XML or JSON as its first character says. The User-Agent
 * tells FusionInventory, OCS and the GLPI agent apart for XML messages.
 */
export function parseMessageText(textBody: string, options: XmlMessageOptions = {}): InventoryMessage {
  const start = textBody.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) return parseGlpiJson(start);
  if (start.startsWith("<")) return parseXmlMessage(start, options);
  throw badRequest("The body is neither an XML nor a JSON inventory message");
}
