/** Inventory agents' protocols: decoding, safe parsing, normalizing, replies. Pure; no database, no routes. */
export { bytesToText, DEFAULT_DECODE_LIMITS, type DecodedBody, type DecodeLimits, decodeBody } from "./decode.ts";
export { InventoryError, type InventoryErrorStatus } from "./errors.ts";
export { mergeInventory } from "./merge.ts";
export { cleanSerial, cleanUuid, normalizeMac } from "./normalize.ts";
export { type InventoryRequest, type ParsedInventoryRequest, parseInventoryRequest } from "./parse.ts";
export { parseGlpiJson, parseMessageText, parseXmlMessage, protocolFromAgentName } from "./protocols.ts";
export {
  DEFAULT_FREQUENCY_HOURS,
  fusionInventoryReply,
  fusionPrologReply,
  glpiErrorReply,
  glpiOkReply,
  glpiReply,
  type InventoryReply,
  ocsInventoryReply,
  ocsPrologReply,
  type ReplyOptions,
  replyTo,
} from "./replies.ts";
export {
  type BodyEncoding,
  INVENTORY_CATEGORIES,
  type InventoryCategory,
  type InventoryMessage,
  type InventoryProtocol,
  type NormalizedInterface,
  type NormalizedInventory,
  type NormalizedSoftware,
} from "./types.ts";
export { DEFAULT_XML_LIMITS, parseXml, type XmlLimits } from "./xml.ts";
