import { bytesToText, type DecodeLimits, decodeBody } from "./decode.ts";
import { parseMessageText } from "./protocols.ts";
import type { BodyEncoding, InventoryMessage } from "./types.ts";
import type { XmlLimits } from "./xml.ts";

export interface InventoryRequest {
  /** The raw request body. */
  body: Uint8Array;
  /** The Content-Type header as sent. */
  contentType?: string | undefined;
  /** The User-Agent header: tells FusionInventory, OCS and GLPI agents apart. */
  userAgent?: string | undefined;
  limits?: Partial<DecodeLimits & XmlLimits> | undefined;
}

export interface ParsedInventoryRequest {
  message: InventoryMessage;
  /** How the body was compressed: pass it to `replyTo` so the reply travels the same way. */
  encoding: BodyEncoding;
}

/**
 * A request from an inventory agent → the normalized message. Pure apart from
 * decompression (which runs off the event loop). Throws `InventoryError`
 * (400/413/415) for anything it refuses.
 */
export async function parseInventoryRequest(request: InventoryRequest): Promise<ParsedInventoryRequest> {
  const { data, encoding } = await decodeBody(request.body, request.contentType, request.limits);
  const message = parseMessageText(bytesToText(data), {
    userAgent: request.userAgent,
    xmlLimits: request.limits,
  });
  return { message, encoding };
}
